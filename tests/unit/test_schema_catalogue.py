"""Conventions every message in the catalogue keeps: names, docs, code lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

import pytest

from schemas import v1
from schemas.catalogue import CATALOGUE
from schemas.export import message_schema
from schemas.registry import MessageSpec
from schemas.v1.common import DeletionGround, Gender
from services.catalogue import subscriptions

SERVICES = {"intake", "eligibility", "tracing", "police-notifier", "dfe-exchange", "school-liaison"}
KEBAB = re.compile(r"^[a-z]+(-[a-z]+)*$")
SPECS = CATALOGUE.specs()


def spec_id(spec: MessageSpec) -> str:
    return spec.routing_key


def properties(schema: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    for name, definition in schema.get("$defs", {}).items():
        yield from properties(definition, name)
    for name, prop in schema.get("properties", {}).items():
        yield f"{where or schema.get('title')}.{name}", prop


def test_catalogue_holds_every_v1_model_once() -> None:
    assert len(set(v1.ALL)) == len(v1.ALL) == len(SPECS)
    assert {spec.model for spec in SPECS} == set(v1.ALL)


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_message_type_is_producer_dot_kebab_case_event(spec: MessageSpec) -> None:
    producer, event = spec.type.split(".")
    assert producer in SERVICES
    assert KEBAB.match(event), event
    assert spec.version == 1


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_message_docstring_starts_with_a_one_sentence_summary(spec: MessageSpec) -> None:
    assert spec.summary.endswith("."), spec.summary
    assert len(spec.summary) <= 100


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_every_payload_field_is_described(spec: MessageSpec) -> None:
    undescribed = [
        name
        for name, prop in properties(message_schema(spec))
        if "description" not in prop and not name.endswith(".payload")
    ]
    assert undescribed == []


def code_lists() -> list[type[StrEnum]]:
    return sorted(
        {
            cls
            for module in (
                v1.common,
                v1.intake,
                v1.eligibility,
                v1.tracing,
                v1.police_notifier,
                v1.dfe_exchange,
                v1.school_liaison,
            )
            for cls in vars(module).values()
            if isinstance(cls, type) and issubclass(cls, StrEnum) and cls is not StrEnum
        },
        key=lambda cls: cls.__name__,
    )


@pytest.mark.parametrize("code_list", code_lists(), ids=lambda cls: cls.__name__)
def test_code_lists_are_described_and_kebab_case(code_list: type[StrEnum]) -> None:
    assert code_list.__doc__
    if code_list in (DeletionGround, Gender):  # reg 9(1) letters; CTF codes
        return
    assert [m.value for m in code_list if not KEBAB.match(m.value)] == []


def test_default_subscriptions_name_only_catalogue_types_and_known_services() -> None:
    assert set(subscriptions()) <= SERVICES
    subscribed = {t for types in subscriptions().values() for t in types}
    assert subscribed <= set(CATALOGUE.types())
