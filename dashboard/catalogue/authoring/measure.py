"""How well `draft` does, measured held-out: each document in turn is drafted against the
catalogue without that document's observations, and the drafts are compared with what the
analysts curated from it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.catalogue.authoring.draft import Draft, draft_source
from dashboard.catalogue.models import Catalogue, Observation
from dashboard.catalogue.numbers import same_number
from dashboard.catalogue.textnorm import NormalizedText, normalize
from dashboard.catalogue.validate import read_source_text
from dashboard.catalogue.yaml_source import load_yaml


@dataclass
class DocScore:
    """One document held out: its stated (not derived) observations and the drafts."""

    source_id: str
    curated: int = 0  # stated observations of the document
    found: int = 0  # ... drafted with the same value, unit, qualifier and period
    located: int = 0  # ... with a draft of the same value at the same place
    qualifier_agree: int = 0  # ... of those, with the same qualifier
    drafts: int = 0
    real: int = 0  # drafts of numbers that a curated observation states
    new_text_found: int = 0  # found when the document's events and dismissals are gone too
    new_text_drafts: int = 0
    new_text_real: int = 0
    # Indicators: figures whose curated indicator is still in the held-out catalogue, and
    # how many drafts there propose it; drafts proposing any existing id, and how many right.
    indicator_kept: int = 0
    indicator_found: int = 0
    indicator_proposed: int = 0
    indicator_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.found / self.curated if self.curated else None

    @property
    def qualifier_agreement(self) -> float | None:
        return self.qualifier_agree / self.located if self.located else None

    @property
    def precision(self) -> float | None:
        return self.real / self.drafts if self.drafts else None

    @property
    def new_text_recall(self) -> float | None:
        return self.new_text_found / self.curated if self.curated else None

    @property
    def new_text_precision(self) -> float | None:
        return self.new_text_real / self.new_text_drafts if self.new_text_drafts else None


def held_out_data(data: dict[str, Any], source_id: str, new_text: bool = False) -> dict[str, Any]:
    """The catalogue's data without `source_id`'s observations (an indicator left empty goes,
    and so does every reference to it); with `new_text`, without its events and its own
    dismissals too, as for a document never curated."""
    out = copy.deepcopy(data)
    kept = []
    for ind in out.get("indicators") or []:
        ind["observations"] = [o for o in ind["observations"] if o.get("source") != source_id]
        if ind["observations"]:
            kept.append(ind)
    ids = {ind["id"] for ind in kept}
    for ind in kept:
        ind["observations"] = [o for o in ind["observations"] if _inputs_kept(o, ids, out)]
        ind["not_comparable_with"] = [
            r for r in ind.get("not_comparable_with") or [] if r["indicator"] in ids
        ]
    out["indicators"] = [ind for ind in kept if ind["observations"]]
    events = out.get("events") or []
    if new_text:
        events = [e for e in events if e.get("source") != source_id]
        for source in out["sources"]:
            if source["id"] == source_id:
                source["dismissed"] = []
    for event in events:
        event["indicators"] = [i for i in event.get("indicators") or [] if i in ids]
    out["events"] = events
    if "topics" in out:
        out["topics"] = _topics_kept(out["topics"] or [], out["indicators"])
    return out


def _topics_kept(topics: list[dict[str, Any]], indicators: list[dict[str, Any]]) -> list[Any]:
    """Topics without what is gone: headline and group indicators, and statements that
    quote a figure no longer there."""
    kept = {
        (ind["id"], str(o["period"]), o["source"])
        for ind in indicators
        for o in ind["observations"]
    }
    ids = {ind["id"] for ind in indicators}

    def there(ref: dict[str, Any]) -> bool:
        return any(
            (i, p) == (ref["indicator"], str(ref["period"])) and ref.get("source") in (None, s)
            for i, p, s in kept
        )

    for topic in topics:
        topic["headline"] = [i for i in topic.get("headline") or [] if i in ids]
        topic["statements"] = [
            st for st in topic.get("statements") or [] if all(map(there, st["figures"].values()))
        ]
        groups = []
        for group in topic.get("groups") or []:
            group["indicators"] = [i for i in group["indicators"] if i in ids]
            if group["indicators"]:
                groups.append(group)
        topic["groups"] = groups
    return topics


def _inputs_kept(obs: dict[str, Any], ids: set[str], data: dict[str, Any]) -> bool:
    derived = obs.get("derived")
    return not derived or all(i["indicator"] in ids for i in derived["inputs"].values())


def score_document(
    full: Catalogue, held: Catalogue, base_dir: Path, source_id: str, fresh: Catalogue
) -> DocScore:
    """Compare the drafts of `source_id` (against `held`, and against `fresh` for the
    new-text precision) with its curated observations in `full`."""
    score = DocScore(source_id)
    text = read_source_text(full, source_id, base_dir)
    located = NormalizedText(text)
    drafts = draft_source(held, base_dir, source_id)
    fresh_drafts = draft_source(fresh, base_dir, source_id)
    stated = [
        (ind, obs)
        for ind in full.indicators
        for obs in ind.observations
        if obs.source == source_id and not obs.is_derived
    ]
    spans = {
        id(obs): located.find_all(normalize(obs.quote))
        for ind in full.indicators
        for obs in ind.observations
        if obs.source == source_id
    }
    for ind, obs in stated:
        score.curated += 1
        here = [d for d in drafts if _inside(d, spans[id(obs)])]
        same_value = [d for d in here if same_number(d.value, obs.value) and d.unit == ind.unit]
        if same_value:
            score.located += 1
            score.qualifier_agree += any(d.qualifier == obs.qualifier.value for d in same_value)
            _score_indicator(score, held, ind.id, same_value[0].indicator)
        if _proposed(drafts, spans[id(obs)], ind.unit, obs):
            score.found += 1
        else:
            got = ", ".join(f"{d.value} {d.unit} {d.qualifier} {d.period}" for d in here)
            score.misses.append(
                f"{ind.id}: {obs.value} {ind.unit} {obs.qualifier.value} {obs.period} "
                f"(drafted: {got or 'nothing'})"
            )
    figures = [
        (spans[id(obs)], float(obs.value))
        for ind in full.indicators
        for obs in ind.observations
        if obs.source == source_id
    ]
    score.drafts = len(drafts)
    score.real = sum(_is_figure(d, figures) for d in drafts)
    score.new_text_found = sum(
        _proposed(fresh_drafts, spans[id(obs)], ind.unit, obs) for ind, obs in stated
    )
    score.new_text_drafts = len(fresh_drafts)
    score.new_text_real = sum(_is_figure(d, figures) for d in fresh_drafts)
    return score


def _score_indicator(score: DocScore, held: Catalogue, curated: str, proposed: str) -> None:
    if curated in held.indicators_by_id:
        score.indicator_kept += 1
        score.indicator_found += proposed == curated
    if proposed in held.indicators_by_id:
        score.indicator_proposed += 1
        score.indicator_right += proposed == curated


def _proposed(
    drafts: list[Draft], spans: list[tuple[int, int]], unit: str, obs: Observation
) -> bool:
    """A draft at the observation's place with the same value, unit, qualifier and period."""
    return any(
        _inside(d, spans)
        and same_number(d.value, obs.value)
        and d.unit == unit
        and d.qualifier == obs.qualifier.value
        and d.period == obs.period
        for d in drafts
    )


def _inside(draft: Draft, spans: list[tuple[int, int]]) -> bool:
    return any(s <= draft.start and draft.end <= e for s, e in spans)


def _is_figure(draft: Draft, figures: list[tuple[list[tuple[int, int]], float]]) -> bool:
    """A draft is a real figure when an observation quoting its place states its value."""
    return any(
        _inside(draft, spans) and same_number(draft.value, value) for spans, value in figures
    )


def measure(catalogue_path: Path) -> list[DocScore]:
    """Every document of the catalogue held out in turn."""
    loaded = load_yaml(catalogue_path)
    if loaded.document is None:
        raise ValueError(f"{catalogue_path}: cannot be read: {loaded.problems[0]}")
    data = loaded.document.data
    full = Catalogue.model_validate(data)
    base_dir = Path(catalogue_path).resolve().parent
    scores = []
    for source in full.sources:
        held = Catalogue.model_validate(held_out_data(data, source.id))
        fresh = Catalogue.model_validate(held_out_data(data, source.id, new_text=True))
        scores.append(score_document(full, held, base_dir, source.id, fresh))
    return scores


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


def table(scores: list[DocScore]) -> str:
    """The Markdown table of docs/adding-a-document.md."""
    rows = [
        "| document | curated figures | recall | qualifier agreement | drafts | precision "
        "| as a new text: recall | as a new text: precision |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        rows.append(
            f"| `{s.source_id}` | {s.curated} | {_percent(s.recall)} "
            f"| {_percent(s.qualifier_agreement)} | {s.drafts} | {_percent(s.precision)} "
            f"| {_percent(s.new_text_recall)} | {_percent(s.new_text_precision)} |"
        )
    total = DocScore("all documents")
    for s in scores:
        for name in ("curated", "found", "located", "qualifier_agree", "drafts", "real"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
        for name in (
            "new_text_found",
            "new_text_drafts",
            "new_text_real",
            "indicator_kept",
            "indicator_found",
            "indicator_proposed",
            "indicator_right",
        ):
            setattr(total, name, getattr(total, name) + getattr(s, name))
    rows.append(
        f"| {total.source_id} | {total.curated} | {_percent(total.recall)} "
        f"| {_percent(total.qualifier_agreement)} | {total.drafts} | {_percent(total.precision)} "
        f"| {_percent(total.new_text_recall)} | {_percent(total.new_text_precision)} |"
    )
    rows.append("")
    rows.append(
        f"Indicators: of the {total.indicator_kept} figures whose indicator had figures from "
        f"other documents, {total.indicator_found} were drafted with that indicator's id; "
        f"{total.indicator_right} of the {total.indicator_proposed} drafts proposing an "
        "existing id proposed the right one (the others propose a new id)."
    )
    return "\n".join(rows) + "\n"
