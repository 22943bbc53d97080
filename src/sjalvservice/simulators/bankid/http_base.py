"""The BankID simulator's HTTP listeners, on the simulators' shared plumbing."""

from __future__ import annotations

from .. import base
from ..base import media_type

__all__ = ["BaseHandler", "SimulatorHTTPServer", "media_type"]


class SimulatorHTTPServer(base.SimulatorHTTPServer):
    log_prefix = "bankid-simulator"
    log_label = "http"


class BaseHandler(base.BaseHandler):
    server_version = "BankIDSimulator/1.0"
