"""The pydantic models: strict where YAML guesses, explicit about what a source states."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from dashboard.catalogue.models import (
    Catalogue,
    DismissalRule,
    DocDate,
    Event,
    Observation,
    Source,
    Text,
)

FIXTURES = Path(__file__).parent / "fixtures"
OBS = {"period": "2020", "value": 1, "qualifier": "exact", "source": "s", "quote": "q"}


def error_types(exc: pytest.ExceptionInfo) -> list[tuple]:
    return [(e["loc"], e["type"]) for e in exc.value.errors()]


def test_period_accepts_text_bare_years_and_yaml_dates():
    assert Observation(**OBS).period == "2020"
    assert Observation(**{**OBS, "period": 2020}).span.end == date(2020, 12, 31)
    assert Observation(**{**OBS, "period": date(2023, 5, 16)}).period == "2023-05-16"
    assert Observation(**{**OBS, "period": " 2016 / 2020 "}).period == "2016/2020"


@pytest.mark.parametrize("bad", [True, "2020年", 20.5, None])
def test_period_rejects_what_is_not_a_period(bad):
    with pytest.raises(ValidationError) as exc:
        Observation(**{**OBS, "period": bad})
    assert error_types(exc) == [(("period",), "period")]


def test_value_keeps_ints_as_ints():
    assert type(Observation(**{**OBS, "value": 11483}).value) is int
    assert Observation(**{**OBS, "value": 129.97}).value == 129.97


@pytest.mark.parametrize(
    ("bad", "kind"),
    [
        (True, "number_type"),
        ("1,234", "number_type"),
        ("超300", "number_type"),
        (float("nan"), "number_value"),
        (float("inf"), "number_value"),
    ],
)
def test_value_must_be_a_real_finite_number(bad, kind):
    with pytest.raises(ValidationError) as exc:
        Observation(**{**OBS, "value": bad})
    assert error_types(exc) == [(("value",), kind)]


def test_text_needs_both_languages_and_no_blank():
    with pytest.raises(ValidationError) as exc:
        Text(zh="  ", en=False)
    assert error_types(exc) == [(("zh",), "string_pattern_mismatch"), (("en",), "string_type")]
    with pytest.raises(ValidationError) as exc:
        Text(zh="中")
    assert error_types(exc) == [(("en",), "missing")]


def test_unknown_keys_are_errors():
    with pytest.raises(ValidationError) as exc:
        Observation(**OBS, qualifer="exact")
    assert error_types(exc) == [(("qualifer",), "extra_forbidden")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "stated", "date": "2021-05-26"}, "needs the `quote`"),
        ({"status": "inferred", "date": "2025"}, "needs `basis"),
        ({"status": "unstated", "date": "2025"}, "unstated date has no `date`"),
        ({"status": "stated", "quote": "x"}, "needs `date`"),
        ({"status": "stated", "date": "2021/2022", "quote": "x"}, "single date"),
    ],
)
def test_doc_date_rules(data, message):
    with pytest.raises(ValidationError, match=message):
        DocDate(**data)


def _source(signed: dict, published: dict) -> Source:
    t = {"zh": "中", "en": "x"}
    return Source(
        id="s",
        file="data/sources/x.txt",
        sha256="0" * 64,
        title=t,
        short=t,
        issuer=t,
        reference=None,
        kind="news_report",
        signed=signed,
        published=published,
    )


def test_source_as_of_prefers_signed_then_published_then_inferred():
    basis = {"zh": "推断", "en": "inferred"}
    stated = {"status": "stated", "date": "2023-05-16", "quote": "q"}
    published = {"status": "stated", "date": "2023-10-19", "quote": "q"}
    inferred = {"status": "inferred", "date": "2025-05-22", "basis": basis}
    unstated = {"status": "unstated"}
    assert _source(stated, published).as_of == date(2023, 5, 16)
    assert _source(unstated, published).as_of == date(2023, 10, 19)
    assert _source(inferred, unstated).as_of == date(2025, 5, 22)
    with pytest.raises(ValidationError, match="stated or inferred"):
        _source(unstated, unstated)


def test_event_date_is_a_single_date_at_its_precision():
    t = {"zh": "中", "en": "x"}
    event = Event(id="e", date="2022-08", title=t, short=t, source="s", quote="q")
    assert (event.span.start, event.span.end) == (date(2022, 8, 1), date(2022, 8, 31))
    with pytest.raises(ValidationError, match="single date"):
        Event(id="e", date="2022/2023", title=t, short=t, source="s", quote="q")


def test_dismissal_rule_pattern_must_compile():
    with pytest.raises(ValidationError, match="not a valid regular expression"):
        DismissalRule(id="r", pattern="(", reason={"zh": "中", "en": "x"})


def test_catalogue_version_and_lookups():
    data = yaml.safe_load((FIXTURES / "catalogue_valid.yaml").read_text(encoding="utf-8"))
    cat = Catalogue.model_validate(data)
    assert list(cat.indicators_by_id)[:2] == ["contracts_count", "contracts_count_growth"]
    assert cat.sources_by_id["demo_reply"].reference == "示例科提复〔2021〕1号"
    assert cat.events_by_id["exchange_opening"].span.start == date(2020, 10, 28)
    with pytest.raises(ValidationError) as exc:
        Catalogue.model_validate({**data, "version": 2})
    assert error_types(exc) == [(("version",), "literal_error")]


def test_fixture_builder_writes_a_valid_catalogue(catalogue_writer):
    from dashboard.catalogue.validate import validate_path

    assert validate_path(catalogue_writer()).problems == []
    broken = catalogue_writer(events=[{"id": "Bad"}])
    assert {p.type for p in validate_path(broken).problems} == {"invalid-value", "missing-key"}
