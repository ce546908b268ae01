"""intake's settings."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.intake.ratelimit import DEFAULT_RATE


class IntakeSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CMEHUB_INTAKE_", env_file=".env", extra="ignore", populate_by_name=True
    )

    public_rate: str = Field(
        DEFAULT_RATE,
        validation_alias=AliasChoices("CMEHUB_INTAKE_PUBLIC_RATE", "CMEHUB_PUBLIC_FORM_RATE"),
        description="Public reports allowed per client: reports/seconds, e.g. 10/600.",
    )
    smtp_port: int | None = Field(
        None, description="Port of the SMTP receiver for the team's mailbox (off when unset)."
    )
    smtp_host: str = Field("127.0.0.1", description="Address the SMTP receiver listens on.")
    mailbox: str = Field(
        "cme@localhost", description="The team's address: mail to it becomes a concern."
    )
