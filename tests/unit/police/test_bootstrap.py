"""Starting police-notifier: the force table it is given, or refuses."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.clock import system_clock
from adapters.police.force_config import ForceConfigError
from adapters.store.unit_of_work import Store
from cmehub.handling import ServiceContext
from cmehub.settings import HubSettings
from services.police_notifier.bootstrap import SUBSCRIPTIONS, police_notifier
from services.police_notifier.settings import PoliceSettings
from services.police_notifier.transitions import ACK_TIMEOUT


def context(environment: str) -> ServiceContext:
    settings = HubSettings(
        _env_file=None, environment=environment, amqp_url="amqp://svc:pw@broker:5672/"
    )
    store = Store(create_async_engine("sqlite+aiosqlite://"))  # never connected here
    return ServiceContext("police-notifier", settings, store, system_clock)


def test_production_refuses_to_start_with_the_development_force(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CMEHUB_POLICE_FORCES", raising=False)
    monkeypatch.delenv("CMEHUB_POLICE_FORCES_FILE", raising=False)
    service = police_notifier(PoliceSettings(_env_file=None))
    with pytest.raises(ForceConfigError, match="development default is refused in production"):
        service.build(context("production"))


def test_force_table_and_its_secrets_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = {
        "home": "cheshire",
        "forces": {
            "cheshire": {
                "endpoint": "https://alerts.cheshire.example/cmehub",
                "secret_env": "CMEHUB_POLICE_SECRET_CHESHIRE",
                "postcode_areas": ["CW"],
            }
        },
    }
    monkeypatch.setenv("CMEHUB_POLICE_FORCES", json.dumps(table))
    monkeypatch.delenv("CMEHUB_POLICE_SECRET_CHESHIRE", raising=False)
    with pytest.raises(ForceConfigError, match="CMEHUB_POLICE_SECRET_CHESHIRE is not set"):
        police_notifier().build(context("production"))


async def test_development_starts_with_the_loopback_force_and_its_parts() -> None:
    wiring = police_notifier(PoliceSettings(_env_file=None)).build(context("development"))
    try:
        assert set(wiring.handlers) == set(SUBSCRIPTIONS)
        assert set(wiring.timers) == {ACK_TIMEOUT}
        assert len(wiring.lifecycle) == 1
    finally:
        for part in wiring.lifecycle:
            await part.stop()
