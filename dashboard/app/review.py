"""The review page's blocks (for analysts): a source or a pasted text, its draft figures in an
editable table beside the text, names for new indicators, then the YAML snippet or the
catalogue edit, checked by the validator before anything is written."""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.app import data_io
from dashboard.app.context import Context
from dashboard.catalogue import paths
from dashboard.catalogue.authoring import apply
from dashboard.catalogue.authoring.draft import Draft, draft_source, draft_text, known_units
from dashboard.catalogue.authoring.metadata import as_of, known_from, propose
from dashboard.catalogue.authoring.safe_write import (
    WriteRefused,
    take_snapshot,
    validate_text,
    write_catalogue,
)
from dashboard.catalogue.models import ID_PATTERN, Measure, Qualifier
from dashboard.figures import highlight

# A pasted text is a document: the same size limit as a source file.
MAX_PASTE = 200_000
_PREVIEW = "_review_preview"
_EDITABLE = ("keep", "indicator", "value", "unit", "qualifier", "period", "compared_with",
             "measure", "quote")  # fmt: skip
_SHOWN = (*_EDITABLE, "line", "why", "cited_by")


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


def choose(ctx: Context) -> Choice | None:
    """A catalogue source (uncited figures, or every number) or a pasted new text."""
    tr, cat = ctx.tr, ctx.catalogue
    mode = st.radio(
        tr("review.mode"),
        ["source", "paste"],
        format_func=lambda m: tr("review.mode_" + m),
        horizontal=True,
        key="w_review_mode",
    )
    if mode == "source":
        ordered = sorted(cat.sources, key=lambda s: s.as_of)
        source_id = st.selectbox(
            tr("review.source"),
            [s.id for s in ordered],
            format_func=lambda i: f"{tr.text(cat.sources_by_id[i].short)} · {i}",
            key="w_review_source",
            placeholder=tr("a11y.choose_one"),
        )
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
    text = st.text_area(tr("review.paste"), key="w_review_text", height=200, max_chars=MAX_PASTE)
    if not text.strip():
        st.info(tr("review.paste_help"))
        return None
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


def _valid_id(ident: str) -> bool:
    return bool(re.fullmatch(ID_PATTERN, ident)) and len(ident) <= 64


def draft_table(ctx: Context, choice: Choice) -> list[dict[str, Any]]:
    """The drafts as an editable table; returns the rows ticked to keep, as edited."""
    tr = ctx.tr
    if not choice.drafts:
        st.info(tr("review.none"))
        return []
    frame = pd.DataFrame(
        [{"keep": False, **{k: d.as_mapping().get(k) for k in _SHOWN[1:]}} for d in choice.drafts]
    )
    config = {
        "keep": st.column_config.CheckboxColumn(tr("col.keep")),
        "indicator": st.column_config.TextColumn(
            tr("col.indicator"), help=tr("review.indicator_help"), width="medium"
        ),
        "value": st.column_config.NumberColumn(tr("col.value"), format="%g"),
        "unit": st.column_config.TextColumn(tr("col.unit")),
        "qualifier": st.column_config.SelectboxColumn(
            tr("col.qualifier"), options=[q.value for q in Qualifier]
        ),
        "period": st.column_config.TextColumn(tr("col.period")),
        "compared_with": st.column_config.TextColumn(tr("col.compared_with")),
        "measure": st.column_config.SelectboxColumn(
            tr("col.measure"), options=[m.value for m in Measure]
        ),
        "quote": st.column_config.TextColumn(tr("col.quote"), width="large"),
        "line": st.column_config.NumberColumn(tr("col.line"), disabled=True),
        "why": st.column_config.TextColumn(tr("col.why"), disabled=True, width="large"),
        "cited_by": st.column_config.TextColumn(tr("col.cited_by"), disabled=True),
    }
    edited = st.data_editor(
        frame,
        column_config=config,
        hide_index=True,
        key=f"w_review_table_{choice.key}",
        disabled=["line", "why", "cited_by"],
    )
    return [
        {**{str(k): v for k, v in row.items()}, "source": choice.source_id}
        for row in edited.to_dict("records")
        if bool(row.get("keep"))
    ]


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


def new_indicator_names(ctx: Context, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Names, description, subject and topic for each new indicator the kept rows name."""
    tr, cat = ctx.tr, ctx.catalogue
    new_ids = list(dict.fromkeys(
        str(r.get("indicator") or "") for r in rows
        if r.get("indicator") and r["indicator"] not in cat.indicators_by_id
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
            entry["topic"] = st.selectbox(
                tr("review.topic"),
                topics,
                format_func=tr.topic,
                key=f"w_new_{ident}_topic",
                placeholder=tr("a11y.choose_one"),
            )
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


def _fingerprint(rows: list[dict[str, Any]], names: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps([rows, names], sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def check_and_write(
    ctx: Context, choice: Choice, rows: list[dict[str, Any]], names: dict[str, Any]
) -> None:
    """The snippet to download; for a catalogue source, the validator's verdict on the
    edited catalogue, and only then the button that writes it (refused if the file
    changed since the check)."""
    tr = ctx.tr
    if not rows:
        st.caption(tr("review.tick"))
        return
    try:
        review = apply.group(rows, ctx.catalogue, names)
    except apply.ReviewError as exc:
        st.error(tr("review.not_ready", reason=str(exc)))
        return
    st.download_button(
        tr("review.download", count=review.count),
        apply.snippet(review),
        file_name=f"{choice.source_id}_reviewed.yaml",
        mime="text/yaml",
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
        st.code("\n".join(str(p) for p in result.errors), language=None, wrap_lines=True)
        return
    st.success(tr("review.valid", file=paths.display_name(ctx.loaded.path)))
    if result.warnings:
        st.code("\n".join(f"{p} [{p.type}]" for p in result.warnings), language=None)
    if st.button(tr("review.apply", count=review.count), key="w_review_apply", type="primary"):
        try:
            write_catalogue(preview["snapshot"], preview["text"])
        except WriteRefused as refused:
            st.error(tr("review.refused", reason=str(refused)))
        else:
            st.session_state.pop(_PREVIEW, None)
            st.success(tr("review.written", count=review.count, file=preview["snapshot"].name))


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
