"""Check a catalogue file: parse it, validate it against the models, then cross-check it.

Every problem is collected in one run: entries that fail the schema are reported, and the
entries that pass it are still cross-checked (checks/), so one edit never hides another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from dashboard.catalogue import paths
from dashboard.catalogue.checks import run_checks
from dashboard.catalogue.checks.context import CheckContext
from dashboard.catalogue.errors import CatalogueError, Problem
from dashboard.catalogue.models import (
    Catalogue,
    DismissalRule,
    Event,
    Indicator,
    Source,
    Topic,
)
from dashboard.catalogue.schema_errors import problem_from_error
from dashboard.catalogue.yaml_source import LoadResult, YamlDocument, load_yaml

_SECTIONS: tuple[tuple[str, type[BaseModel]], ...] = (
    ("sources", Source),
    ("indicators", Indicator),
    ("events", Event),
    ("topics", Topic),
    ("dismissal_rules", DismissalRule),
)


@dataclass
class ValidationResult:
    """The outcome of checking one catalogue file."""

    file: str
    catalogue: Catalogue | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.is_warning]

    @property
    def ok(self) -> bool:
        """Valid: a catalogue and no errors (warnings do not make it invalid)."""
        return self.catalogue is not None and not self.errors


def parse_catalogue_file(
    path: Path, file: str | None = None, max_bytes: int | None = None
) -> LoadResult:
    """Parse the YAML with locations (the slow step: callers may cache it on mtime+size).
    `max_bytes` None: the user's SHSTS_MAX_CATALOGUE_BYTES, else the default limit."""
    return load_yaml(path, file or paths.display_name(path), max_bytes)


def build_catalogue(doc: YamlDocument) -> tuple[Catalogue | None, list[Problem]]:
    """Validate parsed data against the models; each pydantic error becomes a located Problem."""
    try:
        return Catalogue.model_validate(doc.data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        return None, [problem_from_error(dict(err), doc) for err in errors]


def partial_context(doc: YamlDocument, base_dir: Path) -> CheckContext | None:
    """A check context over the entries that pass the schema on their own, for a file that
    fails it as a whole. An indicator keeps its valid observations. None when the file is
    not a mapping of sections at all."""
    data = doc.data
    if not isinstance(data, dict):
        return None
    kept: dict[str, list[Any]] = {}
    positions: dict[str, list[int]] = {}
    failed: dict[str, set[str]] = {section: set() for section, _ in _SECTIONS}
    failed["observations_of"] = set()
    for section, model in _SECTIONS:
        kept[section], positions[section] = [], []
        items = data.get(section)
        for i, raw in enumerate(items if isinstance(items, list) else []):
            entry = _validate_entry(model, raw, failed)
            if entry is None:
                ident = raw.get("id") if isinstance(raw, dict) else None
                if isinstance(ident, str):
                    failed[section].add(ident)
                continue
            kept[section].append(entry)
            positions[section].append(i)
    catalogue = Catalogue.model_construct(
        version=1,
        sources=kept["sources"],
        indicators=kept["indicators"],
        events=kept["events"],
        topics=kept["topics"],
        dismissal_rules=kept["dismissal_rules"],
    )
    frozen = {name: frozenset(ids) for name, ids in failed.items()}
    return CheckContext(catalogue, doc, base_dir, positions, frozen)


def _validate_entry(model: type[BaseModel], raw: Any, failed: dict[str, set[str]]) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError:
        pass
    if model is not Indicator or not isinstance(raw, dict):
        return None
    # Keep the observations that pass: each is cross-checked at its own index, so an
    # observation's index in the kept list must equal its index in the file.
    observations = raw.get("observations")
    if not isinstance(observations, list):
        return None
    good = []
    for obs in observations:
        try:
            Indicator.model_validate({**raw, "observations": [obs]})
        except ValidationError:
            break  # later observations would shift: stop at the first broken one
        good.append(obs)
    if isinstance(raw.get("id"), str):
        failed["observations_of"].add(raw["id"])
    if not good:
        return None
    try:
        return Indicator.model_validate({**raw, "observations": good})
    except ValidationError:
        return None


def cross_check(catalogue: Catalogue, doc: YamlDocument, base_dir: Path) -> list[Problem]:
    """Every check that needs more than one entry, the data files or the source texts."""
    return run_checks(CheckContext(catalogue, doc, base_dir))


def validate_path(
    path: Path, file: str | None = None, max_bytes: int | None = None
) -> ValidationResult:
    """Parse, validate and cross-check a catalogue file, collecting every problem."""
    path = Path(path)
    name = file or paths.display_name(path)
    loaded = parse_catalogue_file(path, name, max_bytes)
    problems = list(loaded.problems)
    if loaded.document is None:
        return ValidationResult(name, None, _sorted(problems))
    base_dir = path.resolve().parent
    catalogue, model_problems = build_catalogue(loaded.document)
    problems.extend(model_problems)
    if catalogue is not None:
        problems.extend(cross_check(catalogue, loaded.document, base_dir))
    else:
        partial = partial_context(loaded.document, base_dir)
        if partial is not None:
            problems.extend(run_checks(partial))
    return ValidationResult(name, catalogue, _sorted(problems))


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """A valid catalogue, or CatalogueError with every problem."""
    result = validate_path(Path(path) if path is not None else paths.DEFAULT_CATALOGUE)
    if not result.ok or result.catalogue is None:
        raise CatalogueError(result.problems)
    return result.catalogue


def source_path(catalogue: Catalogue, source_id: str, base_dir: Path) -> Path:
    """Where a source's text lives; refuses paths that leave the data folder."""
    source = catalogue.sources_by_id[source_id]
    target = (Path(base_dir) / source.file).resolve()
    if not target.is_relative_to(paths.data_dir(Path(base_dir)).resolve()):
        raise ValueError(f"source file {source.file!r} is outside the data folder")
    return target


def read_source_text(catalogue: Catalogue, source_id: str, base_dir: Path) -> str:
    """The text of a source document, as stored (UTF-8, BOM removed)."""
    return source_path(catalogue, source_id, base_dir).read_text(encoding="utf-8-sig")
