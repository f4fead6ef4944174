"""Contradicting figures on charts (docs/charts.md): never joined by any line, drawn apart,
the disagreement written on the plot near them and in the notes naming both documents; the
same on cards, topic pages (one numbering of documents) and slides."""

from __future__ import annotations

import base64
import itertools
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from dashboard.catalogue.models import Catalogue
from dashboard.catalogue.validate import load_catalogue
from dashboard.figures import headline, slides, topics
from dashboard.figures.grammar import Words, fit_years, plan_view
from dashboard.figures.i18n import Translator
from dashboard.figures.views import build_view
from tests.contradiction_project import write_project

REPO = Path(__file__).resolve().parent.parent
LABEL = {"zh": "两份文件不一致", "en": "The two documents disagree"}
MEANING = {"zh": "另一文件中此数含义不同", "en": "Another document: another meaning"}


@pytest.fixture(scope="module")
def cat(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return load_catalogue(write_project(tmp_path_factory.mktemp("disputes"), acknowledged=True))


def words(lang: str) -> Words:
    labels = yaml.safe_load((REPO / "data/i18n.yaml").read_text(encoding="utf-8"))
    units = yaml.safe_load((REPO / "data/units.yaml").read_text(encoding="utf-8"))
    return Words(Translator(labels, lang), units)


def decode(values: Any) -> list:
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"]).tolist()
    return list(values or [])


def figure_json(cat: Catalogue, ids: list[str], lang: str, **kw: Any) -> dict:
    view = build_view(cat, ids, words(lang), fit_years(cat, ids), **kw)
    assert view.figure is not None
    return json.loads(view.figure.to_json())


def points(fig: dict, indicator: str) -> list[tuple[str, float]]:
    (marks,) = [
        t
        for t in fig["data"]
        if (t.get("meta") or {}).get("role") == "marks" and t["meta"]["indicator"] == indicator
    ]
    return list(zip(marks["x"], decode(marks["y"]), strict=True))


def segments(fig: dict) -> set[frozenset[tuple[str, float]]]:
    """Every straight piece of line any trace draws (whatever its role or dash)."""
    out = set()
    for trace in fig["data"]:
        if "lines" not in (trace.get("mode") or ""):
            continue
        pts = list(zip(trace.get("x") or [], decode(trace.get("y")), strict=True))
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            if None not in (x0, x1, y0, y1):
                out.add(frozenset({(x0, float(y0)), (x1, float(y1))}))
    return out


def plain(text: str) -> str:
    """The words as read: tags gone, a line break in CJK text joins, elsewhere a space."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"(?<=[\u2e80-\uffff]) +(?=[\u2e80-\uffff])", "", text)
    return re.sub(r" +", " ", text).strip()


def disputes_on_plot(fig: dict) -> list[dict]:
    return [a for a in fig["layout"].get("annotations", []) if a.get("name") == "dispute"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_running_total_that_falls_is_not_joined_and_the_plot_says_so(cat, lang):
    fig = figure_json(cat, ["demo_match_demands"], lang)
    first, high, low = points(fig, "demo_match_demands")  # 2260, >3800, 2676
    drawn = segments(fig)
    assert frozenset({first, high}) in drawn  # the rise the documents agree on
    assert not any(low in seg for seg in drawn)  # nothing reaches the contradicting figure
    (note,) = disputes_on_plot(fig)
    assert plain(note["text"]) == LABEL[lang]
    # It points at the pair's lower figure, from just below it (on the plot, not the notes).
    assert (note["x"][:10], note["y"], note["xref"], note["yref"]) == (
        low[0][:10],
        low[1],
        "x",
        "y",
    )
    assert note["showarrow"] and note["ay"] > 0
    footer = next(a for a in fig["layout"]["annotations"] if a.get("name") == "footer")
    said = plain(footer["text"])
    for ref in (
        ("〔2024〕19号", "〔2025〕2号") if lang == "zh" else ("No. 19 (2024)", "No. 2 (2025)")
    ):
        assert ref in said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_two_documents_bounds_for_one_date_are_apart_with_the_words_between_them(cat, lang):
    fig = figure_json(cat, ["demo_match_signed_value"], lang)
    nearly, more, _later = points(fig, "demo_match_signed_value")
    assert nearly[0] != more[0]  # drawn apart on their date, neither hides the other
    drawn = segments(fig)
    assert frozenset({nearly, more}) not in drawn
    (note,) = disputes_on_plot(fig)
    assert plain(note["text"]) == LABEL[lang]
    # Between the two: the date itself, where neither mark is.
    assert note["x"][:10] == "2024-03-20"
    plan = plan_view(cat, ["demo_match_signed_value"], words(lang), (2019, 2025))
    (dispute,) = plan.disputes
    assert dispute.kind == "bound" and dispute.acknowledged
    assert plan.notes[0] == dispute.note
    # The same-date note is not repeated: the dispute says it, naming both documents.
    assert len([n for n in plan.notes if "2024" in n and "19" in n]) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_number_with_two_meanings_is_written_on_the_chart_and_the_card(cat, lang):
    fig = figure_json(cat, ["demo_match_signed_deals", "demo_match_matches"], lang)
    (note,) = disputes_on_plot(fig)
    assert plain(note["text"]) == MEANING[lang]
    (deals,) = points(fig, "demo_match_signed_deals")
    (matches,) = points(fig, "demo_match_matches")
    assert (note["x"][:10], note["y"]) == (matches[0][:10], matches[1])  # the newer one
    assert not any(deals in s and matches in s for s in segments(fig))
    # Alone, the newer figure is a card that says it.
    view = build_view(cat, ["demo_match_matches"], words(lang), (2019, 2025))
    assert view.card is not None
    ((label, said),) = view.card.disputes
    assert label == MEANING[lang]
    assert ("示例科建复〔2024〕7号" if lang == "zh" else "No. 7 (2024)") in said


def test_small_multiples_and_presenter_charts_keep_the_disagreement_on_the_chart(cat):
    compact = figure_json(cat, ["demo_match_demands"], "zh", compact=True)
    footer = next(a for a in compact["layout"]["annotations"] if a.get("name") == "footer")
    assert "≠ " in footer["text"] and disputes_on_plot(compact)
    view = build_view(cat, ["demo_match_demands"], words("en"), (2019, 2025), presenter=True)
    assert not any(line.startswith("≠") for line in view.side_notes)
    shown = json.loads(view.figure.to_json())
    assert disputes_on_plot(shown)


def test_a_slide_image_keeps_the_words_on_the_plot(cat):
    view = build_view(
        cat, ["demo_match_demands"], words("zh"), (2019, 2025), presenter=True, words_inside=False
    )
    fig = json.loads(view.figure.to_json())
    assert [plain(a["text"]) for a in disputes_on_plot(fig)] == [LABEL["zh"]]
    assert any(line.startswith("≠") for line in view.footer)  # the slide's text under it


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overview_card_computes_no_change_between_contradicting_figures(cat, lang):
    card = headline.headline(cat, cat.indicators_by_id["demo_match_demands"], words(lang))
    assert card is not None
    expected = {"zh": "两份文件不一致，不计算变化", "en": "The two documents disagree"}[lang]
    assert expected in card.change
    assert "-" not in card.change.split("：")[-1].split(": ")[-1]


def test_a_topic_page_numbers_each_document_once_for_statements_and_charts():
    cat = load_catalogue(REPO / "indicators.yaml")
    for topic in cat.topics:
        view = topics.build_topic(cat, topic.id, words("zh"))
        for _title, views in view.groups:
            for shown in views:
                for source, n in shown.numbers.items():
                    assert view.numbers[source] == n, (topic.id, source)
                for source, cite in shown.cites.items():
                    assert cite.startswith(f"[{view.numbers[source]}] ")


def test_a_topic_deck_numbers_each_document_as_its_cover(cat):
    deck = slides.topic_deck(cat, words("zh"), "innomatch", today=date(2026, 1, 5))
    cover = deck.pages[0]
    listed = {line.split("]")[0] + "]": line for line in cover.documents}
    for page in deck.pages:
        for source, n in getattr(page, "numbers", {}).items():
            reference = cat.sources_by_id[source].reference
            assert reference in listed[f"[{n}]"], (source, n)
