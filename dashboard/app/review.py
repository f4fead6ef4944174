"""The review page's blocks (for analysts): a source or a pasted text, its draft figures in a
table of the columns that decide (keep, value, unit, qualifier, period, indicator) beside
the text, one row's details (quote, measure, ambiguity, notes…) in a panel, names and a
topic for new indicators, every problem in the page's language, then the YAML snippet or
the catalogue edit, checked by the validator before anything is written."""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.app import chrome, context, data_io, mode, urlstate
from dashboard.app.context import Context
from dashboard.catalogue import audit, data_files, paths
from dashboard.catalogue.authoring import apply, units_file
from dashboard.catalogue.authoring.draft import Draft, draft_source, draft_text, known_units
from dashboard.catalogue.authoring.metadata import as_of, known_from, propose
from dashboard.catalogue.authoring.safe_write import (
    WriteRefused,
    take_snapshot,
    validate_text,
    write_catalogue,
)
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import ID_PATTERN, Measure, Qualifier, Source
from dashboard.catalogue.scales import suggested_line
from dashboard.figures import highlight
from dashboard.figures.formatting import escape_markdown

# A pasted text is a document: the same size limit as a source file.
MAX_PASTE = 200_000
_PREVIEW = "_review_preview"
_DETAILS = "_review_details"
# The columns that decide, in the table; the rest of a row is in its details panel.
_TABLE = ("keep", "value", "unit", "qualifier", "period", "indicator")
_DETAIL_FIELDS = ("quote", "measure", "compared_with")
_TEXT_FIELDS = ("ambiguity", "notes")  # {zh, en} texts written with the observation


@dataclass(frozen=True)
class Choice:
    """The text under review and its drafts."""

    source_id: str
    text: str
    drafts: tuple[Draft, ...]
    in_catalogue: bool

    @property
    def key(self) -> str:
        """Widget keys per text and set of drafts: a table's ticks never move onto another
        text's rows, nor onto other rows once written figures leave the drafts."""
        drafted = [(d.start, d.end, d.cited_by) for d in self.drafts]
        seed = json.dumps([self.source_id, self.text, drafted], ensure_ascii=False)
        return hashlib.sha256(seed.encode()).hexdigest()[:12]


# --------------------------------------------------------------------------------------------
# Which text.


def newest_first(sources: list[Source]) -> list[Source]:
    """The sources as the picker lists them: the newest document first."""
    return sorted(sources, key=lambda s: (s.as_of, s.id), reverse=True)


def _source_param() -> None:
    """The link says the source shown (`?source=`), and none while a text is pasted."""
    chosen = st.session_state.get("w_review_source")
    if st.session_state.get("w_review_mode") == "paste":
        if "source" in st.query_params:
            del st.query_params["source"]
    elif chosen:
        st.query_params["source"] = chosen


def choose(ctx: Context) -> Choice | None:
    """A catalogue source (uncited figures, or every number) or a pasted new text;
    `?source=` preselects a source."""
    tr, cat = ctx.tr, ctx.catalogue
    linked, notices = urlstate.parse_source(context.query_lists(), cat.sources_by_id)
    chrome.show_notices(ctx, notices)
    if linked and st.session_state.get("_review_linked") != linked:
        # A link names a source: show it (once; the analyst may pick another after).
        st.session_state["_review_linked"] = linked
        st.session_state["w_review_mode"] = "source"
        st.session_state["w_review_source"] = linked
    mode = st.radio(
        tr("review.mode"),
        ["source", "paste"],
        format_func=lambda m: tr("review.mode_" + m),
        horizontal=True,
        key="w_review_mode",
        on_change=_source_param,
    )
    if mode == "source":
        ordered = newest_first(list(cat.sources))
        source_id = st.selectbox(
            tr("review.source"),
            [s.id for s in ordered],
            format_func=lambda i: (
                f"{cat.sources_by_id[i].as_of.isoformat()} · "
                f"{tr.text(cat.sources_by_id[i].short)} · {i}"
            ),
            key="w_review_source",
            placeholder=tr("a11y.choose_one"),
            on_change=_source_param,
        )
        return _source_choice(ctx, source_id)
    text = st.text_area(tr("review.paste"), key="w_review_text", height=200, max_chars=MAX_PASTE)
    if not text.strip():
        st.info(tr("review.paste_help"))
        return None
    known = known_source(ctx, text)
    if known is not None:
        source = cat.sources_by_id[known]
        st.info(tr("review.pasted_known", source=tr.text(source.short), id=known))
        return _source_choice(ctx, known)
    proposal = propose(text, known_from(s.model_dump() for s in cat.sources))
    source_id = st.text_input(
        tr("review.paste_id"), value=proposal.value("id") or "new_source", key="w_review_id"
    )
    if not _valid_id(source_id):
        st.error(tr("review.bad_id"))
        return None
    st.caption(tr("review.pasted_note"))
    units = known_units(ctx.loaded.base_dir)
    pasted = draft_text(text, cat, source_id, as_of(proposal), False, None, units)
    return Choice(source_id, text, tuple(pasted), False)


def _source_choice(ctx: Context, source_id: str) -> Choice | None:
    tr, cat = ctx.tr, ctx.catalogue
    everything = st.toggle(tr("review.all"), key="w_review_all", help=tr("review.all_help"))
    text = data_io.source_text(ctx.loaded, source_id)
    if text is None:
        st.error(tr("sources.unavailable"))
        return None
    # Once per catalogue version (the text is pinned by its hash), not on every rerun.
    drafts = data_io.per_version(
        ctx.loaded,
        "review_drafts",
        (source_id, everything),
        lambda: tuple(draft_source(cat, ctx.loaded.base_dir, source_id, everything)),
    )
    return Choice(source_id, text, drafts, True)


def _text_key(text: str) -> str:
    """A text as compared with the sources: line ends and a BOM do not count (a browser
    sends \\n for the file's \\r\\n)."""
    body = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def known_source(ctx: Context, text: str) -> str | None:
    """The catalogue source whose text this is, by hash: the file's recorded sha256, or
    the hash of its text with line ends and a BOM set aside."""
    raw = hashlib.sha256(text.encode("utf-8")).hexdigest()
    crlf = hashlib.sha256(text.replace("\r\n", "\n").replace("\n", "\r\n").encode()).hexdigest()
    for source in ctx.catalogue.sources:
        if source.sha256 in (raw, crlf):
            return source.id

    def keys() -> dict[str, str]:
        out: dict[str, str] = {}
        for source in ctx.catalogue.sources:
            body = data_io.source_text(ctx.loaded, source.id)
            if body is not None:
                out.setdefault(_text_key(body), source.id)
        return out

    by_key = data_io.per_version(ctx.loaded, "review_text_keys", (), keys)
    return by_key.get(_text_key(text))


def _valid_id(ident: str) -> bool:
    return bool(re.fullmatch(ID_PATTERN, ident)) and len(ident) <= 64


# --------------------------------------------------------------------------------------------
# The drafts: the table, and one row's details.


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def draft_table(ctx: Context, choice: Choice) -> list[dict[str, Any]]:
    """The drafts as an editable table of the columns that decide (the rest of each row is
    in its details: `detail_panel`); returns the kept rows as edited, with their details."""
    tr = ctx.tr
    if not choice.drafts:
        st.info(tr("review.none"))
        return []
    frame = pd.DataFrame(
        [{"keep": False, **{k: d.as_mapping().get(k) for k in _TABLE[1:]}} for d in choice.drafts]
    )
    config = {
        "keep": st.column_config.CheckboxColumn(tr("col.keep"), width=56),
        "value": st.column_config.NumberColumn(tr("col.value"), format="%g", width=90),
        "unit": st.column_config.TextColumn(tr("col.unit"), width=64),
        "qualifier": st.column_config.SelectboxColumn(
            tr("col.qualifier"),
            options=[q.value for q in Qualifier],
            format_func=lambda q: tr("qualifier." + str(q)),
            width=170,
            required=True,
        ),
        "period": st.column_config.TextColumn(tr("col.period"), width=160),
        "indicator": st.column_config.TextColumn(
            tr("col.indicator"), help=tr("review.indicator_help"), width="large"
        ),
    }
    edited = st.data_editor(
        frame,
        column_config=config,
        column_order=list(_TABLE),
        hide_index=True,
        key=f"w_review_table_{choice.key}",
    )
    rows = [{str(k): v for k, v in row.items()} for row in edited.to_dict("records")]
    st.session_state[f"_review_rows_{choice.key}"] = rows
    return kept_rows(choice, rows)


def kept_rows(choice: Choice, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows ticked to keep, as edited, each with its details and where it is."""
    details = _details(choice)
    out = []
    for k, row in enumerate(rows):
        if not bool(row.get("keep")):
            continue
        draft = choice.drafts[k]
        merged = dict(row)
        merged.update({f: getattr(draft, f) for f in _DETAIL_FIELDS})
        merged.update(details.get(k, {}))
        merged["line"] = draft.line
        merged["drafted"] = draft.indicator  # what the draft proposed (topic of a new one)
        merged["related"] = _named_in(draft.why)  # an existing indicator its reason names
        merged["source"] = choice.source_id
        out.append(merged)
    return out


def _details(choice: Choice) -> dict[int, dict[str, Any]]:
    """What the analyst set in rows' details, per row, for this text and its drafts (kept
    in the session: a row's widgets exist only while its panel is shown)."""
    store = st.session_state.setdefault(_DETAILS, {})
    found: dict[int, dict[str, Any]] = store.setdefault(choice.key, {})
    return found


def _row_label(ctx: Context, row: Mapping[str, Any], draft: Draft) -> str:
    value = row.get("value")
    shown = "" if _blank(value) else f"{value:g}" if isinstance(value, float) else str(value)
    mark = "✓ " if row.get("keep") else ""
    ident = str(row.get("indicator") or "") or "—"
    return mark + ctx.tr(
        "review.detail_row",
        line=draft.line,
        value=f"{shown} {row.get('unit') or ''}",
        indicator=ident,
    )


def detail_panel(ctx: Context, choice: Choice) -> list[dict[str, Any]]:
    """One row at a time: its quote, measure, base period, why it was drafted so, what its
    indicator is, and its ambiguity and notes (written to the catalogue with it). Returns
    the kept rows with the details as now set."""
    tr, cat = ctx.tr, ctx.catalogue
    rows: list[dict[str, Any]] = st.session_state.get(f"_review_rows_{choice.key}") or []
    if not rows:
        return []
    details = _details(choice)
    kept = [k for k, row in enumerate(rows) if row.get("keep")]
    pick = f"w_review_detail_{choice.key}"
    before = st.session_state.get(f"_review_kept_{choice.key}", [])
    st.session_state[f"_review_kept_{choice.key}"] = kept
    ticked = [k for k in kept if k not in before]
    if ticked:  # a row just ticked shows its details
        st.session_state[pick] = ticked[0]
    elif st.session_state.get(pick) not in range(len(rows)):
        st.session_state[pick] = kept[0] if kept else 0
    with st.container(border=True, key="review_details"):
        k = st.selectbox(
            tr("review.detail"),
            list(range(len(rows))),
            format_func=lambda i: _row_label(ctx, rows[i], choice.drafts[i]),
            key=pick,
            help=tr("review.detail_help"),
        )
        draft, row, saved = choice.drafts[k], rows[k], details.setdefault(k, {})
        base = f"w_rd_{choice.key}_{k}"
        ident = str(row.get("indicator") or "").strip()
        indicator = cat.indicators_by_id.get(ident)
        if indicator is not None:
            st.caption(
                tr(
                    "review.indicator_existing",
                    name=indicator.label(tr.lang),
                    topic=tr.topic(indicator.topic),
                    unit=indicator.unit,
                    measure=tr("measure." + indicator.measure.value),
                )
            )
        elif ident:
            st.caption(tr("review.indicator_new", id=ident))
        st.caption(tr("review.why", why=draft.why or "—", line=draft.line))
        if draft.cited_by:
            st.caption(tr("review.cited_by", by=draft.cited_by))
        saved["quote"] = (
            st.text_area(
                tr("col.quote"),
                value=saved.get("quote", draft.quote),
                key=f"{base}_quote",
                height=80,
            )
            or ""
        )
        measures = [m.value for m in Measure]
        current = saved.get("measure", draft.measure)
        if indicator is not None:  # an existing indicator keeps its own measure
            current = indicator.measure.value
        # Chosen by a click, never by typing: "rate" typed into a search picked growth_rate.
        chosen = st.radio(
            tr("col.measure"),
            measures,
            index=measures.index(current) if current in measures else None,
            format_func=lambda m: f"{tr('measure.' + m)} · {m}",
            horizontal=True,
            key=f"{base}_measure_{ident if indicator is not None else ''}",
            help=tr("review.measure_help"),
            disabled=indicator is not None,
        )
        if indicator is None:
            saved["measure"] = chosen
        base_period = saved.get("compared_with", draft.compared_with)
        saved["compared_with"] = (
            st.text_input(
                tr("col.compared_with"), value=base_period or "", key=f"{base}_compared_with"
            )
            or ""
        ).strip() or None
        for field in _TEXT_FIELDS:
            text = dict(saved.get(field) or {})
            left, right = st.columns(2)
            for lang, column in (("zh", left), ("en", right)):
                with column:
                    text[lang] = (
                        st.text_area(
                            f"{tr('review.' + field)} ({lang})",
                            value=text.get(lang, ""),
                            key=f"{base}_{field}_{lang}",
                            height=68,
                            help=tr(f"review.{field}_help"),
                        )
                        or ""
                    ).strip()
            saved[field] = text
    return kept_rows(choice, rows)


# --------------------------------------------------------------------------------------------
# Highlighted text.


def highlighted_text(ctx: Context, choice: Choice) -> None:
    """The text with every draft marked (already cited ones as quotes)."""
    spans = [
        highlight.Span(
            d.start,
            d.end,
            "cited" if d.cited_by else "unaccounted",
            f"{d.value} {d.unit} · {d.period}",
        )
        for d in choice.drafts
    ]
    key = (
        f'<p><span class="hl-key hl-unaccounted">{_escape(ctx.tr("review.legend_draft"))}</span>'
        f'<span class="hl-key hl-cited">{_escape(ctx.tr("sources.legend_cited"))}</span></p>'
    )
    st.html(key + highlight.render(choice.text, spans, label=ctx.tr("review.text")))


def _escape(text: str) -> str:
    return html.escape(text)


# --------------------------------------------------------------------------------------------
# New indicators.


def _named_in(why: str) -> list[str]:
    """The ids a draft's reason names (`contracts_value` has this subject…)."""
    return re.findall(r"`([a-z][a-z0-9_]*)`", why or "")


def _proposed_topic(ctx: Context, rows: list[dict[str, Any]], ident: str) -> tuple[str, str] | None:
    """(topic, the existing indicator it comes from) that a new indicator follows: the
    indicator its figures were drafted under (renamed by the analyst), else the existing
    indicator the draft's reason names (same subject, measure and unit, other words); else
    none: the analyst chooses."""
    for row in rows:
        if row.get("indicator") != ident:
            continue
        for candidate in [row.get("drafted"), *(row.get("related") or [])]:
            found = ctx.catalogue.indicators_by_id.get(str(candidate or ""))
            if found is not None:
                return found.topic, found.id
    return None


def new_indicator_names(ctx: Context, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Names, description, subject, topic (no default: it follows the indicator the figure
    was drafted under, or the analyst chooses) for each new indicator the kept rows name."""
    tr, cat = ctx.tr, ctx.catalogue
    new_ids = list(dict.fromkeys(
        str(r.get("indicator") or "").strip() for r in rows
        if str(r.get("indicator") or "").strip()
        and str(r.get("indicator")).strip() not in cat.indicators_by_id
    ))  # fmt: skip
    names: dict[str, dict[str, Any]] = {}
    topics = list(data_io.labels().get("topics", {}))
    for ident in new_ids:
        with st.expander(tr("review.new_indicator", id=ident), expanded=True):
            entry: dict[str, Any] = {}
            for field in apply.NEW_INDICATOR_TEXTS:
                left, right = st.columns(2)
                with left:
                    zh = st.text_input(
                        tr(f"review.{field}") + " (zh)", key=f"w_new_{ident}_{field}_zh"
                    )
                with right:
                    en = st.text_input(
                        tr(f"review.{field}") + " (en)", key=f"w_new_{ident}_{field}_en"
                    )
                entry[field] = {"zh": zh, "en": en}
            proposed = _proposed_topic(ctx, rows, ident)
            follows = proposed[0] if proposed and proposed[0] in topics else None
            entry["topic"] = st.selectbox(
                tr("review.topic"),
                topics,
                index=topics.index(follows) if follows else None,
                format_func=tr.topic,
                placeholder=tr("review.topic_choose"),
                key=f"w_new_{ident}_topic",
                help=tr("review.topic_help"),
            )
            if proposed and follows and entry["topic"] == follows:
                st.caption(tr("review.topic_follows", id=proposed[1]))
            if _counts_things(ctx, rows, ident):
                left, right = st.columns(2)
                with left:
                    one = st.text_input(tr("review.counts_one"), key=f"w_new_{ident}_counts_one")
                with right:
                    other = st.text_input(
                        tr("review.counts_other"), key=f"w_new_{ident}_counts_other"
                    )
                entry["counts"] = {"one": one, "other": other}
            names[ident] = entry
    return names


def _counts_things(ctx: Context, rows: list[dict[str, Any]], ident: str) -> bool:
    """Whether the new indicator's unit counts things (data/units.yaml `count: true`)."""
    unit = next((r.get("unit") for r in rows if r.get("indicator") == ident), None)
    spec = ctx.units.get(str(unit)) if unit is not None else None
    return isinstance(spec, dict) and spec.get("count") is True


# --------------------------------------------------------------------------------------------
# Problems, in the page's language, all of them, before any button.


def problems(
    ctx: Context, rows: list[dict[str, Any]], names: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Everything that keeps the kept rows from going into the catalogue, each said in the
    page's language (the row's line in the text, the field, what to do)."""
    tr, cat = ctx.tr, ctx.catalogue
    units = catalogue_units(ctx)
    out: list[str] = []
    for row in rows:
        line = row.get("line")
        ident = str(row.get("indicator") or "").strip()
        if not ident:
            out.append(tr("review.problem_no_indicator", line=line))
        elif ident not in cat.indicators_by_id and not _valid_id(ident):
            out.append(tr("review.problem_bad_id", line=line, id=ident))
        for key in ("value", "period"):
            if _blank(row.get(key)):
                out.append(tr("review.problem_missing", line=line, field=tr("col." + key)))
        unit = str(row.get("unit") or "")
        if unit and unit not in units:
            said = suggested_line(unit, units)
            out.append(tr("review.problem_unit", line=line, unit=unit, entry=said))
        for field in _TEXT_FIELDS:
            text = row.get(field) or {}
            if bool(text.get("zh")) != bool(text.get("en")):
                out.append(tr("review.problem_half", line=line, field=tr("review." + field)))
        new = bool(ident) and ident not in cat.indicators_by_id
        if new and _blank(row.get("measure")):  # an existing indicator has its measure
            out.append(tr("review.problem_measure", line=line))
    for ident, entry in names.items():
        missing = [
            f"{tr('review.' + field)} ({lang})"
            for field in apply.NEW_INDICATOR_TEXTS
            for lang in ("zh", "en")
            if not str((entry.get(field) or {}).get(lang) or "").strip()
        ]
        if missing:
            out.append(tr("review.problem_names", id=ident, fields="、".join(missing)
                          if tr.lang == "zh" else ", ".join(missing)))  # fmt: skip
        if not entry.get("topic"):
            out.append(tr("review.problem_topic", id=ident))
        counts = entry.get("counts")
        if counts is not None and not (counts.get("one") and counts.get("other")):
            out.append(tr("review.problem_counts", id=ident))
    if not out:
        # What only the catalogue's own grouping knows (a unit not the indicator's, two
        # units for one new indicator): each row on its own, so every one is reported.
        for row in rows:
            try:
                apply.group([row], cat, names, units)
            except apply.ReviewError as exc:
                reason = str(exc).split(": ", 1)[-1]
                out.append(tr("review.problem_row", line=row.get("line"), reason=reason))
        if not out:
            try:
                apply.group(rows, cat, names, units)
            except apply.ReviewError as exc:
                out.append(tr("review.not_ready", reason=str(exc)))
    return out


def catalogue_units(ctx: Context) -> dict[str, Any]:
    """data/units.yaml beside the catalogue: the units its validator knows (and where a
    unit added here goes)."""
    return data_files.units(ctx.loaded.base_dir)


# --------------------------------------------------------------------------------------------
# A unit the catalogue does not know yet: added here, or the line to add by hand.


def unit_adders(ctx: Context, rows: list[dict[str, Any]]) -> None:
    """For each unit of the kept rows that data/units.yaml does not list: the exact line
    to add to it, and a form that adds it (its English name and suffix checked, the line
    appended, the write logged)."""
    tr = ctx.tr
    units = catalogue_units(ctx)
    unknown = list(dict.fromkeys(
        str(r.get("unit")) for r in rows if r.get("unit") and str(r.get("unit")) not in units
    ))  # fmt: skip
    for unit in unknown:
        proposed = units_file.proposed_entry(ctx.loaded.base_dir, unit)
        display = proposed.get("display_en") or {}
        with st.container(border=True, key=f"review_unit_{_slug(unit)}"):
            st.markdown(f"**{_md(tr('review.unit_title', unit=unit))}**")
            st.caption(tr("review.unit_line"))
            st.code(suggested_line(unit, units), language="yaml", wrap_lines=True)
            left, right = st.columns(2)
            en = proposed.get("en", "")
            with left:
                en = st.text_input(
                    tr("review.unit_en"),
                    value="" if "…" in str(en) else str(en),
                    key=f"w_unit_{_slug(unit)}_en",
                )
            suffix = str(display.get("suffix", ""))
            with right:
                suffix = st.text_input(
                    tr("review.unit_suffix"),
                    value="" if "…" in suffix else suffix,
                    key=f"w_unit_{_slug(unit)}_suffix",
                )
            if "base" in proposed:
                st.caption(tr("review.unit_base", base=proposed["base"], factor=proposed["factor"]))
            counts = st.checkbox(
                tr("review.unit_count"),
                value=bool(proposed.get("count")),
                key=f"w_unit_{_slug(unit)}_count",
            )
            if st.button(tr("review.unit_add", unit=unit), key=f"w_unit_{_slug(unit)}_add"):
                entry: dict[str, Any] = {"en": en.strip()}
                for key in ("base", "factor"):
                    if key in proposed:
                        entry[key] = proposed[key]
                # Keep every display key proposed (a scaled count's magnitude word too); the
                # analyst edits only the suffix.
                entry["display_en"] = {"scale": 1, **display, "suffix": suffix}
                if counts:
                    entry["count"] = True
                _add_unit(ctx, unit, entry)


def _slug(unit: str) -> str:
    return hashlib.sha256(unit.encode()).hexdigest()[:10]


def _add_unit(ctx: Context, unit: str, entry: dict[str, Any]) -> None:
    tr = ctx.tr
    who = mode.analyst(ctx.mode)
    if who is None:
        st.error(tr("review.no_login"))
        return
    try:
        with audit.opened(ctx.loaded.path) as log:
            line = units_file.add_unit(ctx.loaded.base_dir, unit, entry)
            log.append(who, "add-unit", via="review page", unit=unit, line=line)
    except (WriteRefused, audit.AuditUnavailable) as refused:
        st.error(tr("review.unit_refused", reason=str(refused)))
        return
    st.success(tr("review.unit_added", line=line))


def _observation_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with their ambiguity and notes as {zh, en} texts (or none)."""
    out = []
    for row in rows:
        kept = dict(row)
        for field in _TEXT_FIELDS:
            text = row.get(field) or {}
            kept[field] = dict(text) if text.get("zh") and text.get("en") else None
        out.append(kept)
    return out


# --------------------------------------------------------------------------------------------
# Check, then write.


def _fingerprint(rows: list[dict[str, Any]], names: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps([rows, names], sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def _type_label(ctx: Context, problem: Problem) -> str:
    """The kind of problem in the page's language (its type where none is written)."""
    key = f"review.types.{problem.type}"
    return ctx.tr(key) if ctx.tr.has(key) else problem.type


def _listed(ctx: Context, found: list[Problem]) -> str:
    """Problems as a Markdown list: the kind in the page's language, then the validator's
    line (file, position, what, hint), never cut off."""
    return "\n".join(f"- **{_md(_type_label(ctx, p))}** · {_md(str(p))}" for p in found)


def _md(text: str) -> str:
    return escape_markdown(text)


def check_and_write(
    ctx: Context, choice: Choice, rows: list[dict[str, Any]], names: dict[str, Any]
) -> None:
    """Every problem first; then the snippet to download; for a catalogue source, the
    validator's verdict on the edited catalogue (its errors and the warnings this edit
    brings, all listed before anything else) and only then the button that writes it
    (refused if the file changed since the check)."""
    tr = ctx.tr
    if not rows:
        st.caption(tr("review.tick"))
        return
    unit_adders(ctx, rows)
    found = problems(ctx, rows, names)
    if found:
        st.error(tr("review.problems", count=len(found)))
        st.markdown("\n".join(f"- {_md(p)}" for p in found))
        return
    try:
        review = apply.group(_observation_rows(rows), ctx.catalogue, names, ctx.units)
    except apply.ReviewError as exc:
        st.error(tr("review.not_ready", reason=str(exc)))
        return
    st.download_button(
        tr("review.download", count=review.count),
        apply.snippet(review),
        file_name=f"{choice.source_id}_reviewed.yaml",
        mime="text/yaml",
        on_click="ignore",  # a download changes nothing on the page: no rerun
        key=f"w_review_download_{choice.key}",
    )
    if not choice.in_catalogue:
        st.info(tr("review.add_source_first"))
        return
    fingerprint = _fingerprint(rows, names)
    if st.button(tr("review.check"), key="w_review_check"):
        _check(ctx, review, fingerprint)
    preview = st.session_state.get(_PREVIEW)
    if not preview or preview["fingerprint"] != fingerprint:
        return
    result = preview["result"]
    if not result.ok:
        st.error(tr("review.invalid", count=len(result.errors)))
        st.markdown(_listed(ctx, result.errors))
        return
    before = {(p.type, p.message) for p in ctx.loaded.warnings}
    brought = [p for p in result.warnings if (p.type, p.message) not in before]
    opened = [p for p in brought if p.is_open]
    known = [p for p in brought if not p.is_open]
    if opened:
        st.warning(tr("review.warnings", count=len(opened)))
        st.markdown(_listed(ctx, opened))
        st.caption(tr("review.warnings_help"))
    if known:
        st.caption(tr("review.acknowledged", count=len(known)))
        st.markdown(_listed(ctx, known))
    verdict = "review.valid_with_warnings" if opened else "review.valid"
    st.success(tr(verdict, file=paths.display_name(ctx.loaded.path), count=len(opened)))
    if st.button(tr("review.apply", count=review.count), key="w_review_apply", type="primary"):
        who = mode.analyst(ctx.mode)
        if who is None:
            st.error(tr("review.no_login"))
            return
        try:
            _write_logged(who, choice, rows, preview)
        except (WriteRefused, audit.AuditUnavailable) as refused:
            st.error(tr("review.refused", reason=str(refused)))
        else:
            st.session_state.pop(_PREVIEW, None)
            st.success(tr("review.written", count=review.count, file=preview["snapshot"].name))


_LOGGED = ("indicator", "period", "value", "unit", "qualifier")


def writer_note(ctx: Context) -> None:
    """Under which name the audit log records this session's writes (the login's user, or
    this computer's); a warning when a login is expected and the request has none."""
    who = mode.analyst(ctx.mode)
    if who is None:
        st.warning(ctx.tr("review.no_login"))
        return
    how = "review.how_os" if who.how == "os-user" else "review.how_login"
    st.caption(ctx.tr("review.writing_as", user=_md(who.user), how=ctx.tr(how)))


def _write_logged(
    who: audit.Who, choice: Choice, rows: list[dict[str, Any]], preview: dict[str, Any]
) -> None:
    """Write the checked catalogue and log who wrote which figures (the log is opened
    first: a write that cannot be logged is not made)."""
    snapshot = preview["snapshot"]
    with audit.opened(snapshot.path) as log:
        write_catalogue(snapshot, preview["text"])
        log.append(
            who,
            "review-write",
            via="review page",
            catalogue=str(snapshot.path.resolve()),
            source=choice.source_id,
            figures=[{k: row.get(k) for k in _LOGGED} for row in rows],
            sha256_before=snapshot.sha256,
            sha256_after=hashlib.sha256(preview["text"].encode("utf-8")).hexdigest(),
        )


def _check(ctx: Context, review: apply.Review, fingerprint: str) -> None:
    try:
        snapshot = take_snapshot(ctx.loaded.path)
        text = apply.edited_text(snapshot.text, review)
        result = validate_text(snapshot, text)
    except (WriteRefused, apply.ReviewError) as exc:
        st.session_state.pop(_PREVIEW, None)
        st.error(ctx.tr("review.not_ready", reason=str(exc)))
        return
    st.session_state[_PREVIEW] = {
        "fingerprint": fingerprint,
        "snapshot": snapshot,
        "text": text,
        "result": result,
    }
