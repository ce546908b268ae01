"""schemathesis against intake's OpenAPI, over real HTTP to a real ``cmehub run intake``:
whatever it sends, intake never answers with a server error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.support.process import HubProcess, hub_process

URN = "100000"


@pytest.fixture(scope="module")
def intake(amqp_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    folder = tmp_path_factory.mktemp("fuzz")
    with hub_process(
        amqp_url,
        f"sqlite+aiosqlite:///{folder / 'data'}",
        folder,
        CMEHUB_INTAKE_PUBLIC_RATE="1000000/1",
    ) as hub:
        hub.start("intake")
        yield hub


@pytest.fixture(scope="module")
def auth(intake: HubProcess) -> dict[str, str]:
    """A key for school 100000 that is also an officer's, so every route gets past auth."""
    added = intake.cli(
        "principals",
        "add",
        f"school:{URN}",
        "--name",
        "Fuzz School",
        "--scope",
        f"school:{URN}",
        "--scope",
        "officer",
    )
    assert added.returncode == 0, added.stderr
    key = re.search(r"cmeh_[0-9a-f]{16}_\S{43}", added.stdout)
    assert key is not None, added.stdout
    return {"Authorization": f"Bearer {key[0]}"}


def operations(intake: HubProcess) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{intake.url}/openapi.json")
    results: list[Any] = list(schema.include(path_regex=r"^/intake/").get_all_operations())
    return [result.ok() for result in results]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_intake_never_answers_with_a_server_error(
    intake: HubProcess, auth: dict[str, str], mode: GenerationMode
) -> None:
    """Valid and invalid requests, generated from the schema, for every intake operation.

    (schemathesis's own pytest loader, ``from_fixture``, does not run on pytest 9 yet, so each
    operation's strategy is driven with hypothesis directly: the same generation and checks.)"""
    checked: list[str] = []
    statuses: list[int] = []
    for operation in operations(intake):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def call(case: Any) -> None:
            if "urn" in (case.path_parameters or {}):
                case.path_parameters["urn"] = URN  # reach past the 403 into the handlers
            response = case.call_and_validate(
                base_url=intake.url, headers=auth, checks=[not_a_server_error]
            )
            statuses.append(response.status_code)

        call()
        checked.append(operation.label)
    assert len(checked) >= 6, checked
    if mode is GenerationMode.POSITIVE:  # valid requests really reached the handlers
        assert any(200 <= status < 300 for status in statuses), sorted(set(statuses))
