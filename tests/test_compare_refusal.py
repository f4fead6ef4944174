"""The compare refusal names each scope the right way round (issue 21, point 6): the
catalogue writes a not-comparable reason from one indicator's side ("universities only
here, all public research units there"), so the sentence names that indicator first,
whichever of the two the page shows and whichever was asked for second."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from dashboard.app import data_io
from dashboard.catalogue.comparability import refusal
from dashboard.catalogue.validate import validate_path
from dashboard.figures.i18n import Translator
from dashboard.figures.wording import not_comparable_text

REPO = Path(__file__).resolve().parent.parent
LABELS = yaml.safe_load((REPO / "data/i18n.yaml").read_text(encoding="utf-8"))
CATALOGUE = validate_path(REPO / "indicators.yaml").catalogue
assert CATALOGUE is not None
PAIRS = [
    (a.id, r.indicator)
    for a in CATALOGUE.indicators
    for r in a.not_comparable_with
    if r.indicator in CATALOGUE.indicators_by_id
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_refusal_names_first_the_indicator_whose_reason_it_gives(lang: str) -> None:
    tr = Translator(LABELS, lang)
    by_id = CATALOGUE.indicators_by_id
    assert len(PAIRS) > 10
    for a_id, b_id in PAIRS:
        a, b = by_id[a_id], by_id[b_id]
        for first, other in ((a, b), (b, a)):
            why = refusal(CATALOGUE, first, other)
            if why is None or why.kind != "not_comparable":
                continue
            text = not_comparable_text(tr, CATALOGUE, why, first, other)
            holder = by_id[why.holder]
            rest = other if holder is first else first
            # The holder's own reason, and the holder named before the other indicator.
            own = next(r for r in holder.not_comparable_with if r.indicator == rest.id)
            assert tr.text(own.reason) in text, (first.id, other.id)
            here, there = text.find(holder.label(lang)), text.find(rest.label(lang))
            assert 0 <= here < there, (first.id, other.id, text)


def test_universities_page_refusing_research_units_states_each_scope() -> None:
    """The issue's case: the link asks for research units beside universities."""
    data_io.clear_caches()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["indicator"] = (
        "universities_tech_contracts_value,research_units_tech_contracts_value"
    )
    at.run()
    at.switch_page("app_pages/trends.py").run()
    (notice,) = [i.value for i in at.info if "left out" in i.value]
    assert notice.startswith("“Research units' contract value” is left out.")
    # Universities (the chart) is named first, so "universities only here" is about it.
    said = notice.split("left out.", 1)[1]
    assert said.index("Universities' contract value") < said.index("Research units' contract value")
    assert "universities only here, all public research units" in said
    data_io.clear_caches()
