"""A 16:9 PPTX deck of views and topics: charts drawn by the chart grammar, figure cards, and
every figure's quote and citation in the speaker notes."""

from __future__ import annotations

import copy
import functools
import io
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.oxml.xmlchemy import BaseOxmlElement
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Run
from pptx.util import Emu, Inches, Pt

from dashboard.catalogue.models import Catalogue, Statement
from dashboard.figures import grammar, images, label_layout, theme, topics
from dashboard.figures.citation import gbt7714
from dashboard.figures.grammar import value_text
from dashboard.figures.views import ChartView, build_view, event_marks
from dashboard.figures.wording import date_words, event_date_text, source_date

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
# The smallest text on a slide: notes, sources, speaker notes (issue 21: 12 pt was too
# small on a projector). Value labels inside a chart image are at least LABEL_PT.
BODY_PT = 14
LABEL_PT = 12
VALUE_PT = 66
CARD_VALUE_PT = 28
QUOTE_PT = 20
COVER_PT = 40
SPACE_AFTER = 0.25  # of the font size, after each paragraph
# A chart image is never squeezed below this by the text under it.
MIN_CHART_IN = 2.6
# At most this many single figures share a cards slide (fewer when their words need it).
CARDS_PER_SLIDE = 3

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
    documents: tuple[str, ...]  # "[n] " + GB/T 7714 entry, in the deck's numbering


@dataclass(frozen=True)
class Statements:
    """A topic's key statements, each ending with the numbers of its documents (as the
    title slide numbers them), and the notes: each figure's quote and citation."""

    heading: str
    topic: str
    lines: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Cards:
    """Several single-figure views of a topic on one slide, one row each."""

    heading: str  # the subjects they belong to
    topic: str
    views: tuple[ChartView, ...]  # each with a figure card


Page = Cover | Statements | Cards | ChartView


@dataclass(frozen=True)
class DeckPlan:
    """The slides of a deck, in order, before anything is rendered."""

    title: str
    pages: tuple[Page, ...]
    left_out: tuple[str, ...] = ()  # indicators with no figure in the years asked for

    @property
    def views(self) -> list[ChartView]:
        """Every view of the deck, those grouped on a cards slide included."""
        out: list[ChartView] = []
        for page in self.pages:
            if isinstance(page, ChartView):
                out.append(page)
            elif isinstance(page, Cards):
                out += page.views
        return out

    @property
    def charts(self) -> list[ChartView]:
        return [v for v in self.views if v.figure is not None]


def _span(
    catalogue: Catalogue, ids: Sequence[str], years: tuple[int | None, int | None]
) -> tuple[int, int]:
    low, high = grammar.fit_years(catalogue, ids)
    # A year given wins; the other side is fitted, but never past the given one.
    if years[0] is not None:
        low, high = years[0], max(high, years[0])
    if years[1] is not None:
        low, high = min(low, years[1]), years[1]
    return low, high


def _view(
    catalogue: Catalogue,
    ids: Sequence[str],
    words: grammar.Words,
    span: tuple[int, int],
    show_events: bool,
    page_numbers: Mapping[str, int] | None = None,
) -> ChartView:
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
    view = _view(catalogue, ids, words, _span(catalogue, ids, years), show_events)
    if view.plan.shape == "empty":
        raise EmptyDeck(words.tr("slides.empty"))
    return DeckPlan(title=view.title, pages=(view,))


def _cited(
    catalogue: Catalogue,
    ids: Sequence[str],
    words: grammar.Words,
    span: tuple[int, int],
    show_events: bool,
) -> set[str] | None:
    """The documents a view of `ids` would cite (its figures' and events'), or None when it
    has no figure in `span`: the plan alone, so the deck can be numbered before it is drawn."""
    plan = grammar.plan_view(catalogue, ids, words, span)
    if plan.shape == "empty":
        return None
    cited = set(plan.sources)
    if show_events:
        shown = [s.indicator.id for s in plan.series]
        cited |= {e.source for e in event_marks(catalogue, shown, span)}
    return cited


def deck_numbers(catalogue: Catalogue, cited: set[str]) -> dict[str, int]:
    """One numbering of a deck's documents, oldest first: [1] is the same document on the
    title slide, the key statements and every chart and card."""
    ordered = sorted(cited, key=lambda s: (catalogue.sources_by_id[s].as_of, s))
    return {s: n for n, s in enumerate(ordered, start=1)}


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
    documents, the key statements, then the indicators group by group: a slide per chart,
    and the single figures between charts several to a slide."""
    tr = words.tr
    parts = topics.topic_parts(catalogue, topic, words)
    spans: dict[int, tuple[int, int]] = {}
    left_out: list[str] = []
    cited: set[str] = set()
    for k, part in enumerate(parts):
        if isinstance(part, topics.IndicatorView):
            span = _span(catalogue, part.ids, years)
            sources = _cited(catalogue, part.ids, words, span, show_events)
            if sources is None:
                left_out.extend(part.ids)
            else:
                spans[k] = span
                cited |= sources
    if not spans:
        raise EmptyDeck(tr("slides.empty"))
    said = [
        (topics.statement_view(catalogue, statement, words), statement)
        for part in parts
        if isinstance(part, topics.KeyStatements)
        for statement in part.statements
    ]
    cited |= {s for shown, _ in said for s in shown.sources}
    numbers = deck_numbers(catalogue, cited)
    views = {
        k: _view(catalogue, parts[k].ids, words, span, show_events, numbers)  # type: ignore[union-attr]
        for k, span in spans.items()
    }
    documents = [catalogue.sources_by_id[s] for s in numbers]
    pages: list[Page] = []
    run: list[tuple[str, ChartView]] = []  # single figures waiting for a cards slide

    def flush() -> None:
        pages.extend(_card_pages(run, tr.topic(topic), words))
        run.clear()

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
                    documents=tuple(f"[{numbers[d.id]}] {gbt7714(d, tr.lang)}" for d in documents),
                )
            )
        elif isinstance(part, topics.KeyStatements) and said:
            pages.append(_statements(catalogue, topic, said, numbers, words))
        elif k in views and views[k].card is not None:
            assert isinstance(part, topics.IndicatorView)
            run.append((part.group, views[k]))
        elif k in views:
            flush()
            pages.append(views[k])
    flush()
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
                notes.append(
                    tr(
                        "slides.notes_cite",
                        citation=f"[{numbers[source.id]}] {gbt7714(source, tr.lang)}",
                    )
                )
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


@functools.cache
def _run_properties(size: float, bold: bool, colour: str, lang: str) -> BaseOxmlElement:
    """A run's properties, built once per look: size, weight, colour, and the East Asian
    face set explicitly with the Latin and complex-script faces (Office and WPS otherwise
    pick a fallback of their own for CJK). pitchFamily and charset (GB2312) let a machine
    without the face substitute a Chinese sans-serif, not a random one; the language tag
    keeps spell checkers from taking Chinese for misspelt English. The schema orders the
    children fill, latin, ea, cs (PowerPoint calls the file damaged otherwise)."""
    face = theme.SLIDE_FONT
    return parse_xml(
        f'<a:rPr {nsdecls("a")} lang="{lang}" altLang="en-US" sz="{round(size * 100)}"'
        f' b="{1 if bold else 0}">'
        f'<a:solidFill><a:srgbClr val="{colour.lstrip("#").upper()}"/></a:solidFill>'
        f'<a:latin typeface="{face}" pitchFamily="34" charset="0"/>'
        f'<a:ea typeface="{face}" pitchFamily="34" charset="-122"/>'
        f'<a:cs typeface="{face}"/>'
        "</a:rPr>"
    )


def _format_run(run: _Run, size: float, bold: bool, colour: str, lang: str) -> None:
    """Set a new run's properties from their template (python-pptx's setters, one lxml
    lookup each, cost about 1.5 ms a run: a deck has thousands)."""
    tag = "zh-CN" if has_cjk(run.text) or lang == "zh" else "en-US"
    r = run._r
    old = r.rPr
    if old is not None:
        r.remove(old)
    r.insert(0, copy.deepcopy(_run_properties(size, bold, colour, tag)))


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
        _format_run(run, para.size, para.bold, para.colour, lang)


def _text_box(
    slide: Slide,
    top: float,
    height: float,
    paragraphs: Sequence[Para],
    lang: str,
    left: float = MARGIN_IN,
    width: float = CONTENT_W_IN,
) -> float:
    """A text box at (`left`, `top`) inches, across the content width by default; returns
    its bottom."""
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    _fill(box.text_frame, paragraphs, lang)
    return top + height


def _paras_height(paragraphs: Sequence[Para], width_in: float = CONTENT_W_IN) -> float:
    """A text box's height for `paragraphs` (with its inner margins and a little slack)."""
    return sum(_height_in(p.text, p.size, width_in - 0.1) for p in paragraphs) + 0.12


def _notes(slide: Slide, lines: Sequence[str], lang: str) -> None:
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None
    _fill(frame, [Para(line, BODY_PT) for line in lines], lang)


# --------------------------------------------------------------------------------------------
# What a figure says on a slide.


def _source_line(view: ChartView, source_id: str, words: grammar.Words) -> str:
    """ "资料来源：[2] 沪科提复〔2021〕116号 · 2021年…（原文载明）" / "Source: [2] SSTC reply
    No. 116 (2021) · … (stated)": the deck's number and the document's short name in the
    slide's language, as chart slides cite it."""
    tr = words.tr
    source = next(m.source for m in view.plan.marks if m.source.id == source_id)
    return tr("chart.source_prefix") + f"{view.cites[source.id]} · {source_date(tr, source)}"


def _caveats(view: ChartView, words: grammar.Words) -> list[str]:
    """What the slide must say beside a mark whose meaning is not plain: a figure whose
    period the catalogue records as inferred, with its recorded reason (the catalogue's
    `ambiguity`)."""
    tr = words.tr
    out = []
    for mark in view.plan.marks:
        if mark.obs.period_inferred and mark.obs.ambiguity is not None:
            out.append(tr("trends.ambiguity", text=tr.text(mark.obs.ambiguity)))
    return out


def card_sentence(view: ChartView, words: grammar.Words) -> str:
    """The figure in a sentence of the slide's language, qualifier and unit in words:
    "Cumulative trades …: more than 10 bn yuan (cumulative as of 25 Jun 2025)."."""
    tr = words.tr
    (mark,) = view.plan.marks
    indicator = view.plan.series[0].indicator
    value = value_text(indicator, mark.obs, words, place=mark.place, with_unit=True, prose=True)
    return tr(
        "slides.card_sentence", name=tr.text(indicator.name), value=value, period=mark.period_words
    )


def _quote_paras(view: ChartView, words: grammar.Words, size: float) -> list[Para]:
    """The figure's words: in Chinese its quote; in English a sentence of ours, then the
    quote marked as the original."""
    tr = words.tr
    card = view.card
    assert card is not None
    if tr.lang == "zh":
        return [Para(f"“{card.quote}”", size)]
    return [
        Para(card_sentence(view, words), size),
        Para(
            tr("slides.original", quote=card.quote),
            max(BODY_PT, size - 4),
            colour=theme.MUTED_COLOUR,
        ),
    ]


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
    y = _text_box(slide, y, _paras_height(figure), figure, lang) + 0.2
    foot = [Para(line, BODY_PT) for line in _card_notes(view, words)]
    foot.append(Para(_source_line(view, card.source_id, words), BODY_PT, colour=theme.MUTED_COLOUR))
    foot_height = _paras_height(foot)
    foot_top = SLIDE_H_IN - 0.3 - foot_height
    inner, room = CONTENT_W_IN - 0.5, foot_top - y - 0.2
    # The words at the largest size at which all of them fit above the source line.
    label = Para(tr("trends.card_quote"), BODY_PT, bold=True, colour=theme.MUTED_COLOUR)
    for size in (QUOTE_PT, 18, 16, BODY_PT):
        quote = (
            [label, *_quote_paras(view, words, size)]
            if lang == "zh"
            else _quote_paras(view, words, size)
        )
        if _paras_height(quote, inner) + 0.3 <= room:
            break
    height = min(_paras_height(quote, inner) + 0.3, room)
    panel = _panel(slide, MARGIN_IN, y, CONTENT_W_IN, height, theme.QUOTE_FILL)
    _fill(panel, quote, lang)
    panel.margin_left = panel.margin_right = Inches(0.25)
    panel.margin_top = panel.margin_bottom = Inches(0.15)
    _text_box(slide, foot_top, foot_height, foot, lang)


# A cards slide: the figures side by side, each in a column of its own: the number, then
# its period and qualifier, its words, caveats and document.
CARD_GAP_IN = 0.2
CARD_PAD_IN = 0.15
CARDS_TOP_IN = 0.3


def _column_width(count: int) -> float:
    return (CONTENT_W_IN - CARD_GAP_IN * (count - 1)) / count


def _card_notes(view: ChartView, words: grammar.Words) -> list[str]:
    """What a card must say besides its figure: ranks the document gives without years,
    another document's disagreement (as on its page card), and a period it does not name.
    (A zero start or a join is drawn on charts only.)"""
    disputes = [f"{label} · {note}" for label, note in view.card.disputes] if view.card else []
    return [*view.plan.unranked_notes, *disputes, *_caveats(view, words)]


# A card's (title, value, text) sizes, largest first: a slide of few words gets large type.
CARD_SIZES = ((22, 44, 20), (20, 40, 18), (18, 32, 16), (BODY_PT + 2, CARD_VALUE_PT, BODY_PT))


def _column(view: ChartView, words: grammar.Words, sizes: tuple[int, int, int]) -> list[Para]:
    card = view.card
    assert card is not None
    title, value, text = sizes
    paras = [
        Para(card.title, title, bold=True),
        Para(card.value, value, bold=True, colour=theme.colour(0)),
        Para(f"{card.period} · {card.qualifier}", text, bold=True),
    ]
    paras += _quote_paras(view, words, text)
    if card.derived:
        paras.append(Para(card.derived, BODY_PT, colour=theme.MUTED_COLOUR))
    paras += [Para(line, BODY_PT) for line in _card_notes(view, words)]
    paras.append(
        Para(_source_line(view, card.source_id, words), BODY_PT, colour=theme.MUTED_COLOUR)
    )
    return paras


def _column_height(
    view: ChartView, words: grammar.Words, count: int, sizes: tuple[int, int, int] = CARD_SIZES[-1]
) -> float:
    inner = _column_width(count) - 2 * CARD_PAD_IN
    return _paras_height(_column(view, words, sizes), inner) + 2 * CARD_PAD_IN


def _cards_heading(groups: Sequence[str], topic: str) -> list[Para]:
    """The subjects of the cards as the slide's title, the topic under it (the topic
    alone when the subjects would not fit on one line)."""
    titles = [g for g in dict.fromkeys(groups) if g]
    heading = " · ".join(titles)
    if not heading or _text_lines(heading, TITLE_PT - 4, CONTENT_W_IN - 0.1) > 1:
        return [Para(topic, TITLE_PT - 4, bold=True)]
    return [
        Para(heading, TITLE_PT - 4, bold=True),
        Para(topic, SUBTITLE_PT, colour=theme.MUTED_COLOUR),
    ]


def _cards_room(head: Sequence[Para]) -> float:
    return SLIDE_H_IN - 0.3 - (CARDS_TOP_IN + _paras_height(head) + 0.15)


def _fits(chunk: Sequence[tuple[str, ChartView]], topic: str, words: grammar.Words) -> bool:
    room = _cards_room(_cards_heading([g for g, _ in chunk], topic))
    return all(_column_height(v, words, len(chunk)) <= room for _, v in chunk)


def _card_pages(
    run: Sequence[tuple[str, ChartView]], topic: str, words: grammar.Words
) -> list[Page]:
    """Consecutive single figures (group title, view), several to a slide: as few slides
    as fit, as evenly filled as they fit (11 cards are 3+3+3+2, not 3+3+3+1+1); a figure
    alone stays a figure-card slide."""
    if len(run) <= 1:
        return [view for _, view in run]
    chunks: list[Sequence[tuple[str, ChartView]]] = [[item] for item in run]
    for count in range(-(-len(run) // CARDS_PER_SLIDE), len(run)):
        sizes = [len(run) // count + (k < len(run) % count) for k in range(count)]
        trial, at = [], 0
        for size in sizes:
            trial.append(run[at : at + size])
            at += size
        if all(_fits(c, topic, words) for c in trial):
            chunks = trial
            break
    pages: list[Page] = []
    for chunk in chunks:
        if len(chunk) == 1:
            pages.append(chunk[0][1])
        else:
            head = _cards_heading([g for g, _ in chunk], topic)
            pages.append(Cards(head[0].text, topic, tuple(v for _, v in chunk)))
    return pages


def _cards_slide(slide: Slide, page: Cards, words: grammar.Words) -> None:
    lang = words.tr.lang
    head = [Para(page.heading, TITLE_PT - 4, bold=True)]
    if page.heading != page.topic:
        head.append(Para(page.topic, SUBTITLE_PT, colour=theme.MUTED_COLOUR))
    top = _text_box(slide, CARDS_TOP_IN, _paras_height(head), head, lang) + 0.15
    count = len(page.views)
    width = _column_width(count)
    room = SLIDE_H_IN - 0.3 - top
    # The largest type at which every card fits the room left.
    for sizes in CARD_SIZES:
        height = max(_column_height(v, words, count, sizes) for v in page.views)
        if height <= room:
            break
    height = min(height, room)
    for k, view in enumerate(page.views):
        left = MARGIN_IN + k * (width + CARD_GAP_IN)
        frame = _panel(slide, left, top, width, height, theme.QUOTE_FILL)
        _fill(frame, _column(view, words, sizes), lang)
        frame.margin_left = frame.margin_right = Inches(CARD_PAD_IN)
        frame.margin_top = frame.margin_bottom = Inches(CARD_PAD_IN)


def _panel(
    slide: Slide, left: float, top: float, width: float, height: float, fill: str
) -> TextFrame:
    """A filled box (inches): a text box, since an autoshape brings a theme shadow that
    LibreOffice draws whatever the slide says."""
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    box.fill.solid()
    box.fill.fore_color.rgb = _rgb(fill)
    return box.text_frame


# --------------------------------------------------------------------------------------------
# Chart slides.


def _years_words(view: ChartView, words: grammar.Words) -> str:
    """The period the chart's figures cover, in words: "2021—2023年"."""
    tr = words.tr
    marks = view.plan.marks
    start = min((m.obs.span.start or m.obs.span.end).year for m in marks)
    end = max(m.obs.span.end.year for m in marks)
    if start == end:
        return date_words(tr, date(end, 1, 1), "year")
    return tr("slides.years", start=start, end=end)


def _footer(view: ChartView, words: grammar.Words) -> list[Para]:
    """The chart's notes, change, caveats, source line, newest date and events, as the page
    prints them under the chart; and how many figures lie outside the years shown. Never
    smaller than BODY_PT: the chart gives up height instead."""
    tr = words.tr
    source_prefix = tr("chart.source_prefix")
    lines = [line for line in view.footer if line]
    caveats = _caveats(view, words)
    at = next((k for k, line in enumerate(lines) if line.startswith(source_prefix)), len(lines))
    lines[at:at] = caveats
    if view.plan.outside:
        lines.append(tr.plural("trends.outside_range", view.plan.outside))
    return [
        Para(
            line,
            BODY_PT,
            colour=theme.MUTED_COLOUR if line.startswith(source_prefix) else theme.TEXT_COLOUR,
        )
        for line in lines
    ]


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


def _cover_slide(slide: Slide, cover: Cover, words: grammar.Words) -> None:
    tr, lang = words.tr, words.tr.lang
    # A band in the first chart colour marks the start of a topic.
    _panel(slide, 0, 0, 0.25, SLIDE_H_IN, theme.colour(0))
    head = [Para(cover.heading, COVER_PT, bold=True)]
    head += [Para(line, SUBTITLE_PT + 2, colour=theme.MUTED_COLOUR) for line in cover.lines]
    y = _text_box(slide, 1.2, _paras_height(head), head, lang) + 0.4
    docs = [Para(tr("slides.documents"), SUBTITLE_PT, bold=True)]
    docs += [Para(entry, BODY_PT, colour=theme.MUTED_COLOUR) for entry in cover.documents]
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
    for size in (24, 20, 18, 16, BODY_PT):
        body = [Para(f"• {line}", size) for line in page.lines]
        if _paras_height(body) <= room:
            break
    for para in body:
        para_box = _paras_height([para])
        y = _text_box(slide, y, para_box, [para], lang) + size * 0.4 / 72


# --------------------------------------------------------------------------------------------
# Speaker notes: what a presenter reads out when asked "where does that number come from?"


def figure_note(view: ChartView, mark: grammar.Mark, words: grammar.Words) -> str:
    """ "[2] 名称 · 2023年 · 超 300 亿元 · 超过（下限值）": the figure with its qualifier and
    unit as the chart's scale writes it (formatting's own functions), and the qualifier in
    words."""
    tr = words.tr
    indicator = next(s.indicator for s in view.plan.series if s.indicator.id == mark.indicator)
    value = value_text(indicator, mark.obs, words, view.plan.scale, mark.place, with_unit=True)
    qualifier = tr("qualifier." + mark.qualifier)
    if mark.derived:
        qualifier += f" · {tr('chart.derived')}"
    return tr(
        "slides.notes_figure",
        n=view.numbers.get(mark.source.id, 0),
        name=tr.text(indicator.name),
        period=mark.period_words,
        value=value,
        qualifier=qualifier,
    )


def view_notes(catalogue: Catalogue, view: ChartView, words: grammar.Words) -> list[str]:
    """Each figure of the view with its value, qualifier and unit, verbatim quote, any
    recorded caveat and full citation, then each event."""
    tr = words.tr
    lines = [view.title]
    for mark in view.plan.marks:
        source = catalogue.sources_by_id[mark.source.id]
        lines += [
            "",
            figure_note(view, mark, words),
            tr("slides.notes_quote", quote=mark.obs.quote),
        ]
        if mark.obs.ambiguity is not None:
            lines.append(tr("trends.ambiguity", text=tr.text(mark.obs.ambiguity)))
        lines.append(tr("slides.notes_cite", citation=gbt7714(source, tr.lang)))
    for u in view.plan.unranked:
        # A place stated with no ranked year: not drawn, but a figure the presenter may be
        # asked about, with its words and caveat.
        lines += [
            "",
            tr(
                "slides.notes_figure",
                n=view.numbers.get(u.source.id, 0),
                name=tr.text(u.indicator.name),
                period=tr(
                    "period_words.as_of",
                    date=date_words(tr, u.obs.span.end, u.obs.span.precision),
                ),
                value=u.text,
                qualifier=tr("qualifier." + u.obs.qualifier.value),
            ),
            tr("slides.notes_quote", quote=u.obs.quote),
        ]
        if u.obs.ambiguity is not None:
            lines.append(tr("trends.ambiguity", text=tr.text(u.obs.ambiguity)))
        lines.append(tr("slides.notes_cite", citation=gbt7714(u.source, tr.lang)))
    for note in view.plan.notes:
        lines += ["", note]
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
    figures = [
        label_layout.slide_figure(v.figure, boxes[id(v)].size, CONTENT_W_IN, LABEL_PT)
        for v in charts
        if v.figure is not None
    ]
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
        elif isinstance(page, Cards):
            _cards_slide(slide, page, words)
            lines: list[str] = []
            for view in page.views:
                lines += [*([""] if lines else []), *view_notes(catalogue, view, words)]
            _notes(slide, lines, lang)
        elif page.figure is not None:
            _chart_slide(slide, page, boxes[id(page)], png_of[id(page)], words)
            _notes(slide, view_notes(catalogue, page, words), lang)
        else:
            _card_slide(slide, page, words)
            _notes(slide, view_notes(catalogue, page, words), lang)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
