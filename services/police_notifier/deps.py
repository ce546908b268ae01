"""FastAPI dependencies of police-notifier's routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from adapters.store.unit_of_work import Store
from cmehub.deps import service_api
from services.police_notifier.acknowledgements import AcknowledgementDesk


@dataclass(frozen=True)
class PoliceApi:
    """What police-notifier's routes need at request time (its ``Wiring.api``)."""

    acknowledgements: AcknowledgementDesk
    store: Store


def police_api(request: Request) -> PoliceApi:
    api: PoliceApi = service_api(request, "police-notifier")
    return api


def get_acknowledgements(request: Request) -> AcknowledgementDesk:
    return police_api(request).acknowledgements


def get_store(request: Request) -> Store:
    return police_api(request).store


Acknowledgements = Annotated[AcknowledgementDesk, Depends(get_acknowledgements)]
PoliceStore = Annotated[Store, Depends(get_store)]
