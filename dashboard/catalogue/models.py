"""Pydantic models of the catalogue format (docs/catalogue-format.md), strict where YAML guesses."""

from __future__ import annotations

import math
import re
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from dashboard.catalogue.periods import Period, parse_period, period_label

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
PERIOD_PATTERN = r"^\s*(\.\.|\d{4}(-\d{2}(-\d{2})?)?)\s*(/\s*\d{4}(-\d{2}(-\d{2})?)?\s*)?$"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
MAX_VALUE = 1e15

Id = Annotated[StrictStr, StringConstraints(pattern=ID_PATTERN, max_length=64)]
InputName = Annotated[StrictStr, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
# Non-empty and not just spaces: an empty label would show as a blank on the dashboard.
NonEmpty = Annotated[StrictStr, StringConstraints(min_length=1, pattern=r"\S")]


def _period_text(value: Any) -> str:
    try:
        label = period_label(value)
        parse_period(label)
    except ValueError as exc:
        raise PydanticCustomError("period", "{reason}", {"reason": str(exc)}) from None
    return "".join(label.split())


def _single_date(value: str) -> str:
    if "/" in value or value.startswith(".."):
        raise PydanticCustomError(
            "period", "{reason}", {"reason": f"{value!r} is an interval; a single date is needed"}
        )
    return value


# A period as text; bare years and YAML dates are accepted and turned into their text form.
PeriodText = Annotated[
    str,
    BeforeValidator(_period_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": PERIOD_PATTERN},
                {"type": "integer", "minimum": 1900, "maximum": 2100},
            ],
            "description": 'A year "2020", month "2024-03", day "2025-06-25", or START/END',
        }
    ),
]
DateText = Annotated[
    str,
    BeforeValidator(_period_text),
    AfterValidator(_single_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DATE_PATTERN},
                {"type": "integer", "minimum": 1900, "maximum": 2100},
            ],
            "description": 'A date at the precision stated: "2021", "2022-08" or "2020-10-28"',
        }
    ),
]


def _number(value: Any) -> int | float:
    # YAML hands us bools for yes/no and strings for "1,234" or "超300": both are data errors.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError(
            "number_type",
            "expected a number, got {got}",
            {"got": describe(value)},
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("number_value", "the value must be a finite number")
    if abs(value) > MAX_VALUE:
        # Beyond any figure of these documents, and past where floats compare exactly.
        raise PydanticCustomError(
            "number_value",
            "the value is implausibly large (more than {limit:.0e})",
            {"limit": MAX_VALUE},
        )
    return value


Number = Annotated[
    int | float,
    BeforeValidator(_number),
    WithJsonSchema({"type": "number", "description": "The figure as the source states it"}),
]


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise PydanticCustomError(
            "regex", "{reason}", {"reason": f"not a valid regular expression: {exc}"}
        ) from None
    return value


def describe(value: Any) -> str:
    """How a wrongly typed YAML value reads to an editor."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "…"
        return f"text ({shown!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Text(_Model):
    """A label in both languages of the dashboard."""

    zh: NonEmpty
    en: NonEmpty


class DateStatus(StrEnum):
    stated = "stated"
    inferred = "inferred"
    unstated = "unstated"


class SourceKind(StrEnum):
    proposal_reply = "proposal_reply"
    suggestion_reply = "suggestion_reply"
    news_report = "news_report"
    policy_document = "policy_document"


class Qualifier(StrEnum):
    exact = "exact"
    more_than = "more_than"
    nearly = "nearly"
    about = "about"


class Measure(StrEnum):
    annual_flow = "annual_flow"
    partial_year_flow = "partial_year_flow"
    cumulative = "cumulative"
    stock = "stock"
    growth_rate = "growth_rate"
    average_growth_rate = "average_growth_rate"
    share = "share"
    rate = "rate"
    # A quotient that is not a share: per head (人均), per enterprise, or times (2倍以上);
    # never a flow over a year.
    ratio = "ratio"
    rank = "rank"  # a national (or other) place: 1 is first; unit 名


class DocDate(_Model):
    """When a document was signed or published, and whether the text says so."""

    status: DateStatus
    date: DateText | None = None
    quote: NonEmpty | None = None
    basis: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> DocDate:
        if self.status is DateStatus.unstated:
            if self.date is not None:
                raise PydanticCustomError(
                    "doc_date", "an unstated date has no `date` (use status: inferred)"
                )
            return self
        if self.date is None:
            raise PydanticCustomError(
                "doc_date", "a {status} date needs `date`", {"status": self.status.value}
            )
        if self.status is DateStatus.stated and self.quote is None:
            raise PydanticCustomError("doc_date", "a stated date needs the `quote` that states it")
        if self.status is DateStatus.inferred and self.basis is None:
            raise PydanticCustomError(
                "doc_date", "an inferred date needs `basis: {zh, en}` saying from what"
            )
        return self

    @cached_property
    def period(self) -> Period | None:
        return parse_period(self.date) if self.date is not None else None


class Dismissal(_Model):
    """A verbatim passage of a source whose numbers are not figures."""

    quote: NonEmpty
    reason: Text


class DismissalRule(_Model):
    """A pattern whose matches are not figures in any source."""

    id: Id
    pattern: Annotated[NonEmpty, AfterValidator(_regex)]
    reason: Text


class Source(_Model):
    """One source document, kept verbatim under data/sources and pinned by its hash."""

    id: Id
    file: NonEmpty
    sha256: Annotated[StrictStr, StringConstraints(pattern=SHA256_PATTERN)]
    title: Text
    short: Text
    issuer: Text
    reference: NonEmpty | None
    kind: SourceKind
    addressee: Text | None = None
    signed: DocDate
    published: DocDate
    notes: Text | None = None
    dismissed: list[Dismissal] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dated(self) -> Source:
        if self.as_of_date() is None:
            raise PydanticCustomError(
                "undated",
                "a source needs a signed or published date that is stated or inferred",
            )
        return self

    def as_of_date(self) -> date | None:
        for doc_date in (self.signed, self.published):
            if doc_date.status is DateStatus.stated:
                return doc_date.period.end  # type: ignore[union-attr]
        for doc_date in (self.signed, self.published):
            if doc_date.status is DateStatus.inferred:
                return doc_date.period.end  # type: ignore[union-attr]
        return None

    @cached_property
    def as_of(self) -> date:
        """The date the document speaks as of: signed, else published, else inferred."""
        return self.as_of_date()  # type: ignore[return-value]


class DerivedInput(_Model):
    """An observation a derived value is computed from."""

    indicator: Id
    period: PeriodText
    source: Id | None = None


class Derived(_Model):
    """How a value not stated by the source was computed from values that are."""

    formula: Annotated[NonEmpty, StringConstraints(max_length=200)]
    inputs: dict[InputName, DerivedInput] = Field(min_length=1)


class Noun(_Model):
    """What a count indicator counts, in English, singular and plural ("contract", "contracts")."""

    one: NonEmpty
    other: NonEmpty


FRACTION_PATTERN = r"^[1-9][0-9]*/[1-9][0-9]*$"
Fraction = Annotated[
    StrictStr,
    StringConstraints(pattern=FRACTION_PATTERN),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": FRACTION_PATTERN,
            "description": 'A share the source states as a fraction: "2/3" for 三分之二',
        }
    ),
]


class Observation(_Model):
    """One figure, as one source states it for one period."""

    period: PeriodText
    value: Number
    qualifier: Qualifier
    # The unit as the source states it, where it is a scaled form of the indicator's
    # (1.33 万家 under an indicator in 家): the value is kept as stated and converted only
    # for comparing and drawing. Absent: the indicator's unit.
    unit: NonEmpty | None = None
    # A share stated as a fraction (三分之二): value is the percentage to the places it is
    # written in (66.7), and the fraction says exactly what the source states.
    fraction: Fraction | None = None
    source: Id
    quote: NonEmpty
    compared_with: PeriodText | None = None
    derived: Derived | None = None
    ambiguity: Text | None = None
    notes: Text | None = None
    # This figure starts a new series: its wording or scope differs from the figures of its
    # indicator before it, so charts never join across it and changes are not computed.
    series_break: Text | None = None
    # "inferred" when the document does not name the figure's period and it is read from
    # the context (a ranking with no year, following a sentence about 2019): every output
    # then marks the period "(inferred)", and `ambiguity` must say from what.
    period_status: Literal["stated", "inferred"] = "stated"

    @model_validator(mode="after")
    def _basis_for_inferred_period(self) -> Observation:
        if self.period_status == "inferred" and self.ambiguity is None:
            raise PydanticCustomError(
                "period_status",
                "an inferred period needs `ambiguity: {zh, en}` saying from what it is read",
            )
        return self

    @cached_property
    def span(self) -> Period:
        return parse_period(self.period)

    @property
    def period_inferred(self) -> bool:
        return self.period_status == "inferred"

    @property
    def is_derived(self) -> bool:
        return self.derived is not None

    def unit_in(self, indicator: Indicator) -> str:
        """The unit this figure is stated in: its own, else its indicator's."""
        return self.unit or indicator.unit


class Relation(_Model):
    """Another indicator this one must never be joined with, and why."""

    indicator: Id
    reason: Text


class Indicator(_Model):
    """One measure of one subject in one scope, observed by one or more sources."""

    id: Id
    name: Text
    # The label charts, cards and pickers use where the full name is too long.
    short: Text | None = None
    description: Text
    topic: Id
    subject: Text
    measure: Measure
    unit: NonEmpty
    # Count units (项, 家…) say in English what is counted: "9,179 contracts", not "items".
    counts: Noun | None = None
    # A growth_rate states the change of another indicator (its level): cards use it.
    growth_of: Id | None = None
    headline: StrictBool = False
    notes: Text | None = None
    not_comparable_with: list[Relation] = Field(default_factory=list)
    observations: list[Observation] = Field(min_length=1)

    def label(self, lang: str) -> str:
        """The short label in `lang`, else the name."""
        text = self.short or self.name
        return str(getattr(text, lang, "") or text.zh)


class Event(_Model):
    """A dated milestone a source states (a launch, an opening, a policy)."""

    id: Id
    date: DateText
    # "inferred" when the source leaves part of the date out (a news item's "5月22日" with no
    # year): the quote must then state the parts it does give, and `date_basis` says the rest.
    date_status: Literal["stated", "inferred"] = "stated"
    date_basis: Text | None = None
    title: Text
    # A few words for the chart's event label (the title is in the notes and hover).
    short: Text
    description: Text | None = None
    indicators: list[Id] = Field(default_factory=list)
    source: Id
    quote: NonEmpty
    ambiguity: Text | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _basis_for_inferred(self) -> Event:
        if self.date_status == "inferred" and self.date_basis is None:
            raise PydanticCustomError(
                "event_date", "an inferred date needs `date_basis: {zh, en}` saying from what"
            )
        if self.date_status == "stated" and self.date_basis is not None:
            raise PydanticCustomError(
                "event_date", "`date_basis` is only for `date_status: inferred`"
            )
        return self

    @property
    def date_inferred(self) -> bool:
        return self.date_status == "inferred"

    @cached_property
    def span(self) -> Period:
        return parse_period(self.date)


class FigureRef(_Model):
    """One observation, named by indicator and period (and source where two documents
    give one period)."""

    indicator: Id
    period: PeriodText
    source: Id | None = None


class Statement(_Model):
    """A key sentence of a topic: curated words, and numbers taken from the catalogue.

    Each `{slot}` of the text is filled with the figure `figures[slot]` names, written as
    the dashboard writes it (qualifier, number, unit), so a statement cannot disagree with
    its figures."""

    text: Text
    figures: dict[InputName, FigureRef] = Field(min_length=1)


class TopicGroup(_Model):
    """A subject within a topic: a heading and its indicators, in order."""

    title: Text
    indicators: list[Id] = Field(min_length=1)


class Topic(_Model):
    """How one topic (a key of data/i18n.yaml `topics`) is presented: its key statements,
    its headline figures on the overview, its indicators grouped by subject."""

    id: Id
    headline: list[Id] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list, max_length=4)
    groups: list[TopicGroup] = Field(default_factory=list)


class Catalogue(_Model):
    """The whole of indicators.yaml."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="indicators.yaml",
        json_schema_extra={"description": "The cited catalogue; see docs/catalogue-format.md"},
    )

    version: Literal[1]
    sources: list[Source] = Field(min_length=1)
    indicators: list[Indicator] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    # In presentation order: the overview and the navigation follow it.
    topics: list[Topic] = Field(default_factory=list)
    dismissal_rules: list[DismissalRule] = Field(default_factory=list)

    @cached_property
    def sources_by_id(self) -> dict[str, Source]:
        out: dict[str, Source] = {}
        for s in self.sources:
            out.setdefault(s.id, s)
        return out

    @cached_property
    def indicators_by_id(self) -> dict[str, Indicator]:
        out: dict[str, Indicator] = {}
        for i in self.indicators:
            out.setdefault(i.id, i)
        return out

    @cached_property
    def events_by_id(self) -> dict[str, Event]:
        out: dict[str, Event] = {}
        for e in self.events:
            out.setdefault(e.id, e)
        return out

    @cached_property
    def topics_by_id(self) -> dict[str, Topic]:
        out: dict[str, Topic] = {}
        for topic in self.topics:
            out.setdefault(topic.id, topic)
        return out

    def headline_ids(self) -> list[str]:
        """The overview's figures in order: each curated topic's headline list, or (in a
        catalogue without `topics:`) the indicators marked `headline: true`."""
        if self.topics:
            ids = [ident for topic in self.topics for ident in topic.headline]
            return [i for i in dict.fromkeys(ids) if i in self.indicators_by_id]
        return [i.id for i in self.indicators if i.headline]

    def find(self, ref: FigureRef | DerivedInput) -> list[Observation]:
        """The observations a reference names (one, unless it is ambiguous or broken)."""
        indicator = self.indicators_by_id.get(ref.indicator)
        if indicator is None:
            return []
        return [
            o
            for o in indicator.observations
            if o.span.label == ref.period and (ref.source is None or o.source == ref.source)
        ]

    @property
    def observation_count(self) -> int:
        return sum(len(i.observations) for i in self.indicators)

    @property
    def derived_count(self) -> int:
        return sum(o.is_derived for i in self.indicators for o in i.observations)


def all_field_names() -> set[str]:
    """Every key the format knows, for "did you mean" hints on unknown keys."""
    names: set[str] = set()
    for model in (
        Text,
        DocDate,
        Dismissal,
        DismissalRule,
        Source,
        DerivedInput,
        Derived,
        Noun,
        Observation,
        FigureRef,
        Statement,
        TopicGroup,
        Topic,
        Relation,
        Indicator,
        Event,
        Catalogue,
    ):
        names.update(model.model_fields)
    return names
