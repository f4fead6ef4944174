"""Slides: one real deck drawn by Chromium and opened with python-pptx; citations, topic
order, the command's refusals and the Trends page's button (with a stand-in renderer)."""

from __future__ import annotations

import functools
import io
import itertools
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import kaleido
import plotly.graph_objects as go
import pytest
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deck
from pptx.shapes.picture import Picture
from pptx.slide import Slide
from pptx.util import Inches
from streamlit.testing.v1 import AppTest

from dashboard import cli
from dashboard.catalogue import data_files
from dashboard.catalogue.models import Catalogue
from dashboard.catalogue.validate import validate_path
from dashboard.figures import compare, grammar, images, label_layout, slides, theme, topics
from dashboard.figures.citation import gbt7714
from dashboard.figures.i18n import Translator
from dashboard.figures.views import ChartView
from tests.cli_runner import run_dashboard
from tests.conftest import serve_app_catalogue

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
QUOTE_2022 = "2022 年本市技术合同登记 1000 项"
CITE_A = "测试市科学技术委员会. 关于测试指标的答复: 测科复〔2024〕1号[Z]. 2024-05-20."


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_dashboard(*args, cwd=cwd, timeout=240)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The app fixture catalogue with its data folder in a module-wide temp folder."""
    folder = tmp_path_factory.mktemp("slides")
    with pytest.MonkeyPatch.context() as patch:
        yield serve_app_catalogue(folder, patch)


@pytest.fixture(scope="module")
def catalogue(served: Path) -> Catalogue:
    result = validate_path(served)
    assert result.catalogue is not None, result.problems
    return result.catalogue


def words(lang: str = "zh") -> grammar.Words:
    return grammar.Words(Translator(data_files.labels(), lang), data_files.units())


@functools.cache
def fake_png(width: int = 1300, height: int = 500) -> bytes:
    """A blank PNG of the size a renderer would return (made once per size)."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG", compress_level=1)
    return out.getvalue()


def texts(slide: Slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def notes(slide: Slide) -> str:
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None
    return frame.text


def pictures(slide: Slide) -> list[Picture]:
    return [s for s in slide.shapes if isinstance(s, Picture)]


# -- Citations and topics --------------------------------------------------------------------


def test_gbt7714_entry_names_issuer_title_reference_type_and_date(catalogue: Catalogue) -> None:
    doc_a, news = catalogue.sources_by_id["app_doc_a"], catalogue.sources_by_id["app_doc_b"]
    assert gbt7714(doc_a) == CITE_A
    assert gbt7714(doc_a, "en") == (
        "Test Science and Technology Commission. Reply on test indicators: "
        "测科复〔2024〕1号[Z]. 2024-05-20."
    )
    # No reference number; a news item is [N]; an inferred date stands in square brackets.
    assert gbt7714(news) == "测试新闻社. 测试新闻[N]. [2025-01-10]."


def test_topic_order_is_curated_then_catalogue_order(catalogue: Catalogue) -> None:
    order = ["exchange", "tech_transfer"]
    assert topics.ordered_indicators(catalogue, order) == [
        "platform_cumulative_value",
        "contracts_count",
        "contracts_count_growth",
        "contracts_value",
    ]
    assert topics.topic_order(catalogue, words()) == ["tech_transfer", "exchange"]
    parts = topics.topic_parts(catalogue, "tech_transfer", words())
    assert parts[0] == topics.TopicTitle("tech_transfer")
    assert [p.ids for p in parts[1:] if isinstance(p, topics.IndicatorView)] == [
        ("contracts_count",),
        ("contracts_count_growth",),
        ("contracts_value",),
    ]


def test_a_topic_deck_has_its_key_statements_after_the_title(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real catalogue curates statements; the charts are stand-ins (no browser)."""
    monkeypatch.setattr(images, "render_pngs", lambda figs, sizes: [fake_png()] * len(figs))
    real = validate_path(REPO / "indicators.yaml").catalogue
    assert real is not None
    plan = slides.topic_deck(real, words(), "industry", today=date(2026, 12, 1))
    assert isinstance(plan.pages[0], slides.Cover)
    assert isinstance(plan.pages[1], slides.Statements)
    deck = Presentation(io.BytesIO(slides.build_deck(real, plan, words())))
    cover, said = texts(deck.slides[0]), texts(deck.slides[1])
    assert "[3] 上海市科学技术委员会. 对市十六届人大三次会议第0353号代表建议的答复" in cover
    assert "要点" in said
    assert "• 2024年1—11月，本市科技服务业规上企业营业收入5409.59亿元" in said
    assert "亿元。\u00a0[3]" in said  # its document, numbered as on the title slide
    assert "原文：“" in notes(deck.slides[1])
    assert "出处：[3] 上海市科学技术委员会. " in notes(deck.slides[1])
    charts = [p for p in plan.pages if isinstance(p, slides.ChartView)]
    cards = [p for p in plan.pages if isinstance(p, slides.Cards)]
    assert len(deck.slides) == len(plan.pages) == 2 + len(charts) + len(cards)
    assert len(plan.views) == len(charts) + sum(len(c.views) for c in cards)


def test_an_empty_view_is_refused_before_anything_is_drawn(catalogue: Catalogue) -> None:
    with pytest.raises(slides.EmptyDeck):
        slides.view_deck(catalogue, ["contracts_count"], words(), (2010, 2011))
    with pytest.raises(slides.EmptyDeck):
        slides.topic_deck(catalogue, words(), "tech_transfer", (2010, 2011), today=date.today())


def test_no_browser_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue) -> None:
    monkeypatch.setenv(images.ENV_BROWSER, "/nonexistent/chromium")
    plan = slides.view_deck(catalogue, ["contracts_count"], words())
    with pytest.raises(images.ImageError, match="no browser at /nonexistent/chromium"):
        slides.build_deck(catalogue, plan, words())


# -- One real deck: the command, Chromium through kaleido, python-pptx ------------------------


needs_chromium = pytest.mark.skipif(
    not Path(images.CHROMIUM).exists() and os.environ.get("CI") != "true",
    reason="needs Chromium (make browser-deps); CI always has it",
)


@pytest.fixture(scope="module")
def deck(served: Path) -> Deck:
    """The one deck the tests draw for real: a topic with a chart, a card and a pair."""
    out = served.parent / "tech transfer.pptx"
    proc = run_cli(
        "slides", "--topic", "tech_transfer", "--out", str(out), str(served), cwd=served.parent
    )
    assert proc.returncode == 0, proc.stderr
    assert "4 slides (2 with a chart)" in proc.stdout
    assert [p.name for p in served.parent.iterdir() if p.suffix == ".part"] == []
    return Presentation(str(out))


@needs_chromium
class TestRealDeck:
    def test_16_9_with_a_title_slide_then_one_slide_per_indicator(self, deck: Deck) -> None:
        assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=1e-3)
        assert len(deck.slides) == 4
        cover = texts(deck.slides[0])
        assert "技术转移与成果转化" in cover
        assert "生成日期：" in cover
        assert CITE_A in cover  # the documents behind the topic's figures

    def test_chart_slides_carry_a_large_picture_title_period_and_source_line(
        self, deck: Deck
    ) -> None:
        chart, pair = deck.slides[1], deck.slides[3]
        for slide in (chart, pair):
            (picture,) = pictures(slide)
            assert picture.width >= Inches(12)
            pixels = Image.open(io.BytesIO(picture.image.blob)).size
            assert pixels[0] >= 2400  # exported at twice its layout size: sharp when projected
        assert "技术合同登记数" in texts(chart)
        assert "2021—2023年 · 单位: 项" in texts(chart)
        assert "资料来源：[1] 测科复〔2024〕1号" in texts(chart)
        assert "变化：超过 +170.03 亿元" in texts(pair)  # the pair's change, as on the page

    def test_a_single_figure_gets_a_figure_card_slide(self, deck: Deck) -> None:
        card = deck.slides[2]
        assert pictures(card) == []
        body = texts(card)
        assert "25%" in body
        assert "2022年比2021年 · 确切数值" in body
        assert "“技术合同登记数比 2021 年增长 25%”" in body
        assert "资料来源：[1] 测科复〔2024〕1号 · 2024-05-20（原文载明）" in body

    def test_speaker_notes_hold_each_quote_and_its_full_citation(self, deck: Deck) -> None:
        chart_notes = notes(deck.slides[1])
        assert f"原文：“{QUOTE_2022}”" in chart_notes
        assert "2023 年本市技术合同登记 1200 项" in chart_notes
        assert f"出处：{CITE_A}" in chart_notes
        assert "合同额超 300 亿元" in notes(deck.slides[3])

    def test_every_cjk_run_names_its_east_asian_and_latin_faces(self, deck: Deck) -> None:
        runs = [
            run
            for slide in deck.slides
            for frame in [s.text_frame for s in slide.shapes if s.has_text_frame]
            + [slide.notes_slide.notes_text_frame]
            if frame is not None
            for paragraph in frame.paragraphs
            for run in paragraph.runs
            if slides.has_cjk(run.text)
        ]
        assert len(runs) > 20
        for run in runs:
            rpr = run._r.rPr
            assert rpr is not None
            ea, latin = rpr.find(qn("a:ea")), rpr.find(qn("a:latin"))
            assert ea is not None and ea.get("typeface") == theme.SLIDE_FONT, run.text
            assert latin is not None and latin.get("typeface") == theme.SLIDE_FONT
            assert rpr.get("lang") == "zh-CN"
            # The schema's order (latin, ea, cs), or PowerPoint calls the file damaged.
            tags = [child.tag for child in rpr]
            assert tags.index(qn("a:latin")) < tags.index(qn("a:ea")) < tags.index(qn("a:cs"))


@needs_chromium
def test_the_rendered_chart_puts_labels_where_the_layout_says_and_no_line_through_them(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    """The geometry the labels are placed by is Plotly's: rendered to SVG by Chromium, the
    plot area is where the fixed margins put it, each value label's text sits in the box
    predicted for it, and no drawn line passes through any label's text."""
    w = words("en")
    (view,) = slides.view_deck(catalogue, ["contracts_count"], w).pages
    assert isinstance(view, ChartView) and view.figure is not None
    size = slides._chart_box(view, w).size
    fig = label_layout.slide_figure(view.figure, size, slides.CONTENT_W_IN, slides.LABEL_PT)
    out = tmp_path / "chart.svg"
    spec = {"format": "svg", "width": size.width, "height": size.height, "scale": 1}
    kaleido.write_fig_from_object_sync(
        [{"fig": fig.to_dict(), "path": out, "opts": spec}],
        kopts={"path": images.browser_path(), "mathjax": False},
    )
    svg = out.read_text(encoding="utf-8")
    geo = label_layout.geometry(fig)
    (dx, dy), = [tuple(map(float, m)) for m in re.findall(
        r'<g class="xy" transform="translate\(([\d.]+),([\d.]+)\)"><g class="scatterlayer', svg
    )]  # fmt: skip
    assert (dx, dy) == pytest.approx((geo.left, geo.top), abs=1)
    segments = [
        ((float(a) + dx, float(b) + dy), (float(c) + dx, float(d) + dy))
        for path in re.findall(r'class="js-line" d="([^"]+)"', svg)
        for a, b, c, d in re.findall(r"([\d.]+),([\d.]+)L([\d.]+),([\d.]+)", path)
    ]
    assert segments  # the joins are drawn
    drawn = re.findall(
        r'<g class="textpoint" transform="translate\(([-\d.]+),([-\d.]+)\)">'
        r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)"[^>]*font-size: ([\d.]+)px',
        svg,
    )
    predicted = label_layout.value_labels(fig, geo)
    assert len(drawn) == len(predicted) == 3
    for (tx, ty, x, y, anchor, font), label in zip(drawn, predicted, strict=True):
        size_px = float(font)
        lines = label.text.split("<br>")
        baseline = float(y) + float(ty) + dy
        top = baseline - 0.8 * size_px
        bottom = baseline + (len(lines) - 1) * 1.3 * size_px + 0.25 * size_px
        assert top >= label.box.top - 2 and bottom <= label.box.bottom + 2, label.text
        anchor_x = float(x) + float(tx) + dx
        expected = {
            "middle": (label.box.left + label.box.right) / 2,
            "start": label.box.left,
            "end": label.box.right,
        }[anchor]
        assert anchor_x == pytest.approx(expected, abs=2)
        text = label_layout.Box(label.box.left, top, label.box.right, bottom)
        for segment in segments:
            assert not label_layout.segment_hits(segment, text), (label.text, segment)


# -- The command's refusals: nothing is drawn, no file is left --------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--indicator", "contracts_cout"], "unknown indicator 'contracts_cout': did you mean"),
        (["--topic", "tech_transfr"], "unknown topic 'tech_transfr': did you mean tech_transfer?"),
        (
            ["--indicator", "contracts_count", "--from", "2010", "--to", "2011"],
            "not written: no figures of contracts_count in 2010–2011",
        ),
    ],
)
def test_slides_refuses_what_it_cannot_draw(served: Path, args: list[str], message: str) -> None:
    out = served.parent / "refused.pptx"
    proc = run_cli("slides", *args, "--out", str(out), str(served), cwd=served.parent)
    assert proc.returncode == 1
    assert message in proc.stderr
    if "contracts_cout" in args:
        assert "contracts_count" in proc.stderr
    assert not out.exists()


@pytest.fixture(scope="module")
def real() -> Catalogue:
    result = validate_path(REPO / "indicators.yaml")
    assert result.catalogue is not None, result.problems
    return result.catalogue


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_slides_refuses_to_chart_together_what_the_page_will_not_compare(
    real: Catalogue, tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 21: research units' and universities' contract values were charted together.
    The command refuses, with the page's own words (trends.refused_pair in data/i18n.yaml)
    and the catalogue's reason, and writes nothing."""
    out = tmp_path / "refused.pptx"
    pair = "research_units_tech_contracts_value,universities_tech_contracts_value"
    code = cli.main(
        [
            "slides",
            "--indicator",
            pair,
            "--lang",
            lang,
            "--out",
            str(out),
            str(REPO / "indicators.yaml"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    first = real.indicators_by_id["research_units_tech_contracts_value"]
    other = real.indicators_by_id["universities_tech_contracts_value"]
    (relation,) = [r for r in first.not_comparable_with if r.indicator == other.id]
    # The page's notice (figures.compare, the Trends page's own function) names both and
    # gives the catalogue's reason in the deck's language.
    # The reason as the page words it: inside the sentence, without its closing stop.
    reason = getattr(relation.reason, lang).strip().rstrip("。.")
    (notice,) = [line for line in err.splitlines() if reason in line]
    assert other.label(lang) in notice and first.label(lang) in notice
    assert notice in compare.refused_notices(
        real, Translator(data_files.labels(), lang), pair.split(","), [first.id]
    )
    assert "not written: these indicators cannot share one chart" in err
    # A different measure is refused with the page's words for that, too.
    code = cli.main(
        ["slides", "--indicator", "research_units_tech_contracts_value,sts_industry_revenue",
         "--lang", lang, "--out", str(out), str(REPO / "indicators.yaml")]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    labels = data_files.labels()["ui"]
    revenue = real.indicators_by_id["sts_industry_revenue"]
    measure = labels["measure"][revenue.measure.value][lang]
    said = labels["trends"]["other_measure"][lang].format(
        name=revenue.label(lang), first=first.label(lang), measure=measure
    )
    assert said in err


def test_slides_refuses_an_out_it_cannot_write(served: Path) -> None:
    missing = served.parent / "no such folder" / "deck.pptx"
    proc = run_cli(
        "slides", "--indicator", "contracts_count", "--out", str(missing), str(served), cwd=REPO
    )
    assert proc.returncode == 1
    assert "cannot write the deck: its folder" in proc.stderr
    proc = run_cli(
        "slides",
        "--indicator",
        "contracts_count",
        "--out",
        str(served.parent),
        str(served),
        cwd=REPO,
    )
    assert proc.returncode == 1
    assert "cannot write the deck: is a folder" in proc.stderr
    proc = run_cli("slides", "--indicator", "contracts_count", "--from", "2024", "--to", "2020",
                   "--out", "x.pptx", str(served), cwd=served.parent)  # fmt: skip
    assert proc.returncode == 2
    assert "--from 2024 is after --to 2020" in proc.stderr


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(
    served: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(images, "render_pngs", lambda figs, sizes: [fake_png()] * len(figs))
    out = tmp_path / "deck.pptx"
    out.write_bytes(b"the deck from yesterday")

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli.os, "replace", full_disk)
    code = cli.main(["slides", "--indicator", "contracts_count", "--out", str(out), str(served)])
    assert code == 1
    assert out.read_bytes() == b"the deck from yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.pptx"]
    monkeypatch.undo()
    monkeypatch.setattr(images, "render_pngs", lambda figs, sizes: [fake_png()] * len(figs))
    code = cli.main(["slides", "--indicator", "contracts_count", "--out", str(out), str(served)])
    assert code == 0
    assert len(Presentation(str(out)).slides) == 1


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_deck_is_written_with_the_users_umask(
    served: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask: int, mode: int
) -> None:
    """Not the owner-only 0600 of the temporary file it is written through."""
    monkeypatch.setattr(images, "render_pngs", lambda figs, sizes: [fake_png()] * len(figs))
    out = tmp_path / "deck.pptx"
    old = os.umask(umask)
    try:
        code = cli.main(
            ["slides", "--indicator", "contracts_count", "--out", str(out), str(served)]
        )
    finally:
        os.umask(old)
    assert code == 0
    assert out.stat().st_mode & 0o777 == mode


# -- The Trends page's button -----------------------------------------------------------------


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many charts each call of the (faked) renderer drew."""
    calls: list[int] = []

    def render(figs: list[object], sizes: list[images.ImageSize]) -> list[bytes]:
        calls.append(len(figs))
        return [fake_png(s.width, s.height) for s in sizes]

    monkeypatch.setattr(images, "render_pngs", render)
    return calls


@pytest.mark.usefixtures("fresh_caches")
def test_trends_button_builds_the_deck_of_the_view_with_progress(
    app_catalogue: Path, drawn: list[int]
) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["indicator"] = "contracts_count"
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("app_pages/trends.py")
    at.run()
    assert not at.exception
    assert [b.label for b in at.download_button] == ["Download CSV (with citations)"]
    at.button(key="slides_prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert drawn == [1]  # one chart, drawn in one batch
    (status,) = at.status
    assert status.label == "Slides ready (1)"
    assert status.state == "complete"
    assert "Drawing 1 chart…" in [m.value for m in status.markdown]
    assert at.download_button(key="slides_download").label == "Download slides (PPTX)"
    _, data = at.session_state["_slides_deck"]
    deck = Presentation(io.BytesIO(data))
    (slide,) = deck.slides
    assert len(pictures(slide)) == 1
    assert "Technology contracts registered" in texts(slide)
    assert "Quote: “2022 年本市技术合同登记 1000 项”" in notes(slide)
    # Another view on screen: the deck built for the last one is not offered for it.
    at.query_params["indicator"] = "contracts_value"
    at.run()
    assert [b.label for b in at.download_button] == ["Download CSV (with citations)"]


@pytest.mark.usefixtures("fresh_caches")
def test_topic_page_button_builds_the_topic_deck(app_catalogue: Path, drawn: list[int]) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["topic"] = "tech_transfer"
    at.run()
    at.switch_page("app_pages/topic.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="slides_prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert drawn == [2]  # the chart and the pair, in one batch; the card needs no image
    assert at.status[0].label == "幻灯片已生成（4 页）"
    _, data = at.session_state["_slides_deck"]
    deck = Presentation(io.BytesIO(data))
    assert len(deck.slides) == 4
    assert "技术转移与成果转化" in texts(deck.slides[0])


def test_a_browser_that_fails_once_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def flaky(specs: list[dict[str, object]], **_: object) -> None:
        calls.append(len(specs))
        if len(calls) == 1:
            raise TimeoutError("the browser did not start in time")
        for spec in specs:
            Path(str(spec["path"])).write_bytes(fake_png())

    monkeypatch.setattr(kaleido, "write_fig_from_object_sync", flaky)
    monkeypatch.setenv(images.ENV_BROWSER, sys.executable)  # any file: kaleido is stubbed
    pngs = images.render_pngs([go.Figure()], [images.ImageSize(100, 50)])
    assert calls == [1, 1] and len(pngs) == 1
    calls.clear()
    monkeypatch.setattr(kaleido, "write_fig_from_object_sync", lambda *a, **k: 1 / 0)
    with pytest.raises(images.ImageError, match="ZeroDivisionError"):
        images.render_pngs([go.Figure()], [images.ImageSize(100, 50)])


# -- Every topic deck of the real catalogue, zh and en, with a stand-in renderer --------------
# (issue 21 point 8: one test per rule; the charts are laid out exactly as for a real
# render, only the PNGs are blank images of the size the renderer would return)


@dataclass
class Built:
    topic: str
    lang: str
    plan: slides.DeckPlan
    deck: Deck
    figures: list[go.Figure]
    sizes: list[images.ImageSize]


@pytest.fixture(scope="module")
def decks(real: Catalogue) -> dict[tuple[str, str], Built]:
    out: dict[tuple[str, str], Built] = {}
    drawn: list[tuple[list[go.Figure], list[images.ImageSize]]] = []

    def render(figs: list[go.Figure], sizes: list[images.ImageSize]) -> list[bytes]:
        drawn.append((list(figs), list(sizes)))
        return [fake_png(round(s.width * s.scale), round(s.height * s.scale)) for s in sizes]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(images, "render_pngs", render)
        for lang in ("zh", "en"):
            w = words(lang)
            for topic in topics.topic_order(real, w):
                drawn.clear()
                plan = slides.topic_deck(real, w, topic, today=date(2026, 12, 1))
                deck = Presentation(io.BytesIO(slides.build_deck(real, plan, w)))
                figs, sizes = drawn[0] if drawn else ([], [])
                out[(topic, lang)] = Built(topic, lang, plan, deck, figs, sizes)
    return out


def _views_of(page: slides.Page) -> list[ChartView]:
    if isinstance(page, slides.Cards):
        return list(page.views)
    return [page] if isinstance(page, ChartView) else []


FIGURE_LINE = re.compile(r"^\[(\d+)\] (.+?) · (.+?) · (.+?) · (.+)$")


def test_speaker_notes_give_every_figure_with_its_qualifier_and_unit(
    real: Catalogue, decks: dict[tuple[str, str], Built]
) -> None:
    """Issue 21: 246 of 276 figure lines ended in a bare number ("· 4.6" for 4.6万项)."""
    units = data_files.units()
    labels = data_files.labels()["ui"]
    checked = 0
    for built in decks.values():
        lang = built.lang
        for page, slide in zip(built.plan.pages, built.deck.slides, strict=True):
            views = _views_of(page)
            lines = [m for m in map(FIGURE_LINE.match, notes(slide).splitlines()) if m]
            figures = [(v, m.indicator, m.obs) for v in views for m in v.plan.marks]
            figures += [(v, u.indicator.id, u.obs) for v in views for u in v.plan.unranked]
            assert len(lines) == len(figures), (built.topic, lang, notes(slide))
            for line in lines:
                value, qualifier = line.group(4), line.group(5)
                assert not value[-1].isdigit() or value.startswith("No. "), line.group(0)
                assert qualifier.split(" · ")[0] in {
                    q[lang] for q in labels["qualifier"].values()
                }, line.group(0)
                checked += 1
            for view, ident, obs in figures:
                indicator = real.indicators_by_id[ident]
                unit = indicator.unit
                if indicator.measure.value == "rank":
                    said = units[unit]["rank_display"][lang].format(value=int(obs.value))
                elif lang == "zh" or unit == "%":
                    said = unit
                elif indicator.counts is not None:
                    said = indicator.counts.other if obs.value != 1 else indicator.counts.one
                else:
                    said = view.plan.unit_label
                assert any(line.group(4).endswith(said) for line in lines), (ident, said)
    assert checked > 250
    # The issue's own example: 4.6万项 keeps its 万项.
    built = decks[("eastern_center", "zh")]
    assert any("· 4.6 万项 · 确切数值" in notes(s) for s in built.deck.slides)


def _numbered(text: str) -> dict[int, str]:
    return {int(n): rest for n, rest in re.findall(r"\[(\d+)\] ([^;\n\[]+)", text)}


def test_one_numbering_of_documents_runs_through_each_deck(
    real: Catalogue, decks: dict[tuple[str, str], Built]
) -> None:
    """Issue 21: in 4 of 10 topic decks [1] named one document on the cover and another on
    a chart slide. Every [n] on a slide, in a source line or a speaker note, names the
    cover's [n]."""
    for built in decks.values():
        lang = built.lang
        short = {getattr(s.short, lang): s.id for s in real.sources}
        cover = re.findall(r"^\[(\d+)\] (.+)$", texts(built.deck.slides[0]), re.M)
        by_number = {
            int(n): next(s.id for s in real.sources if gbt7714(s, lang) == entry)
            for n, entry in cover
        }
        assert sorted(by_number) == list(range(1, len(by_number) + 1))
        for page, slide in zip(built.plan.pages[1:], list(built.deck.slides)[1:], strict=True):
            for view in _views_of(page):
                for source, n in view.numbers.items():
                    assert by_number[n] == source, (built.topic, lang, n)
            prefix = data_files.labels()["ui"]["chart"]["source_prefix"][lang]
            for line in texts(slide).splitlines():
                if line.startswith(prefix):
                    for n, name in _numbered(line).items():
                        name = name.split(" · ")[0].strip()
                        assert short[name] == by_number[n], (built.topic, lang, line)
            cite = data_files.labels()["ui"]["slides"]["notes_cite"][lang].split("{")[0]
            said = notes(slide).splitlines()
            for k, line in enumerate(said):
                match = FIGURE_LINE.match(line)
                if match:
                    entry = next(x for x in said[k:] if x.startswith(cite))
                    assert (
                        gbt7714(real.sources_by_id[by_number[int(match.group(1))]], lang) in entry
                    )


def _rank_catalogue() -> Catalogue:
    """The app fixture catalogue with a rank stated for 2021, for 2022 read from context,
    and "for several years" as of the second document's date (models only: no checks)."""
    import yaml

    data = yaml.load(
        (REPO / "tests" / "fixtures" / "app_catalogue.yaml").read_text(encoding="utf-8"),
        Loader=yaml.CSafeLoader,
    )
    ranked = {"value": 1, "qualifier": "exact", "source": "app_doc_a"}
    data["indicators"].append(
        {
            "id": "contracts_rank",
            "name": {"zh": "技术合同额全国排名", "en": "National rank by contract value"},
            "description": {"zh": "全国位次。", "en": "National place."},
            "topic": "tech_transfer",
            "subject": {"zh": "本市", "en": "the city"},
            "measure": "rank",
            "unit": "名",
            "observations": [
                {**ranked, "period": "2021", "quote": "2021 年居全国第一"},
                {
                    **ranked,
                    "period": "2022",
                    "quote": "均排名第一",
                    "period_status": "inferred",
                    "ambiguity": {
                        "zh": "未写年份，按上下文理解。",
                        "en": "No year: read from context.",
                    },
                },
                {
                    **ranked,
                    "source": "app_doc_b",
                    "period": "../2025-01-10",
                    "quote": "连续多年位居全国第一",
                },
            ],
        }
    )
    return Catalogue.model_validate(data)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ranks_are_drawn_only_at_ranked_years_with_the_caveat(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """Issue 21: the rank slide plotted 第1名 at 2025 for "连续多年" as of the reply's date,
    and labelled a year read from context "exact"."""
    cat = _rank_catalogue()
    drawn: list[go.Figure] = []

    def render(figs: list[go.Figure], sizes: list[images.ImageSize]) -> list[bytes]:
        drawn.extend(figs)
        return [fake_png(round(s.width * s.scale), round(s.height * s.scale)) for s in sizes]

    monkeypatch.setattr(images, "render_pngs", render)
    w = words(lang)
    plan = slides.view_deck(cat, ["contracts_rank"], w)
    (slide,) = Presentation(io.BytesIO(slides.build_deck(cat, plan, w))).slides
    (fig,) = drawn
    (marks,) = [t for t in fig.data if (t.meta or {}).get("role") == "marks"]
    # Two places, at the two ranked years: nothing at 2025.
    assert sorted(str(x)[:4] for x in marks.x) == ["2021", "2022"]
    inferred = "2022年（推断）" if lang == "zh" else "2022 (inferred)"
    assert any(inferred in str(t) for t in marks.text)  # on the chart, under its place
    body, said = texts(slide), notes(slide)
    # The statement with no ranked year is said, with its document, not drawn.
    unplaced = "测试新闻称截至2025年1月10日第1名" if lang == "zh" else "Test news gives No. 1 as of"
    assert unplaced in body
    # The year read from context carries its caveat on the slide and in the notes.
    caveat = (
        "说明：未写年份，按上下文理解。" if lang == "zh" else "Caveat: No year: read from context."
    )
    assert caveat in body and caveat in said
    assert inferred in said
    # Every place the deck states is in the notes: the two drawn and the one said.
    assert len([line for line in said.splitlines() if FIGURE_LINE.match(line)]) == 3


def test_english_cards_give_an_english_sentence_the_original_and_english_sources(
    real: Catalogue, decks: dict[tuple[str, str], Built]
) -> None:
    """Issue 21: English card slides showed only the Chinese quote and "Source: 沪科提复
    〔2021〕116号", where chart slides say "SSTC reply No. 116 (2021)"."""
    cards = 0
    for (_topic, lang), built in decks.items():
        if lang != "en":
            continue
        w = words("en")
        for page, slide in zip(built.plan.pages, built.deck.slides, strict=True):
            body = texts(slide)
            for view in _views_of(page):
                if view.card is None:
                    continue
                cards += 1
                assert slides.card_sentence(view, w) in body
                assert not slides.has_cjk(
                    slides.card_sentence(view, w).replace(view.card.quote, "")
                )
                assert f"Original: “{view.card.quote}”" in body
                source = real.sources_by_id[view.card.source_id]
                n = view.numbers[source.id]
                assert f"Source: [{n}] {source.short.en} · " in body
            assert "Source: 沪" not in body and "Source: [1] 沪" not in body
    assert cards > 80
    # The sentence says the figure with its qualifier and unit in words.
    view = slides.view_deck(real, ["ste_cumulative_intended_trade_value"], words("en")).pages[0]
    assert isinstance(view, ChartView)
    assert slides.card_sentence(view, words("en")).startswith(
        "Shanghai Technology Exchange intended transaction value: more than "
    )


def test_text_is_at_least_14_pt_and_value_labels_at_least_12_pt_on_the_slide(
    decks: dict[tuple[str, str], Built],
) -> None:
    """Issue 21: notes and sources were 12 pt, value labels 10–11 pt. Every run on every
    slide and in the notes is 14 pt or more; in each chart image, a value label's font size
    in the PNG's pixels, scaled by the picture's width on the 13.33-inch slide, is 12 pt or
    more (its smaller second line included)."""
    sizes: list[float] = []
    labels: list[float] = []
    for built in decks.values():
        assert built.deck.slide_width == Inches(13.333)
        for slide in built.deck.slides:
            # Nothing is pushed off the slide to make room for 14 pt.
            assert all(s.top + s.height <= built.deck.slide_height for s in slide.shapes)
            frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
            frames.append(slide.notes_slide.notes_text_frame)
            for frame in frames:
                for paragraph in frame.paragraphs:
                    for run in paragraph.runs:
                        if run.text.strip():
                            assert run.font.size is not None, run.text
                            sizes.append(run.font.size.pt)
        shown = [p for s in built.deck.slides for p in pictures(s)]
        assert len(shown) == len(built.figures)
        for picture, fig, size in zip(shown, built.figures, built.sizes, strict=True):
            png_px = Image.open(io.BytesIO(picture.image.blob)).size[0]
            points_per_png_px = picture.width.inches * 72 / png_px
            for trace in fig.data:
                if (trace.meta or {}).get("role") == "marks":
                    second_line = trace.textfont.size * size.scale * label_layout.DETAIL_EM
                    labels.append(second_line * points_per_png_px)
            for annotation in fig.layout.annotations:
                if annotation.name == "event-label":
                    labels.append(annotation.font.size * size.scale * points_per_png_px)
    assert len(sizes) > 2000 and min(sizes) >= 14
    assert len(labels) > 20 and min(labels) >= 12


def _assert_labels_clear(fig: go.Figure, where: object) -> int:
    geo = label_layout.geometry(fig)
    segments = label_layout.line_segments(fig, geo)
    boxes = [label.box for label in label_layout.value_labels(fig, geo)]
    image = label_layout.Box(0, 0, geo.width, geo.height)
    words_on_plot = label_layout.obstacles(fig, geo)  # breaks, disagreements
    for k, box in enumerate(boxes):
        assert box.inside(image), (where, box)
        assert not any(box.overlaps(other) for other in words_on_plot), where
        for segment in segments:
            assert not label_layout.segment_hits(segment, box), (where, segment)
        for other in boxes[k + 1 :]:
            assert not box.overlaps(other), (where, box, other)
    return len(boxes)


def test_no_line_crosses_a_value_label_where_documents_disagree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The contradiction fixture: a disagreement's words and arrow on the plot too."""
    result = validate_path(REPO / "tests" / "fixtures" / "contradictions" / "indicators.yaml")
    assert result.catalogue is not None
    drawn: list[go.Figure] = []

    def render(figs: list[go.Figure], sizes: list[images.ImageSize]) -> list[bytes]:
        drawn.extend(figs)
        return [fake_png(round(s.width * s.scale), round(s.height * s.scale)) for s in sizes]

    monkeypatch.setattr(images, "render_pngs", render)
    for lang in ("zh", "en"):
        plan = slides.topic_deck(result.catalogue, words(lang), "innomatch", today=date.today())
        slides.build_deck(result.catalogue, plan, words(lang))
    assert any(label_layout.obstacles(f, label_layout.geometry(f)) for f in drawn)
    assert sum(_assert_labels_clear(f, k) for k, f in enumerate(drawn)) >= 8


def test_no_line_crosses_a_value_label(decks: dict[tuple[str, str], Built]) -> None:
    """Issue 21: lines ran through labels. In every chart of every deck, as laid out for
    its image (fixed margins, Plotly's own rule for text beside a marker), no join, zero
    start, span, event line or disagreement's arrow passes through a value label, no two
    labels overlap, none covers a break mark or a disagreement's words, and every label is
    inside the image."""
    count = 0
    for built in decks.values():
        for fig in built.figures:
            count += _assert_labels_clear(fig, (built.topic, built.lang))
    assert count > 40


def test_a_topics_single_figures_share_slides(decks: dict[tuple[str, str], Built]) -> None:
    """Issue 21: 13 of the exchange deck's 16 slides were single-number cards. The
    figures between two charts go several to a slide; a lone card only when one is left
    between charts or its words fill a slide."""
    for lang in ("zh", "en"):
        built = decks[("exchange", lang)]
        kinds = [type(p).__name__ for p in built.plan.pages]
        assert kinds.count("Cards") == 5 and len(built.deck.slides) == 8, kinds
        for page, slide in zip(built.plan.pages, built.deck.slides, strict=True):
            if isinstance(page, slides.Cards):
                assert 2 <= len(page.views) <= slides.CARDS_PER_SLIDE
                for view in page.views:
                    assert view.card is not None and view.card.value in texts(slide)
    for built in decks.values():
        pages = built.plan.pages
        for a, b in itertools.pairwise(pages):
            both_cards = all(isinstance(p, ChartView) and p.card for p in (a, b))
            assert not both_cards or not slides._fits(
                [("", a), ("", b)], built.plan.title, words(built.lang)
            ), (built.topic, built.lang)


def test_english_decks_never_say_person_times(decks: dict[tuple[str, str], Built]) -> None:
    """Issue 21: 人次 became "person-times"; its indicators name what they count."""
    for (topic, lang), built in decks.items():
        if lang == "en":
            for slide in built.deck.slides:
                assert "person-time" not in (texts(slide) + notes(slide)).lower(), topic
    said = "\n".join(notes(s) for s in decks[("talent", "en")].deck.slides)
    assert "1,554 trainees" in said
