"""The SMTP side: an aiosmtpd server on loopback that stores what it accepts and obeys faults.

When a message counts as received: the server has read the whole DATA section (up to the line
with the lone dot), any stall is over and the client is still connected. The message is
stored at that moment, just before the ``250`` reply is written. A client that goes away
earlier, during DATA or while a stall holds the reply, leaves nothing behind: aiosmtpd cancels
the session when the connection closes, and the cancellation reaches the stall's wait.

On the wire:

* down: a new connection is greeted with ``421 4.3.2 Service not available, closing
  transmission channel`` and closed; in a session already open, MAIL gets the same 421 and the
  connection is closed. That is what a relay under maintenance answers, and what clients treat
  as "try again later" (RFC 5321, 3.8 and 4.2.3).
* stall: every command is answered at once except the end of DATA, whose reply waits; the
  client sees an open connection that stops talking right after it sent the whole message.
* reject: the first RCPT of a transaction takes one rejection, and then every RCPT of that
  transaction gets the code, so a message to several recipients is refused as a whole instead
  of being delivered to some of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any, Final

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from .faults import Faults
from .store import Mailbox

LIBRARY_LOGGER: Final = "mail.log"  # aiosmtpd's
# The name in the greeting; aiosmtpd would ask socket.getfqdn(), which can hang without DNS.
SMTP_NAME: Final = "localhost"
SERVICE_NOT_AVAILABLE: Final = "421 4.3.2 Service not available, closing transmission channel"
# What providers commonly accept; the store keeps only the text parts, not the bytes.
DATA_SIZE_LIMIT: Final = 25 * 1024 * 1024
# A client that says nothing for this long is disconnected, as a real relay would.
IDLE_TIMEOUT: Final = 60.0
# How long start() waits for the event loop thread.
READY_TIMEOUT: Final = 5.0
# How often a stalled delivery looks whether the stall was ended early.
STALL_POLL: Final = 0.05


class MailboxEnvelope(Envelope):
    """An envelope that remembers whether its transaction is refused at RCPT."""

    def __init__(self) -> None:
        super().__init__()
        self.rejection_decided = False
        self.rejection: int | None = None


def _close_after_reply(server: SMTP) -> None:
    """Close the connection once the reply being written has gone out."""

    def close() -> None:
        if server.transport is not None:
            server.transport.close()  # flushes what is buffered first

    server.loop.call_soon(close)


class MailboxHandler:
    """aiosmtpd's handler hooks: accept from anyone to anyone, store, apply the faults."""

    def __init__(self, mailbox: Mailbox, faults: Faults, log: Callable[[str], None]) -> None:
        self.mailbox = mailbox
        self.faults = faults
        self.log = log

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        if self.faults.is_down():
            self.log("421 to MAIL (down)")
            _close_after_reply(server)
            return SERVICE_NOT_AVAILABLE
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if isinstance(envelope, MailboxEnvelope):
            if not envelope.rejection_decided:
                envelope.rejection_decided = True
                envelope.rejection = self.faults.take_rejection()
            if envelope.rejection is not None:
                code = envelope.rejection
                self.log(f"{code} to RCPT (injected)")
                return f"{code} {code // 100}.7.1 Recipient rejected (injected by the simulator)"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        stall = self.faults.take_stall()
        if stall is not None:
            await self._hold(*stall)
        if server.transport is None or server.transport.is_closing():
            return SERVICE_NOT_AVAILABLE  # no one is left to read a reply: store nothing
        received = self.mailbox.add(
            envelope.original_content or b"", envelope.mail_from or "", envelope.rcpt_tos
        )
        self.log(f"250 message {received.number} stored ({received.size} bytes)")
        return f"250 2.0.0 OK: stored as message {received.number}"

    async def _hold(self, seconds: float, release: int) -> None:
        """Wait ``seconds`` before replying, unless the stall is ended early. A client that
        disconnects meanwhile cancels this wait (and so the delivery) through aiosmtpd."""
        self.log(f"holding the reply to DATA for {seconds:g} s (stall)")
        self.faults.hold(+1)
        deadline = time.monotonic() + seconds
        try:
            while not self.faults.released(release):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                await asyncio.sleep(min(left, STALL_POLL))
        except asyncio.CancelledError:
            self.log("the client left during a stall: nothing stored")
            raise
        finally:
            self.faults.hold(-1)


class MailboxSMTP(SMTP):
    """aiosmtpd's SMTP session with the simulator's envelope and a greeting that can be 421."""

    def __init__(self, handler: MailboxHandler, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.mailbox_handler = handler

    def _create_envelope(self) -> Envelope:
        return MailboxEnvelope()

    async def _handle_client(self) -> None:
        # aiosmtpd has no hook before its 220 greeting; this is where a relay refuses service.
        if self.mailbox_handler.faults.is_down():
            self.mailbox_handler.log("421 at the greeting (down)")
            with contextlib.suppress(ConnectionError):  # the client did not wait for it
                await self.push(SERVICE_NOT_AVAILABLE)
            if self.transport is not None:
                self.transport.close()
            return
        await super()._handle_client()


class MailboxController(Controller):
    """aiosmtpd's threaded controller on a socket bound beforehand.

    Binding first lets port 0 pick a free port (aiosmtpd would connect to port 0 to check it
    is up) and makes a port in use fail at once rather than after the ready timeout.
    """

    def __init__(self, handler: MailboxHandler, listening: socket.socket) -> None:
        quiet_library_log()
        host, port = listening.getsockname()[:2]
        super().__init__(
            handler,
            hostname=host,
            port=port,
            server_hostname=SMTP_NAME,
            ready_timeout=READY_TIMEOUT,
            data_size_limit=DATA_SIZE_LIMIT,
            timeout=IDLE_TIMEOUT,
        )
        self.listening = listening

    def factory(self) -> SMTP:
        return MailboxSMTP(self.handler, **self.SMTP_kwargs)

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        return self.loop.create_server(self._factory_invoker, sock=self.listening)


def quiet_library_log() -> None:
    """Keep aiosmtpd's own log to warnings unless someone set its level on purpose.

    At INFO it names every sender and recipient, at DEBUG it writes every line of every
    message: personal data, in the portal's mail. The portal's logging setup would pass them
    on, since the root logger takes INFO there."""
    logger = logging.getLogger(LIBRARY_LOGGER)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0: a free port)."""
    return socket.create_server((host, port))
