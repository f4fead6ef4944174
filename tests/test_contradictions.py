"""Contradictions across documents (issue 20): `check` names both documents, a recorded
disagreement is acknowledged and `check --strict` passes on it, an outdated topic statement
is a warning; the shipped catalogue passes `check --strict`."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from dashboard.catalogue import contradictions, data_files
from dashboard.catalogue.models import Catalogue
from dashboard.catalogue.validate import load_catalogue, validate_path
from tests.cli_runner import run_dashboard
from tests.contradiction_project import fixture_data, write_project

REPO = Path(__file__).resolve().parent.parent


def warnings_of(path: Path) -> dict[str, list]:
    result = validate_path(path)
    assert result.ok, [str(p) for p in result.errors]
    out: dict[str, list] = {}
    for p in result.warnings:
        out.setdefault(p.type, []).append(p)
    return out


def test_each_contradiction_warns_at_the_newer_figure_naming_both_documents(tmp_path):
    found = warnings_of(write_project(tmp_path))
    assert sorted(found) == [
        "bound-contradicted",
        "cumulative-falls",
        "same-number-other-meaning",
        "statement-outdated",
    ]
    (falls,) = found["cumulative-falls"]
    assert falls.path == "indicators[0].observations[2].value"
    assert (
        "falls from more than 3800 项 (2022-05/2024-03-20, 示例科提复〔2024〕19号" in falls.message
    )
    assert "to 2676 项 (../2025-09-10, 示例科建复〔2025〕2号" in falls.message
    (bound,) = found["bound-contradicted"]
    assert bound.path == "indicators[1].observations[1].qualifier"
    assert "nearly 5 亿元" in bound.message and "more than 5 亿元" in bound.message
    assert "示例科提复〔2024〕19号" in bound.message and "示例科建复〔2024〕7号" in bound.message
    (meaning,) = found["same-number-other-meaning"]
    assert meaning.path == "indicators[3].observations[0].value"
    assert meaning.message.startswith("412 项 (../2025-09-10, 示例科建复〔2025〕2号")
    assert "`demo_match_matches`" in meaning.message
    assert "示例科建复〔2024〕7号 `demo_suggestion_2024_7` gives the same number as " in (
        meaning.message
    )
    assert "`demo_match_signed_deals`" in meaning.message
    # Open: the hint says exactly what records it.
    for p in (falls, bound, meaning):
        assert not p.acknowledged
        assert "an `ambiguity: {zh, en}` on this observation that names " in p.hint


def test_a_topic_statement_with_a_newer_figure_warns_naming_both(tmp_path):
    (stale,) = warnings_of(write_project(tmp_path))["statement-outdated"]
    assert stale.path == "topics[0].statements[0].figures.d2024"
    assert stale.message.startswith(
        "statement 1 of topic `innomatch` says {d2024} from `demo_match_demands` for "
        "2022-05/2024-03-20 (`demo_reply_2024_19`), but the catalogue has a newer figure"
    )
    assert "newer figure: 2676 项 for ../2025-09-10 from 示例科建复〔2025〕2号" in stale.message
    assert 'period "../2025-09-10"' in stale.hint
    updated = warnings_of(write_project(tmp_path, statement_updated=True))
    assert "statement-outdated" not in updated


def test_a_statement_naming_an_older_and_the_newest_figure_is_current(tmp_path):
    # "grew from {old} to {new}": the older figure beside the newest is not outdated.
    data = fixture_data()
    data["indicators"][0]["observations"].pop()  # no 2025 figure: 2024 is the newest
    found = warnings_of(write_project(tmp_path, data=data))
    assert "statement-outdated" not in found


def test_recorded_disagreements_are_acknowledged(tmp_path):
    found = warnings_of(write_project(tmp_path, acknowledged=True, statement_updated=True))
    assert sorted(found) == ["bound-contradicted", "cumulative-falls", "same-number-other-meaning"]
    for (p,) in found.values():
        assert p.acknowledged and not p.is_open
        assert "recorded ambiguity: " in p.message
        assert p.hint == (
            "the disagreement is recorded: keep the `ambiguity` while the documents disagree"
        )


def test_an_ambiguity_that_does_not_name_the_other_document_acknowledges_nothing(tmp_path):
    data = fixture_data()
    data["indicators"][0]["observations"][2]["ambiguity"] = {
        "zh": "累计起始时间未说明。",
        "en": "The start of the total is not stated.",
    }
    (falls,) = warnings_of(write_project(tmp_path, data=data))["cumulative-falls"]
    assert not falls.acknowledged
    assert "recorded ambiguity" not in falls.message


def test_strict_fails_on_open_warnings_and_passes_on_acknowledged_ones(tmp_path):
    open_dir, done_dir, stale_dir = (tmp_path / n for n in ("open", "done", "stale"))
    for d in (open_dir, done_dir, stale_dir):
        d.mkdir()
    write_project(open_dir)
    write_project(done_dir, acknowledged=True, statement_updated=True)
    write_project(stale_dir, acknowledged=True)  # the statement is still outdated
    failed = run_dashboard("check", "--strict", "indicators.yaml", cwd=open_dir)
    assert failed.returncode == 1
    assert failed.stderr.strip() == "indicators.yaml: 4 problems"
    assert not any(line.startswith(("warning: ", "acknowledged: ")) for line in failed.stdout)

    passed = run_dashboard("check", "--strict", "indicators.yaml", cwd=done_dir)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    *listed, summary = passed.stdout.splitlines()
    assert [line.split("[")[-1] for line in listed] == [
        "cumulative-falls]",
        "bound-contradicted]",
        "same-number-other-meaning]",
    ]
    assert all(line.startswith("acknowledged: indicators.yaml:") for line in listed)
    assert summary.endswith("; 3 acknowledged (recorded as ambiguities)")

    # Not --strict: the acknowledged are listed, the open ones counted as warnings.
    lenient = run_dashboard("check", "indicators.yaml", cwd=stale_dir)
    assert lenient.returncode == 0
    lines = lenient.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == ["warning"] + ["acknowledged"] * 3
    assert lines[-1].endswith(
        "; 1 warning (check --strict fails on them); 3 acknowledged (recorded as ambiguities)"
    )
    stale = run_dashboard("check", "--strict", "indicators.yaml", cwd=stale_dir)
    assert stale.returncode == 1
    assert "[statement-outdated]" in stale.stdout.splitlines()[0]


def test_the_shipped_catalogue_passes_strict_with_its_recorded_disagreement():
    proc = run_dashboard("check", "--strict", cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[0].startswith("acknowledged: indicators.yaml:")
    assert "[bound-contradicted]" in proc.stdout


def test_make_test_runs_check_strict():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    test_target = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "-m dashboard check --strict" in test_target


@pytest.mark.parametrize(
    ("value", "telling"),
    [(412, True), (8, False), (12, False), (300, False), (6600, False), (18.3, True)],
)
def test_only_specific_numbers_are_taken_for_the_same_count(value, telling):
    # 412 twice is telling; 8, 12, 300 or 6600 twice may be chance.
    data = fixture_data()
    for ident in ("demo_match_signed_deals", "demo_match_matches"):
        obs = next(i for i in data["indicators"] if i["id"] == ident)["observations"][0]
        obs["value"] = value
    found = list(contradictions.meanings(Catalogue.model_validate(data)))
    assert [c.kind for c in found] == (["meaning"] if telling else [])


def test_the_index_pairs_each_indicator_with_its_contradictions(tmp_path):
    catalogue = load_catalogue(write_project(tmp_path, acknowledged=True))
    units = data_files.units()
    index = contradictions.index(catalogue, units)
    assert contradictions.index(catalogue, units) is index  # once per catalogue object
    kinds = {ident: sorted(c.kind for c in index.of(ident)) for ident in index.by_indicator}
    assert kinds == {
        "demo_match_demands": ["falls"],
        "demo_match_signed_value": ["bound"],
        "demo_match_signed_deals": ["meaning"],
        "demo_match_matches": ["meaning"],
    }


def test_the_index_lives_as_long_as_its_catalogue():
    # Held weakly: an old catalogue version, once dropped, takes its index with it (at 40x a
    # catalogue is about 190 MiB per process).
    catalogue = Catalogue.model_validate(fixture_data())
    contradictions.index(catalogue, data_files.units())
    key = id(catalogue)
    assert key in contradictions._CACHE
    del catalogue
    gc.collect()
    assert key not in contradictions._CACHE


def _demands_2025_in(unit: str, value: float) -> Catalogue:
    """The fixture with its 2025 demand total stated in `unit` (its indicator counts 项)."""
    data = fixture_data()
    demands = next(i for i in data["indicators"] if i["id"] == "demo_match_demands")
    demands["observations"][2].update(unit=unit, value=value)
    return Catalogue.model_validate(data)


def test_a_figure_in_a_scale_of_its_unit_is_compared_by_the_units_files_factor():
    # 40 百项 is 4,000 项: above the earlier "more than 3,800", so the total does not fall.
    # A unit's written prefix alone says nothing of 百; read as 40 项 it would "fall".
    units = {**data_files.units(), "百项": {"en": "hundred items", "base": "项", "factor": 100}}
    catalogue = _demands_2025_in("百项", 40)
    demands = catalogue.indicators_by_id["demo_match_demands"]
    assert contradictions.value_range(demands.observations[2], demands, units).low == 4000
    assert list(contradictions.falls(catalogue, demands, units)) == []
    # 30 百项 is 3,000: below more than 3,800, a fall between the two documents.
    lower = _demands_2025_in("百项", 30)
    found = list(contradictions.falls(lower, lower.indicators_by_id["demo_match_demands"], units))
    assert [(c.earlier.index, c.later.index) for c in found] == [(1, 2)]


def test_a_figure_in_an_unlisted_unit_is_never_compared_in_a_guessed_scale():
    catalogue = _demands_2025_in("百项", 40)  # 百项 is not in data/units.yaml
    demands = catalogue.indicators_by_id["demo_match_demands"]
    with pytest.raises(ValueError, match="different bases"):
        contradictions.value_range(demands.observations[2], demands, data_files.units())
    assert list(contradictions.falls(catalogue, demands, data_files.units())) == []
