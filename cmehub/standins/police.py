"""A stand-in police force endpoint: what a force's alert API would look like to the hub.

``POST /alerts`` takes alerts, updates and cancellations (by the body's ``type``). It
verifies the hub's signature (401 if bad), dedupes by ``Idempotency-Key`` (a retried
delivery is a *duplicate*, answered as the first time), tells a re-sent alert (same
``alert_id``, new revision) from a new one, records everything (``GET /received``), and
acknowledges according to its mode, switchable at runtime (``POST /control``):

- ``response``: 202 ``{"acknowledged": true, "police_reference": "CHE-<n>"}``;
- ``callback``: 202 ``{"acknowledged": false}``, then a signed POST to the hub's
  acknowledgement URL after a short delay;
- ``silent``: 202 ``{"acknowledged": false}`` and nothing more;
- ``down``: 503 for everything.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

import httpx
import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from adapters.police.force_config import DEVELOPMENT_SECRET
from adapters.police.messages import decode
from adapters.webhooks.signing import SignatureError, sign, verify
from cmehub.standins.serving import serve_in_loop

log = structlog.get_logger(__name__)
ACK_PATH = "/police-notifier/alerts/{alert_id}/acknowledgement"
REFERENCE_PREFIX = "CHE"
"""The stand-in's police references: CHE-1, CHE-2, ..."""


class Mode(StrEnum):
    RESPONSE = "response"
    CALLBACK = "callback"
    SILENT = "silent"
    DOWN = "down"


class Kind(StrEnum):
    """How the stand-in filed a request."""

    ALERT = "alert"
    RESEND = "resend"
    UPDATE = "update"
    CANCELLATION = "cancellation"
    DUPLICATE = "duplicate"
    REJECTED_SIGNATURE = "rejected-signature"
    MALFORMED = "malformed"
    REFUSED_WHILE_DOWN = "refused-while-down"


@dataclass(frozen=True)
class Received:
    kind: Kind
    status: int
    alert_id: str | None = None
    idempotency_key: str | None = None
    revision: int | None = None
    body: dict[str, Any] | None = None
    received_at: float = field(default_factory=time.time)


class Control(BaseModel):
    mode: Mode


class PoliceStandin:
    """The stand-in's state and its FastAPI app."""

    def __init__(
        self,
        secrets: Sequence[bytes] = (DEVELOPMENT_SECRET,),
        *,
        mode: Mode = Mode.RESPONSE,
        hub_url: str = "http://127.0.0.1:8000",
        callback_delay_s: float = 0.2,
    ) -> None:
        self.secrets = tuple(secrets)
        self.mode = mode
        self.hub_url = hub_url.rstrip("/")
        self.callback_delay_s = callback_delay_s
        self.received: list[Received] = []
        self.callbacks: list[int | str] = []
        self._answers: dict[str, tuple[int, dict[str, Any]]] = {}
        self._references: dict[str, str] = {}
        self._changed = asyncio.Condition()
        self._tasks: set[asyncio.Task[None]] = set()
        self.app = self._build_app()

    def counts(self) -> dict[str, int]:
        counts = {kind.value: 0 for kind in Kind}
        for item in self.received:
            counts[item.kind.value] += 1
        counts["callbacks"] = len(self.callbacks)
        return counts

    def of_kind(self, kind: Kind | str) -> list[Received]:
        return [item for item in self.received if item.kind == kind]

    async def wait_for(
        self, *, count: int = 1, kind: Kind | str, within_s: float = 15.0
    ) -> list[Received]:
        """Wait until ``count`` requests of ``kind`` were received; return them."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(self.of_kind(kind)) >= count), within_s
            )
        return self.of_kind(kind)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def receive(self, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        """File one request and answer it (the logic behind ``POST /alerts``)."""
        headers = {name.lower(): value for name, value in headers.items()}
        if self.mode is Mode.DOWN:
            return await self._file(Received(Kind.REFUSED_WHILE_DOWN, 503), {"error": "down"})
        try:
            verify(self.secrets, headers, body, now=time.time())
        except SignatureError as error:
            return await self._file(Received(Kind.REJECTED_SIGNATURE, 401), {"error": str(error)})
        key = headers.get("idempotency-key")
        try:
            message = decode(body)
        except ValidationError:
            return await self._file(Received(Kind.MALFORMED, 400), {"error": "not a message"})
        if not key:
            return await self._file(Received(Kind.MALFORMED, 400), {"error": "no Idempotency-Key"})
        alert_id = str(message.alert_id)
        if key in self._answers:
            status, answer = self._answers[key]
            return await self._file(
                Received(Kind.DUPLICATE, status, alert_id, key, message.revision), answer
            )
        kind = self._kind(message.type, alert_id)
        status, answer = 202, self._answer(kind, alert_id)
        self._answers[key] = (status, answer)
        return await self._file(
            Received(kind, status, alert_id, key, message.revision, json.loads(body)), answer
        )

    def _kind(self, message_type: str, alert_id: str) -> Kind:
        if message_type != "alert":
            return Kind(message_type)
        if alert_id in self._references:
            return Kind.RESEND
        self._references[alert_id] = f"{REFERENCE_PREFIX}-{len(self._references) + 1}"
        return Kind.ALERT

    def _answer(self, kind: Kind, alert_id: str) -> dict[str, Any]:
        if kind not in {Kind.ALERT, Kind.RESEND}:
            return {"received": True}
        reference = self._references[alert_id]
        if self.mode is Mode.RESPONSE:
            return {"acknowledged": True, "police_reference": reference}
        if self.mode is Mode.CALLBACK:
            self._spawn(self._call_back(alert_id, reference))
        return {"acknowledged": False}

    async def _file(self, item: Received, answer: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        async with self._changed:
            self.received.append(item)
            self._changed.notify_all()
        log.info("standin.police_received", kind=item.kind.value, status=item.status)
        return item.status, answer

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _call_back(self, alert_id: str, reference: str) -> None:
        """Acknowledge by a signed POST to the hub, retrying a few times if it fails."""
        await asyncio.sleep(self.callback_delay_s)
        url = self.hub_url + ACK_PATH.format(alert_id=alert_id)
        body = json.dumps({"police_reference": reference, "acknowledged_at": None}).encode()
        async with httpx.AsyncClient(timeout=10) as client:
            for _attempt in range(5):
                headers = {"Content-Type": "application/json"}
                headers.update(sign(self.secrets[0], body, now=time.time()))
                result = await _post(client, url, body, headers)
                async with self._changed:
                    self.callbacks.append(result)
                    self._changed.notify_all()
                if isinstance(result, int) and result < 500:
                    return
                await asyncio.sleep(0.5)

    def _build_app(self) -> FastAPI:
        app = FastAPI(title="Stand-in police force", version="1")

        @app.post("/alerts")
        async def alerts(request: Request) -> JSONResponse:
            """Alerts, updates and cancellations from the hub."""
            status, answer = await self.receive(dict(request.headers), await request.body())
            return JSONResponse(answer, status_code=status)

        @app.get("/received")
        async def received() -> dict[str, Any]:
            """Everything received, and counts by kind."""
            items = [{**asdict(item), "kind": item.kind.value} for item in self.received]
            return {"mode": self.mode.value, "counts": self.counts(), "received": items}

        @app.post("/control")
        async def control(change: Control) -> dict[str, str]:
            """Switch the mode: response, callback, silent or down."""
            self.mode = change.mode
            return {"mode": self.mode.value}

        return app


async def _post(
    client: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str]
) -> int | str:
    try:
        response = await client.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        return type(error).__name__
    return response.status_code


@dataclass
class RunningStandin:
    """A stand-in being served: ``url`` (base), ``endpoint`` (its alerts URL)."""

    standin: PoliceStandin
    url: str

    @property
    def endpoint(self) -> str:
        return f"{self.url}/alerts"

    @property
    def received(self) -> list[Received]:
        return self.standin.received

    def counts(self) -> dict[str, int]:
        return self.standin.counts()

    @property
    def callbacks(self) -> list[int | str]:
        """Results of its callback acknowledgements: HTTP statuses, or error names."""
        return self.standin.callbacks

    def set_mode(self, mode: Mode | str) -> None:
        self.standin.mode = Mode(mode)

    def call_back_to(self, hub_url: str) -> None:
        """Where callback acknowledgements go (the hub's base URL)."""
        self.standin.hub_url = hub_url.rstrip("/")

    async def wait_for(
        self, *, count: int = 1, kind: Kind | str, within_s: float = 15.0
    ) -> list[Received]:
        return await self.standin.wait_for(count=count, kind=kind, within_s=within_s)


@asynccontextmanager
async def running_police_standin(
    secrets: Sequence[bytes] = (DEVELOPMENT_SECRET,),
    *,
    mode: Mode | str = Mode.RESPONSE,
    hub_url: str = "http://127.0.0.1:8000",
    port: int = 0,
    callback_delay_s: float = 0.2,
) -> AsyncIterator[RunningStandin]:
    """Serve a stand-in police endpoint on loopback in the current event loop."""
    standin = PoliceStandin(
        secrets, mode=Mode(mode), hub_url=hub_url, callback_delay_s=callback_delay_s
    )
    try:
        async with serve_in_loop(standin.app, port=port) as url:
            yield RunningStandin(standin, url)
    finally:
        with contextlib.suppress(Exception):
            await standin.close()
