"""docs/adding-a-document.md is tested: its commands exist with the options it uses, its
paths exist, and both worked examples (the invented reply and news item of
tests/fixtures/authoring/, added to a copy of the real catalogue) print what the guide shows
and, with the guide's edits, end in a catalogue that passes `check --strict`."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from dashboard.catalogue.coverage import run_cli as coverage_cli
from dashboard.cli import build_parser
from tests.cli_runner import run_dashboard

REPO = Path(__file__).resolve().parent.parent
GUIDE = (REPO / "docs" / "adding-a-document.md").read_text(encoding="utf-8")
TEXTS = REPO / "tests" / "fixtures" / "authoring"
# Files the walkthroughs themselves create (they are not in the repository).
MADE_BY_THE_WALKTHROUGH = {
    "inbox/reply.txt",
    "inbox/news.txt",
    "data/sources/2025-11-20_hukejianfu-2025-71.txt",
}


def example(name: str) -> str:
    """The fenced block (or table) right after `<!-- example: name -->`."""
    after = GUIDE.split(f"<!-- example: {name} -->\n", 1)[1]
    fenced = re.match(r"```\w*\n(.*?)```", after, flags=re.DOTALL)
    if fenced:
        return fenced.group(1)
    return after.split("\n\n", 1)[0] + "\n"


def command(name: str) -> list[str]:
    """The `.venv/bin/python -m dashboard …` line of the example `name`, as arguments."""
    (line,) = [line for line in example(name).splitlines() if line.startswith(".venv/bin/python")]
    return shlex.split(line)[3:]


def commands() -> list[list[str]]:
    """Every `.venv/bin/python -m dashboard …` line of the guide's sh blocks."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", GUIDE, flags=re.DOTALL):
        for line in block.splitlines():
            if line.startswith(".venv/bin/python -m dashboard "):
                found.append(shlex.split(line)[3:])
    return found


def table(name: str) -> list[list[str]]:
    """The rows of the Markdown table of the example `name`, cells stripped."""
    lines = [line for line in example(name).splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def test_every_command_exists_with_the_options_it_is_given() -> None:
    names = [args[0] for args in commands()]
    assert names == ["add-source"] * 4 + ["draft"] * 2 + ["add-drafts"] * 2 + [
        "check",
        "coverage",
    ]
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
    """The command on the project copy's catalogue (check and coverage take it as their
    argument)."""
    where = (
        ["indicators.yaml"]
        if args[0] in ("check", "coverage")
        else ["--catalogue", "indicators.yaml"]
    )
    return run_dashboard(*args, *where, cwd=cwd)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the real catalogue and data folder, the two texts saved in inbox/."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    shutil.copy(REPO / "indicators.yaml", tmp_path / "indicators.yaml")
    (tmp_path / "inbox").mkdir()
    shutil.copy(TEXTS / "reply_innomatch_update.txt", tmp_path / "inbox" / "reply.txt")
    shutil.copy(TEXTS / "news_subarea_undated.txt", tmp_path / "inbox" / "news.txt")
    return tmp_path


def ok(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = run(args, cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def drafts(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_reply_walkthrough_prints_what_the_guide_shows_and_passes_strict(
    project: Path,
) -> None:
    printed = ok(command("add-source --dry-run"), project).stdout.splitlines()
    for line in example("dry-run output").splitlines():
        assert line in printed, line

    ok(command("add-source"), project)
    catalogue = yaml.safe_load((project / "indicators.yaml").read_text(encoding="utf-8"))
    (shown,) = yaml.safe_load(example("added entry"))
    added = next(s for s in catalogue["sources"] if s["id"] == shown["id"])
    assert added == shown
    assert (project / added["file"]).read_bytes() == (project / "inbox/reply.txt").read_bytes()

    ok(command("draft"), project)
    drafted = drafts(project / "drafts.yaml")
    (one,) = yaml.safe_load(example("a draft"))
    assert one in drafted
    rows = table("the reply's indicators")
    assert len(rows) == len(drafted) == 3
    for (_value, quote, indicator, why), draft in zip(rows, drafted, strict=True):
        assert (draft["quote"], f"`{draft['indicator']}`") == (quote, indicator)
        assert all(part in draft["why"] for part in why.split("; "))

    proc = ok(command("add-drafts dry-run"), project)
    assert "[same-number-other-meaning]" in proc.stdout
    assert proc.stdout.count("[cumulative-falls]") == 2

    ambiguities = yaml.safe_load(example("ambiguities"))
    for draft in drafted:
        if draft["value"] in ambiguities:
            draft["ambiguity"] = ambiguities[draft["value"]]
    (project / "drafts.yaml").write_text(yaml.safe_dump(drafted, allow_unicode=True), "utf-8")
    ok(command("add-drafts"), project)

    strict = command("check")
    assert "--strict" in strict
    proc = run(strict, project)
    assert proc.returncode == 1  # the statements the reply outdates
    assert proc.stdout.count("[statement-outdated]") == 3
    open_warnings = [line for line in proc.stdout.splitlines() if line.startswith("warning:")]
    assert not [line for line in open_warnings if "statement-outdated" not in line]

    text = (project / "indicators.yaml").read_text(encoding="utf-8")
    start = text.index("    statements:\n", text.index("  - id: innomatch\n    headline:"))
    end = text.index("\n  - id: ", start)
    (project / "indicators.yaml").write_text(
        text[:start] + example("statements") + text[end:], encoding="utf-8"
    )
    ok(strict, project)

    assert "0 unaccounted" in ok(command("coverage"), project).stdout


def test_the_news_walkthrough_prints_what_the_guide_shows_and_validates(project: Path) -> None:
    printed = ok(command("add-source --dry-run news"), project).stdout.splitlines()
    for line in example("dry-run output news").splitlines():
        assert line in printed, line
    ok(command("add-source news"), project)
    ok(command("draft news"), project)
    drafted = drafts(project / "news-drafts.yaml")
    rows = table("the news item's drafts")
    assert len(rows) == len(drafted)
    for row, draft in zip(rows, drafted, strict=True):
        value, unit, qualifier, measure, period, quote, why = row
        shown = f"{draft['value']}" + (f" ({draft['fraction']})" if draft.get("fraction") else "")
        based = f" (on {draft['compared_with']})" if draft.get("compared_with") else ""
        assert [value, unit, qualifier, measure, period, quote] == [
            shown,
            draft["unit"],
            draft["qualifier"],
            draft["measure"] + based,
            draft["period"],
            draft["quote"],
        ]
        assert draft["indicator"].startswith("new_") and why in draft["why"]

    # The reviewed file: the guide's new indicator for the share, the rest not kept yet.
    (named,) = yaml.safe_load(example("a new indicator's draft"))
    reviewed = [named] + [dict(d, keep=False) for d in drafted if d["value"] != named["value"]]
    (project / "news-drafts.yaml").write_text(yaml.safe_dump(reviewed, allow_unicode=True), "utf-8")
    ok(["add-drafts", "news-drafts.yaml"], project)
    ok(command("check"), project)
    catalogue = yaml.safe_load((project / "indicators.yaml").read_text(encoding="utf-8"))
    added = next(i for i in catalogue["indicators"] if i["id"] == named["indicator"])
    assert added["observations"][0]["fraction"] == "2/3" and added["topic"] == "industry"


def test_the_measurement_section_names_the_floors_the_test_keeps() -> None:
    from tests.test_authoring_draft import (
        EXISTING_FLOOR,
        INDICATOR_FLOOR,
        QUALIFIER_FLOOR,
        RECALL_FLOOR,
    )

    said = " ".join(GUIDE.split())
    floors = f"{RECALL_FLOOR:.0%} recall and {QUALIFIER_FLOOR:.0%} qualifier agreement"
    assert floors.replace("%", " %") in said
    indicator = f"{INDICATOR_FLOOR:.0%} overall and {EXISTING_FLOOR:.0%} where an existing id"
    assert indicator.replace("%", " %") in said
