"""deploy/k8s: a probed, locked-down Deployment, a Service and a PodDisruptionBudget per service,
all listed in the kustomization, with credentials only from Secrets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from services.catalogue import ALL_SERVICES
from tests.support.yaml_files import load_yaml, load_yaml_documents

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
SERVICE_NAMES = [service.name for service in ALL_SERVICES]


@pytest.fixture(scope="module")
def resources() -> dict[tuple[str, str], dict[str, Any]]:
    kustomization = load_yaml(K8S / "kustomization.yaml")
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for file in kustomization["resources"]:
        for document in load_yaml_documents((K8S / file).read_text(encoding="utf-8")):
            found[(document["kind"], document["metadata"]["name"])] = document
    return found


def pod_spec(resources: dict[tuple[str, str], dict[str, Any]], service: str) -> dict[str, Any]:
    spec: dict[str, Any] = resources[("Deployment", f"cmehub-{service}")]["spec"]["template"][
        "spec"
    ]
    return spec


def container(resources: dict[tuple[str, str], dict[str, Any]], service: str) -> dict[str, Any]:
    (only,) = pod_spec(resources, service)["containers"]
    assert isinstance(only, dict)
    return only


def test_every_manifest_file_is_in_the_kustomization() -> None:
    listed = set(load_yaml(K8S / "kustomization.yaml")["resources"])
    assert listed == {path.name for path in K8S.glob("*.yaml")} - {"kustomization.yaml"}


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_has_one_replica_running_only_itself(
    resources: dict[tuple[str, str], dict[str, Any]], service: str
) -> None:
    deployment = resources[("Deployment", f"cmehub-{service}")]
    assert deployment["spec"]["replicas"] == 1
    assert container(resources, service)["args"] == ["run", service]


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_is_probed_for_readiness_and_liveness(
    resources: dict[tuple[str, str], dict[str, Any]], service: str
) -> None:
    probes = container(resources, service)
    assert probes["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert probes["livenessProbe"]["httpGet"]["path"] == "/healthz"


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_has_resource_requests_and_limits(
    resources: dict[tuple[str, str], dict[str, Any]], service: str
) -> None:
    limits = container(resources, service)["resources"]
    assert set(limits["requests"]) == {"cpu", "memory"}
    assert set(limits["limits"]) == {"cpu", "memory"}


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_runs_as_non_root_on_a_read_only_root_with_a_tmp_volume(
    resources: dict[tuple[str, str], dict[str, Any]], service: str
) -> None:
    pod = pod_spec(resources, service)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    security = container(resources, service)["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    mounts = {m["mountPath"]: m["name"] for m in container(resources, service)["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]]


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_takes_settings_from_the_config_map_and_credentials_from_its_secret(
    resources: dict[tuple[str, str], dict[str, Any]], service: str
) -> None:
    spec = container(resources, service)
    assert spec["envFrom"] == [{"configMapRef": {"name": "cmehub-config"}}]
    secrets = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in spec["env"]}
    assert secrets == {
        key: {"name": f"cmehub-{service}", "key": key} for key in ("AMQP_URL", "DATABASE_URL")
    }


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_has_a_service_and_a_disruption_budget_selecting_its_pods(
    resources: dict[tuple[str, str], dict[str, Any]], service: str
) -> None:
    deployment = resources[("Deployment", f"cmehub-{service}")]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"] == pod_labels
    assert resources[("Service", f"cmehub-{service}")]["spec"]["selector"] == pod_labels
    budget = resources[("PodDisruptionBudget", f"cmehub-{service}")]["spec"]
    assert budget["selector"]["matchLabels"] == pod_labels


def test_production_settings_refuse_guest_and_leave_declaring_to_the_definitions(
    resources: dict[tuple[str, str], dict[str, Any]],
) -> None:
    data = resources[("ConfigMap", "cmehub-config")]["data"]
    assert data["CMEHUB_ENVIRONMENT"] == "production"
    assert data["CMEHUB_DECLARE_TOPOLOGY"] == "false"
    assert not {"AMQP_URL", "DATABASE_URL"} & set(data)


def test_every_image_is_pinned(resources: dict[tuple[str, str], dict[str, Any]]) -> None:
    for service in SERVICE_NAMES:
        _, _, tag = container(resources, service)["image"].rpartition(":")
        assert tag, service
        assert "/" not in tag, service
        assert tag != "latest", service
