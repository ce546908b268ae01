"""The committed schemas in schemas/published are frozen and match the catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemas.catalogue import CATALOGUE
from schemas.export import (
    asyncapi_document,
    message_schema,
    published_dir,
    schema_path,
)
from schemas.registry import MessageSpec
from services.catalogue import subscriptions

EXPORT_COMMAND = "run `cmehub schemas export schemas/published`"


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("spec", CATALOGUE.specs(), ids=lambda spec: spec.routing_key)
def test_published_schema_of_every_message_is_unchanged(spec: MessageSpec) -> None:
    path = schema_path(published_dir(), spec)
    assert path.is_file(), f"no published schema for {spec.type} v{spec.version}: {EXPORT_COMMAND}"
    assert read_json(path) == message_schema(spec), (
        f"published schema for {spec.type} v{spec.version} changed: "
        "publish a new version instead of editing"
    )


def test_every_published_schema_still_has_its_model() -> None:
    registered = {schema_path(published_dir(), spec) for spec in CATALOGUE.specs()}
    for path in published_dir().glob("*/v*.schema.json"):
        assert path in registered, (
            f"published schema {path.parent.name} {path.name} has no model in the catalogue: "
            "a published version is never removed"
        )


def test_published_asyncapi_document_is_up_to_date() -> None:
    path = published_dir() / "asyncapi.json"
    assert path.is_file(), f"no published AsyncAPI document: {EXPORT_COMMAND}"
    expected = asyncapi_document(CATALOGUE, subscriptions())
    assert read_json(path) == expected, f"asyncapi.json is out of date: {EXPORT_COMMAND}"
