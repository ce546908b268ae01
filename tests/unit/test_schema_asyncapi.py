"""The AsyncAPI document is valid AsyncAPI 3.0.0 and describes the hub's topology."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import jsonschema
import pytest
from pydantic import Field

from schemas.catalogue import CATALOGUE
from schemas.envelope import Payload
from schemas.export import (
    asyncapi_document,
    message_schema,
)
from schemas.registry import Registry, message
from schemas.v1.eligibility import BackOnRoll
from services.catalogue import subscriptions

SUBSCRIPTIONS = subscriptions()

FIXTURE = Path(__file__).parents[1] / "fixtures" / "asyncapi" / "asyncapi-3.0.0.schema.json"
Json = dict[str, Any]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(FIXTURE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def document() -> Json:
    return asyncapi_document(CATALOGUE, SUBSCRIPTIONS)


@message("eligibility.back-on-roll", 2)
class BackOnRollV2(Payload):
    """Test-only v2 of back-on-roll."""

    child_id: UUID = Field(description="Child record.")
    school_urn: str = Field(description="School.")
    admission_date: date = Field(description="Date admitted.")


def refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def resolve(document: Json, ref: str) -> Any:
    assert ref.startswith("#/"), f"{ref} is not a local reference"
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def inline(node: Any, root: Json) -> Any:
    """The schema with every local $ref replaced by what it points to (our schemas are acyclic)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return inline(resolve(root, node["$ref"]), root) | {
                k: inline(v, root) for k, v in node.items() if k != "$ref"
            }
        return {k: inline(v, root) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [inline(item, root) for item in node]
    return node


def test_document_is_valid_asyncapi_3(
    validator: jsonschema.Draft7Validator, document: Json
) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []


def without_asyncapi(doc: Json) -> None:
    del doc["asyncapi"]


def with_version_2(doc: Json) -> None:
    doc["asyncapi"] = "2.6.0"


def with_publish_action(doc: Json) -> None:
    next(iter(doc["operations"].values()))["action"] = "publish"


def with_routing_key_channel_lacking_exchange(doc: Json) -> None:
    del next(iter(doc["channels"].values()))["bindings"]["amqp"]["exchange"]


def with_server_lacking_protocol(doc: Json) -> None:
    del doc["servers"]["rabbitmq"]["protocol"]


@pytest.mark.parametrize(
    "breakage",
    [
        without_asyncapi,
        with_version_2,
        with_publish_action,
        with_routing_key_channel_lacking_exchange,
        with_server_lacking_protocol,
    ],
)
def test_validator_rejects_a_broken_document(
    validator: jsonschema.Draft7Validator, document: Json, breakage: Any
) -> None:
    broken = copy.deepcopy(document)
    breakage(broken)
    assert not validator.is_valid(broken)


def test_every_reference_resolves_inside_the_document(document: Json) -> None:
    for ref in set(refs(document)):
        assert resolve(document, ref) is not None, ref


def test_one_channel_per_message_addressed_by_its_routing_key(document: Json) -> None:
    channels = document["channels"]
    assert sorted(channels) == sorted(spec.routing_key for spec in CATALOGUE.specs())
    for key, channel in channels.items():
        assert channel["address"] == key
        amqp = channel["bindings"]["amqp"]
        assert amqp["is"] == "routingKey"
        exchange = amqp["exchange"]
        assert (exchange["name"], exchange["type"], exchange["durable"]) == (
            "cmehub.events",
            "topic",
            True,
        )


def test_exchange_name_is_a_parameter() -> None:
    doc = asyncapi_document(CATALOGUE, {}, exchange="other.events")
    names = {c["bindings"]["amqp"]["exchange"]["name"] for c in doc["channels"].values()}
    assert names == {"other.events"}


def test_every_message_is_sent_by_its_producer(document: Json) -> None:
    sends = {
        (op["tags"][0]["name"], op["channel"]["$ref"].rsplit("/", 1)[1])
        for op in document["operations"].values()
        if op["action"] == "send"
    }
    assert sends == {(spec.producer, spec.routing_key) for spec in CATALOGUE.specs()}


def test_receive_operations_follow_the_subscriptions(document: Json) -> None:
    receives = {
        (op["tags"][0]["name"], op["channel"]["$ref"].rsplit("/", 1)[1])
        for op in document["operations"].values()
        if op["action"] == "receive"
    }
    expected = {
        (service, f"{type_}.v1") for service, types in SUBSCRIPTIONS.items() for type_ in types
    }
    assert receives == expected


def test_a_subscriber_receives_every_version_of_a_type() -> None:
    registry = Registry([BackOnRoll, BackOnRollV2])
    doc = asyncapi_document(registry, {"tracing": ["eligibility.back-on-roll"]})
    assert sorted(k for k, op in doc["operations"].items() if op["action"] == "receive") == [
        "tracing.receive.eligibility.back-on-roll.v1",
        "tracing.receive.eligibility.back-on-roll.v2",
    ]


def test_subscribing_to_an_unknown_type_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"tracing subscribes to unknown message type 'nope\.x'"):
        asyncapi_document(CATALOGUE, {"tracing": ["nope.x"]})


def test_operation_messages_belong_to_their_channel(document: Json) -> None:
    for operation in document["operations"].values():
        channel_ref = operation["channel"]["$ref"]
        for message_ref in operation["messages"]:
            assert message_ref["$ref"].startswith(channel_ref + "/messages/")


def test_message_payload_is_the_published_envelope_schema(document: Json) -> None:
    for spec in CATALOGUE.specs():
        payload = document["components"]["messages"][spec.routing_key]["payload"]
        published = message_schema(spec)
        expected = {k: v for k, v in inline(published, published).items() if k[0] != "$"}
        assert inline(payload, document) == expected, spec.routing_key


def test_message_summary_is_the_first_line_of_the_model_docstring(document: Json) -> None:
    for spec in CATALOGUE.specs():
        summary = document["components"]["messages"][spec.routing_key]["summary"]
        assert summary == (spec.model.__doc__ or "").strip().splitlines()[0]
