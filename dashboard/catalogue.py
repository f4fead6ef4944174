"""Load indicators.yaml and check it: models first, then every cross-reference and quote."""

from __future__ import annotations

import ast
import difflib
import hashlib
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dashboard import paths
from dashboard.errors import CatalogueError, Problem
from dashboard.models import (
    Catalogue,
    DateStatus,
    Indicator,
    Measure,
    Observation,
    all_field_names,
    describe,
)
from dashboard.periods import Period, parse_period
from dashboard.textnorm import NormalizedText, normalize
from dashboard.yaml_source import LoadResult, YamlDocument, load_yaml, render_path

MAX_SOURCE_BYTES = 5 * 1024 * 1024
RATE_MEASURES = {Measure.growth_rate, Measure.average_growth_rate, Measure.share}
SIGNED_MEASURES = {Measure.growth_rate, Measure.average_growth_rate}
PERCENT_UNIT = "%"

Loc = tuple[str | int, ...]


@dataclass
class ValidationResult:
    """The outcome of checking one catalogue file."""

    file: str
    catalogue: Catalogue | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.catalogue is not None and not self.problems


# ---------------------------------------------------------------------------------------------
# Step 1 and 2: parse, then validate against the models.


def parse_catalogue_file(path: Path, file: str | None = None) -> LoadResult:
    """Parse the YAML with locations (the slow step: callers may cache it on mtime+size)."""
    # The default limit is looked up at call time so a benchmark can lift it.
    return load_yaml(path, file or paths.display_name(path))


def build_catalogue(doc: YamlDocument) -> tuple[Catalogue | None, list[Problem]]:
    """Validate parsed data against the models; each pydantic error becomes a located Problem."""
    try:
        return Catalogue.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [_problem_from_error(err, doc) for err in exc.errors(include_url=False)]


_WRONG_TYPE_EXPECTED = {
    "string_type": "text",
    "bool_type": "true or false",
    "int_type": "a whole number",
    "float_type": "a number",
    "number_type": "a number",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "list_type": "a list",
}


def _data_loc(loc: tuple, data: Any, missing: bool) -> Loc:
    """The error's location as a path through the data (drops pydantic's union-branch names)."""
    out: list[str | int] = []
    cur = data
    for i, part in enumerate(loc):
        in_dict = isinstance(cur, dict) and not isinstance(part, int) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict or in_list:
            out.append(part)
            cur = cur[part]
        elif missing and i == len(loc) - 1 and isinstance(part, str):
            out.append(part)
        elif part == "[key]":
            break
    return tuple(out)


# Bilingual {zh, en} fields: an unknown key with no value inside one is a comma in flow style.
_TEXT_FIELDS = frozenset({"name", "title", "short", "issuer", "addressee", "description",
                          "subject", "notes", "reason", "basis", "ambiguity"})  # fmt: skip


def _problem_from_error(err: dict, doc: YamlDocument) -> Problem:
    kind = err["type"]
    loc = _data_loc(err["loc"], doc.data, kind == "missing")
    value = err.get("input")
    path = render_path(loc)
    hint: str | None = None
    if kind == "missing":
        key = loc[-1] if loc else "?"
        type_, message = "missing-key", f"required key `{key}` is missing"
        hint = "see docs/catalogue-format.md for the keys this entry needs"
        pos = doc.position(loc[:-1])
    elif kind == "extra_forbidden":
        key = loc[-1] if loc else "?"
        type_, message = "unknown-key", f"unknown key `{key}`"
        close = difflib.get_close_matches(str(key), sorted(all_field_names()), n=1)
        hint = f"did you mean `{close[0]}`?" if close else "remove it, or check its indentation"
        if value is None and len(loc) >= 2 and loc[-2] in _TEXT_FIELDS:
            # {zh: …, en: a, b}: YAML ended the text at the comma and made " b" a key.
            hint = 'a comma ended the text before it: quote the whole text, en: "a, b"'
        pos = doc.key_position(loc)
    elif kind in _WRONG_TYPE_EXPECTED:
        type_ = "wrong-type"
        message = f"expected {_WRONG_TYPE_EXPECTED[kind]}, got {describe(value)}"
        hint = _wrong_type_hint(kind, value)
        pos = doc.position(loc)
    elif kind == "period":
        type_, message = "invalid-period", err["msg"]
        hint = 'quote it: period: "2020", "2024-01/2024-11" or "../2025-06-25"'
        pos = doc.position(loc)
    else:
        type_, message = "invalid-value", _value_message(kind, err, value)
        hint = _value_hint(kind, loc, err)
        pos = doc.position(loc)
    line, col = pos if pos else (None, None)
    return Problem(type_, message, doc.file, line, col, path, hint)


def _wrong_type_hint(kind: str, value: Any) -> str | None:
    if kind == "number_type":
        return "write the bare number (300, not '超300' or '1,234') and use `qualifier`"
    if kind == "string_type":
        if isinstance(value, bool):
            return "YAML reads unquoted yes/no/on/off as true/false: put the text in quotes"
        if isinstance(value, int | float) or hasattr(value, "isoformat"):
            return "put it in quotes so YAML keeps it as text"
    return None


def _value_message(kind: str, err: dict, value: Any) -> str:
    ctx = err.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        return f"{describe(value)} is not allowed; expected one of {ctx.get('expected')}"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"{describe(value)} does not have the required form"
    return err["msg"]


def _value_hint(kind: str, loc: Loc, err: dict) -> str | None:
    if kind != "string_pattern_mismatch":
        return None
    last = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if last == "sha256":
        return "64 lowercase hex digits: run `sha256sum FILE`"
    pattern = (err.get("ctx") or {}).get("pattern", "")
    if pattern == r"\S":
        return "write some text"
    return "ids are snake_case ASCII: ^[a-z][a-z0-9_]*$, at most 64 characters"


# ---------------------------------------------------------------------------------------------
# Step 3: cross-checks that need the whole catalogue, the data files and the source texts.


class _Checker:
    """Collects every cross-check problem; each check is linear in the catalogue's size."""

    def __init__(self, catalogue: Catalogue, doc: YamlDocument, base_dir: Path) -> None:
        self.cat = catalogue
        self.doc = doc
        self.base_dir = base_dir
        self.problems: list[Problem] = []
        self.texts: dict[str, NormalizedText] = {}
        # Quotes repeat (one sentence often states several figures): scan each text once.
        self._mentions: dict[str, list] = {}
        self._suggestions_left = 20

    def add(self, type_: str, loc: Loc, message: str, hint: str | None = None) -> None:
        pos = self.doc.position(loc)
        line, col = pos if pos else (None, None)
        self.problems.append(
            Problem(type_, message, self.doc.file, line, col, render_path(loc), hint)
        )

    def run(self) -> list[Problem]:
        self.check_duplicate_ids()
        self.check_sources()
        self.check_indicators()
        self.check_derived()
        self.check_events()
        return self.problems

    # -- ids ------------------------------------------------------------------------------
    def check_duplicate_ids(self) -> None:
        for section in ("sources", "indicators", "events", "dismissal_rules"):
            seen: dict[str, int] = {}
            for i, item in enumerate(getattr(self.cat, section)):
                if item.id in seen:
                    self.add(
                        "duplicate-id",
                        (section, i, "id"),
                        f"id `{item.id}` is already used by {section}[{seen[item.id]}]",
                        "ids must be unique: rename the new one (indicator ids are URLs)",
                    )
                else:
                    seen[item.id] = i

    # -- sources --------------------------------------------------------------------------
    def check_sources(self) -> None:
        data_dir = paths.data_dir(self.base_dir).resolve()
        for i, source in enumerate(self.cat.sources):
            if self.cat.sources_by_id[source.id] is not source:
                continue
            loc: Loc = ("sources", i)
            try:
                raw = self._read_source(source.file, data_dir, loc)
            except OSError as exc:
                self.add(
                    "source-file-missing",
                    (*loc, "file"),
                    f"cannot read source file `{source.file}`: {exc.strerror or exc}",
                    "paths are relative to the catalogue file's folder",
                )
                continue
            if raw is None:
                continue
            digest = hashlib.sha256(raw).hexdigest()
            if digest != source.sha256:
                self.add(
                    "hash-mismatch",
                    (*loc, "sha256"),
                    f"the file's SHA-256 is {digest}",
                    "the source text changed: restore it, or re-check every quote and update",
                )
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add(
                    "source-not-utf8",
                    (*loc, "file"),
                    f"the source file {source.file} is not UTF-8",
                    "save it as UTF-8 (it must be the document exactly as published)",
                )
                continue
            norm = NormalizedText(text)
            self.texts[source.id] = norm
            for key in ("signed", "published"):
                doc_date = getattr(source, key)
                if doc_date.quote is None:
                    continue
                if not self.check_quote(source.id, doc_date.quote, (*loc, key, "quote")):
                    continue
                # An inferred date's quote is the partial statement (5月22日): the year is
                # what was inferred, so only the parts it states are compared.
                stated = doc_date.status is DateStatus.stated
                missing = _date_parts_missing(doc_date.period, doc_date.quote, stated)
                if missing:
                    self.add(
                        "date-not-in-quote",
                        (*loc, key, "date"),
                        f"the quote does not state {', '.join(map(str, missing))} "
                        f"of {doc_date.date}",
                        "fix the date or quote the passage that states it",
                    )
            for j, dismissal in enumerate(source.dismissed):
                if not norm.contains(normalize(dismissal.quote)):
                    self.add(
                        "dismissal-not-found",
                        (*loc, "dismissed", j, "quote"),
                        "the dismissed passage is not in the source text",
                        "copy the passage verbatim from the source",
                    )

    def _read_source(self, file: str, data_dir: Path, loc: Loc) -> bytes | None:
        """The source's bytes, or None after reporting why they cannot be used."""
        try:
            target = (self.base_dir / file).resolve()
        except (ValueError, RuntimeError) as exc:  # NUL bytes, symlink loops
            raise OSError(str(exc)) from None
        if not target.is_relative_to(data_dir):
            self.add(
                "source-outside-data",
                (*loc, "file"),
                f"`{file}` is outside the catalogue's data/ folder",
                "keep source texts under data/sources/",
            )
            return None
        if not target.is_file():
            self.add(
                "source-file-missing",
                (*loc, "file"),
                f"source file `{file}` does not exist",
                "paths are relative to the catalogue file's folder",
            )
            return None
        size = target.stat().st_size
        if size > MAX_SOURCE_BYTES:
            self.add(
                "source-too-large",
                (*loc, "file"),
                f"source file is {size:,} bytes; the limit is {MAX_SOURCE_BYTES:,}",
            )
            return None
        return target.read_bytes()

    def check_quote(self, source_id: str, quote: str, loc: Loc) -> bool:
        """True when the quote is in the source (or the source text is unavailable)."""
        text = self.texts.get(source_id)
        if text is None:
            return True
        needle = normalize(quote)
        if text.contains(needle):
            return True
        found = text.longest_prefix(needle)
        hint = "copy the passage verbatim from the source"
        if found >= 2:
            at = text.norm.find(needle[:found])
            then = text.norm[at + found : at + found + 12]
            hint = (
                f"the source has “{needle[:found]}” but then “{then}…”, "
                f"not “{needle[found : found + 12]}…”"
            )
        self.add("quote-not-found", loc, f"quote not found in source `{source_id}`", hint)
        return False

    # -- vocabularies ---------------------------------------------------------------------
    def _vocabulary(self, filename: str, key: str | None) -> set[str] | None:
        path = paths.data_dir(self.base_dir) / filename
        result = load_yaml(path, paths.display_name(path))
        data = result.document.data if result.document else None
        if key is not None and isinstance(data, dict):
            data = data.get(key)
        if result.problems or not isinstance(data, dict):
            self.problems.extend(result.problems)
            self.problems.append(
                Problem(
                    "data-file-invalid",
                    f"cannot read {'`' + key + '` from ' if key else ''}{filename}",
                    paths.display_name(path),
                    None,
                    None,
                    "",
                )
            )
            return None
        return {str(k) for k in data}

    # -- indicators -----------------------------------------------------------------------
    def check_indicators(self) -> None:
        units = self._vocabulary(paths.UNITS_FILE, None)
        topics = self._vocabulary(paths.I18N_FILE, "topics")
        for i, ind in enumerate(self.cat.indicators):
            loc: Loc = ("indicators", i)
            if units is not None and ind.unit not in units:
                self.add(
                    "unknown-unit",
                    (*loc, "unit"),
                    f"unit `{ind.unit}` is not in data/units.yaml",
                    "use a unit listed there, or add it there with its English label",
                )
            if topics is not None and ind.topic not in topics:
                self.add(
                    "unknown-topic",
                    (*loc, "topic"),
                    f"topic `{ind.topic}` is not in data/i18n.yaml `topics`",
                    "one of: " + ", ".join(sorted(topics)),
                )
            if ind.measure in RATE_MEASURES and ind.unit != PERCENT_UNIT:
                self.add(
                    "unit-mismatch",
                    (*loc, "unit"),
                    f"a {ind.measure.value} is a percentage, but the unit is `{ind.unit}`",
                    'use unit: "%"',
                )
            for j, rel in enumerate(ind.not_comparable_with):
                if rel.indicator not in self.cat.indicators_by_id:
                    self.unknown_indicator(
                        rel.indicator, (*loc, "not_comparable_with", j, "indicator")
                    )
            seen: dict[tuple[str, str], int] = {}
            for k, obs in enumerate(ind.observations):
                key = (obs.span.label, obs.source)
                if key in seen:
                    self.add(
                        "duplicate-observation",
                        (*loc, "observations", k, "period"),
                        f"observations[{seen[key]}] already has period {obs.period} "
                        f"from source `{obs.source}`",
                        "one source, one figure per period: remove one or split the indicator",
                    )
                else:
                    seen[key] = k
                self.check_observation(ind, obs, (*loc, "observations", k))

    def unknown_indicator(self, ident: str, loc: Loc) -> None:
        self.add(
            "unknown-indicator",
            loc,
            f"no indicator has id `{ident}`",
            self.suggest(ident, self.cat.indicators_by_id),
        )

    def unknown_source(self, ident: str, loc: Loc) -> None:
        self.add(
            "unknown-source",
            loc,
            f"no source has id `{ident}`",
            self.suggest(ident, self.cat.sources_by_id),
        )

    def suggest(self, ident: str, known: dict) -> str | None:
        """A "did you mean" hint; rationed, since each costs a pass over every id."""
        if self._suggestions_left <= 0:
            return None
        self._suggestions_left -= 1
        close = difflib.get_close_matches(ident, list(known), n=1)
        return f"did you mean `{close[0]}`?" if close else None

    def check_observation(self, ind: Indicator, obs: Observation, loc: Loc) -> None:
        span = obs.span
        if ind.measure is Measure.growth_rate and obs.compared_with is None:
            self.add(
                "missing-compared-with",
                loc,
                "a growth_rate observation needs `compared_with` (its base period)",
                'e.g. compared_with: "2016" for 与2016年相比',
            )
        elif ind.measure is not Measure.growth_rate and obs.compared_with is not None:
            self.add(
                "unexpected-compared-with",
                (*loc, "compared_with"),
                f"`compared_with` belongs to growth_rate indicators, not {ind.measure.value}",
                "remove it, or change the indicator's measure",
            )
        elif obs.compared_with is not None:
            base = parse_period(obs.compared_with)
            if span.start is None or base.end >= span.start:
                self.add(
                    "compared-with-not-earlier",
                    (*loc, "compared_with"),
                    f"the base period {obs.compared_with} does not end before {obs.period}",
                    "compared_with is the earlier period the growth is measured from",
                )
        form = _period_form_problem(ind.measure, span)
        if form:
            self.add("period-form-mismatch", (*loc, "period"), form[0], form[1])
        if obs.value < 0 and ind.measure not in SIGNED_MEASURES:
            self.add(
                "negative-value",
                (*loc, "value"),
                f"a {ind.measure.value} cannot be negative",
                "only growth rates may be negative",
            )
        source = self.cat.sources_by_id.get(obs.source)
        if source is None:
            self.unknown_source(obs.source, (*loc, "source"))
            return
        if span.end > source.as_of:
            self.add(
                "period-after-source",
                (*loc, "period"),
                f"the period ends {span.end.isoformat()}, after the source's date "
                f"{source.as_of.isoformat()}",
                "a cumulative figure ends at the source's date: ../" + source.as_of.isoformat(),
            )
        if not self.check_quote(obs.source, obs.quote, (*loc, "quote")):
            return
        if obs.is_derived:
            if obs.qualifier.value != "about":
                self.add(
                    "derived-qualifier",
                    (*loc, "qualifier"),
                    "a derived value is approximate: its qualifier must be `about`",
                )
            return
        self.check_value_in_quote(obs, loc)

    def mentions(self, quote: str) -> list:
        found = self._mentions.get(quote)
        if found is None:
            from dashboard.numbers import find_mentions

            found = self._mentions[quote] = find_mentions(quote)
        return found

    def check_value_in_quote(self, obs: Observation, loc: Loc) -> None:
        mentions = self.mentions(obs.quote)
        matching = [m for m in mentions if any(_same_number(v, obs.value) for v in m.values)]
        if not matching:
            stated = ", ".join(m.text.strip() for m in mentions) or "no numbers"
            self.add(
                "value-not-in-quote",
                (*loc, "value"),
                f"the quote does not state {_fmt(obs.value)}",
                f"the quote states: {stated}",
            )
            return
        qualifiers = {m.qualifier or "exact" for m in matching}
        if obs.qualifier.value not in qualifiers:
            self.add(
                "qualifier-mismatch",
                (*loc, "qualifier"),
                f"the quote says {' / '.join(sorted(qualifiers))} "
                f"(“{matching[0].text.strip()}”), not {obs.qualifier.value}",
                "more_than for 超过/超/逾/余/多, nearly for 近, about for 约/左右, else exact",
            )

    # -- derived values -------------------------------------------------------------------
    def check_derived(self) -> None:
        index: dict[tuple[str, str], list[Observation]] = {}
        for ind in self.cat.indicators:
            for obs in ind.observations:
                index.setdefault((ind.id, obs.span.label), []).append(obs)
        for i, ind in enumerate(self.cat.indicators):
            for k, obs in enumerate(ind.observations):
                if obs.derived is None:
                    continue
                loc: Loc = ("indicators", i, "observations", k)
                env: dict[str, float] = {}
                for name, inp in obs.derived.inputs.items():
                    iloc = (*loc, "derived", "inputs", name)
                    if inp.indicator not in self.cat.indicators_by_id:
                        self.unknown_indicator(inp.indicator, (*iloc, "indicator"))
                        continue
                    found = index.get((inp.indicator, inp.period), [])
                    if inp.source is not None:
                        found = [o for o in found if o.source == inp.source]
                    if len(found) != 1:
                        self.add(
                            "unknown-observation" if not found else "ambiguous-input",
                            (*iloc, "period"),
                            f"`{inp.indicator}` has {len(found) or 'no'} observations "
                            f"for period {inp.period}",
                            "add `source:` to pick one" if found else None,
                        )
                        continue
                    env[name] = float(found[0].value)
                if len(env) != len(obs.derived.inputs):
                    continue
                try:
                    result = evaluate_formula(obs.derived.formula, env)
                except FormulaError as exc:
                    self.add(
                        "invalid-formula",
                        (*loc, "derived", "formula"),
                        str(exc),
                        "use numbers, + - * / ( ) and the input names only",
                    )
                    continue
                tol = _tolerance(obs.value)
                if abs(result - obs.value) > tol + 1e-9 * max(1.0, abs(result)):
                    self.add(
                        "derived-mismatch",
                        (*loc, "value"),
                        f"the formula gives {result:.6g}, not {_fmt(obs.value)} "
                        f"(within {_fmt(tol)})",
                        f"write {_round_like(result, obs.value)}",
                    )

    # -- events ---------------------------------------------------------------------------
    def check_events(self) -> None:
        for i, event in enumerate(self.cat.events):
            loc: Loc = ("events", i)
            for j, ident in enumerate(event.indicators):
                if ident not in self.cat.indicators_by_id:
                    self.unknown_indicator(ident, (*loc, "indicators", j))
            source = self.cat.sources_by_id.get(event.source)
            if source is None:
                self.unknown_source(event.source, (*loc, "source"))
                continue
            # An event dated only to the month may fall before a source dated within it.
            if event.span.start is not None and event.span.start > source.as_of:
                self.add(
                    "event-after-source",
                    (*loc, "date"),
                    f"the event's date {event.date} is after the source's date "
                    f"{source.as_of.isoformat()}",
                )
            if not self.check_quote(event.source, event.quote, (*loc, "quote")):
                continue
            # An inferred date's year is what the source leaves out; the rest must be quoted.
            stated_year = not event.date_inferred
            missing = _date_parts_missing(event.span, event.quote, with_year=stated_year)
            if missing:
                self.add(
                    "event-date-not-in-quote",
                    (*loc, "date"),
                    f"the quote does not state {', '.join(map(str, missing))} of {event.date}",
                    "quote the passage that states the date",
                )


def _period_form_problem(measure: Measure, span: Any) -> tuple[str, str] | None:
    if measure is Measure.annual_flow and not span.is_single_year:
        return "an annual_flow covers one calendar year", 'write period: "2020"'
    if measure is Measure.partial_year_flow and (
        span.start is None or span.is_single_year or span.start.year != span.end.year
    ):
        return "a partial_year_flow covers part of one year", 'e.g. period: "2024-01/2024-11"'
    if measure is Measure.cumulative and not span.is_interval:
        return (
            "a cumulative figure runs from a start to an as-of date",
            'e.g. "2020-10-28/2023-05-16", or "../2025-06-25" when the start is not stated',
        )
    if measure is Measure.stock and span.is_interval:
        return "a stock is a level at one date", 'e.g. period: "2023-05-16" or "2023"'
    if measure is Measure.average_growth_rate and (not span.is_interval or span.start is None):
        return "an average_growth_rate spans START/END", 'e.g. period: "2016/2020"'
    return None


def _date_parts_missing(span: Period, quote: str, with_year: bool) -> list[int]:
    """The year/month/day numbers of a single date that its quote does not contain."""
    numbers = _numbers_in(quote)
    wanted = [span.end.year] if with_year else []
    if span.precision in ("month", "day"):
        wanted.append(span.end.month)
    if span.precision == "day":
        wanted.append(span.end.day)
    return [n for n in wanted if not any(_same_number(n, v) for v in numbers)]


def _numbers_in(text: str) -> list[float]:
    from dashboard.numbers import find_mentions

    values = [float(v) for m in find_mentions(text) for v in m.values]
    values.extend(float(d) for d in re.findall(r"\d+", normalize(text)))
    return values


def _same_number(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _fmt(value: float) -> str:
    return str(value) if isinstance(value, int) else repr(value)


def _tolerance(value: float) -> float:
    """Half a unit of the last digit written: 8595 -> 0.5, 129.97 -> 0.005."""
    if isinstance(value, int):
        return 0.5
    exponent = Decimal(repr(value)).as_tuple().exponent
    return 0.5 * 10.0 ** int(exponent)


def _round_like(result: float, value: float) -> str:
    if isinstance(value, int):
        return str(round(result))
    exponent = -int(Decimal(repr(value)).as_tuple().exponent)
    return f"{result:.{max(exponent, 0)}f}"


class FormulaError(ValueError):
    """A derived formula that is not plain arithmetic over its inputs."""


_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def evaluate_formula(formula: str, env: dict[str, float]) -> float:
    """Evaluate + - * / ( ) over numbers and named inputs; nothing else is ever run."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"cannot read the formula: {exc.msg}") from None

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left, right = ev(node.left), ev(node.right)
            try:
                return _BINARY[type(node.op)](left, right)
            except ZeroDivisionError:
                raise FormulaError("the formula divides by zero") from None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            value = ev(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in env:
                raise FormulaError(f"`{node.id}` is not one of the inputs ({', '.join(env)})")
            return env[node.id]
        raise FormulaError(f"`{ast.unparse(node)}` is not allowed in a formula")

    result = ev(tree)
    if not math.isfinite(result):
        raise FormulaError("the formula does not give a finite number")
    return result


def cross_check(catalogue: Catalogue, doc: YamlDocument, base_dir: Path) -> list[Problem]:
    """Every check that needs more than one entry, the data files or the source texts."""
    return _Checker(catalogue, doc, base_dir).run()


# ---------------------------------------------------------------------------------------------
# Entry points.


def validate_path(path: Path, file: str | None = None) -> ValidationResult:
    """Parse, validate and cross-check a catalogue file, collecting every problem."""
    path = Path(path)
    name = file or paths.display_name(path)
    loaded = parse_catalogue_file(path, name)
    problems = list(loaded.problems)
    if loaded.document is None:
        return ValidationResult(name, None, _sorted(problems))
    catalogue, model_problems = build_catalogue(loaded.document)
    problems.extend(model_problems)
    if catalogue is not None:
        problems.extend(cross_check(catalogue, loaded.document, path.resolve().parent))
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
