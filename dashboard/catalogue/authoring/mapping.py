"""Which existing indicator a drafted figure belongs to, and why: the same measure, the
same unit (or a scale of it), its subject the one named nearest before the figure, and
the indicator's own words in the figure's words (read through data/terms.yaml); a new
indicator otherwise.

A wrong existing id is worse than a new one: an indicator is proposed only when one fits
clearly better than every other, and the reason says what the choice rests on."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dashboard.catalogue.models import Catalogue, Indicator
from dashboard.catalogue.periods import parse_period
from dashboard.catalogue.scales import same_base, scale_of
from dashboard.catalogue.textnorm import normalize

# A subject is named when a stretch of at least this share of it is in the text.
SUBJECT_STRETCH = 0.6
# An indicator's own words must score this much: the share of its distinctive character
# pairs (weighted: a pair every candidate has tells them apart less) in the figure's words.
WORDS_FLOOR = 0.65
# The best indicator must lead the next one by this much, or neither is proposed.
MARGIN = 0.15
_PUNCTUATION = re.compile(r"[\s，,。；;：:、（）()“”\"'《》·\-—–/0-9０-９.%％]+")
_PARENTHESES = re.compile(r"[（(][^）)]*[）)]")


def _words_list(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    return tuple(str(w) for w in data.get(key) or [] if str(w))


@dataclass(frozen=True)
class Vocabulary:
    """data/terms.yaml, read once (see its comments for what each list does)."""

    groups: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    modifiers: tuple[str, ...] = ()
    generic: tuple[str, ...] = ()
    money: tuple[str, ...] = ()
    city: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    _pattern: re.Pattern[str] | None = field(default=None, compare=False)
    _canonical: Mapping[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Vocabulary:
        groups = []
        for group in data.get("same") or []:
            if not isinstance(group, Mapping):
                continue
            zh = tuple(str(w) for w in group.get("zh") or [] if str(w))
            en = tuple(str(w) for w in group.get("en") or [] if str(w))
            if zh:
                groups.append((zh, en))
        canonical = {word: zh[0] for zh, _en in groups for word in zh}
        words = sorted(canonical, key=len, reverse=True)
        return cls(
            groups=tuple(groups),
            modifiers=_words_list(data, "modifiers"),
            generic=_words_list(data, "generic"),
            money=_words_list(data, "money"),
            city=_words_list(data, "city"),
            areas=_words_list(data, "areas"),
            _pattern=re.compile("|".join(map(re.escape, words))) if words else None,
            _canonical=canonical,
        )

    def canonical(self, text: str) -> str:
        """The text with every word of a group written as the group's first word."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._canonical[m.group()], text)

    def english(self, word: str) -> str:
        """The English of a group's word, for the reason ("需求 (demands)")."""
        canonical = self._canonical.get(word, word)
        for zh, en in self.groups:
            if zh[0] == canonical and en:
                return en[0]
        return ""


@dataclass(frozen=True)
class FigureWords:
    """What the draft knows of one figure, for finding its indicator."""

    unit: str
    measure: str
    period: str
    words: str  # its own words: its clause, up to the figures beside it
    close: str  # its closest words: those right before and after it, titles left out
    before: str  # its paragraph up to the figure: where its subject is named
    rest: str  # from the figure to the end of its clause
    after: str  # the words right after it: what it counts (14家研发与转化功能型平台)
    sentence: str  # its sentence up to the end of its clause: a part of the city named there


@dataclass(frozen=True)
class Match:
    """The proposed indicator ("" for a new one) and the reason, in words."""

    indicator: str
    reason: str


def _plain(text: str) -> str:
    return _PUNCTUATION.sub("", text)


def _pairs(text: str) -> set[str]:
    """Character pairs of each stretch (white space parts stretches)."""
    out: set[str] = set()
    for chunk in _PUNCTUATION.sub(" ", text).split():
        out.update(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return out


def _remove(text: str, words: Iterable[str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, " ")
    return text


def subject_core(indicator: Indicator, vocabulary: Vocabulary) -> str:
    """The subject as it is named in a text: canonical, without its (scope note) and
    without the words for the whole city ("" for a city-wide subject such as 上海市)."""
    subject = _PARENTHESES.sub("", vocabulary.canonical(indicator.subject.zh))
    return _plain(_remove(subject, vocabulary.city))


def _occurrences(core: str, text: str) -> list[tuple[int, int]]:
    """(where, length) of every occurrence in `text` of the longest stretches of `core`
    that are named (at least SUBJECT_STRETCH of it); [] when it is not named."""
    shortest = max(2, math.ceil(SUBJECT_STRETCH * len(core)))
    for length in range(len(core), shortest - 1, -1):
        found = sorted(
            (m.start(), length)
            for i in range(len(core) - length + 1)
            for m in re.finditer(re.escape(core[i : i + length]), text)
        )
        if found:
            return found
    return []


def _city_named_at(text: str, vocabulary: Vocabulary) -> int:
    return max((text.rfind(word) for word in vocabulary.city), default=-1)


def _city_occurrences(text: str, vocabulary: Vocabulary) -> list[tuple[int, int]]:
    return sorted(
        (m.start(), len(word))
        for word in vocabulary.city
        for m in re.finditer(re.escape(word), text)
    )


_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|\"[^\"]*\"")


def figure_subject(
    cores: Iterable[str], before: str, rest: str, after: str, vocabulary: Vocabulary
) -> str | None:
    """The subject (a core of the catalogue's subjects; "" for the whole city) a figure is
    of, read the way these documents name it:

    1. the thing counted right after the figure (两项上海市地方标准, 14家研发与转化功能型平台);
    2. in its segment (up to ；), the last subject opening a clause before it (国家技术转移东部中心
       深耕…，累计布局…，2022年促成技术交易41.86亿元), else the first one named there (支持其建设
       InnoMatch…平台，…2617项需求);
    3. the same in its sentence, then in each sentence before it in its paragraph, nearest
       first (上海技术交易所面向…。截至目前，已完成技术交易总额超300亿元).
    Names inside “quotes” and 《titles》 name proposals and documents, not subjects."""

    def prepared(part: str) -> str:
        return _QUOTED.sub(lambda m: "□" * len(m.group()), normalize(vocabulary.canonical(part)))

    head = prepared(before.replace("*", ""))
    text = head + prepared(rest.replace("*", ""))
    at = len(head)
    counted = normalize(vocabulary.canonical(after))
    found: dict[str, list[tuple[int, int]]] = {}
    for core in dict.fromkeys(cores):
        places = _occurrences(core, text) if core else _city_occurrences(text, vocabulary)
        if places:
            found[core] = places
    in_counted = [c for c in found if c and _occurrences(c, counted)]
    if in_counted:
        return max(in_counted, key=len)
    sentence = max((text.rfind(ch, 0, at) for ch in "。！？!?"), default=-1) + 1
    segment = max([sentence] + [text.rfind(ch, 0, at) + 1 for ch in "；;"])
    spans = [(segment, len(text)), (sentence, len(text))]
    end = sentence
    while end > 0:
        start = max((text.rfind(ch, 0, end - 1) for ch in "。！？!?"), default=-1) + 1
        spans.append((start, end))
        end = start
    for start, stop in spans:
        subject = _topic(found, text, start, min(stop, len(text)), at)
        if subject is not None:
            return subject
    return None


def _topic(
    found: Mapping[str, list[tuple[int, int]]], text: str, start: int, stop: int, at: int
) -> str | None:
    """In text[start:stop]: the last subject opening a clause before `at`, else the first
    subject named."""
    named = [
        (where, length, core)
        for core, places in found.items()
        for where, length in places
        if start <= where < stop
    ]
    # 上海 in 上海技术交易所 names the exchange, not the city: the subject starts there.
    city_ends = {where + length: where for where, length, core in named if not core}
    subjects = {where for where, _length, core in named if core}
    named = [
        (city_ends.get(where, where), length, core)
        for where, length, core in named
        if core or where + length not in subjects
    ]
    if not named:
        return None
    openers = {start} | {start + m.end() for m in re.finditer(r"[，,：:；;]", text[start:stop])}
    opening = [n for n in named if n[0] in openers and n[0] <= at]
    if opening:
        return max(opening, key=lambda n: (n[0], n[1]))[2]
    return min(named, key=lambda n: (n[0], -n[1]))[2]


def own_words(indicator: Indicator, vocabulary: Vocabulary, units: Mapping[str, Any]) -> str:
    """What the indicator measures in words: its name without the subject it opens with
    (or names in three characters or more), generic words and, for money, the words its
    unit says."""
    subject = _plain(_PARENTHESES.sub("", vocabulary.canonical(indicator.subject.zh)))
    name = _PUNCTUATION.sub(" ", vocabulary.canonical(indicator.name.zh))
    # The subject's long stretches (InnoMatch, 国家技术转移东部中心): a short one inside a long
    # subject (对接 in 供需对接平台) may be the measure's own word.
    shortest = max(3, math.ceil(0.4 * len(subject)))
    for length in range(len(subject), shortest - 1, -1):
        for i in range(len(subject) - length + 1):
            name = name.replace(subject[i : i + length], " ")
    # A name that opens with its subject's opening (示例平台… of 示例供需对接平台) names it.
    opening = 0
    while opening < min(len(name), len(subject)) and name[opening] == subject[opening]:
        opening += 1
    if opening >= 2:
        name = " " + name[opening:]
    name = _remove(name, vocabulary.generic)
    if scale_of(indicator.unit, units).base == "元":
        name = _remove(name, vocabulary.money)
    return " ".join(name.split())


def _fits_unit(indicator: Indicator, unit: str, units: Mapping[str, Any]) -> bool:
    return indicator.unit == unit or (unit != "%" and same_base(indicator.unit, unit, units))


def _area(sentence: str, vocabulary: Vocabulary) -> str:
    """The part of the city the sentence names after its last word for the whole city."""
    if not vocabulary.areas:
        return ""
    pattern = r"[\u4e00-\u9fff]{0,6}?(?:" + "|".join(map(re.escape, vocabulary.areas)) + ")"
    found = list(re.finditer(pattern, sentence))
    if not found or found[-1].start() < _city_named_at(sentence, vocabulary):
        return ""
    return found[-1].group()


def choose(
    catalogue: Catalogue,
    figure: FigureWords,
    vocabulary: Vocabulary,
    units: Mapping[str, Any],
) -> Match:
    """The existing indicator this figure belongs to, or a new one, with the reason."""
    fitting = [
        ind
        for ind in catalogue.indicators
        if ind.measure.value == figure.measure and _fits_unit(ind, figure.unit, units)
    ]
    if not fitting:
        return Match("", f"no indicator with this measure ({figure.measure}) and unit")
    cores = {ind.id: subject_core(ind, vocabulary) for ind in catalogue.indicators}
    chosen = figure_subject(cores.values(), figure.before, figure.rest, figure.after, vocabulary)
    area = _area(vocabulary.canonical(figure.sentence), vocabulary)
    named = []
    city_wide = []
    for ind in fitting:
        core = cores[ind.id]
        if chosen is None or (core != chosen and not (core and chosen and chosen in core)):
            continue
        if area and (not core or any(word in ind.subject.zh for word in vocabulary.city)):
            city_wide.append(ind)
            continue
        named.append(ind)
    if not named:
        if city_wide:
            closest = _by_words(city_wide, figure, vocabulary, units, chosen or "")
            which = closest.indicator or city_wide[0].id
            return Match(
                "",
                f"the sentence speaks of {area}, a part of the city: `{which}` (this measure "
                "and unit) is the whole city's",
            )
        return Match("", "no indicator of the subject named here has this measure and unit")
    return _by_words(named, figure, vocabulary, units, chosen or "")


def _without_subject(text: str, core: str) -> str:
    """The figure's words without its subject's name (InnoMatch全球技术供需对接平台 names the
    platform, not what is measured)."""
    return text.replace(core, " ") if core else text


def _by_words(
    named: list[Indicator],
    figure: FigureWords,
    vocabulary: Vocabulary,
    units: Mapping[str, Any],
    subject: str,
) -> Match:
    said = _without_subject(normalize(vocabulary.canonical(figure.words)), subject)
    words = _pairs(said)
    own = {ind.id: own_words(ind, vocabulary, units) for ind in named}
    pairs = {ident: _pairs(text) for ident, text in own.items()}
    counts: dict[str, int] = {}
    for found in pairs.values():
        for pair in found:
            counts[pair] = counts.get(pair, 0) + 1
    scored: list[tuple[float, Indicator]] = []
    refused: list[str] = []
    close = _without_subject(normalize(vocabulary.canonical(figure.close)), subject)
    for ind in named:
        # Its name and subject: 高校院所 around the figure is not the 高校 of `本市高校`.
        described = _PARENTHESES.sub("", vocabulary.canonical(f"{ind.name.zh} {ind.subject.zh}"))
        differ = [m for m in vocabulary.modifiers if (m in close) != (m in described)]
        if differ:
            refused.append(f"`{ind.id}` (“{differ[0]}” in one and not the other)")
            continue
        mine = pairs[ind.id]
        if not mine:
            # The name is its subject (研发与转化功能型平台数): the subject is what is counted,
            # so the figure's own words name it.
            core = subject_core(ind, vocabulary)
            score = 1.0 if core and _occurrences(core, _plain(said)) else 0.0
        else:
            total = sum(1 / counts[p] for p in mine)
            score = sum(1 / counts[p] for p in _said_pairs(own[ind.id], words)) / total
        scored.append((score, ind))
    scored.sort(key=lambda s: -s[0])
    if not scored or scored[0][0] < WORDS_FLOOR:
        if scored:
            best = scored[0][1]
            also = f"; not {', '.join(refused)}" if refused else ""
            return Match(
                "",
                f"`{best.id}` has this subject, measure and unit, but its words "
                f"({own[best.id] or 'its subject'}) are not the figure's{also}",
            )
        return Match("", "a different measure: not " + ", ".join(refused))
    best_score, best = scored[0]
    if len(scored) > 1 and best_score - scored[1][0] < MARGIN:
        other = scored[1][1]
        return Match("", f"`{best.id}` and `{other.id}` fit about equally: a new id to choose")
    if best.unit == figure.unit:
        reason = f"same subject, measure and unit as `{best.id}`"
    else:
        reason = (
            f"same subject and measure as `{best.id}`, in {figure.unit}, a scale of its unit "
            f"{best.unit} (kept as stated, with unit: {figure.unit})"
        )
    matched = _matched(own[best.id], said, vocabulary)
    if matched:
        reason += f"; its words: {matched}"
    when = _when(best, figure.period)
    return Match(best.id, f"{reason}; {when}" if when else reason)


def _said_pairs(own: str, words: set[str]) -> set[str]:
    """The indicator's pairs the figure says: its own, and the pairs joining two of its
    words the figure says apart (征集 and 需求 in 征集…企业需求 say 征集需求's 集需 too)."""
    out: set[str] = set()
    for part in _PUNCTUATION.sub(" ", own).split():
        covered = [False] * len(part)
        for i in range(len(part) - 1):
            if part[i : i + 2] in words:
                covered[i] = covered[i + 1] = True
        out.update(part[i : i + 2] for i in range(len(part) - 1) if covered[i] and covered[i + 1])
    return out


def _matched(own: str, said: str, vocabulary: Vocabulary) -> str:
    """The indicator's words the figure says, longest stretches first ("需求 (demands)")."""
    found: list[str] = []
    plain = _plain(said)
    for part in own.split():
        i = 0
        while i < len(part) - 1:
            length = next((n for n in range(len(part) - i, 1, -1) if part[i : i + n] in plain), 0)
            if length:
                word = part[i : i + length]
                english = vocabulary.english(word)
                found.append(f"{word} ({english})" if english else word)
                i += length
            else:
                i += 1
    return "、".join(dict.fromkeys(found))


def _when(indicator: Indicator, period: str) -> str:
    """How the figure's date stands to the indicator's figures ("a later as-of date")."""
    try:
        end = parse_period(period).end
    except ValueError:
        return ""
    latest = max(indicator.observations, key=lambda o: (o.span.end, o.source))
    last = latest.span.end
    if end > last:
        return f"a later as-of date ({end.isoformat()}; its latest figure is of {last.isoformat()})"
    if end < last:
        return f"an earlier date ({end.isoformat()}; its latest figure is of {last.isoformat()})"
    return f"the same date as its figure from `{latest.source}`: compare the two"
