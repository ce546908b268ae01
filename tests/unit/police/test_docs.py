"""docs/police-integration.md stays true: its examples parse, its worked signature example is
what the hub computes, and its Python snippet verifies what the hub signs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from adapters.police.force_config import parse_force_table
from adapters.police.messages import decode
from adapters.webhooks.signing import sign

GUIDE = (Path(__file__).parents[3] / "docs" / "police-integration.md").read_text()
SECRET = b"example-secret-do-not-use-0123456789abcdef"
BODY = b'{"police_reference":"CHE-1042","acknowledged_at":"2026-12-01T09:41:00Z"}'
TIMESTAMP = 1796117400


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE, re.DOTALL)


def snippet() -> Any:
    namespace: dict[str, Any] = {}
    exec(blocks("python")[0], namespace)  # the guide's own code, as integrators will paste it
    return namespace["verify_cmehub_signature"]


def test_worked_example_is_what_the_hub_computes() -> None:
    headers = sign(SECRET, BODY, now=TIMESTAMP)
    assert headers["X-CMEHub-Signature"] in GUIDE
    assert f"| timestamp | `{TIMESTAMP}`" in GUIDE
    assert f"| body | `{BODY.decode()}` |" in GUIDE
    assert f"| secret | `{SECRET.decode()}` |" in GUIDE


def test_guide_snippet_verifies_the_hubs_signatures_and_refuses_bad_ones() -> None:
    verify = snippet()
    headers = {k.lower(): v for k, v in sign(SECRET, BODY, now=TIMESTAMP).items()}
    assert verify([b"other", SECRET], headers, BODY, now=TIMESTAMP + 10)
    assert not verify([SECRET], headers, BODY + b" ", now=TIMESTAMP)
    assert not verify([b"other"], headers, BODY, now=TIMESTAMP)
    assert not verify([SECRET], headers, BODY, now=TIMESTAMP + 301)
    assert not verify([SECRET], {}, BODY, now=TIMESTAMP)


@pytest.mark.parametrize("kind", ["alert", "update", "cancellation"])
def test_example_messages_are_valid_messages(kind: str) -> None:
    examples = [json.loads(b) for b in blocks("json") if f'"type": "{kind}"' in b]
    assert examples
    for example in examples:
        assert decode(json.dumps(example).encode()).type == kind


def test_example_force_table_loads() -> None:
    [table] = [b for b in blocks("json") if '"forces"' in b]
    environ = {
        "CMEHUB_POLICE_SECRET_CHESHIRE": "c" * 32,
        "CMEHUB_POLICE_SECRET_CHESHIRE_OLD": "o" * 32,
        "CMEHUB_POLICE_SECRET_GMP": "g" * 32,
    }
    assert set(parse_force_table(table, environ).forces) == {"cheshire", "greater-manchester"}
