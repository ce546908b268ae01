"""police-notifier service wiring."""

from __future__ import annotations

import os
from pathlib import Path

from adapters.police.client import PoliceClient
from adapters.police.force_config import load_force_table
from adapters.police.forces import ForceTable
from cmehub.handling import Handler, ServiceContext, ServiceDefinition, Wiring
from services.police_notifier.acknowledgements import AcknowledgementDesk
from services.police_notifier.api import router
from services.police_notifier.delivery import DeliveryLoop
from services.police_notifier.deps import PoliceApi
from services.police_notifier.handlers import PoliceNotifier
from services.police_notifier.settings import PoliceSettings
from services.police_notifier.transitions import ACK_TIMEOUT

SUBSCRIPTIONS = (
    "tracing.police-alert-requested",
    "tracing.police-alert-update-requested",
    "tracing.case-closed",
)


def police_notifier(
    settings: PoliceSettings | None = None, forces: ForceTable | None = None
) -> ServiceDefinition:
    """The service; settings and the force table are read from the environment at start
    unless given (tests and demos give their own)."""

    def build(context: ServiceContext) -> Wiring:
        chosen = settings or PoliceSettings()
        table = forces or load_force_table(
            file=chosen.forces_file,
            inline=chosen.forces,
            environ=os.environ,
            production=context.settings.environment == "production",
        )
        loop = DeliveryLoop(
            context.store, table, PoliceClient(timeout_s=chosen.request_timeout_s), chosen
        )
        notifier = PoliceNotifier(table, chosen, wake=loop.wake)
        handlers: dict[str, Handler] = {
            "tracing.police-alert-requested": notifier.on_alert_requested,
            "tracing.police-alert-update-requested": notifier.on_update_requested,
            "tracing.case-closed": notifier.on_case_closed,
        }
        desk = AcknowledgementDesk(context.store, table, window_s=chosen.signature_window_s)
        return Wiring(
            handlers=handlers,
            timers={ACK_TIMEOUT: notifier.on_ack_timeout},
            api=PoliceApi(desk, context.store),
            lifecycle=[loop],
        )

    return ServiceDefinition(
        name="police-notifier",
        subscriptions=SUBSCRIPTIONS,
        build=build,
        migrations=Path(__file__).parent / "migrations",
        router=router,
    )


SERVICE = police_notifier()
