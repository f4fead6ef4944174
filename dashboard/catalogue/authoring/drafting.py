"""What `draft` runs on (a source id, or a text file in or out of the catalogue) and where
its drafts go (standard output or --out), refusing bad input by name."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from dashboard.catalogue import paths
from dashboard.catalogue.authoring.add_source import check_text, read_document
from dashboard.catalogue.authoring.draft import (
    Draft,
    draft_source,
    draft_text,
    known_units,
    to_csv,
    to_yaml,
)
from dashboard.catalogue.authoring.metadata import as_of, known_from, propose
from dashboard.catalogue.authoring.safe_write import WriteRefused
from dashboard.catalogue.models import ID_PATTERN
from dashboard.catalogue.validate import validate_path

_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class DraftRun:
    """The drafts of one source, and what they were drafted as."""

    label: str
    source_id: str
    drafts: list[Draft]
    new_text: bool
    include_cited: bool

    def summary(self) -> str:
        count = len(self.drafts)
        noun = "draft" if count == 1 else "drafts"
        if self.include_cited:
            cited = sum(d.cited_by is not None for d in self.drafts)
            return f"{self.label}: {count} {noun} ({cited} already cited)"
        hint = "" if count else " (every figure is cited or dismissed; --all drafts them all)"
        if self.new_text:
            hint += "; a text not in the catalogue: add it with add-source first"
        return f"{self.label}: {count} {noun} of figures neither cited nor dismissed{hint}"


def run(catalogue_path: Path, source: str, include_cited: bool = False) -> DraftRun:
    """Draft a source id of the catalogue, or a text file (a catalogue source's own file
    counts as that source)."""
    result = validate_path(catalogue_path)
    if not result.ok or result.catalogue is None:
        raise WriteRefused(
            f"{result.file}: cannot draft against an invalid catalogue: fix it first "
            "(python -m dashboard check)",
            result.errors,
        )
    catalogue = result.catalogue
    base_dir = Path(catalogue_path).resolve().parent
    if source in catalogue.sources_by_id:
        drafts = draft_source(catalogue, base_dir, source, include_cited)
        return DraftRun(source, source, drafts, False, include_cited)
    if _ID.match(source) and not Path(source).exists():
        known = ", ".join(catalogue.sources_by_id)
        raise WriteRefused(f"{source}: no source has this id, and no such file (ids: {known})")
    path, data = read_document(source, base_dir, "drafted")
    text = check_text(source, data, "drafted")
    digest = hashlib.sha256(data).hexdigest()
    for known_source in catalogue.sources:
        if known_source.sha256 == digest:
            drafts = draft_source(catalogue, base_dir, known_source.id, include_cited)
            return DraftRun(source, known_source.id, drafts, False, include_cited)
    proposal = propose(text, known_from(s.model_dump() for s in catalogue.sources))
    source_id = proposal.value("id") or _slug(path.stem)
    units = known_units(base_dir)
    drafts = draft_text(text, catalogue, source_id, as_of(proposal), include_cited, None, units)
    return DraftRun(source, source_id, drafts, True, include_cited)


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_")
    return slug if slug and slug[0].isalpha() else f"new_{slug}".rstrip("_")


def render(drafts: list[Draft], form: str) -> str:
    return to_csv(drafts) if form == "csv" else to_yaml(drafts)


def write_out(out: Path, text: str, catalogue_path: Path) -> None:
    """--out: any file but the catalogue and the data folder (sources, units, labels)."""
    target = out.resolve()
    root = Path(catalogue_path).resolve().parent
    shown = paths.display_name(out)
    if target == Path(catalogue_path).resolve():
        raise WriteRefused(f"{shown}: not written: that is the catalogue (write drafts elsewhere)")
    if target.is_relative_to(paths.data_dir(root).resolve()):
        raise WriteRefused(f"{shown}: not written: drafts never go into the data folder")
    if target.is_dir():
        raise WriteRefused(f"{shown}: not written: a folder, not a file")
    try:
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    except OSError as exc:
        raise WriteRefused(f"{shown}: not written ({exc.strerror or exc})") from None
