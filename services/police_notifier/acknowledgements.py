"""A force's signed callback acknowledging an alert: verified with the secrets of the force
the alert went to, refused if stale or replayed, applied once.

Everything happens in one transaction, so a refused acknowledgement changes nothing. A
signature is remembered (``used_signatures``) for twice the signature window and then
pruned: by then the timestamp it carries is refused as stale anyway.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete

from adapters.police.forces import ForceTable
from adapters.store.unit_of_work import Store, Transaction, dialect_insert
from adapters.webhooks.signing import SignatureError, SignatureProblem, Verified, verify
from schemas.types import UtcDatetime
from schemas.v1.common import ShortText
from services.police_notifier import records, transitions
from services.police_notifier.records import Alert
from services.police_notifier.tables import used_signatures


class AcknowledgementRequest(BaseModel):
    """What a force sends to acknowledge an alert (both fields optional)."""

    model_config = ConfigDict(extra="ignore")

    police_reference: ShortText | None = Field(
        default=None, description="The force's incident or log number.", examples=["CHE-1042"]
    )
    acknowledged_at: UtcDatetime | None = Field(
        default=None, description="When the force acknowledged (default: when received)."
    )


@dataclass(frozen=True)
class AcknowledgementReceipt:
    alert_id: uuid.UUID
    result: str
    """``acknowledged``; ``already-acknowledged``; ``not-active`` (cancelled or failed)."""


class UnknownAlert(LookupError):
    pass


class Replayed(Exception):
    """This exact signed request was used before."""


class AcknowledgementDesk:
    def __init__(
        self,
        store: Store,
        forces: ForceTable,
        *,
        window_s: float,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._forces = forces
        self._window_s = window_s
        self._wall_clock = wall_clock

    async def acknowledge(
        self, alert_id: uuid.UUID, headers: Mapping[str, str], body: bytes
    ) -> AcknowledgementReceipt:
        """Raises SignatureError (401), UnknownAlert (404), Replayed (409) or a pydantic
        ValidationError (422) for a body that is not an acknowledgement."""
        async with self._store.transaction() as tx:
            await tx.lock(records.alert_lock(alert_id))
            alert = await records.find(tx, alert_id)
            verified = self._verify(alert, headers, body)
            if alert is None:
                raise UnknownAlert(f"no alert {alert_id}")
            request = AcknowledgementRequest.model_validate_json(body or b"{}")
            await self._use_once(tx, verified, alert_id)
            result = await _apply(tx, alert, request)
        return AcknowledgementReceipt(alert_id, result)

    def _verify(self, alert: Alert | None, headers: Mapping[str, str], body: bytes) -> Verified:
        """With the alert's force's secrets; for an unknown alert, with any force's, so that
        only a genuine force learns that an alert id does not exist."""
        if alert is None:
            secrets = self._forces.all_secrets()
        else:
            force = self._forces.get(alert.force or "")
            secrets = force.secrets if force is not None else ()
        if not secrets:
            raise SignatureError(SignatureProblem.MISMATCH, "no secret for this alert's force")
        return verify(secrets, headers, body, now=self._wall_clock(), window_s=self._window_s)

    async def _use_once(self, tx: Transaction, verified: Verified, alert_id: uuid.UUID) -> None:
        horizon = int(self._wall_clock() - 2 * self._window_s)
        await tx.session.execute(
            delete(used_signatures).where(used_signatures.c.signed_at < horizon)
        )
        insert = dialect_insert(tx.session, used_signatures)
        result = await tx.session.execute(
            insert.values(
                signature=verified.signature,
                alert_id=alert_id,
                signed_at=verified.timestamp,
                used_at=tx.now(),
            ).on_conflict_do_nothing(index_elements=["signature"])
        )
        if getattr(result, "rowcount", 0) != 1:
            raise Replayed("this signed request was already used; sign each request afresh")


async def _apply(tx: Transaction, alert: Alert, request: AcknowledgementRequest) -> str:
    if alert.acknowledged_at is not None:
        return "already-acknowledged"
    at = request.acknowledged_at or tx.now()
    if await transitions.acknowledge(tx, alert, request.police_reference, at):
        return "acknowledged"
    return "not-active"
