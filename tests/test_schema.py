"""The committed indicators.schema.json is what the models generate now."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard.cli import schema_text

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_committed_schema_is_current():
    committed = (REPO_ROOT / "indicators.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "run: python -m dashboard schema --out indicators.schema.json"
    )


def test_schema_is_stable_and_strict():
    assert schema_text() == schema_text()
    schema = json.loads(schema_text())
    observation = schema["$defs"]["Observation"]
    assert observation["additionalProperties"] is False
    assert set(observation["required"]) == {"period", "value", "qualifier", "source", "quote"}
    assert observation["properties"]["value"]["type"] == "number"


def test_catalogue_file_points_editors_at_the_schema():
    first = (REPO_ROOT / "indicators.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./indicators.schema.json"
