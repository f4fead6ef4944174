"""The view's state in the URL: parse query parameters defensively, write them back."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from dashboard.figures.i18n import DEFAULT_LANG, LANGS

DEFAULT_FROM = 2019
DEFAULT_TO = 2025
# Ids are snake_case ASCII of at most 64 characters (catalogue format); anything else is hostile.
_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_YEAR_RE = re.compile(r"^\d{4}$")
_MAX_IDS = 12
_SHOWN_CHARS = 40


@dataclass(frozen=True)
class Notice:
    """A problem with the link, told to the reader: an i18n key under `url.` and its slots."""

    key: str
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ViewState:
    lang: str = DEFAULT_LANG
    indicators: tuple[str, ...] = ()
    year_from: int = DEFAULT_FROM
    year_to: int = DEFAULT_TO
    present: bool = False
    # True when the link named indicators but none of them is usable.
    indicator_rejected: bool = False
    # True when the link sets the years; otherwise a chart fits the years of its figures.
    years_given: bool = False
    topic: str = ""  # the topic page's topic ("" before one is chosen)


def shown(value: str, limit: int = _SHOWN_CHARS) -> str:
    """A hostile value made safe to quote inside a Markdown code span: no backticks or
    control characters, and short."""
    cleaned = "".join(ch for ch in value if ch.isprintable() and ch != "`")
    if len(cleaned) > limit:
        cleaned = cleaned[:limit] + "…"
    return cleaned or " "


def _listed(values: Sequence[str], shown_at_most: int = 3) -> str:
    """`a, b, c (+4)`: the first few values of a list a notice names."""
    head = ", ".join(values[:shown_at_most])
    rest = len(values) - shown_at_most
    return f"{head} (+{rest})" if rest > 0 else head


def _first(params: Mapping[str, Sequence[str]], name: str, notices: list[Notice]) -> str | None:
    values = list(params.get(name, ()))
    if not values:
        return None
    if len(values) > 1:
        notices.append(Notice("repeated", {"param": name}))
    return values[0]


def _year(
    raw: str | None,
    name: str,
    default: int,
    bounds: tuple[int, int],
    notices: list[Notice],
) -> int:
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if not _YEAR_RE.match(text):
        notices.append(Notice("bad_year", {"param": name, "value": shown(raw)}))
        return default
    year = int(text)
    low, high = bounds
    if not low <= year <= high:
        notices.append(
            Notice(
                "year_out_of_range",
                {"param": name, "value": text, "low": str(low), "high": str(high)},
            )
        )
        return min(max(year, low), high)
    return year


def parse(
    params: Mapping[str, Sequence[str]],
    known_ids: Collection[str],
    year_bounds: tuple[int, int] = (DEFAULT_FROM, DEFAULT_TO),
    known_topics: Collection[str] = (),
) -> tuple[ViewState, list[Notice]]:
    """Read every parameter we own; each bad value becomes a Notice and falls back to its
    default, so no link can crash a page. Values are never used as paths."""
    notices: list[Notice] = []

    lang_raw = _first(params, "lang", notices)
    lang = DEFAULT_LANG
    if lang_raw is not None:
        if lang_raw in LANGS:
            lang = lang_raw
        else:
            notices.append(Notice("bad_lang", {"value": shown(lang_raw)}))

    present_raw = _first(params, "present", notices)
    present = False
    if present_raw is not None:
        if present_raw in {"1", "0", ""}:
            present = present_raw == "1"
        else:
            notices.append(Notice("bad_present", {"value": shown(present_raw)}))

    ids: list[str] = []
    rejected = False
    ind_raw = _first(params, "indicator", notices)
    if ind_raw is not None and ind_raw.strip():
        parts = [p.strip() for p in ind_raw.split(",") if p.strip()]
        if len(parts) > _MAX_IDS:
            notices.append(Notice("too_many_indicators", {"count": str(_MAX_IDS)}))
            parts = parts[:_MAX_IDS]
        bad: list[str] = []
        unknown: list[str] = []
        for part in parts:
            if not _ID_RE.match(part):
                bad.append(shown(part))
            elif part not in known_ids:
                unknown.append(part)
            elif part not in ids:
                ids.append(part)
        # One notice per kind of problem, however many ids a link gets wrong.
        if unknown:
            notices.append(Notice("unknown_indicator", {"value": _listed(unknown)}))
        if bad:
            notices.append(Notice("bad_indicator", {"value": _listed(bad)}))
        rejected = not ids

    low, high = year_bounds
    from_raw = _first(params, "from", notices)
    to_raw = _first(params, "to", notices)
    year_from = _year(from_raw, "from", max(DEFAULT_FROM, low), year_bounds, notices)
    year_to = _year(to_raw, "to", min(DEFAULT_TO, high), year_bounds, notices)
    given = any(raw is not None and _YEAR_RE.match(raw.strip()) for raw in (from_raw, to_raw))
    if year_from > year_to:
        notices.append(Notice("years_swapped", {"from": str(year_from), "to": str(year_to)}))
        year_from, year_to = year_to, year_from

    topic = ""
    topic_raw = _first(params, "topic", notices)
    if topic_raw:
        if _ID_RE.match(topic_raw) and topic_raw in known_topics:
            topic = topic_raw
        else:
            notices.append(Notice("bad_topic", {"value": shown(topic_raw)}))

    state = ViewState(lang, tuple(ids), year_from, year_to, present, rejected, given, topic)
    return state, notices


def common_params(state: ViewState) -> dict[str, str]:
    """Parameters every page carries (language and presenter mode)."""
    out = {"lang": state.lang}
    if state.present:
        out["present"] = "1"
    return out


def trends_params(state: ViewState, indicators: Sequence[str] | None = None) -> dict[str, str]:
    """Parameters of a Trends view: a copied link reopens the same chart."""
    out = common_params(state)
    ids = list(indicators) if indicators is not None else list(state.indicators)
    if ids:
        out["indicator"] = ",".join(ids)
    if state.years_given:
        out["from"] = str(state.year_from)
        out["to"] = str(state.year_to)
    return out


def topic_params(state: ViewState, topic: str) -> dict[str, str]:
    """Parameters of a topic page."""
    return {**common_params(state), "topic": topic}


def parse_source(
    params: Mapping[str, Sequence[str]], known_ids: Collection[str]
) -> tuple[str | None, list[Notice]]:
    """The Sources page's `source` parameter: a known source id, else None and a notice."""
    notices: list[Notice] = []
    raw = _first(params, "source", notices)
    if raw is None or raw == "":
        return None, notices
    if _ID_RE.match(raw) and raw in known_ids:
        return raw, notices
    notices.append(Notice("bad_source", {"value": shown(raw)}))
    return None, notices


def source_params(state: ViewState, source_id: str, quote: str = "") -> dict[str, str]:
    """Parameters of a Sources view of one document, landing on one quote if given."""
    out = {**common_params(state), "source": source_id}
    if quote:
        out["quote"] = quote
    return out


_ANCHOR_RE = re.compile(r"^[a-z0-9_-]{1,120}$")


def parse_quote(params: Mapping[str, Sequence[str]]) -> tuple[str, list[Notice]]:
    """The Sources page's `quote` parameter: an anchor id, or "" (unknown ones are simply
    not found on the page; hostile ones get a notice)."""
    notices: list[Notice] = []
    raw = _first(params, "quote", notices)
    if raw is None or raw == "":
        return "", notices
    if _ANCHOR_RE.match(raw):
        return raw, notices
    notices.append(Notice("bad_quote", {"value": shown(raw)}))
    return "", notices
