"""intake service wiring."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from cmehub.handling import ServiceContext, ServiceDefinition, Wiring
from services.intake.api import router as api_router
from services.intake.deps import IntakeApi
from services.intake.desk import IntakeDesk
from services.intake.ratelimit import Rate, TokenBucket
from services.intake.settings import IntakeSettings
from services.intake.web import web_router

SUBSCRIPTIONS: tuple[str, ...] = ()


def build(context: ServiceContext) -> Wiring:
    settings = IntakeSettings()
    limiter = TokenBucket(Rate.parse(settings.public_rate))
    return Wiring(api=IntakeApi(IntakeDesk(context.store), limiter))


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
