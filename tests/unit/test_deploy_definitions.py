"""The committed RabbitMQ definitions: current, quorum everywhere, least privilege per user.

RabbitMQ matches a permission's regular expression against a resource name unanchored (Erlang
``re:run``), so the checks below use ``re.search`` the same way.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.broker.topology import Topology
from cmehub.settings import HubSettings
from cmehub.topology import hub_topology
from cmehub.topology_export import (
    DEFAULT_EXCHANGE,
    HASHING_ALGORITHM,
    MissingPassword,
    broker_users,
    export_definitions,
    password_hash,
    password_variable,
    rabbitmq_definitions,
)
from schemas.catalogue import CATALOGUE
from services.catalogue import ALL_SERVICES

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "deploy" / "rabbitmq" / "definitions.json"
REGENERATE = "run `cmehub topology export --out deploy/rabbitmq/definitions.json`"


def default_topology() -> Topology:
    """The topology of a hub with default settings (no environment, no .env file)."""
    return hub_topology(HubSettings.model_construct(), ALL_SERVICES)


@pytest.fixture(scope="module")
def definitions() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(COMMITTED.read_text(encoding="utf-8"))
    return document


def permissions_of(definitions: dict[str, Any], user: str) -> dict[str, str]:
    (entry,) = [p for p in definitions["permissions"] if p["user"] == user]
    return {kind: entry[kind] for kind in ("configure", "write", "read")}


def topic_write_of(definitions: dict[str, Any], user: str) -> str:
    (entry,) = [p for p in definitions["topic_permissions"] if p["user"] == user]
    return str(entry["write"])


def allows(regex: str, resource: str) -> bool:
    return re.search(regex, resource) is not None


def consuming_services() -> list[str]:
    return default_topology().service_names()


def queue_names(definitions: dict[str, Any]) -> list[str]:
    return [queue["name"] for queue in definitions["queues"]]


def anchored(regex: str) -> bool:
    """``^...$`` with no alternative outside parentheses (``^a|b$`` is not anchored)."""
    if not (regex.startswith("^") and regex.endswith("$")):
        return False
    depth, escaped = 0, False
    for char in regex[1:-1]:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return False
    return depth == 0


def every_regex(definitions: dict[str, Any]) -> Iterator[str]:
    for entry in definitions["permissions"]:
        yield from (entry["configure"], entry["write"], entry["read"])
    for entry in definitions["topic_permissions"]:
        yield from (entry["write"], entry["read"])


def test_committed_definitions_match_the_code() -> None:
    current = export_definitions(default_topology(), CATALOGUE)
    assert COMMITTED.read_text(encoding="utf-8") == current, REGENERATE


def test_committed_definitions_hold_no_password(definitions: dict[str, Any]) -> None:
    assert all(set(user) == {"name", "tags"} for user in definitions["users"])


def test_queues_and_bindings_are_exactly_the_hub_topology(definitions: dict[str, Any]) -> None:
    topology = default_topology()
    assert {q["name"]: q["arguments"] for q in definitions["queues"]} == {
        spec.name: dict(spec.arguments) for spec in topology.queues()
    }
    assert {(b["destination"], b["routing_key"]) for b in definitions["bindings"]} == {
        (b.queue, b.routing_key) for b in topology.bindings()
    }
    assert all(b["source"] == topology.exchange for b in definitions["bindings"])


def test_the_events_exchange_is_a_durable_topic_exchange(definitions: dict[str, Any]) -> None:
    (exchange,) = definitions["exchanges"]
    assert exchange["name"] == "cmehub.events"
    assert (exchange["type"], exchange["durable"], exchange["auto_delete"]) == (
        "topic",
        True,
        False,
    )


def test_every_queue_is_a_durable_quorum_queue_and_the_event_log_a_stream(
    definitions: dict[str, Any],
) -> None:
    for queue in definitions["queues"]:
        assert queue["durable"] is True, queue["name"]
        expected = "stream" if queue["name"] == "cmehub.event-log" else "quorum"
        assert queue["arguments"]["x-queue-type"] == expected, queue["name"]


def test_the_event_log_keeps_every_catalogued_event_type_for_a_bounded_time(
    definitions: dict[str, Any],
) -> None:
    [log] = [q for q in definitions["queues"] if q["name"] == "cmehub.event-log"]
    assert log["arguments"]["x-max-age"] == "90D"
    bound = {b["routing_key"] for b in definitions["bindings"] if b["destination"] == log["name"]}
    assert bound == {f"{t}.*" for t in CATALOGUE.types()}


def test_every_queue_a_user_can_read_has_an_explicit_delivery_limit(
    definitions: dict[str, Any],
) -> None:
    readers = [entry["read"] for entry in definitions["permissions"]]
    read_queues = [q for q in definitions["queues"] if any(allows(r, q["name"]) for r in readers)]
    assert read_queues
    for queue in read_queues:
        limit = queue["arguments"].get("x-delivery-limit")
        assert isinstance(limit, int), queue["name"]
        assert limit > 0, queue["name"]


def test_retry_queues_are_read_by_no_user_and_expire_back_into_their_main_queue(
    definitions: dict[str, Any],
) -> None:
    readers = [entry["read"] for entry in definitions["permissions"]]
    for queue in definitions["queues"]:
        main, _, delay = queue["name"].partition(".retry.")
        if not delay:
            continue
        assert not any(allows(r, queue["name"]) for r in readers), queue["name"]
        assert queue["arguments"]["x-dead-letter-routing-key"] == main
        assert queue["arguments"]["x-message-ttl"] == int(delay.removesuffix("ms"))


def test_every_permission_is_an_anchored_regular_expression(definitions: dict[str, Any]) -> None:
    for regex in every_regex(definitions):
        re.compile(regex)
        assert anchored(regex), regex


@pytest.mark.parametrize("service", [d.name for d in ALL_SERVICES])
def test_each_service_user_can_publish_to_the_events_exchange(
    definitions: dict[str, Any], service: str
) -> None:
    assert allows(permissions_of(definitions, f"cmehub-{service}")["write"], "cmehub.events")


@pytest.mark.parametrize("service", [d.name for d in ALL_SERVICES])
def test_each_service_user_publishes_only_its_own_routing_keys(
    definitions: dict[str, Any], service: str
) -> None:
    topic_write = topic_write_of(definitions, f"cmehub-{service}")
    for spec in CATALOGUE.specs():
        assert allows(topic_write, spec.routing_key) == (spec.producer == service), spec.type
    assert not allows(topic_write, f"{service}.anything-else.v1")


@pytest.mark.parametrize("service", [d.name for d in ALL_SERVICES])
def test_no_service_user_can_configure_any_queue_or_the_exchange(
    definitions: dict[str, Any], service: str
) -> None:
    configure = permissions_of(definitions, f"cmehub-{service}")["configure"]
    for resource in [*queue_names(definitions), "cmehub.events", DEFAULT_EXCHANGE]:
        assert not allows(configure, resource), resource


@pytest.mark.parametrize("service", [d.name for d in ALL_SERVICES])
def test_each_service_user_reads_only_its_own_main_queue(
    definitions: dict[str, Any], service: str
) -> None:
    read = permissions_of(definitions, f"cmehub-{service}")["read"]
    readable = [name for name in queue_names(definitions) if allows(read, name)]
    assert readable == ([f"cmehub.{service}"] if service in consuming_services() else [])
    assert not allows(read, "cmehub.events")


@pytest.mark.parametrize("service", [d.name for d in ALL_SERVICES])
def test_only_consumers_may_move_messages_through_the_default_exchange(
    definitions: dict[str, Any], service: str
) -> None:
    write = permissions_of(definitions, f"cmehub-{service}")["write"]
    assert allows(write, DEFAULT_EXCHANGE) == (service in consuming_services())
    assert not any(allows(write, name) for name in ["amq.topic", "amq.direct", "cmehub.other"])


def test_the_operator_reads_every_dead_letter_queue_and_nothing_else(
    definitions: dict[str, Any],
) -> None:
    operator = permissions_of(definitions, "cmehub-operator")
    readable = {name for name in queue_names(definitions) if allows(operator["read"], name)}
    assert readable == {f"cmehub.{service}.dlq" for service in consuming_services()}
    assert allows(operator["write"], DEFAULT_EXCHANGE)
    assert not allows(operator["write"], "cmehub.events")
    assert operator["configure"] == "^$"


def test_the_whole_hub_user_reads_every_main_queue(definitions: dict[str, Any]) -> None:
    hub = permissions_of(definitions, "cmehub-hub")
    readable = {name for name in queue_names(definitions) if allows(hub["read"], name)}
    assert readable == {f"cmehub.{service}" for service in consuming_services()}
    topic_write = topic_write_of(definitions, "cmehub-hub")
    assert all(allows(topic_write, spec.routing_key) for spec in CATALOGUE.specs())


@pytest.mark.parametrize("regex", ["a", "^a", "a$", "^a|b$", "^(a)|(b)$"])
def test_unanchored_permissions_are_recognised(regex: str) -> None:
    assert not anchored(regex)


def test_password_hash_is_rabbitmqs_salted_sha256() -> None:
    # The worked example of RabbitMQ's passwords guide ("Computing Password Hash").
    expected = "kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR"
    assert password_hash("test12", salt=bytes.fromhex("908DC60A")) == expected


def test_passwords_from_the_environment_become_salted_hashes() -> None:
    topology = default_topology()
    users = broker_users(topology, CATALOGUE, admin=True)
    environ = {password_variable(user.role): f"secret-{user.role}" for user in users}
    document = json.loads(export_definitions(topology, CATALOGUE, admin=True, environ=environ))
    for user in document["users"]:
        assert user["hashing_algorithm"] == HASHING_ALGORITHM
        salt = base64.b64decode(user["password_hash"])[:4]
        role = user["name"].removeprefix("cmehub-")
        assert user["password_hash"] == password_hash(f"secret-{role}", salt=salt)
        assert f"secret-{role}" not in json.dumps(user)


def test_a_missing_password_names_its_variable() -> None:
    with pytest.raises(MissingPassword, match="CMEHUB_BROKER_PASSWORD_POLICE_NOTIFIER"):
        export_definitions(default_topology(), CATALOGUE, environ={})


def test_a_hash_for_an_unknown_user_is_refused() -> None:
    with pytest.raises(ValueError, match="nobody"):
        rabbitmq_definitions(default_topology(), CATALOGUE, password_hashes={"nobody": "x"})


def test_the_admin_user_is_only_there_when_asked_for() -> None:
    topology = default_topology()
    assert "admin" not in [user.role for user in broker_users(topology, CATALOGUE)]
    (admin,) = [u for u in broker_users(topology, CATALOGUE, admin=True) if u.role == "admin"]
    assert admin.tags == ("administrator",)
