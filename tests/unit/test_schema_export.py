"""export() writes deterministic JSON Schema files and refuses to change a published one."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from schemas.catalogue import CATALOGUE
from schemas.export import (
    FrozenSchemaError,
    export,
    message_schema,
    published_dir,
    schema_path,
)
from schemas.registry import MessageSpec
from services.catalogue import subscriptions

SUBSCRIPTIONS = subscriptions()

ROLL_OFF = CATALOGUE.spec("intake.roll-off-notified", 1)


def test_export_writes_a_schema_per_message_and_the_asyncapi_document(tmp_path: Path) -> None:
    written = export(CATALOGUE, SUBSCRIPTIONS, tmp_path)
    expected = {schema_path(tmp_path, spec) for spec in CATALOGUE.specs()}
    assert set(written) == expected | {tmp_path / "asyncapi.json"}
    assert all(path.is_file() for path in written)
    assert (tmp_path / "intake.roll-off-notified" / "v1.schema.json").is_file()


def test_export_output_is_canonical_json(tmp_path: Path) -> None:
    for path in export(CATALOGUE, SUBSCRIPTIONS, tmp_path):
        text = path.read_text(encoding="utf-8")
        assert (
            text
            == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        )


def test_export_is_deterministic(tmp_path: Path) -> None:
    first = {p: p.read_bytes() for p in export(CATALOGUE, SUBSCRIPTIONS, tmp_path / "a")}
    second = export(CATALOGUE, SUBSCRIPTIONS, tmp_path / "b")
    assert [p.read_bytes() for p in second] == list(first.values())


def test_export_refuses_to_change_a_published_schema(tmp_path: Path) -> None:
    export(CATALOGUE, SUBSCRIPTIONS, tmp_path)
    frozen = schema_path(tmp_path, ROLL_OFF)
    frozen.write_text('{"edited": true}\n', encoding="utf-8")
    with pytest.raises(FrozenSchemaError) as caught:
        export(CATALOGUE, SUBSCRIPTIONS, tmp_path)
    assert str(caught.value).startswith(
        "published schema for intake.roll-off-notified v1 changed: "
        "publish a new version instead of editing"
    )
    assert frozen.read_text(encoding="utf-8") == '{"edited": true}\n'


def test_export_may_replace_a_schema_when_told_to(tmp_path: Path) -> None:
    export(CATALOGUE, SUBSCRIPTIONS, tmp_path)
    frozen = schema_path(tmp_path, ROLL_OFF)
    frozen.write_text("{}\n", encoding="utf-8")
    export(CATALOGUE, SUBSCRIPTIONS, tmp_path, replace_frozen=True)
    assert json.loads(frozen.read_text(encoding="utf-8")) == message_schema(ROLL_OFF)


def test_message_schema_identifies_and_pins_its_message() -> None:
    schema = message_schema(ROLL_OFF)
    assert schema["$id"] == "urn:cmehub:message:intake.roll-off-notified:v1"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "intake.roll-off-notified v1"
    assert "deletion return" in schema["description"]
    properties = schema["properties"]
    assert properties["type"]["const"] == "intake.roll-off-notified"
    assert properties["version"]["const"] == 1
    assert properties["producer"]["const"] == "intake"
    assert properties["payload"] == {"$ref": "#/$defs/RollOffNotified"}


@pytest.mark.parametrize("spec", CATALOGUE.specs(), ids=lambda spec: spec.routing_key)
def test_message_schema_is_a_valid_json_schema_2020_12(spec: MessageSpec) -> None:
    jsonschema.Draft202012Validator.check_schema(message_schema(spec))


def test_published_dir_is_schemas_published() -> None:
    assert published_dir() == Path(__file__).resolve().parents[2] / "schemas" / "published"
