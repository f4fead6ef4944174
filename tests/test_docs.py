"""The docs are tested: README's commands are what CI runs, and the format guide's examples
agree with the real catalogue (ids, files, hashes, quotes), so they cannot drift from it."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
GUIDE = (REPO / "docs" / "catalogue-format.md").read_text(encoding="utf-8")
CATALOGUE = yaml.safe_load((REPO / "indicators.yaml").read_text(encoding="utf-8"))
PLACEHOLDER = "…"


def _blocks(markdown: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", markdown, flags=re.DOTALL)


def _make_targets() -> set[str]:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):", makefile, flags=re.MULTILINE))


def test_readme_commands_are_make_targets_and_ci_runs_the_test_one() -> None:
    commands = re.findall(r"^make (\w+)", _blocks(README, "sh")[0], flags=re.MULTILINE)
    assert commands == ["run", "test"]
    assert set(commands) <= _make_targets()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert [line for line in ci.splitlines() if line.startswith("make")] == ["make test"]


def test_readme_paths_and_links_exist() -> None:
    for path in re.findall(r"\| `([\w./-]+/?)`", README):
        assert (REPO / path).exists(), path
    for link in re.findall(r"\]\(([\w./-]+)\)", README):
        assert (REPO / link).exists(), link


def test_readme_example_link_names_a_real_indicator() -> None:
    ids = {i["id"] for i in CATALOGUE["indicators"]}
    for ident in re.findall(r"indicator=([a-z0-9_]+)", README):
        assert ident in ids, ident


def _examples() -> list[Any]:
    return [yaml.safe_load(textwrap.dedent(block)) for block in _blocks(GUIDE, "yaml")]


def _same(example: Any, real: Any, where: str, out: list[str]) -> None:
    """Every concrete value of the example equals the catalogue's ("…" stands for anything)."""
    if isinstance(example, str) and PLACEHOLDER in example:
        return
    if isinstance(example, dict) and isinstance(real, dict):
        for key, value in example.items():
            if key not in real:
                out.append(f"{where}.{key}: not in the catalogue's entry")
            else:
                _same(value, real[key], f"{where}.{key}", out)
    elif isinstance(example, list) and isinstance(real, list):
        if example and all(isinstance(e, dict) and "period" in e for e in example):
            for item in example:
                match = [
                    r
                    for r in real
                    if (r["period"], r["source"]) == (item["period"], item["source"])
                ]
                if not match:
                    out.append(f"{where}: no observation {item['period']} from {item['source']}")
                else:
                    _same(item, match[0], f"{where}[{item['period']}]", out)
        elif example != real and not any(PLACEHOLDER in str(e) for e in example):
            out.append(f"{where}: {example!r} != {real!r}")
    elif example != real:
        out.append(f"{where}: {example!r} != {real!r}")


@pytest.mark.parametrize("section", ["sources", "indicators", "events"])
def test_format_guide_examples_are_real_catalogue_entries(section: str) -> None:
    real = {item["id"]: item for item in CATALOGUE[section]}
    shown = [item for ex in _examples() if isinstance(ex, dict) for item in ex.get(section) or []]
    assert shown, f"the guide has no {section} example"
    problems: list[str] = []
    for item in shown:
        if item["id"] == PLACEHOLDER:
            continue
        assert item["id"] in real, f"{section} example {item['id']} is not in indicators.yaml"
        _same(item, real[item["id"]], f"{section}.{item['id']}", problems)
    assert problems == []


def test_format_guide_observation_examples_are_real_observations() -> None:
    fragments = [ex for ex in _examples() if isinstance(ex, list)]
    assert any("derived" in item for f in fragments for item in f), "no derived example"
    observations = [o for i in CATALOGUE["indicators"] for o in i["observations"]]
    for fragment in fragments:
        for item in fragment:
            same = [o for o in observations if bool(o.get("derived")) == ("derived" in item)
                    and o["period"] == item["period"] and o["value"] == item["value"]
                    and o["source"] == item.get("source", o["source"])]  # fmt: skip
            assert same, item
            problems: list[str] = []
            _same(item, same[0], "observation example", problems)
            assert problems == []


def test_readme_layout_table_names_every_package_folder() -> None:
    named = set(re.findall(r"\| `([\w./-]+/?)`", README))
    folders = {
        f"{p.relative_to(REPO)}/"
        for p in (REPO / "dashboard").iterdir()
        if p.is_dir() and (p / "__init__.py").exists()
    }
    assert folders <= named, folders - named


def test_architecture_map_names_every_folder_of_the_package() -> None:
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(dashboard/[\w/]+/)`", text))
    folders = {
        f"{p.relative_to(REPO)}/"
        for p in (REPO / "dashboard").rglob("*")
        if p.is_dir() and (p / "__init__.py").exists()
    }
    assert folders == named, folders ^ named
    for module in re.findall(r"`([a-z_]+\.py)`", text):
        assert list((REPO / "dashboard").rglob(module)) or (REPO / module).exists(), module
