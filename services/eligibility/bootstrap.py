"""eligibility service wiring."""

from __future__ import annotations

from pathlib import Path

from cmehub.handling import ServiceContext, ServiceDefinition, Wiring
from services.eligibility.handlers import Eligibility
from services.eligibility.settings import EligibilitySettings

REFERRALS = (
    "intake.roll-off-notified",
    "intake.concern-reported",
    "dfe-exchange.transfer-received",
    "tracing.sibling-referred",
)
SUBSCRIPTIONS = (*REFERRALS, "intake.admission-notified")


def build(_context: ServiceContext) -> Wiring:
    eligibility = Eligibility(EligibilitySettings().age_rule)
    handlers = dict.fromkeys(REFERRALS, eligibility.on_referral)
    handlers["intake.admission-notified"] = eligibility.on_admission
    return Wiring(handlers=handlers)


SERVICE = ServiceDefinition(
    name="eligibility",
    subscriptions=SUBSCRIPTIONS,
    build=build,
    migrations=Path(__file__).parent / "migrations",
)
