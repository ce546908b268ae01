"""An SMTP receiver for the team's mailbox: each message delivered to it is handed on whole.

The reply tells the sending mail server what happened: 250 with the reference when the message
was recorded, 550 when it can never become a report (the sender gets a bounce saying why),
451 when recording failed for now (the sender's server retries later, so nothing is lost).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from aiosmtpd.smtp import SMTP, Envelope, Session

log = structlog.get_logger(__name__)

MAX_MESSAGE_BYTES = 10 * 1024 * 1024


class Undeliverable(Exception):
    """The message can never become a report (said to the sender in a 550 reply)."""


Accept = Callable[[bytes], Awaitable[str]]
"""Records a raw message; returns its reference, or raises Undeliverable."""


class _Mailbox:
    def __init__(self, address: str, accept: Accept) -> None:
        self._address = address.lower()
        self._accept = accept

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self,
        _server: SMTP,
        _session: Session,
        envelope: Envelope,
        address: str,
        _options: list[str],
    ) -> str:
        if address.lower() != self._address:
            return f"550 5.1.1 <{address}>: no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, _server: SMTP, _session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        try:
            reference = await self._accept(raw)
        except Undeliverable as error:
            return f"550 5.6.0 {str(error)[:200]}"
        except Exception:
            log.exception("mailbox.record_failed")
            return "451 4.3.0 could not record the message now; please try again later"
        return f"250 OK: recorded as {reference}"


class SmtpReceiver:
    def __init__(self, host: str, port: int, mailbox: str, accept: Accept) -> None:
        self._host, self._port = host, port
        self._handler = _Mailbox(mailbox, accept)
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        if self._server is None or not self._server.sockets:
            return self._port
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._protocol, self._host, self._port)
        log.info("mailbox.listening", host=self._host, port=self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def _protocol(self) -> Any:
        return SMTP(
            self._handler,
            data_size_limit=MAX_MESSAGE_BYTES,
            enable_SMTPUTF8=True,
            hostname="cmehub",
            ident="CME Hub mailbox",
        )
