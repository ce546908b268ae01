"""intake service wiring."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from adapters.email_intake.smtp import SmtpReceiver
from cmehub.handling import ServiceContext, ServiceDefinition, Wiring
from services.intake.api import router as api_router
from services.intake.deps import IntakeApi
from services.intake.desk import IntakeDesk
from services.intake.mailbox import MailboxIntake
from services.intake.ratelimit import Rate, TokenBucket
from services.intake.settings import IntakeSettings
from services.intake.web import web_router

SUBSCRIPTIONS: tuple[str, ...] = ()


def build(context: ServiceContext) -> Wiring:
    settings = IntakeSettings()
    limiter = TokenBucket(Rate.parse(settings.public_rate))
    desk = IntakeDesk(context.store)
    lifecycle = []
    if settings.smtp_port is not None:
        mailbox = MailboxIntake(desk)
        lifecycle.append(
            SmtpReceiver(settings.smtp_host, settings.smtp_port, settings.mailbox, mailbox.accept)
        )
    return Wiring(api=IntakeApi(desk, limiter), lifecycle=lifecycle)


def _router() -> APIRouter:
    router = APIRouter()
    router.include_router(api_router)
    router.include_router(web_router)
    return router


SERVICE = ServiceDefinition(
    name="intake",
    subscriptions=SUBSCRIPTIONS,
    build=build,
    migrations=Path(__file__).parent / "migrations",
    router=_router(),
)
