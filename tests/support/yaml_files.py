"""Reading the deploy YAML files (compose, Kubernetes) with PyYAML's safe loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_yaml_documents(text: str) -> list[Any]:
    return [document for document in yaml.safe_load_all(text) if document is not None]
