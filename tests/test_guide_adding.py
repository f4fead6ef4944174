"""docs/adding-a-document.md is tested: its commands exist with the options it uses, its
paths exist, and its worked example (re-adding 沪科建复〔2025〕36号 to the catalogue as it was
before) prints what the guide shows and yields the catalogue's real entry."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dashboard.catalogue.coverage import run_cli as coverage_cli
from dashboard.cli import build_parser
from tests.authoring_project import project_without

REPO = Path(__file__).resolve().parent.parent
GUIDE = (REPO / "docs" / "adding-a-document.md").read_text(encoding="utf-8")
SOURCE = "hukejianfu_2025_36"
# Files the walkthrough itself creates (they are not in the repository).
MADE_BY_THE_WALKTHROUGH = {"inbox/reply.txt", "data/sources/2025-06-25_hukejianfu-2025-36.txt"}


def example(name: str) -> str:
    """The fenced block (or table) right after `<!-- example: name -->`."""
    after = GUIDE.split(f"<!-- example: {name} -->\n", 1)[1]
    fenced = re.match(r"```\w*\n(.*?)```", after, flags=re.DOTALL)
    if fenced:
        return fenced.group(1)
    return after.split("\n\n", 1)[0] + "\n"


def commands() -> list[list[str]]:
    """Every `.venv/bin/python -m dashboard …` line of the guide's sh blocks."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", GUIDE, flags=re.DOTALL):
        for line in block.splitlines():
            if line.startswith(".venv/bin/python -m dashboard "):
                found.append(shlex.split(line)[3:])
    return found


def test_every_command_exists_with_the_options_it_is_given() -> None:
    names = [args[0] for args in commands()]
    assert names == ["add-source", "add-source", "draft", "check", "coverage"]
    for args in commands():
        if args[0] == "coverage":
            with pytest.raises(SystemExit) as exit:  # parses, then --help exits 0
                coverage_cli([*args[1:], "--help"])
            assert exit.value.code == 0
        else:
            build_parser().parse_args(args)  # an unknown option exits 2


def test_paths_and_links_exist() -> None:
    for path in re.findall(r"`((?:data|docs|dashboard|app_pages|tests|inbox)/[\w./<>-]+)`", GUIDE):
        if "<" in path or path in MADE_BY_THE_WALKTHROUGH:
            continue
        assert (REPO / path).exists(), path
    for link in re.findall(r"\]\(([\w./-]+\.md)\)", GUIDE):
        assert (REPO / "docs" / link).exists(), link


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command on the project copy's catalogue (check takes it as its argument)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    where = ["indicators.yaml"] if args[0] == "check" else ["--catalogue", "indicators.yaml"]
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", *args, *where],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def test_the_worked_example_prints_what_the_guide_shows(tmp_path: Path) -> None:
    text, real = project_without(SOURCE, tmp_path)
    dry_run, add, draft = commands()[:3]

    proc = run(dry_run, tmp_path)
    assert proc.returncode == 0, proc.stderr
    printed = proc.stdout.splitlines()
    for line in example("dry-run output").splitlines():
        assert line in printed, line

    proc = run(add, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    catalogue = yaml.safe_load((tmp_path / "indicators.yaml").read_text(encoding="utf-8"))
    added = next(s for s in catalogue["sources"] if s["id"] == SOURCE)
    (shown,) = yaml.safe_load(example("added entry"))
    assert added == shown
    assert (tmp_path / added["file"]).read_bytes() == text.read_bytes()
    # The command reproduces the curated entry, all but the file name and the notes and
    # dismissals written by hand.
    assert {k: v for k, v in real.items() if k not in ("file", "notes", "dismissed")} == {
        k: v for k, v in added.items() if k != "file"
    }
    check = run(["check"], tmp_path)
    assert check.returncode == 0, check.stdout

    out = draft[draft.index("--out") + 1]
    proc = run(draft, tmp_path)
    assert proc.returncode == 0, proc.stderr
    drafts = yaml.safe_load((tmp_path / out).read_text(encoding="utf-8"))
    assert len(drafts) == 16 and "one of the sixteen" in GUIDE.lower()
    (one,) = yaml.safe_load(example("a draft"))
    assert one in drafts


def test_the_measurement_section_names_the_floors_the_test_keeps() -> None:
    from tests.test_authoring_draft import QUALIFIER_FLOOR, RECALL_FLOOR

    said = " ".join(GUIDE.split())
    floors = f"{RECALL_FLOOR:.0%} recall and {QUALIFIER_FLOOR:.0%} qualifier agreement"
    assert floors.replace("%", " %") in said
