"""One broken fixture per validator rule, each with the exact location it must report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.catalogue.formula import FormulaError, evaluate_formula
from dashboard.catalogue.validate import validate_path

FIXTURES = Path(__file__).parent / "fixtures"

RULES = [
    pytest.param(
        "statement_slots",
        [(101, 37, "topics[0].statements[0].text.en", "statement-slots")],
        id="statement_slots",
    ),
    pytest.param(
        "topic_mismatch",
        [(99, 33, "topics[0].headline[1]", "topic-mismatch")],
        id="topic_mismatch",
    ),
    pytest.param(
        "series_break_first",
        [(41, 23, "indicators[0].observations[1].series_break", "series-break-first")],
        id="series_break_first",
    ),
    pytest.param(
        "growth_of_measure",
        [(67, 16, "indicators[2].growth_of", "growth-of-measure")],
        id="growth_of_measure",
    ),
    pytest.param(
        "compared_with_not_earlier",
        [(55, 24, "indicators[1].observations[0].compared_with", "compared-with-not-earlier")],
        id="compared_with_not_earlier",
    ),
    pytest.param(
        "bad_id",
        [(76, 9, "indicators[3].id", "invalid-value")],
        id="bad_id",
    ),
    pytest.param(
        "bad_period",
        [(31, 17, "indicators[0].observations[0].period", "invalid-period")],
        id="bad_period",
    ),
    pytest.param(
        "boolean_for_text",
        [(10, 16, "sources[0].reference", "wrong-type")],
        id="boolean_for_text",
    ),
    pytest.param(
        "date_for_text",
        [(10, 16, "sources[0].reference", "wrong-type")],
        id="date_for_text",
    ),
    pytest.param(
        "derived_mismatch",
        [(37, 16, "indicators[0].observations[1].value", "derived-mismatch")],
        id="derived_mismatch",
    ),
    pytest.param(
        "derived_qualifier",
        [(38, 20, "indicators[0].observations[1].qualifier", "derived-qualifier")],
        id="derived_qualifier",
    ),
    pytest.param(
        "dismissal_not_found",
        [(19, 16, "sources[0].dismissed[0].quote", "dismissal-not-found")],
        id="dismissal_not_found",
    ),
    pytest.param(
        "duplicate_id",
        [(76, 9, "indicators[3].id", "duplicate-id")],
        id="duplicate_id",
    ),
    pytest.param(
        "duplicate_observation",
        [(89, 17, "indicators[3].observations[1].period", "duplicate-observation")],
        id="duplicate_observation",
    ),
    pytest.param(
        "event_after_source",
        [
            (91, 11, "events[0].date", "event-after-source"),
            (91, 11, "events[0].date", "event-date-not-in-quote"),
        ],
        id="event_after_source",
    ),
    pytest.param(
        "event_date_not_in_quote",
        [(91, 11, "events[0].date", "event-date-not-in-quote")],
        id="event_date_not_in_quote",
    ),
    pytest.param(
        "hash_mismatch",
        [(6, 13, "sources[0].sha256", "hash-mismatch")],
        id="hash_mismatch",
    ),
    pytest.param(
        "invalid_formula",
        [(42, 20, "indicators[0].observations[1].derived.formula", "invalid-formula")],
        id="invalid_formula",
    ),
    pytest.param(
        "invalid_qualifier",
        [(33, 20, "indicators[0].observations[0].qualifier", "invalid-value")],
        id="invalid_qualifier",
    ),
    pytest.param(
        "missing_compared_with",
        [(54, 9, "indicators[1].observations[0]", "missing-compared-with")],
        id="missing_compared_with",
    ),
    pytest.param(
        "missing_key",
        [(22, 5, "indicators[0].unit", "missing-key")],
        id="missing_key",
    ),
    pytest.param(
        "negative_value",
        [
            (85, 16, "indicators[3].observations[0].value", "negative-value"),
            (85, 16, "indicators[3].observations[0].value", "value-not-in-quote"),
        ],
        id="negative_value",
    ),
    pytest.param(
        "nonfinite_value",
        [(72, 16, "indicators[2].observations[0].value", "invalid-value")],
        id="nonfinite_value",
    ),
    pytest.param(
        "period_after_source",
        [(84, 17, "indicators[3].observations[0].period", "period-after-source")],
        id="period_after_source",
    ),
    pytest.param(
        "period_form",
        [(71, 17, "indicators[2].observations[0].period", "period-form-mismatch")],
        id="period_form",
    ),
    pytest.param(
        "qualifier_mismatch",
        [(73, 20, "indicators[2].observations[0].qualifier", "qualifier-mismatch")],
        id="qualifier_mismatch",
    ),
    pytest.param(
        "quote_not_found",
        [(35, 16, "indicators[0].observations[0].quote", "quote-not-found")],
        id="quote_not_found",
    ),
    pytest.param(
        "rank_form",
        [(95, 11, "indicators[4].unit", "rank-form")],
        id="rank_form",
    ),
    pytest.param(
        "signed_date_not_in_quote",
        [(14, 13, "sources[0].signed.date", "date-not-in-quote")],
        id="signed_date_not_in_quote",
    ),
    pytest.param(
        "source_file_missing",
        [(5, 11, "sources[0].file", "source-file-missing")],
        id="source_file_missing",
    ),
    pytest.param(
        "source_outside_data",
        [(5, 11, "sources[0].file", "source-outside-data")],
        id="source_outside_data",
    ),
    pytest.param(
        "unexpected_compared_with",
        [(72, 24, "indicators[2].observations[0].compared_with", "unexpected-compared-with")],
        id="unexpected_compared_with",
    ),
    pytest.param(
        "unit_mismatch",
        [(82, 11, "indicators[3].unit", "unit-mismatch")],
        id="unit_mismatch",
    ),
    pytest.param(
        "unknown_derived_input",
        [(45, 28, "indicators[0].observations[1].derived.inputs.b.indicator", "unknown-indicator")],
        id="unknown_derived_input",
    ),
    pytest.param(
        "unknown_event_indicator",
        [(94, 18, "events[0].indicators[0]", "unknown-indicator")],
        id="unknown_event_indicator",
    ),
    pytest.param(
        "unknown_indicator",
        [(68, 20, "indicators[2].not_comparable_with[0].indicator", "unknown-indicator")],
        id="unknown_indicator",
    ),
    pytest.param(
        "unknown_key",
        [(30, 5, "indicators[0].unti", "unknown-key")],
        id="unknown_key",
    ),
    pytest.param(
        "unknown_source",
        [(74, 17, "indicators[2].observations[0].source", "unknown-source")],
        id="unknown_source",
    ),
    pytest.param(
        "unknown_topic",
        [(63, 12, "indicators[2].topic", "unknown-topic")],
        id="unknown_topic",
    ),
    pytest.param(
        "unknown_unit",
        [(28, 11, "indicators[0].unit", "unknown-unit")],
        id="unknown_unit",
    ),
    pytest.param(
        "comma_in_text",
        [(23, 51, "indicators[0].name.registered", "unknown-key")],
        id="comma_in_text",
    ),
    pytest.param(
        "event_inferred_without_basis",
        [(90, 5, "events[0]", "invalid-value")],
        id="event_inferred_without_basis",
    ),
    pytest.param(
        "event_inferred_day_not_in_quote",
        [(91, 11, "events[0].date", "event-date-not-in-quote")],
        id="event_inferred_day_not_in_quote",
    ),
    # An inferred date's year need not be in the quote (the source leaves it out).
    pytest.param("event_inferred_year", [], id="event_inferred_year"),
    # Cross-document doubts: warnings, each with its own type (the catalogue stays valid).
    pytest.param(
        "cumulative_falls",
        [(77, 16, "indicators[2].observations[1].value", "cumulative-falls")],
        id="cumulative_falls",
    ),
    pytest.param(
        "bound_contradicted",
        [(78, 20, "indicators[2].observations[1].qualifier", "bound-contradicted")],
        id="bound_contradicted",
    ),
    pytest.param(
        "annual_exceeds_cumulative",
        [(32, 16, "indicators[0].observations[0].value", "annual-exceeds-cumulative")],
        id="annual_exceeds_cumulative",
    ),
    pytest.param(
        "ten_thousand_jump",
        [(72, 16, "indicators[2].observations[0].value", "ten-thousand-jump")],
        id="ten_thousand_jump",
    ),
    pytest.param(
        "value_as_text",
        [(32, 16, "indicators[0].observations[0].value", "wrong-type")],
        id="value_as_text",
    ),
    pytest.param(
        "value_not_in_quote",
        [(72, 16, "indicators[2].observations[0].value", "value-not-in-quote")],
        id="value_not_in_quote",
    ),
    pytest.param(
        "count_noun_missing",
        [(28, 11, "indicators[0].unit", "count-noun-missing")],
        id="count_noun_missing",
    ),
    pytest.param(
        "short_label_too_long",
        [(24, 12, "indicators[0].short", "short-label-too-long")],
        id="short_label_too_long",
    ),
]


def located(path: Path) -> list[tuple]:
    return [(p.line, p.col, p.path, p.type) for p in validate_path(path).problems]


def test_the_valid_fixture_is_valid():
    result = validate_path(FIXTURES / "catalogue_valid.yaml")
    assert result.problems == []
    assert result.ok
    assert result.catalogue.observation_count == 5
    assert result.catalogue.derived_count == 1


@pytest.mark.parametrize(("fixture", "expected"), RULES)
def test_rule(fixture: str, expected: list[tuple]):
    assert located(FIXTURES / f"catalogue_{fixture}.yaml") == expected


def test_every_broken_fixture_is_covered():
    loader_only = {"valid", "alias", "duplicate_key", "unknown_tag", "syntax_error", "empty"}
    loader_only.add("not_mapping")
    on_disk = {p.stem.removeprefix("catalogue_") for p in FIXTURES.glob("catalogue_*.yaml")}
    assert on_disk - loader_only == {row.values[0] for row in RULES}


WARNING_RULES = {
    "cumulative_falls",
    "bound_contradicted",
    "annual_exceeds_cumulative",
    "ten_thousand_jump",
}


@pytest.mark.parametrize("fixture", sorted(WARNING_RULES))
def test_a_warning_leaves_the_catalogue_valid(fixture: str):
    result = validate_path(FIXTURES / f"catalogue_{fixture}.yaml")
    assert [p.severity for p in result.problems] == ["warning"]
    assert result.ok and result.errors == []


def test_the_other_rules_are_errors():
    for row in RULES:
        fixture = row.values[0]
        if fixture in WARNING_RULES:
            continue
        problems = validate_path(FIXTURES / f"catalogue_{fixture}.yaml").problems
        assert all(p.severity == "error" for p in problems), fixture


def test_the_recorded_innomatch_ambiguity_is_a_warning_with_its_note():
    result = validate_path(Path(__file__).resolve().parent.parent / "indicators.yaml")
    assert result.ok
    (warning,) = [p for p in result.warnings if p.type == "bound-contradicted"]
    assert "nearly 8 亿元" in warning.message and "more than 8 亿元" in warning.message
    assert "recorded ambiguity: SSTC reply No. 51 (2025)" in warning.message


def test_a_comma_in_unquoted_text_gets_a_quoting_hint():
    (problem,) = validate_path(FIXTURES / "catalogue_comma_in_text.yaml").problems
    assert problem.hint == 'a comma ended the text before it: quote the whole text, en: "a, b"'


def test_all_problems_are_collected_not_just_the_first(tmp_path):
    # Two independent breaks in one file: both are reported, in line order.
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    text = (FIXTURES / "catalogue_valid.yaml").read_text(encoding="utf-8")
    text = text.replace("unit: 项", "unit: 件").replace("value: 300", "value: 310")
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    assert [p.type for p in validate_path(tmp_path / "c.yaml").problems] == [
        "unknown-unit",
        "value-not-in-quote",
    ]


def test_problem_text_has_the_documented_form():
    (problem,) = validate_path(FIXTURES / "catalogue_value_as_text.yaml").problems
    assert str(problem).endswith(
        "catalogue_value_as_text.yaml:32:16: indicators[0].observations[0].value: "
        "expected a number, got text ('11,483') "
        "(hint: write the bare number (300, not '超300' or '1,234') and use `qualifier`)"
    )


def test_quote_not_found_hint_shows_where_it_diverges():
    (problem,) = validate_path(FIXTURES / "catalogue_quote_not_found.yaml").problems
    assert "then “市场合同登记11483项" in problem.hint


def test_unknown_key_hint_suggests_the_near_key():
    (problem,) = validate_path(FIXTURES / "catalogue_unknown_key.yaml").problems
    assert problem.hint == "did you mean `unit`?"


def test_formula_runs_nothing_but_arithmetic():
    assert evaluate_formula("a / (1 + b / 100)", {"a": 11483, "b": 33.6}) == pytest.approx(
        8595.06, abs=0.01
    )
    for bad in ("a ** 2", "a.real", "f(a)", "[a]", "a if b else 1", "'x'", "True"):
        with pytest.raises(FormulaError):
            evaluate_formula(bad, {"a": 1.0, "b": 2.0})
    with pytest.raises(FormulaError, match="divides by zero"):
        evaluate_formula("a / (b - 2)", {"a": 1.0, "b": 2.0})
    with pytest.raises(FormulaError, match="not one of the inputs"):
        evaluate_formula("a + c", {"a": 1.0})


def test_source_path_with_a_nul_byte_is_a_problem_not_a_crash(catalogue_writer, valid_data):
    sources = valid_data["sources"]
    sources[0]["file"] = "data/sources/demo\x00reply.txt"
    result = validate_path(catalogue_writer(sources=sources))
    assert [(p.path, p.type) for p in result.problems] == [
        ("sources[0].file", "source-file-missing")
    ]


def test_unknown_references_are_all_reported_with_rationed_hints(catalogue_writer, valid_data):
    # Thousands of broken references: every one reported, "did you mean" hints rationed.
    event = valid_data["events"][0]
    events = [{**event, "id": f"e{i}", "source": f"demo_reply_{i}"} for i in range(3000)]
    path = catalogue_writer(events=events)
    problems = validate_path(path).problems
    assert [p.type for p in problems] == ["unknown-source"] * 3000
    assert sum(p.hint is not None for p in problems) == 20


def test_entries_that_pass_the_schema_are_still_cross_checked(tmp_path):
    # One schema error (qualifier: exactly) must not hide a value error elsewhere.
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    text = (FIXTURES / "catalogue_valid.yaml").read_text(encoding="utf-8")
    text = text.replace("qualifier: more_than", "qualifier: exactly")
    text = text.replace("value: 33.6", "value: 36.6")
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    result = validate_path(tmp_path / "c.yaml")
    assert result.catalogue is None
    assert [(p.path, p.type) for p in result.problems] == [
        ("indicators[0].observations[1].value", "derived-mismatch"),
        ("indicators[1].observations[0].value", "value-not-in-quote"),
        ("indicators[2].observations[0].qualifier", "invalid-value"),
    ]


def test_a_broken_entry_is_not_reported_again_as_an_unknown_reference(tmp_path):
    # The exchange indicator fails the schema; the event naming it must not add
    # "unknown-indicator", and the derived value whose input's indicator has a broken
    # observation must not add "unknown-observation".
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    text = (FIXTURES / "catalogue_valid.yaml").read_text(encoding="utf-8")
    text = text.replace("qualifier: more_than", "qualifier: exactly")
    text = text.replace("        value: 33.6", "        value: '33.6'")
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    types = [p.type for p in validate_path(tmp_path / "c.yaml").problems]
    assert types == ["wrong-type", "invalid-value"]


def test_a_flow_is_warned_once_per_total_that_covers_it_unless_marked_apart(tmp_path: Path):
    """Alike running totals are tested together (not pairwise), yet each one that covers
    the flow gets its own warning, in catalogue order, and one marked
    not_comparable_with the flow gets none."""
    text = (FIXTURES / "catalogue_annual_exceeds_cumulative.yaml").read_text(encoding="utf-8")
    block_start = text.index("  - id: contracts_count_total\n")
    block = text[block_start : text.index("  - id: contracts_count_growth\n")]
    apart = block.replace("id: contracts_count_total", "id: contracts_count_total_apart")
    apart = apart.replace(
        "    measure: cumulative\n",
        "    measure: cumulative\n    not_comparable_with:\n      - indicator: contracts_count\n"
        "        reason: {zh: 口径不同, en: Another scope}\n",
    )
    alike = block.replace("id: contracts_count_total", "id: contracts_count_total_alike")
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(text.replace(block, block + apart + alike), encoding="utf-8")
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    found = [p for p in validate_path(catalogue).problems if p.type == "annual-exceeds-cumulative"]
    named = [
        m
        for p in found
        for m in (
            "`contracts_count_total`",
            "`contracts_count_total_alike`",
            "`contracts_count_total_apart`",
        )
        if m in p.message
    ]
    assert named == ["`contracts_count_total`", "`contracts_count_total_alike`"]
