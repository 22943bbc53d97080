"""The Bolagsverket simulator's HTTP listener, on the simulators' shared plumbing."""

from __future__ import annotations

from .. import base
from ..base import media_type

__all__ = ["BaseHandler", "SimulatorHTTPServer", "media_type"]


class SimulatorHTTPServer(base.SimulatorHTTPServer):
    log_prefix = "bolagsverket-simulator"


class BaseHandler(base.BaseHandler):
    server_version = "BolagsverketSimulator/1.0"
    max_body = 64 * 1024
