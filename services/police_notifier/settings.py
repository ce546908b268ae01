"""police-notifier's settings (``CMEHUB_POLICE_*``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.v1.common import AlertPriority


class PoliceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CMEHUB_POLICE_", env_file=".env", extra="ignore")

    forces_file: Path | None = Field(
        None, description="JSON force table (see docs/police-integration.md)."
    )
    forces: str | None = Field(
        None, description="The force table as inline JSON (when there is no file)."
    )
    urgent_ack_timeout_s: float = Field(
        900.0,
        gt=0,
        description="An urgent alert not acknowledged this long after sending is "
        "re-sent and reported (alert-failed: not-acknowledged).",
    )
    routine_ack_timeout_s: float = Field(86_400.0, gt=0, description="The same for routine alerts.")
    max_resends: int = Field(
        3, ge=0, description="Re-sends of an unacknowledged alert, one per timeout."
    )
    request_timeout_s: float = Field(10.0, gt=0, description="Timeout of one HTTP delivery.")
    retry_initial_s: float = Field(
        1.0, gt=0, description="First back-off after a transient failure (then doubling)."
    )
    retry_max_s: float = Field(300.0, gt=0, description="Longest back-off between attempts.")
    unreachable_after: int = Field(
        5,
        ge=1,
        description="Failed attempts of one delivery before an officer is told "
        "(alert-failed: unreachable, once); retrying goes on.",
    )
    poll_interval_s: float = Field(
        1.0, gt=0, description="How often the delivery loop looks for due deliveries."
    )
    signature_window_s: float = Field(
        300.0, gt=0, description="Accepted clock difference of signed acknowledgements."
    )

    def ack_timeout_s(self, priority: AlertPriority) -> float:
        if priority is AlertPriority.URGENT:
            return self.urgent_ack_timeout_s
        return self.routine_ack_timeout_s
