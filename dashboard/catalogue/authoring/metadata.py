"""Read a new document's metadata from its text (reference, dates, title, issuer, addressee,
kind), each marked stated, inferred or unstated, with English names only where the
catalogue already has the same Chinese name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dashboard.catalogue.periods import parse_period

# A header line that is only a reference number: 沪科提复〔2025〕51号.
_SPACE = r"[ \t\u3000]*"
_REFERENCE_LINE = re.compile(
    rf"^{_SPACE}(?P<ref>(?P<prefix>[\u4e00-\u9fff]{{2,8}})〔(?P<year>\d{{4}})〕(?P<no>\d+)号){_SPACE}$",
    re.M,
)
# A line that is only a date: the signature date closing a letter (not "…日印发"), in
# Arabic or Chinese numerals (二〇二三年五月三十一日).
_CN_DIGIT = "〇零一二三四五六七八九十"
_DATE_LINE = re.compile(
    rf"^{_SPACE}(\d{{4}}|[〇零一二三四五六七八九]{{4}}){_SPACE}年{_SPACE}(\d{{1,2}}|[{_CN_DIGIT}]{{1,2}})"
    rf"{_SPACE}月{_SPACE}(\d{{1,2}}|[{_CN_DIGIT}]{{1,3}}){_SPACE}日{_SPACE}$",
    re.M,
)
# A date in the common forms: 2023-05-31, 2023/5/31, 2023.05.31, 2023年5月31日.
_ANY_DATE = (
    rf"(\d{{4}}){_SPACE}[-年./]{_SPACE}(\d{{1,2}}){_SPACE}[-月./]{_SPACE}(\d{{1,2}}){_SPACE}日?"
)
# 发布日期：…, 发布时间：…, 日期：… (a web page's header line).
_PUBLISHED = re.compile(rf"(?:发布|发文|公开|成文)?(?:日期|时间){_SPACE}[:：]{_SPACE}{_ANY_DATE}")
# A news page's header line opening with its date: "2023年5月31日 10:20 来源：浦东发布".
_DATED_HEADER = re.compile(
    rf"^{_SPACE}{_ANY_DATE}(?:{_SPACE}\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?{_SPACE}(?:来源|作者|编辑|$)",
    re.M,
)
# 来源：浦东发布 — where a news page says it comes from.
_SOURCE_LINE = re.compile(r"来源[:：][ \t\u3000]*([^\s，,。|｜]{2,30})")
# A news item's headline: a short first line that is not a sentence (no full stop, no colon).
_HEADLINE = re.compile(r"^[ \t\u3000]*([^\n。！？!?：:]{6,48}?)[ \t\u3000]*$", re.M)
# Words of a news report in its first lines: 记者…获悉, 本报讯, …讯.
_NEWS_WORDS = re.compile(r"记者|本报讯|讯[ \t]*[（(]|通讯员")
_TITLE_LINE = re.compile(r"^[ \t\u3000]*(对.{4,80}?的答复)[ \t\u3000]*$", re.M)
# "你们提出的“…的提案”收悉": the proposal a reply without a title line answers.
_ANSWERS = re.compile(r"提出的(“[^”]{4,120}”)(?:的(?:提案|建议))?收悉")
_ADDRESSEE = re.compile(r"^[ \t\u3000]*([^\s:：，,。]{2,30})[ \t]*[:：][ \t\u3000]*$", re.M)
_ORGANISATION = re.compile(
    r"^[ \t\u3000]*([\u4e00-\u9fff]{2,30}(?:委员会|人民政府|办公厅|局|委|办公室))[ \t\u3000]*$",
    re.M,
)
# A news dateline: 新华财经北京5月22日电 …, 新华社上海2023年5月31日电 …
_CITIES = "北京|上海|天津|重庆|广州|深圳|南京|杭州|武汉|成都|西安|香港"
_DATELINE = re.compile(
    rf"^{_SPACE}(?P<agency>\S+?)(?P<city>{_CITIES})(?:(?P<year>\d{{4}})年)?"
    r"(?P<month>\d{1,2})月(?P<day>\d{1,2})日电"
    r"\s*(?P<lead>[^。\n]+)",
    re.M,
)
_HEADER_LINES = 25
_KINDS = (
    ("提复", "proposal_reply"),
    ("提案", "proposal_reply"),
    ("建复", "suggestion_reply"),
    ("建议", "suggestion_reply"),
)


@dataclass(frozen=True)
class Field:
    """One proposed metadata value and what it rests on."""

    status: str  # stated | inferred | from-catalogue | unstated | given
    value: Any = None
    quote: str | None = None
    line: int | None = None
    note: str = ""

    def describe(self) -> str:
        where = f", line {self.line}" if self.line else ""
        said = f" (“{self.quote}”{where})" if self.quote else ""
        note = f": {self.note}" if self.note else ""
        return f"{self.status}{said}{note}"


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _compact(text: str) -> str:
    """A header as a label: the spaces a PDF copy puts between words removed."""
    return re.sub(r"\s+", "", text)


def _iso(year: str, month: str, day: str) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def _header(text: str) -> str:
    return "\n".join(text.split("\n")[:_HEADER_LINES])


def read_reference(text: str) -> Field:
    match = _REFERENCE_LINE.search(_header(text))
    if match is None:
        return Field("unstated", note="no header line holding only a reference number")
    return Field("stated", match.group("ref"), match.group("ref"), _line_of(text, match.start()))


def _number(word: str) -> int:
    """An Arabic or Chinese-numeral part of a date: 2023, 二〇二三, 五, 三十一."""
    if word.isdigit():
        return int(word)
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
    if "十" not in word:
        return int("".join(str(digits[c]) for c in word))
    tens, _, ones = word.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def read_signed(text: str) -> Field:
    """The date under the signature: the last line holding only a date."""
    matches = list(_DATE_LINE.finditer(text))
    if not matches:
        return Field("unstated", note="no closing line holding only a date")
    last = matches[-1]
    quote = last.group(0).strip()
    try:
        value = date(*(_number(part) for part in last.groups())).isoformat()
    except ValueError:
        return Field("unstated", quote=quote, note="the closing date does not exist")
    return Field("stated", value, quote, _line_of(text, last.start()))


def _first_lines(text: str, count: int) -> int:
    """How many lines hold the text's first `count` non-empty lines."""
    seen = 0
    for n, line in enumerate(text.split("\n"), start=1):
        seen += bool(line.strip())
        if seen == count:
            return n
    return len(text.split("\n"))


def _stated_date(match: re.Match[str], text: str, groups: tuple[str, ...]) -> Field | None:
    try:
        value = date(*(int(g) for g in groups)).isoformat()
    except ValueError:
        return None
    return Field("stated", value, match.group(0).strip(), _line_of(text, match.start()))


def read_published(text: str) -> Field:
    """A 发布日期/发布时间 line, a news page's dated header line, or a dateline with its year;
    a dateline without one gives month and day only (a year to infer)."""
    header = _header(text)
    match = _PUBLISHED.search(text)
    if match is None:
        # A news page's date line sits in its first lines (a letter's date closes it).
        top = len("\n".join(text.split("\n")[: _first_lines(text, 3)]))
        match = _DATED_HEADER.search(text, 0, top)
    if match is not None:
        found = _stated_date(match, text, match.groups()[:3])
        if found is not None:
            return found
    dateline = _DATELINE.search(header)
    if dateline is not None and dateline.group("year"):
        said = dateline.group(0)[: dateline.end("day") - dateline.start() + 2]
        groups = (dateline.group("year"), dateline.group("month"), dateline.group("day"))
        found = _stated_date(dateline, text, groups)
        if found is not None:
            return Field("stated", found.value, said.strip(), found.line)
    if dateline is not None:
        said = f"{dateline.group('month')}月{dateline.group('day')}日"
        return Field(
            "unstated",
            quote=said,
            line=_line_of(text, dateline.start()),
            note="the dateline gives month and day but no year: to infer the year, --set "
            "published.status=inferred, published.date, published.quote and published.basis",
        )
    return Field("unstated", note="no 发布日期 line, dated header or dateline")


def read_addressee(text: str) -> Field:
    for match in _ADDRESSEE.finditer(_header(text)):
        name = match.group(1)
        if not name.startswith(("联系", "发布", "办理", "公开")):
            return Field("stated", name, match.group(0).strip(), _line_of(text, match.start()))
    return Field("unstated", note="no salutation line ending with a colon")


def read_title(text: str, addressee: Field) -> Field:
    match = _TITLE_LINE.search(_header(text))
    if match is not None:
        quote = match.group(1)
        return Field("stated", _compact(quote), quote, _line_of(text, match.start()))
    answers = _ANSWERS.search(text)
    if answers is not None and addressee.value:
        value = f"对{addressee.value}{answers.group(1)}的答复"
        return Field(
            "inferred",
            value,
            answers.group(0),
            _line_of(text, answers.start()),
            "no title line: composed from the addressee and the proposal the reply answers",
        )
    dateline = _DATELINE.search(_header(text))
    if dateline is not None:
        lead = dateline.group("lead").strip()
        return Field(
            "inferred",
            lead,
            lead,
            _line_of(text, dateline.start("lead")),
            "no title line: the news item's first sentence",
        )
    headline = read_headline(text)
    if headline is not None:
        return headline
    return Field("unstated", note="no title line")


def read_headline(text: str) -> Field | None:
    """A news item's headline: its first line, when that is short and not a sentence, a
    date, a reference number or a salutation, and prose follows it."""
    lines = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    if len(lines) < 2:
        return None
    n, first = lines[0]
    match = _HEADLINE.match(first)
    if match is None or not re.search(r"[\u4e00-\u9fff]", first):
        return None
    if _REFERENCE_LINE.match(first) or _DATE_LINE.match(first) or _DATED_HEADER.match(first):
        return None
    if not re.search(r"[。，,]", lines[1][1]):
        return None  # a heading over more headings or a list, not a news item's prose
    title = match.group(1).strip()
    return Field("stated", _compact(title), title, n, "the headline (the first line)")


def read_issuer(text: str, signed: Field) -> Field:
    """The organisation signing above the date line, else one heading the text, else a
    news item's agency."""
    if signed.line is not None:
        before = [line.strip() for line in text.split("\n")[: signed.line - 1] if line.strip()]
        if before and _ORGANISATION.match(before[-1]):
            return Field("stated", before[-1], before[-1], _line_of_text(text, before[-1]))
    match = _ORGANISATION.search(_header(text))
    if match is not None:
        name = match.group(1)
        return Field("stated", name, name, _line_of(text, match.start()))
    dateline = _DATELINE.search(_header(text))
    if dateline is not None:
        agency = dateline.group("agency")
        return Field(
            "inferred", agency, dateline.group(0)[:30], _line_of(text, dateline.start()),
            "the agency named in the dateline",
        )  # fmt: skip
    source = _SOURCE_LINE.search(_header(text))
    if source is not None:
        return Field(
            "stated", source.group(1), source.group(0).strip(), _line_of(text, source.start()),
            "where the page says it comes from (来源)",
        )  # fmt: skip
    return Field("unstated", note="no issuing organisation line")


def _line_of_text(text: str, needle: str) -> int | None:
    at = text.rfind(needle)
    return _line_of(text, at) if at >= 0 else None


def read_kind(text: str, reference: Field, title: Field) -> Field:
    for words in (reference.value, title.value):
        if not isinstance(words, str):
            continue
        for marker, kind in _KINDS:
            if marker in words:
                return Field("inferred", kind, note=f"“{marker}” in “{words}”")
    if _DATELINE.search(_header(text)):
        return Field("inferred", "news_report", note="a news dateline (…日电)")
    lines = "\n".join(text.split("\n")[:5])
    news = _NEWS_WORDS.search(lines)
    if news is not None:
        return Field(
            "inferred",
            "news_report",
            note=f"“{news.group()}” on line {_line_of(text, news.start())}: a news report",
        )
    return Field("unstated", note="give --set kind=policy_document (or another kind)")


@dataclass(frozen=True)
class Known:
    """What the catalogue already says, to reuse its names and conventions."""

    english: Mapping[str, tuple[str, str]]  # zh text -> (en text, source id it comes from)
    id_prefixes: Mapping[str, str]  # reference prefix (沪科提复) -> id prefix (hukefu)
    short_en: Mapping[str, tuple[str, str]]  # reference prefix -> (en template, source id)
    # reference prefix -> [(issuer zh, issuer en, source id)] of the sources numbered so
    issuers: Mapping[str, list[tuple[str, str, str]]] = field(default_factory=dict)


def known_from(sources: Iterable[Mapping[str, Any]]) -> Known:
    """Conventions read from the catalogue's `sources:` (plain parsed YAML, valid or not)."""
    english: dict[str, tuple[str, str]] = {}
    prefixes: dict[str, str] = {}
    short_en: dict[str, tuple[str, str]] = {}
    issuers: dict[str, list[tuple[str, str, str]]] = {}
    for source in sources:
        if not isinstance(source, Mapping):
            continue
        ident = str(source.get("id", ""))
        for key in ("issuer", "addressee", "title"):
            text = source.get(key)
            if isinstance(text, Mapping) and isinstance(text.get("zh"), str):
                english.setdefault(text["zh"], (str(text.get("en", "")), ident))
        match = _REFERENCE_LINE.match(str(source.get("reference") or ""))
        if match is None:
            continue
        issuer = source.get("issuer")
        if isinstance(issuer, Mapping) and isinstance(issuer.get("zh"), str):
            issuers.setdefault(match.group("prefix"), []).append(
                (issuer["zh"], str(issuer.get("en") or ""), ident)
            )
        year, no = match.group("year"), match.group("no")
        id_match = re.fullmatch(rf"([a-z][a-z0-9_]*?)_{year}_{no}", ident)
        if id_match:
            prefixes.setdefault(match.group("prefix"), id_match.group(1))
        short = source.get("short")
        en = short.get("en") if isinstance(short, Mapping) else None
        if isinstance(en, str) and "{" not in en and year in en:
            # The year first: "No. 20 (2020)" must keep its number.
            template = en.replace(year, "{year}", 1)
            if no in template:
                template = template.replace(no, "{no}", 1)
                short_en.setdefault(match.group("prefix"), (template, ident))
    return Known(english, prefixes, short_en, issuers)


@dataclass(frozen=True)
class Proposal:
    """Every field of a new `sources:` entry, as proposed."""

    fields: dict[str, Field]

    def value(self, name: str) -> Any:
        return self.fields[name].value


def as_of(proposal: Proposal) -> date | None:
    """The date a new text speaks as of, when it states one (signed, else published)."""
    for name in ("signed", "published"):
        found = proposal.fields[name]
        if found.status == "stated" and found.value:
            return parse_period(found.value).end
    return None


# The order the dry-run lists the fields in.
FIELD_ORDER = (
    "reference",
    "signed",
    "published",
    "title.zh",
    "issuer.zh",
    "addressee.zh",
    "kind",
    "title.en",
    "issuer.en",
    "addressee.en",
    "short.zh",
    "short.en",
    "id",
)

REQUIRED = (
    "id",
    "title.zh",
    "title.en",
    "short.zh",
    "short.en",
    "issuer.zh",
    "issuer.en",
    "kind",
)


def propose(text: str, known: Known, given_id: str | None = None) -> Proposal:
    """What the text says about itself, and what the catalogue's conventions add."""
    fields: dict[str, Field] = {}
    reference = read_reference(text)
    signed = read_signed(text)
    addressee = read_addressee(text)
    title = read_title(text, addressee)
    issuer = read_issuer(text, signed)
    fields["reference"] = reference
    fields["signed"] = signed
    fields["published"] = read_published(text)
    fields["title.zh"] = title
    fields["issuer.zh"] = issuer
    fields["addressee.zh"] = addressee
    fields["kind"] = read_kind(text, reference, title)
    if fields["issuer.zh"].status == "unstated":
        from_prefix = _issuer_of_series(reference, known)
        if from_prefix is not None:
            fields["issuer.zh"], fields["issuer.en"] = from_prefix
    for name in ("title", "issuer", "addressee"):
        if f"{name}.en" not in fields:
            fields[f"{name}.en"] = _english(fields[f"{name}.zh"], known)
    if not addressee.value:
        fields["addressee.en"] = Field("unstated", note="no addressee")
    fields["short.zh"] = (
        Field("inferred", reference.value, note="the reference number, as for the other sources")
        if reference.value
        else Field("unstated", note="no reference number: give --set short.zh=…")
    )
    fields["short.en"] = _short_en(reference, known)
    fields["id"] = _identifier(reference, known, given_id)
    return Proposal({name: fields[name] for name in FIELD_ORDER})


def _issuer_of_series(reference: Field, known: Known) -> tuple[Field, Field] | None:
    """The issuer, in both languages, of the catalogue's sources numbered in the same series:
    the same prefix (沪科建复), else the longest shared opening of two characters or more (沪科:
    the issuing body's code, 沪科提复 and 沪科建复 alike), when all those sources name one
    issuer."""
    match = _REFERENCE_LINE.match(str(reference.value or ""))
    if match is None:
        return None
    prefix = match.group("prefix")

    def shared(other: str) -> int:
        n = 0
        while n < min(len(prefix), len(other)) and prefix[n] == other[n]:
            n += 1
        return n

    best = max((shared(other) for other in known.issuers), default=0)
    if best < 2:
        return None
    series = [p for p in known.issuers if shared(p) == best]
    named = [entry for p in series for entry in known.issuers[p]]
    if len({(zh, en) for zh, en, _ident in named}) != 1:
        return None
    zh, en, _ident = named[0]
    ids = ", ".join(f"`{ident}`" for _zh, _en, ident in named[:3])
    what = f"the {prefix} series" if best == len(prefix) else f"numbers starting {prefix[:best]}"
    note = f"the issuer of the catalogue's sources in {what} ({ids})"
    zh_field = Field("from-catalogue", zh, note=note)
    en_field = (
        Field("from-catalogue", en, note=note)
        if en
        else Field("unstated", note="no translation in the catalogue: give it with --set")
    )
    return zh_field, en_field


def _english(zh: Field, known: Known) -> Field:
    if zh.value and zh.value in known.english:
        en, ident = known.english[zh.value]
        return Field("from-catalogue", en, note=f"the English of the same name in `{ident}`")
    return Field("unstated", note="no translation in the catalogue: give it with --set")


def _short_en(reference: Field, known: Known) -> Field:
    match = _REFERENCE_LINE.match(str(reference.value or ""))
    if match is None or match.group("prefix") not in known.short_en:
        return Field("unstated", note="give --set short.en=…")
    template, ident = known.short_en[match.group("prefix")]
    value = template.format(no=match.group("no"), year=match.group("year"))
    return Field("from-catalogue", value, note=f"the pattern of `{ident}`'s short label")


def _identifier(reference: Field, known: Known, given_id: str | None) -> Field:
    if given_id:
        return Field("given", given_id, note="--id")
    match = _REFERENCE_LINE.match(str(reference.value or ""))
    if match is None or match.group("prefix") not in known.id_prefixes:
        return Field("unstated", note="give --id (snake_case, e.g. hukefu_2026_12)")
    prefix = known.id_prefixes[match.group("prefix")]
    value = f"{prefix}_{match.group('year')}_{match.group('no')}"
    return Field(
        "inferred", value, note=f"the id pattern of the other {match.group('prefix')} sources"
    )
