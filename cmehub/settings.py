"""Hub settings, from environment variables (and a .env file in development)."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.broker.topology import DEFAULT_DELIVERY_LIMIT, DEFAULT_RETRY_DELAYS_MS


class HubSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CMEHUB_", env_file=".env", extra="ignore", populate_by_name=True
    )

    amqp_url: str = Field(
        "amqp://guest:guest@127.0.0.1:5672/",
        validation_alias=AliasChoices("AMQP_URL", "CMEHUB_AMQP_URL"),
        description="RabbitMQ connection URL.",
    )
    database_url: str = Field(
        "sqlite+aiosqlite:///data",
        validation_alias=AliasChoices("DATABASE_URL", "CMEHUB_DATABASE_URL"),
        description="PostgreSQL URL, or an SQLite URL naming the folder for the data files.",
    )
    environment: Literal["development", "test", "production"] = "development"
    namespace: str = Field(
        "cmehub",
        pattern=r"^[a-z][a-z0-9-]{0,40}$",
        description="Prefix of every exchange, queue and database schema.",
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: str = "INFO"
    prefetch: int = Field(16, ge=1, le=1000)
    retry_delays_ms: tuple[int, ...] = DEFAULT_RETRY_DELAYS_MS
    delivery_limit: int = Field(DEFAULT_DELIVERY_LIMIT, ge=2)
    publish_timeout_s: float = 10.0
    publish_window: int = Field(256, ge=1)
    outbox_poll_interval_s: float = 1.0
    timer_poll_interval_s: float = 1.0
    shutdown_grace_s: float = 30.0
    event_log_max_age: str = Field(
        "90D",
        pattern=r"^\d+[YMDhms]$",
        description="How long the event log (a stream of every event) keeps events.",
    )
    declare_topology: bool = Field(
        True,
        description="Declare the whole hub topology at start. False where the broker "
        "definitions (deploy/rabbitmq) are loaded beforehand and each service's broker user may "
        "not configure anything (production): the process then only checks that its exchange "
        "and queues exist.",
    )

    @model_validator(mode="after")
    def _no_placeholder_credentials_in_production(self) -> HubSettings:
        if self.environment == "production" and "guest:guest@" in self.amqp_url:
            raise ValueError("AMQP_URL uses the guest account; production needs its own user")
        return self
