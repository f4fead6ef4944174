"""How well `draft` does, measured held-out: each document in turn is drafted against the
catalogue without that document's observations, and the drafts are compared with what the
analysts curated from it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.catalogue.authoring.draft import (
    Draft,
    Units,
    as_of_label,
    draft_source,
    draft_text,
    known_units,
)
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
    # Indicators, over the stated figures drafted at their place with their value: those
    # whose curated indicator other documents also hold (so it is still in the held-out
    # catalogue: the draft should propose it) and those only this document holds (a new
    # indicator is expected), how many of each the draft got right, and how many drafts
    # proposed an existing indicator that is not the curated one.
    existing_expected: int = 0
    existing_right: int = 0
    new_expected: int = 0
    new_right: int = 0
    wrong_existing: int = 0
    # The same, with data/terms.yaml left out (what the word groups add).
    plain_right: int = 0
    plain_existing_right: int = 0
    misses: list[str] = field(default_factory=list)
    mapping_misses: list[str] = field(default_factory=list)

    @property
    def mapped(self) -> int:
        """Figures drafted at their place, whose indicator was chosen."""
        return self.existing_expected + self.new_expected

    @property
    def indicator_accuracy(self) -> float | None:
        """How often the drafted indicator is the curated one (or new, when only this
        document holds it)."""
        return (self.existing_right + self.new_right) / self.mapped if self.mapped else None

    @property
    def existing_accuracy(self) -> float | None:
        return self.existing_right / self.existing_expected if self.existing_expected else None

    @property
    def plain_accuracy(self) -> float | None:
        return self.plain_right / self.mapped if self.mapped else None

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
    units = known_units(base_dir)
    as_of = as_of_label(full.sources_by_id[source_id])
    drafts = draft_text(text, held, source_id, as_of, False, source_id, units)
    plain = Units(units.table, {})
    plain_drafts = draft_text(text, held, source_id, as_of, False, source_id, plain)
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
        # The indicator: any draft of this value at this place (in another unit too: a
        # draft in 个 of a figure curated in 家 is a wrong indicator, not a missing one).
        at_place = [d for d in here if same_number(d.value, obs.value)]
        if at_place:
            plain_at = [
                d
                for d in plain_drafts
                if _inside(d, spans[id(obs)]) and same_number(d.value, obs.value)
            ]
            _score_indicator(score, held, ind.id, at_place[0], plain_at[0] if plain_at else None)
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


def _right(held: Catalogue, curated: str, proposed: str) -> bool:
    """The curated indicator when the held-out catalogue still has it, else a new one."""
    if curated in held.indicators_by_id:
        return proposed == curated
    return proposed not in held.indicators_by_id


def _score_indicator(
    score: DocScore, held: Catalogue, curated: str, draft: Draft, plain: Draft | None
) -> None:
    right = _right(held, curated, draft.indicator)
    if curated in held.indicators_by_id:
        score.existing_expected += 1
        score.existing_right += right
    else:
        score.new_expected += 1
        score.new_right += right
    if draft.indicator in held.indicators_by_id and draft.indicator != curated:
        score.wrong_existing += 1
    if plain is not None:
        plain_right = _right(held, curated, plain.indicator)
        score.plain_right += plain_right
        score.plain_existing_right += plain_right and curated in held.indicators_by_id
    if not right:
        expected = curated if curated in held.indicators_by_id else "a new indicator"
        score.mapping_misses.append(
            f"{draft.value} {draft.unit} (line {draft.line}): drafted `{draft.indicator}`, "
            f"curated {expected}"
        )


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
    total = _total(scores)
    rows.append(
        f"| {total.source_id} | {total.curated} | {_percent(total.recall)} "
        f"| {_percent(total.qualifier_agreement)} | {total.drafts} | {_percent(total.precision)} "
        f"| {_percent(total.new_text_recall)} | {_percent(total.new_text_precision)} |"
    )
    return "\n".join(rows) + "\n"


def _total(scores: list[DocScore]) -> DocScore:
    total = DocScore("all documents")
    for s in scores:
        for name in (
            "curated",
            "found",
            "located",
            "qualifier_agree",
            "drafts",
            "real",
            "new_text_found",
            "new_text_drafts",
            "new_text_real",
            "existing_expected",
            "existing_right",
            "new_expected",
            "new_right",
            "wrong_existing",
            "plain_right",
            "plain_existing_right",
        ):
            setattr(total, name, getattr(total, name) + getattr(s, name))
    return total


def _ratio(right: int, out_of: int) -> str:
    return f"{right} / {out_of}" if out_of else "—"


def indicator_table(scores: list[DocScore]) -> str:
    """The Markdown table of how often `draft` proposes the curated indicator."""
    rows = [
        "| document | figures drafted | existing indicator expected: proposed | new indicator "
        "expected: new | wrong existing id | indicator right | without data/terms.yaml: "
        "existing proposed, right |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in [*scores, _total(scores)]:
        name = s.source_id if s.source_id == "all documents" else f"`{s.source_id}`"
        rows.append(
            f"| {name} | {s.mapped} | {_ratio(s.existing_right, s.existing_expected)} "
            f"| {_ratio(s.new_right, s.new_expected)} | {s.wrong_existing} "
            f"| {_percent(s.indicator_accuracy)} "
            f"| {_ratio(s.plain_existing_right, s.existing_expected)}, "
            f"{_percent(s.plain_accuracy)} |"
        )
    return "\n".join(rows) + "\n"
