"""Source coverage: every mention cited, dismissed by a rule or by a source, or reported."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from dashboard.catalogue.coverage import Status, compute_coverage, format_report, run_cli
from dashboard.catalogue.models import Catalogue

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPORT = "data/sources/report.txt"
UNCITED_LINE = f'{REPORT}:4:43: "…合同额超过 56.7 亿元，其中高校占 8.9%。"'


def _install(tmp_path: Path, fixture: str, edit: Any = None) -> Path:
    """Lay a fixture out as a project: <tmp>/indicators.yaml and <tmp>/data/sources/report.txt."""
    sources = tmp_path / "data" / "sources"
    sources.mkdir(parents=True)
    shutil.copy(FIXTURES / "coverage_sources" / "report.txt", sources / "report.txt")
    for name in ("units.yaml", "i18n.yaml"):
        shutil.copy(REPO / "data" / name, tmp_path / "data" / name)
    target = tmp_path / "indicators.yaml"
    if edit is None:
        shutil.copy(FIXTURES / fixture, target)
    else:
        data = yaml.safe_load((FIXTURES / fixture).read_text(encoding="utf-8"))
        edit(data)
        target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def _coverage(tmp_path: Path, fixture: str, edit: Any = None) -> dict[str, tuple[str, str | None]]:
    """mention text@line:col -> (status, by) for the fixture report."""
    path = _install(tmp_path, fixture, edit)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    coverage = compute_coverage(Catalogue.model_validate(data), tmp_path)
    return {
        f"{m.mention.text}@{m.line}:{m.col}": (m.status.value, m.by)
        for m in coverage["example_report"].mentions
    }


COMPLETE = {
    "〔2024〕7号@2:4": ("dismissed", "dismissal_rules.document_numbers"),
    "一@3:1": ("dismissed", "dismissal_rules.section_numbering"),
    "2023@4:1": ("cited", "indicators.contracts_value.observations[0]"),
    "1234@4:16": ("cited", "indicators.contracts_value.observations[0]"),
    "56.7 亿@4:29": ("cited", "indicators.universities_share.observations[0]"),
    "8.9%@4:43": ("cited", "indicators.universities_share.observations[0]"),
    "2022@5:1": ("cited", "events.platform_launch"),
    "3@5:8": ("cited", "events.platform_launch"),
    "15@5:12": ("cited", "events.platform_launch"),
    "63580013@6:6": ("dismissed", "sources.example_report.dismissed[0]"),
    "2024@7:1": ("dismissed", "dismissal_rules.dates"),
    "6@7:8": ("dismissed", "dismissal_rules.dates"),
    "1@7:12": ("dismissed", "dismissal_rules.dates"),
}


def test_complete_fixture_accounts_for_every_mention(tmp_path: Path):
    assert _coverage(tmp_path, "coverage_complete.yaml") == COMPLETE


def test_uncited_number_is_unaccounted(tmp_path: Path):
    expected = dict(COMPLETE)
    expected["56.7 亿@4:29"] = ("cited", "indicators.contracts_value.observations[0]")
    expected["8.9%@4:43"] = ("unaccounted", None)
    assert _coverage(tmp_path, "coverage_uncited.yaml") == expected


def test_without_rules_their_mentions_are_unaccounted(tmp_path: Path):
    def drop_rules(data: dict) -> None:
        data["dismissal_rules"] = []

    result = _coverage(tmp_path, "coverage_complete.yaml", drop_rules)
    unaccounted = sorted(k for k, (status, _) in result.items() if status == "unaccounted")
    assert unaccounted == ["1@7:12", "2024@7:1", "6@7:8", "〔2024〕7号@2:4", "一@3:1"]


def test_without_source_dismissal_the_phone_number_is_unaccounted(tmp_path: Path):
    def drop_dismissed(data: dict) -> None:
        data["sources"][0]["dismissed"] = []

    result = _coverage(tmp_path, "coverage_complete.yaml", drop_dismissed)
    assert result["63580013@6:6"] == ("unaccounted", None)
    assert sum(status == "unaccounted" for status, _ in result.values()) == 1


def test_quote_must_contain_the_whole_mention(tmp_path: Path):
    def cut_quote(data: dict) -> None:
        # "56.7" without its 亿: the mention "56.7 亿" is only partly inside the quote.
        data["indicators"][1]["observations"][0]["quote"] = "合同额超过 56.7"
        data["indicators"][2]["observations"][0]["quote"] = "其中高校占 8.9%"

    result = _coverage(tmp_path, "coverage_complete.yaml", cut_quote)
    assert result["56.7 亿@4:29"] == ("unaccounted", None)
    assert result["8.9%@4:43"] == ("cited", "indicators.universities_share.observations[0]")


def test_citation_wins_over_a_rule(tmp_path: Path):
    def rule_everything(data: dict) -> None:
        data["dismissal_rules"].append(
            {"id": "all_digits", "pattern": r"\d+", "reason": {"zh": "测试", "en": "test"}}
        )

    result = _coverage(tmp_path, "coverage_complete.yaml", rule_everything)
    assert result["1234@4:16"] == ("cited", "indicators.contracts_value.observations[0]")
    assert result["63580013@6:6"][0] == "dismissed"


def test_stale_source_dismissal_is_reported(tmp_path: Path):
    def stale(data: dict) -> None:
        data["sources"][0]["dismissed"].append(
            {"quote": "邮政编码：200003", "reason": {"zh": "邮编", "en": "postcode"}}
        )

    path = _install(tmp_path, "coverage_complete.yaml", stale)
    catalogue = Catalogue.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    coverage = compute_coverage(catalogue, tmp_path)["example_report"]
    assert coverage.stale_dismissals == (
        "sources.example_report.dismissed[1]: quote '邮政编码：200003' is not in "
        "data/sources/report.txt",
    )
    assert "warning: " + coverage.stale_dismissals[0] in format_report({"x": coverage})


def test_dismissal_reason_is_kept(tmp_path: Path):
    path = _install(tmp_path, "coverage_complete.yaml")
    catalogue = Catalogue.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    mentions = compute_coverage(catalogue, tmp_path)["example_report"].mentions
    phone = next(m for m in mentions if m.mention.text == "63580013")
    assert (phone.status, phone.reason.en if phone.reason else None) == (
        Status.dismissed,
        "contact details",
    )
    assert phone.context == "联系电话：63580013"


# ---- the command ------------------------------------------------------------------------


def test_cli_complete_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = _install(tmp_path, "coverage_complete.yaml")
    assert run_cli([str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"example_report ({REPORT}): 13 mentions: 7 cited / 6 dismissed / 0 unaccounted",
        "total: 13 mentions: 7 cited / 6 dismissed / 0 unaccounted",
    ]


def test_cli_uncited_exits_1_and_points_at_the_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = _install(tmp_path, "coverage_uncited.yaml")
    assert run_cli([str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"example_report ({REPORT}): 13 mentions: 6 cited / 6 dismissed / 1 unaccounted",
        UNCITED_LINE,
        "total: 13 mentions: 6 cited / 6 dismissed / 1 unaccounted",
    ]


def test_cli_source_filter(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = _install(tmp_path, "coverage_uncited.yaml")
    assert run_cli(["--source", "example_report", str(path)]) == 1
    assert UNCITED_LINE in capsys.readouterr().out.splitlines()


def test_cli_unknown_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = _install(tmp_path, "coverage_complete.yaml")
    assert run_cli(["--source", "nope", str(path)]) == 2
    assert capsys.readouterr().err == "unknown source id 'nope' (hint: one of example_report)\n"


def test_cli_invalid_catalogue_prints_problems_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    def break_it(data: dict) -> None:
        data["sources"][0]["colour"] = "blue"

    path = _install(tmp_path, "coverage_complete.yaml", break_it)
    assert run_cli([str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "colour" in captured.err
    assert "Traceback" not in captured.err
    assert captured.err.splitlines()[-1] == (
        f"{path}: not checked for coverage: the catalogue is invalid"
    )


def test_real_catalogue_accounts_for_every_number(capsys: pytest.CaptureFixture[str]):
    status = run_cli([str(REPO / "indicators.yaml")])
    out = capsys.readouterr().out
    assert status == 0, out


def test_source_dismissal_made_useless_by_a_citation_is_reported(tmp_path: Path):
    def cite_phone(data: dict) -> None:
        data["events"].append(
            {
                "id": "hotline",
                "date": "2024-06-01",
                "title": {"zh": "热线", "en": "Hotline"},
                "short": {"zh": "热线", "en": "Hotline"},
                "source": "example_report",
                "quote": "联系电话：63580013",
            }
        )

    path = _install(tmp_path, "coverage_complete.yaml", cite_phone)
    catalogue = Catalogue.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    coverage = compute_coverage(catalogue, tmp_path)["example_report"]
    assert coverage.stale_dismissals == (
        "sources.example_report.dismissed[0]: quote '联系电话：63580013' dismisses nothing "
        "(its numbers are cited or absent)",
    )
