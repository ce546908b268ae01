"""docker-compose.yml: every service in a healthy-checked container, its own broker user, no
secret in the file, pinned images. (No Docker here: the file is read, never run.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cmehub.settings import HubSettings
from cmehub.topology import hub_topology
from cmehub.topology_export import broker_users, password_variable
from schemas.catalogue import CATALOGUE
from services.catalogue import ALL_SERVICES
from tests.support.yaml_files import load_yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICE_NAMES = [service.name for service in ALL_SERVICES]
HUB_CONTAINERS = [*SERVICE_NAMES, "hub"]
INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+):\?[^}]+\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = load_yaml(ROOT / "docker-compose.yml")
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = compose["services"]
    return found


def test_every_hub_service_runs_alone_in_its_own_container(services: dict[str, Any]) -> None:
    for name in SERVICE_NAMES:
        assert services[name]["command"] == ["run", name]
        assert services[name].get("profiles") is None, f"{name} must start by default"


def test_the_whole_hub_variant_runs_every_service_behind_a_profile(
    services: dict[str, Any],
) -> None:
    assert services["hub"]["command"] == ["run"]
    assert services["hub"]["profiles"] == ["hub"]


def test_hub_containers_publish_distinct_local_ports(services: dict[str, Any]) -> None:
    published = {name: services[name]["ports"] for name in SERVICE_NAMES}
    assert sorted(port for ports in published.values() for port in ports) == [
        f"127.0.0.1:{8001 + i}:8000" for i in range(len(SERVICE_NAMES))
    ]


def test_every_long_running_container_has_a_healthcheck(services: dict[str, Any]) -> None:
    for name, service in services.items():
        if service.get("restart") == "no":
            continue
        assert service["healthcheck"]["test"][0] == "CMD", name


def test_hub_containers_report_readiness_not_just_liveness(services: dict[str, Any]) -> None:
    for name in HUB_CONTAINERS:
        assert "/readyz" in services[name]["healthcheck"]["test"][-1], name


def test_hub_containers_wait_for_a_healthy_broker_and_database(
    services: dict[str, Any],
) -> None:
    for name in HUB_CONTAINERS:
        depends_on = services[name]["depends_on"]
        for dependency in ("rabbitmq", "postgres"):
            assert depends_on[dependency] == {"condition": "service_healthy"}, name


def test_each_hub_container_connects_as_its_own_broker_user(services: dict[str, Any]) -> None:
    for name in HUB_CONTAINERS:
        url = services[name]["environment"]["AMQP_URL"]
        role = name.upper().replace("-", "_")
        assert url.startswith(f"amqp://cmehub-{name}:${{CMEHUB_BROKER_PASSWORD_{role}:?")
        assert url.endswith("@rabbitmq:5672/")


def test_hub_containers_do_not_declare_the_topology(services: dict[str, Any]) -> None:
    for name in HUB_CONTAINERS:
        assert services[name]["environment"]["CMEHUB_DECLARE_TOPOLOGY"] == "false"


def test_the_broker_loads_definitions_with_every_users_password(
    services: dict[str, Any],
) -> None:
    generator = services["broker-definitions"]
    assert generator["command"][:3] == ["topology", "export", "--passwords-from-env"]
    topology = hub_topology(HubSettings.model_construct(), ALL_SERVICES)
    needed = {password_variable(u.role) for u in broker_users(topology, CATALOGUE, admin=True)}
    assert set(generator["environment"]) == needed
    out = Path(generator["command"][generator["command"].index("--out") + 1])
    (volume,) = generator["volumes"]
    volume_name, mount = volume.split(":")
    assert out.parent == Path(mount)
    broker = services["rabbitmq"]
    assert broker["depends_on"]["broker-definitions"] == {
        "condition": "service_completed_successfully"
    }
    (broker_mount,) = [v.split(":")[1] for v in broker["volumes"] if v.startswith(volume_name)]
    conf = (ROOT / "deploy" / "compose" / "rabbitmq.conf").read_text(encoding="utf-8")
    assert f"load_definitions = {broker_mount}/{out.name}" in conf


def test_no_secret_is_written_into_the_compose_file() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for line in text.splitlines():
        if re.search(r"PASSWORD|[a-z+]+://[^\s/]*@", line):
            assert INTERPOLATION.search(line), f"secret without ${{VAR:?}}: {line.strip()}"


def test_make_env_provides_every_variable_the_compose_file_needs() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    needed = set(INTERPOLATION.findall(text))
    script = (ROOT / "deploy" / "compose" / "make-env").read_text(encoding="utf-8")
    (roles,) = re.findall(r"for role in ([A-Z_ ]+); do", script)
    provided = {f"CMEHUB_BROKER_PASSWORD_{role}" for role in roles.split()} | {"POSTGRES_PASSWORD"}
    assert needed == provided


def test_every_image_is_pinned(services: dict[str, Any]) -> None:
    for name, service in services.items():
        image = service["image"]
        repository, _, tag = image.rpartition(":")
        assert repository, f"{name}: {image} has no tag"
        assert "/" not in tag, f"{name}: {image} has no tag"
        assert tag != "latest", f"{name}: {image}"
