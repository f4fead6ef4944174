"""Query parameters: defaults, valid links, and every hostile value named, never trusted."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dashboard.app.urlstate import (
    Notice,
    ViewState,
    common_params,
    parse,
    parse_source,
    shown,
    trends_params,
)

KNOWN = {"ste_cumulative_trade_value", "contracts_count"}
BOUNDS = (2011, 2025)


def test_defaults_without_parameters() -> None:
    state, notices = parse({}, KNOWN, BOUNDS)
    assert state == ViewState("zh", (), 2019, 2025, False, False)
    assert notices == []


def test_a_full_link_round_trips() -> None:
    params = {
        "lang": ["en"],
        "indicator": ["contracts_count,ste_cumulative_trade_value"],
        "from": ["2016"],
        "to": ["2024"],
        "present": ["1"],
    }
    state, notices = parse(params, KNOWN, BOUNDS)
    assert notices == []
    assert state.indicators == ("contracts_count", "ste_cumulative_trade_value")
    assert trends_params(state) == {
        "lang": "en",
        "present": "1",
        "indicator": "contracts_count,ste_cumulative_trade_value",
        "from": "2016",
        "to": "2024",
    }
    assert common_params(state) == {"lang": "en", "present": "1"}


def test_unknown_and_malformed_ids_are_named() -> None:
    state, notices = parse({"indicator": ["nope,<b>x</b>,contracts_count"]}, KNOWN, BOUNDS)
    assert state.indicators == ("contracts_count",)
    assert not state.indicator_rejected
    assert notices == [
        Notice("unknown_indicator", {"value": "nope"}),
        Notice("bad_indicator", {"value": "<b>x</b>"}),
    ]


def test_a_link_with_hundreds_of_ids_gets_one_notice_per_kind() -> None:
    ids = ",".join([f"nope{i}" for i in range(500)] + ["<b>", "contracts_count"])
    state, notices = parse({"indicator": [ids]}, KNOWN, BOUNDS)
    assert state.indicators == ()  # only the first ids are read, all unknown
    assert [n.key for n in notices] == ["too_many_indicators", "unknown_indicator"]
    assert notices[1].values["value"].endswith("(+9)")


def test_only_unknown_ids_reject_the_view() -> None:
    state, notices = parse({"indicator": ["../../etc/passwd"]}, KNOWN, BOUNDS)
    assert state.indicators == () and state.indicator_rejected
    assert notices[0].key == "bad_indicator"


def test_years_bad_huge_and_swapped() -> None:
    state, notices = parse({"from": ["abc"], "to": ["99999999"]}, KNOWN, BOUNDS)
    assert (state.year_from, state.year_to) == (2019, 2025)
    assert [n.key for n in notices] == ["bad_year", "bad_year"]
    state, notices = parse({"from": ["2030"], "to": ["2012"]}, KNOWN, BOUNDS)
    assert (state.year_from, state.year_to) == (2012, 2025)
    assert [n.key for n in notices] == ["year_out_of_range", "years_swapped"]


def test_repeated_keys_use_the_first_and_say_so() -> None:
    state, notices = parse({"lang": ["en", "zh"]}, KNOWN, BOUNDS)
    assert state.lang == "en"
    assert notices == [Notice("repeated", {"param": "lang"})]


def test_bad_lang_and_present() -> None:
    state, notices = parse({"lang": ["fr"], "present": ["yes"]}, KNOWN, BOUNDS)
    assert (state.lang, state.present) == ("zh", False)
    assert [n.key for n in notices] == ["bad_lang", "bad_present"]


def test_source_parameter() -> None:
    assert parse_source({"source": ["a_doc"]}, {"a_doc"}) == ("a_doc", [])
    source, notices = parse_source({"source": ["../x"]}, {"a_doc"})
    assert source is None and notices[0] == Notice("bad_source", {"value": "../x"})


def test_shown_values_cannot_break_out_of_a_code_span() -> None:
    assert shown("a`b\x00c") == "abc"
    assert shown("x" * 100) == "x" * 40 + "…"


@given(
    st.dictionaries(
        st.sampled_from(["lang", "indicator", "from", "to", "present", "zz"]),
        st.lists(st.text(max_size=30), min_size=1, max_size=3),
    )
)
def test_parse_never_raises(params) -> None:
    state, _ = parse(params, KNOWN, BOUNDS)
    assert state.lang in ("zh", "en")
    assert BOUNDS[0] <= state.year_from <= state.year_to <= BOUNDS[1]
    assert set(state.indicators) <= KNOWN
