"""Fuzz the small parsers hostile text reaches: URL state, periods, numbers, quotes, formulas."""

from __future__ import annotations

import math
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.app.urlstate import parse, parse_source
from dashboard.catalogue.formula import FormulaError, evaluate_formula
from dashboard.catalogue.numbers import find_mentions
from dashboard.catalogue.periods import parse_period
from dashboard.catalogue.textnorm import locate, normalize
from dashboard.figures.i18n import LANGS

FAST = settings(
    max_examples=150,
    deadline=1000,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
KNOWN = ("research_units_tech_contracts_count", "ste_bank_institutions", "a")
BOUNDS = (2011, 2025)
# The query parameters the app reads (issue 3), a stray one and an empty name.
PARAMS = ["lang", "indicator", "from", "to", "present", "source", "x", ""]

# Text a link, a source or an editor could hold: CJK figures, markup, digits, odd spaces.
ALPHABET = (
    string.printable
    + "零一二三四五六七八九十百千万亿两余多近约超逾成%％．，。、"
    + "０１２３４５６７８９\u3000\u00a0\u200b\ufeff<>&\"'`/\\.."
)
hostile_text = st.text(alphabet=ALPHABET, max_size=300) | st.text(max_size=80)
param_values = st.lists(hostile_text | st.sampled_from(["2019", "2025", "en", "1", *KNOWN]))


@FAST
@given(st.dictionaries(st.sampled_from(PARAMS), param_values, max_size=7))
def test_url_state_never_raises_and_stays_in_range(params: dict[str, list[str]]) -> None:
    state, notices = parse(params, KNOWN, BOUNDS)
    assert state.lang in LANGS
    assert set(state.indicators) <= set(KNOWN)
    assert len(state.indicators) == len(set(state.indicators))
    assert BOUNDS[0] <= state.year_from <= state.year_to <= BOUNDS[1]
    for notice in notices:
        for value in notice.values.values():
            assert "`" not in value and len(value) <= 80  # safe inside a Markdown code span
    source, _ = parse_source(params, {"mini_reply": object()})
    assert source in (None, "mini_reply")


@FAST
@given(hostile_text)
def test_parse_period_raises_only_value_error(text: str) -> None:
    try:
        period = parse_period(text)
    except ValueError:
        return
    assert period.start is None or period.start <= period.end


@FAST
@given(hostile_text)
def test_find_mentions_spans_are_real_and_values_finite(text: str) -> None:
    for mention in find_mentions(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.values and all(math.isfinite(v) for v in mention.values)


@FAST
@given(hostile_text, st.data())
def test_locate_finds_what_it_says(haystack: str, data: st.DataObject) -> None:
    if haystack:
        i = data.draw(st.integers(0, len(haystack) - 1))
        j = data.draw(st.integers(i + 1, len(haystack)))
        needle = haystack[i:j]
    else:
        needle = data.draw(hostile_text)
    for start, end in locate(haystack, needle):
        assert 0 <= start < end <= len(haystack)
        assert normalize(haystack[start:end]) == normalize(needle)


@FAST
@given(st.text(alphabet="ab0123456789.+-*/()e_ x", max_size=200))
def test_formula_fails_only_with_formula_error(formula: str) -> None:
    try:
        result = evaluate_formula(formula, {"a": 2.0, "b": 3.0})
    except FormulaError:
        return
    assert math.isfinite(result)
