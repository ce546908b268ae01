"""tracing service wiring."""

from __future__ import annotations

from pathlib import Path

from cmehub.handling import Handler, ServiceContext, ServiceDefinition, Wiring
from services.tracing.api import router
from services.tracing.desk import CaseDesk
from services.tracing.handlers import ALERT_STATUS, CaseHandlers
from services.tracing.settings import TracingSettings
from services.tracing.workflow import DEADLINE, Tracing

EXCHANGE_EVENTS = (
    "dfe-exchange.transfer-sent",
    "dfe-exchange.transfer-acknowledged",
    "dfe-exchange.lost-pupil-uploaded",
)
SUBSCRIPTIONS = (
    "eligibility.cme-identified",
    "eligibility.not-cme",
    "eligibility.back-on-roll",
    "school-liaison.roll-query-answered",
    *EXCHANGE_EVENTS,
    *ALERT_STATUS,
)


def build(context: ServiceContext) -> Wiring:
    settings = TracingSettings()
    tracing = Tracing(settings, settings.calendar())
    handlers = CaseHandlers(tracing)
    on_message: dict[str, Handler] = {
        "eligibility.cme-identified": handlers.on_cme_identified,
        "eligibility.not-cme": handlers.on_not_cme,
        "eligibility.back-on-roll": handlers.on_back_on_roll,
        "school-liaison.roll-query-answered": handlers.on_roll_query_answered,
    }
    on_message |= dict.fromkeys(EXCHANGE_EVENTS, handlers.on_exchange_event)
    on_message |= dict.fromkeys(ALERT_STATUS, handlers.on_alert_event)
    return Wiring(
        handlers=on_message,
        timers={DEADLINE: handlers.on_deadline},
        api=CaseDesk(context.store, tracing),
    )


SERVICE = ServiceDefinition(
    name="tracing",
    subscriptions=SUBSCRIPTIONS,
    build=build,
    migrations=Path(__file__).parent / "migrations",
    router=router,
)
