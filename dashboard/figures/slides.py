"""A 16:9 PPTX deck of views and topics: charts drawn by the chart grammar, figure cards, and
every figure's quote and citation in the speaker notes."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Run
from pptx.util import Emu, Inches, Pt

from dashboard.catalogue.models import Catalogue, Statement
from dashboard.figures import grammar, images, theme, topics
from dashboard.figures.citation import gbt7714
from dashboard.figures.views import ChartView, build_view
from dashboard.figures.wording import date_words, event_date_text

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# 16:9 at PowerPoint's default widescreen size.
SLIDE_W_IN = 13.333
SLIDE_H_IN = 7.5
MARGIN_IN = 0.5
CONTENT_W_IN = SLIDE_W_IN - 2 * MARGIN_IN
# A chart image is laid out this many CSS pixels wide (the chart's presenter-size fonts are
# sized against it: ticks come out near 14 pt and value labels near 11 pt on the slide),
# and exported at twice that for a sharp projection.
IMAGE_PX_WIDE = 1300
IMAGE_SCALE = 2.0

TITLE_PT = 28
SUBTITLE_PT = 16
BODY_PT = 12
VALUE_PT = 66
QUOTE_PT = 20
COVER_PT = 40
SPACE_AFTER = 0.25  # of the font size, after each paragraph
# A chart image is never squeezed below this by its notes (they are set smaller first).
MIN_CHART_IN = 2.8

Progress = Callable[[str], None]


class EmptyDeck(ValueError):
    """Nothing in the chosen view or topic to put on a slide."""


# --------------------------------------------------------------------------------------------
# What goes in a deck.


@dataclass(frozen=True)
class Cover:
    """A topic's title slide: its name, the date, the documents behind its figures."""

    heading: str
    lines: tuple[str, ...]  # the dashboard's name, the date, how many indicators
    documents: tuple[str, ...]  # GB/T 7714 entries, oldest document first


@dataclass(frozen=True)
class Statements:
    """A topic's key statements, each ending with the numbers of its documents (as the
    title slide numbers them), and the notes: each figure's quote and citation."""

    heading: str
    topic: str
    lines: tuple[str, ...]
    notes: tuple[str, ...]


Page = Cover | Statements | ChartView


@dataclass(frozen=True)
class DeckPlan:
    """The slides of a deck, in order, before anything is rendered."""

    title: str
    pages: tuple[Page, ...]
    left_out: tuple[str, ...] = ()  # indicators with no figure in the years asked for

    @property
    def views(self) -> list[ChartView]:
        return [p for p in self.pages if isinstance(p, ChartView)]

    @property
    def charts(self) -> list[ChartView]:
        return [v for v in self.views if v.figure is not None]


def _view(
    catalogue: Catalogue,
    ids: Sequence[str],
    words: grammar.Words,
    years: tuple[int | None, int | None],
    show_events: bool,
    page_numbers: dict[str, int] | None = None,
) -> ChartView:
    low, high = grammar.fit_years(catalogue, ids)
    # A year given wins; the other side is fitted, but never past the given one.
    if years[0] is not None:
        low, high = years[0], max(high, years[0])
    if years[1] is not None:
        low, high = min(low, years[1]), years[1]
    span = (low, high)
    return build_view(
        catalogue,
        list(ids),
        words,
        span,
        show_events=show_events,
        presenter=True,
        words_inside=False,
        page_numbers=page_numbers,
    )


def view_deck(
    catalogue: Catalogue,
    ids: Sequence[str],
    words: grammar.Words,
    years: tuple[int | None, int | None] = (None, None),
    *,
    show_events: bool = True,
) -> DeckPlan:
    """One view (the Trends page's, or `--indicator a,b`) on one slide: a chart, or a
    figure card. Years not given are fitted to the figures, as on the page."""
    view = _view(catalogue, ids, words, years, show_events)
    if view.plan.shape == "empty":
        raise EmptyDeck(words.tr("slides.empty"))
    return DeckPlan(title=view.title, pages=(view,))


def topic_deck(
    catalogue: Catalogue,
    words: grammar.Words,
    topic: str,
    years: tuple[int | None, int | None] = (None, None),
    *,
    today: date,
    show_events: bool = True,
) -> DeckPlan:
    """A topic as its page shows it (`topics.topic_parts`): a title slide with the
    documents, the key statements, then one slide per indicator, group by group."""
    tr = words.tr
    parts = topics.topic_parts(catalogue, topic, words)
    views: dict[int, ChartView] = {}
    left_out: list[str] = []
    for k, part in enumerate(parts):
        if isinstance(part, topics.IndicatorView):
            view = _view(catalogue, part.ids, words, years, show_events)
            if view.plan.shape == "empty":
                left_out.extend(part.ids)
            else:
                views[k] = view
    if not views:
        raise EmptyDeck(tr("slides.empty"))
    said = [
        (topics.statement_view(catalogue, statement, words), statement)
        for part in parts
        if isinstance(part, topics.KeyStatements)
        for statement in part.statements
    ]
    cited = {s for v in views.values() for s in v.numbers}
    cited |= {s for shown, _ in said for s in shown.sources}
    sources = sorted((catalogue.sources_by_id[s] for s in cited), key=lambda s: (s.as_of, s.id))
    numbers = {source.id: n for n, source in enumerate(sources, start=1)}
    # One numbering for the deck: a slide's [n] names the cover's [n] document.
    for k, view in list(views.items()):
        part = parts[k]
        if isinstance(part, topics.IndicatorView) and any(
            numbers[s] != n for s, n in view.numbers.items()
        ):
            views[k] = _view(catalogue, part.ids, words, years, show_events, numbers)
    pages: list[Page] = []
    for k, part in enumerate(parts):
        if isinstance(part, topics.TopicTitle):
            pages.append(
                Cover(
                    heading=tr.topic(topic),
                    lines=(
                        tr("app.title"),
                        tr("slides.made_on", date=date_words(tr, today, "day")),
                        tr.plural("slides.indicator_count", len(views)),
                    ),
                    documents=tuple(f"[{numbers[s.id]}] {gbt7714(s, tr.lang)}" for s in sources),
                )
            )
        elif isinstance(part, topics.KeyStatements) and said:
            pages.append(_statements(catalogue, topic, said, numbers, words))
        elif k in views:
            pages.append(views[k])
    return DeckPlan(title=tr.topic(topic), pages=tuple(pages), left_out=tuple(left_out))


def _statements(
    catalogue: Catalogue,
    topic: str,
    said: Sequence[tuple[topics.StatementView, Statement]],
    numbers: dict[str, int],
    words: grammar.Words,
) -> Statements:
    tr = words.tr
    lines, notes = [], [tr("slides.statements")]
    for shown, statement in said:
        refs = "".join(f"[{numbers[s]}]" for s in shown.sources)
        lines.append(f"{shown.text}\u00a0{refs}")  # the numbers never start a line
        notes += ["", shown.text]
        for ref in statement.figures.values():
            for obs in catalogue.find(ref):
                source = catalogue.sources_by_id[obs.source]
                notes.append(tr("slides.notes_quote", quote=obs.quote))
                notes.append(tr("slides.notes_cite", citation=gbt7714(source, tr.lang)))
    return Statements(tr("slides.statements"), tr.topic(topic), tuple(lines), tuple(notes))


# --------------------------------------------------------------------------------------------
# Text.


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def has_cjk(text: str) -> bool:
    return any(_is_wide(ch) for ch in text)


def _text_lines(text: str, size_pt: float, width_in: float) -> int:
    """About how many lines `text` takes at `size_pt` in a box `width_in` wide: a CJK
    character is a full em, anything else about 0.55 em (generous, so nothing is cut)."""
    per_line = width_in * 72 / size_pt
    lines = 0
    for paragraph in text.split("\n"):
        ems = sum(1.0 if _is_wide(ch) else 0.55 for ch in paragraph)
        lines += max(1, -int(-ems // per_line))
    return lines


def _height_in(text: str, size_pt: float, width_in: float) -> float:
    """A paragraph's height: its lines at 1.3 times the size (measured in LibreOffice with
    the CJK face) and the space after it."""
    return (_text_lines(text, size_pt, width_in) * 1.3 + SPACE_AFTER) * size_pt / 72


def _set_fonts(run: _Run, lang: str) -> None:
    """The East Asian face set explicitly, with the Latin and complex-script faces: Office
    and WPS otherwise pick a fallback of their own for CJK. pitchFamily and charset (GB2312)
    let a machine without the face substitute a Chinese sans-serif, not a random one."""
    run.font.name = theme.SLIDE_FONT  # a:latin
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    latin = rpr.find(qn("a:latin"))
    assert latin is not None
    latin.set("pitchFamily", "34")
    latin.set("charset", "0")
    ea = OxmlElement("a:ea")
    ea.set("typeface", theme.SLIDE_FONT)
    ea.set("pitchFamily", "34")
    ea.set("charset", "-122")
    cs = OxmlElement("a:cs")
    cs.set("typeface", theme.SLIDE_FONT)
    # The schema orders them latin, ea, cs: move them right after a:latin.
    latin.addnext(ea)
    ea.addnext(cs)
    # Spell checkers take Chinese for misspelt English unless the run says what it is.
    rpr.set("lang", "zh-CN" if has_cjk(run.text) or lang == "zh" else "en-US")
    rpr.set("altLang", "en-US")


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


@dataclass(frozen=True)
class Para:
    text: str
    size: float = BODY_PT
    bold: bool = False
    colour: str = theme.TEXT_COLOUR


def _fill(frame: TextFrame, paragraphs: Sequence[Para], lang: str) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = Inches(0.05)
    frame.margin_top = frame.margin_bottom = Inches(0.03)
    for k, para in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.space_after = Pt(para.size * SPACE_AFTER)
        run = paragraph.add_run()
        run.text = para.text
        run.font.size = Pt(para.size)
        run.font.bold = para.bold
        run.font.color.rgb = _rgb(para.colour)
        _set_fonts(run, lang)


def _text_box(
    slide: Slide, top: float, height: float, paragraphs: Sequence[Para], lang: str
) -> float:
    """A text box across the content width at `top` (inches); returns its bottom."""
    box = slide.shapes.add_textbox(
        Inches(MARGIN_IN), Inches(top), Inches(CONTENT_W_IN), Inches(height)
    )
    _fill(box.text_frame, paragraphs, lang)
    return top + height


def _paras_height(paragraphs: Sequence[Para], width_in: float = CONTENT_W_IN) -> float:
    """A text box's height for `paragraphs` (with its inner margins and a little slack)."""
    return sum(_height_in(p.text, p.size, width_in - 0.1) for p in paragraphs) + 0.12


def _notes(slide: Slide, lines: Sequence[str], lang: str) -> None:
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None
    _fill(frame, [Para(line, 12) for line in lines], lang)


# --------------------------------------------------------------------------------------------
# Slides.


def _years_words(view: ChartView, words: grammar.Words) -> str:
    """The period the chart's figures cover, in words: "2021—2023年"."""
    tr = words.tr
    marks = view.plan.marks
    start = min((m.obs.span.start or m.obs.span.end).year for m in marks)
    end = max(m.obs.span.end.year for m in marks)
    if start == end:
        return date_words(tr, date(end, 1, 1), "year")
    return tr("slides.years", start=start, end=end)


# The most a chart's notes may take before they are set smaller (the chart keeps the rest).
FOOTER_MAX_IN = 1.9


def _footer(view: ChartView, words: grammar.Words) -> list[Para]:
    """The chart's notes, change, source line, newest date and events, as the page prints
    them under the chart; and how many figures lie outside the years shown."""
    lines = [line for line in view.footer if line]
    if view.plan.outside:
        lines.append(words.tr.plural("trends.outside_range", view.plan.outside))
    for size in (BODY_PT, 10, 8):
        paras = [Para(line, size, colour=theme.MUTED_COLOUR) for line in lines]
        if _paras_height(paras) <= FOOTER_MAX_IN:
            break
    return paras


@dataclass(frozen=True)
class ChartBox:
    """Where a chart slide's image goes (inches) and the size it is rendered at."""

    top: float
    height: float
    size: images.ImageSize


def _chart_texts(view: ChartView, words: grammar.Words) -> tuple[list[Para], list[Para]]:
    head = [
        Para(view.title, TITLE_PT, bold=True),
        Para(
            f"{_years_words(view, words)} · {view.subtitle}", SUBTITLE_PT, colour=theme.MUTED_COLOUR
        ),
    ]
    return head, _footer(view, words)


def _chart_box(view: ChartView, words: grammar.Words) -> ChartBox:
    head, foot = _chart_texts(view, words)
    top = 0.3 + _paras_height(head) + 0.05
    bottom = SLIDE_H_IN - 0.25 - _paras_height(foot)
    height = max(bottom - top - 0.1, MIN_CHART_IN)
    px_high = round(IMAGE_PX_WIDE * height / CONTENT_W_IN)
    return ChartBox(top, height, images.ImageSize(IMAGE_PX_WIDE, px_high, IMAGE_SCALE))


def _chart_slide(
    slide: Slide, view: ChartView, box: ChartBox, png: bytes, words: grammar.Words
) -> None:
    lang = words.tr.lang
    head, foot = _chart_texts(view, words)
    _text_box(slide, 0.3, _paras_height(head), head, lang)
    slide.shapes.add_picture(
        io.BytesIO(png), Inches(MARGIN_IN), Inches(box.top), width=Inches(CONTENT_W_IN)
    )
    # Under the chart, never over it (a pathological list of notes runs off the bottom).
    _text_box(slide, box.top + box.height + 0.1, _paras_height(foot), foot, lang)


def _card_slide(slide: Slide, view: ChartView, words: grammar.Words) -> None:
    tr, lang = words.tr, words.tr.lang
    card = view.card
    assert card is not None
    head = [Para(card.title, TITLE_PT, bold=True)]
    if card.name != card.title:
        head.append(Para(card.name, SUBTITLE_PT, colour=theme.MUTED_COLOUR))
    y = _text_box(slide, 0.3, _paras_height(head), head, lang) + 0.25
    figure = [
        Para(card.value, VALUE_PT, bold=True, colour=theme.colour(0)),
        Para(f"{card.period} · {card.qualifier}", QUOTE_PT),
    ]
    if card.derived:
        figure.append(Para(card.derived, BODY_PT + 2, colour=theme.MUTED_COLOUR))
    # A figure another document contradicts says so on its slide, as on its card.
    figure += [Para(f"{label} · {note}", BODY_PT + 2) for label, note in card.disputes]
    y = _text_box(slide, y, _paras_height(figure), figure, lang) + 0.2
    foot = [Para(tr("chart.source_prefix") + card.source, BODY_PT + 2, colour=theme.MUTED_COLOUR)]
    foot_height = _paras_height(foot)
    foot_top = SLIDE_H_IN - 0.3 - foot_height
    inner, room = CONTENT_W_IN - 0.5, foot_top - y - 0.2
    # The quote at the largest size at which all of it fits above the source line.
    for size in (QUOTE_PT, 16, 14, 12, 10):
        quote = [
            Para(tr("trends.card_quote"), BODY_PT, bold=True, colour=theme.MUTED_COLOUR),
            Para(f"“{card.quote}”", size),
        ]
        if _paras_height(quote, inner) + 0.3 <= room:
            break
    height = min(_paras_height(quote, inner) + 0.3, room)
    panel = _panel(slide, MARGIN_IN, y, CONTENT_W_IN, height, theme.QUOTE_FILL)
    _fill(panel, quote, lang)
    panel.margin_left = panel.margin_right = Inches(0.25)
    panel.margin_top = panel.margin_bottom = Inches(0.15)
    _text_box(slide, foot_top, foot_height, foot, lang)


def _panel(
    slide: Slide, left: float, top: float, width: float, height: float, fill: str
) -> TextFrame:
    """A filled box (inches): a text box, since an autoshape brings a theme shadow that
    LibreOffice draws whatever the slide says."""
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    box.fill.solid()
    box.fill.fore_color.rgb = _rgb(fill)
    return box.text_frame


def _cover_slide(slide: Slide, cover: Cover, words: grammar.Words) -> None:
    tr, lang = words.tr, words.tr.lang
    # A band in the first chart colour marks the start of a topic.
    _panel(slide, 0, 0, 0.25, SLIDE_H_IN, theme.colour(0))
    head = [Para(cover.heading, COVER_PT, bold=True)]
    head += [Para(line, SUBTITLE_PT + 2, colour=theme.MUTED_COLOUR) for line in cover.lines]
    y = _text_box(slide, 1.2, _paras_height(head), head, lang) + 0.4
    docs = [Para(tr("slides.documents"), SUBTITLE_PT, bold=True)]
    docs += [Para(entry, BODY_PT + 2, colour=theme.MUTED_COLOUR) for entry in cover.documents]
    _text_box(slide, y, min(_paras_height(docs), SLIDE_H_IN - y - 0.3), docs, lang)


def _statements_slide(slide: Slide, page: Statements, words: grammar.Words) -> None:
    lang = words.tr.lang
    head = [
        Para(page.heading, TITLE_PT, bold=True),
        Para(page.topic, SUBTITLE_PT, colour=theme.MUTED_COLOUR),
    ]
    y = _text_box(slide, 0.3, _paras_height(head), head, lang) + 0.3
    room = SLIDE_H_IN - y - 0.4
    # The largest size at which every statement fits.
    for size in (24, 20, 18, 16, 14, 12):
        body = [Para(f"• {line}", size) for line in page.lines]
        if _paras_height(body) <= room:
            break
    for para in body:
        para_box = _paras_height([para])
        y = _text_box(slide, y, para_box, [para], lang) + size * 0.4 / 72


# --------------------------------------------------------------------------------------------
# Speaker notes: what a presenter reads out when asked "where does that number come from?"


def view_notes(catalogue: Catalogue, view: ChartView, words: grammar.Words) -> list[str]:
    """Each figure of the view with its verbatim quote and full citation, then each event."""
    tr = words.tr
    name_col = "name_zh" if tr.lang == "zh" else "name_en"
    lines = [view.title]
    for _, row in view.table.iterrows():
        source = catalogue.sources_by_id[row["source"]]
        lines += [
            "",
            tr(
                "slides.notes_figure",
                n=row["citation"],
                name=row[name_col],
                period=row["period_text"],
                value=row["label"],
            ),
            tr("slides.notes_quote", quote=row["quote"]),
            tr("slides.notes_cite", citation=gbt7714(source, tr.lang)),
        ]
    for event in view.events:
        source = catalogue.sources_by_id[event.source]
        lines += [
            "",
            tr(
                "slides.notes_event",
                n=view.numbers.get(event.source, 0),
                date=event_date_text(tr, event),
                title=tr.text(event.title),
            ),
            tr("slides.notes_quote", quote=event.quote),
            tr("slides.notes_cite", citation=gbt7714(source, tr.lang)),
        ]
    return lines


# --------------------------------------------------------------------------------------------
# The deck.


def _sized(figure: go.Figure, size: images.ImageSize) -> go.Figure:
    """The chart laid out at the size it is exported at (its margins assume that size)."""
    copy = go.Figure(figure)
    copy.update_layout(width=size.width, height=size.height)
    return copy


def build_deck(
    catalogue: Catalogue,
    plan: DeckPlan,
    words: grammar.Words,
    *,
    progress: Progress | None = None,
) -> bytes:
    """The .pptx file of `plan`: every chart image rendered in one batch, then laid out."""
    tr, lang = words.tr, words.tr.lang
    say = progress or (lambda _message: None)
    charts = plan.charts
    boxes = {id(v): _chart_box(v, words) for v in charts}
    if charts:
        say(tr.plural("slides.progress_render", len(charts)))
    figures = [_sized(v.figure, boxes[id(v)].size) for v in charts if v.figure is not None]
    pngs = images.render_pngs(figures, [boxes[id(v)].size for v in charts])
    png_of = {id(v): png for v, png in zip(charts, pngs, strict=True)}
    say(tr.plural("slides.progress_layout", len(plan.pages)))

    deck = Presentation()
    deck.slide_width = Emu(Inches(SLIDE_W_IN))
    deck.slide_height = Emu(Inches(SLIDE_H_IN))
    props = deck.core_properties
    props.title = plan.title
    props.subject = tr("app.title")
    props.author = props.last_modified_by = tr("app.title")
    blank = deck.slide_layouts[6]
    for page in plan.pages:
        slide = deck.slides.add_slide(blank)
        if isinstance(page, Cover):
            _cover_slide(slide, page, words)
            _notes(slide, [page.heading, "", *page.documents], lang)
        elif isinstance(page, Statements):
            _statements_slide(slide, page, words)
            _notes(slide, page.notes, lang)
        elif page.figure is not None:
            _chart_slide(slide, page, boxes[id(page)], png_of[id(page)], words)
            _notes(slide, view_notes(catalogue, page, words), lang)
        else:
            _card_slide(slide, page, words)
            _notes(slide, view_notes(catalogue, page, words), lang)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
