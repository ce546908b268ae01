"""The README's demo, run as a newcomer would: ``cmehub run``, then ``cmehub demo``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.police.force_config import DEVELOPMENT_SECRET
from tests.support.police import one_force_env
from tests.support.process import HubProcess, free_port, hub_process


@pytest.fixture
def police_port() -> int:
    return free_port()


@pytest.fixture
def hub(amqp_url: str, tmp_path: Path, police_port: int) -> Iterator[HubProcess]:
    with hub_process(
        amqp_url,
        f"sqlite+aiosqlite:///{tmp_path / 'data'}",
        tmp_path,
        **one_force_env(f"http://127.0.0.1:{police_port}/alerts", DEVELOPMENT_SECRET),
    ) as process:
        process.start()
        yield process


def test_demo_shows_decisions_cases_and_the_police_alert_being_acknowledged_and_cancelled(
    hub: HubProcess, police_port: int
) -> None:
    demo = subprocess.run(
        [
            sys.executable,
            "-m",
            "cmehub",
            "demo",
            "--hub-url",
            hub.url,
            "--police-port",
            str(police_port),
        ],
        env=hub.env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    out = demo.stdout
    assert "missing education (age: compulsory-school-age)" in out
    assert "not missing education: On roll at URN 100001" in out
    assert "urgent police alert requested (risk high)" in out
    assert "cheshire police acknowledged (ref CHE-" in out
    assert "case closed: back-in-school" in out
    assert "alert cancelled with cheshire police (back-in-school)" in out
    assert "received 1 alert(s), 1 cancellation(s), 0 duplicate(s)" in out
