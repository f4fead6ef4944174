"""How a figure reads in its sentence: its unit, its clause, and the time words around it
(a year, 截至, 自…以来, 已/累计, 目前, 近年来) that give its period and measure.

The rules are heuristics written for the officials' prose of these documents: they were
tuned on the five sources and measured held-out on them (docs/adding-a-document.md), so
a new kind of document may need new rules. Each rule says why it exists."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dashboard.catalogue.numbers import Mention, fraction_value

# -- structure -------------------------------------------------------------------------------
# Clause < segment (；) < sentence (。！？) < paragraph. A line break ends a paragraph only
# after a full stop, a colon or a heading: the PDF copies break lines inside sentences.
_SENTENCE_END = "。！？!?"
_SEGMENT_END = "；;"
_CLAUSE_END = "，,：:"
_HEADING = re.compile(
    r"\n[ \t\u3000]*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])"
)


class Structure:
    """Boundaries of a text's clauses, segments, sentences and paragraphs."""

    def __init__(self, text: str) -> None:
        self.text = text
        paragraph = {0, len(text)}
        last = ""  # the last character before the line break that is not white space
        for i, ch in enumerate(text):
            if ch == "\n" and (
                not last or last in _SENTENCE_END + "：:" or _HEADING.match(text, i)
            ):
                paragraph.add(i + 1)
            elif not ch.isspace():
                last = ch
        # A heading line that is not a sentence ("一、关于…") is its own paragraph.
        for m in _HEADING.finditer(text):
            end = text.find("\n", m.end())
            paragraph.add(m.start() + 1)
            paragraph.add(len(text) if end == -1 else end + 1)
        sentence = paragraph | {m.end() for m in re.finditer(f"[{_SENTENCE_END}]", text)}
        segment = sentence | {m.end() for m in re.finditer(f"[{_SEGMENT_END}]", text)}
        clause = segment | {m.end() for m in re.finditer(f"[{_CLAUSE_END}\n]", text)}
        self._levels = {
            "paragraph": sorted(paragraph),
            "sentence": sorted(sentence),
            "segment": sorted(segment),
            "clause": sorted(clause),
        }

    def span(self, level: str, offset: int) -> tuple[int, int]:
        """[start, end) of the unit of `level` holding `offset`."""
        cuts = self._levels[level]
        i = bisect.bisect_right(cuts, offset) - 1
        start = cuts[max(i, 0)]
        end = cuts[i + 1] if i + 1 < len(cuts) else len(self.text)
        return start, end


# -- time words ------------------------------------------------------------------------------
_DATE = r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?"
# 自2020年10月开市以来, 2020年成立至今, 自2022年起: a running total from a stated start.
_SINCE = re.compile(rf"自?\s*{_DATE}[^，,。；;：:\n]{{0,30}}?(?:以来|至今|起)")
# 自开市以来 (the start is an event named earlier, e.g. "10 月 28 日开市").
_SINCE_EVENT = re.compile(r"自([^，,。；;\d\s]{1,12}?)以来")
_UNTIL = re.compile(rf"截至\s*{_DATE}")
# Base periods of a comparison are not the figure's period: 与 2016 年相比, 较2019年.
_BASE = re.compile(r"(?:与|较|比)\s*(\d{4})\s*年度?\s*(?:相比|同期)?")
_YEAR = re.compile(
    r"(\d{4})\s*年度?(?:\s*(\d{1,2})\s*(?:[-—–~至]\s*(\d{1,2})\s*)?月(?:\s*(\d{1,2})\s*日)?)?"
)
_FIVE_YEAR = re.compile(r"十([一二三四五六七八九])五")
_FIVE_YEAR_START = {"一": 2006, "二": 2011, "三": 2016, "四": 2021, "五": 2026}
# A total up to now (no start): 截至目前, 迄今, 至今, 已 (already), 累计 (in total).
_NOW_TOTAL = re.compile(r"截至目前|截至今|迄今|至今|累计|已(?!经)")
# A level now: 目前, 现有, 已有, 共有.
_NOW_LEVEL = re.compile(r"目前|现有|已有|共有|拥有")
# Years unstated: 近年来, 近几年, 多年来, 连续多年.
_RECENT = re.compile(r"近(?:几|些)?年来?|多年来|连续多年")
# A year followed by one of these dates an event (a policy issued, a body set up), not the
# period of the figures after it; it still dates a stock in the same segment.
_EVENT_VERBS = re.compile(r"印发|发布|出台|颁布|成立|开市|设立|启动|开展|签署|签订|注册|召开")


@dataclass(frozen=True)
class Cue:
    """A time word at [start, end): `kind` and the dates it gives (ISO text)."""

    start: int
    end: int
    kind: str  # since | until | base | year | event | five_year | now_total | now_level | recent
    period: str = ""  # the period it names ("2020", "2024-01/2024-11", "2016/2020")
    begin: str = ""  # the start of a running total


def _iso(year: str, month: str | None = None, day: str | None = None) -> str:
    text = f"{int(year):04d}"
    if month:
        text += f"-{int(month):02d}"
        if day:
            text += f"-{int(day):02d}"
    return text


def _inside_names(text: str) -> list[tuple[int, int]]:
    """Spans of 《titles》 and (2020) editions: years there name editions, not periods."""
    return [m.span() for m in re.finditer(r"《[^》]*》|[（(]\d{4}[)）]", text)]


def find_cues(text: str) -> list[Cue]:
    """Every time word of the text, in order; overlapping words keep the most specific."""
    cues: list[Cue] = []
    taken: list[tuple[int, int]] = list(_inside_names(text))

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(cue: Cue) -> None:
        if free(cue.start, cue.end):
            cues.append(cue)
            taken.append((cue.start, cue.end))

    for m in _SINCE.finditer(text):
        add(Cue(m.start(), m.end(), "since", begin=_iso(*m.groups())))
    for m in _SINCE_EVENT.finditer(text):
        begin = _event_date(text, m.group(1), m.start())
        if begin:
            add(Cue(m.start(), m.end(), "since", begin=begin))
    for m in _UNTIL.finditer(text):
        add(Cue(m.start(), m.end(), "until", period=_iso(*m.groups())))
    for m in _BASE.finditer(text):
        add(Cue(m.start(), m.end(), "base", period=_iso(m.group(1))))
    for m in _YEAR.finditer(text):
        year, month, month_to, day = m.groups()
        if month and month_to:
            period = f"{_iso(year, month)}/{_iso(year, month_to)}"
        else:
            period = _iso(year, month, day)
        after = text[m.end() : m.end() + 40]
        clause_rest = re.split(r"[，,。；;：:\n]", after, maxsplit=1)[0]
        kind = "event" if _EVENT_VERBS.search(clause_rest) else "year"
        add(Cue(m.start(), m.end(), kind, period=period))
    for m in _FIVE_YEAR.finditer(text):
        first = _FIVE_YEAR_START[m.group(1)]
        add(Cue(m.start(), m.end(), "five_year", period=f"{first}/{first + 4}"))
    for pattern, kind in (
        (_RECENT, "recent"),
        (_NOW_LEVEL, "now_level"),
        (_NOW_TOTAL, "now_total"),
    ):
        for m in pattern.finditer(text):
            add(Cue(m.start(), m.end(), kind))
    return sorted(cues, key=lambda c: c.start)


def _event_date(text: str, event: str, before: int) -> str:
    """The date of an event named earlier: for 自开市以来, the "10 月 28 日" of "10 月 28 日开市",
    its year from the latest year written before it."""
    verb = event[-2:]
    found = None
    for m in re.finditer(
        rf"(?:{_DATE}|(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日)\s*{re.escape(verb)}", text
    ):
        if m.start() >= before:
            break
        found = m
    if found is None:
        return ""
    year, month, day, month2, day2 = found.groups()
    if year:
        return _iso(year, month, day)
    years = re.findall(r"(\d{4})\s*年", text[: found.start()])
    return _iso(years[-1], month2, day2) if years else ""


# -- units -----------------------------------------------------------------------------------
# Counting words that may follow a number, longest first. 台(套) is a unit of its own.
_UNIT_WORDS = (
    "台(套)", "台（套）", "人次", "元", "项", "家", "个", "名", "人", "件", "条", "场", "台",
    "套", "所", "位", "篇", "份", "次", "倍", "户", "款", "座", "批",
)  # fmt: skip
# After a number these make a date or a span of time, not a figure.
TIME_UNITS = ("年", "月", "日", "天", "周", "届", "期", "号", "季度", "小时", "分钟")
_MONEY_WORDS = re.compile(r"金额|额|资金|投资|投入|经费|收入|营收|融资|元")


@dataclass(frozen=True)
class Reading:
    """A mention read as a figure: value and unit as the source states them."""

    value: float | int
    unit: str
    multiplier: str
    end: int  # where the number and its written unit end in the text
    assumed: str = ""  # a unit part the text leaves out (超 15 亿 of a 金额: 元)
    fraction: tuple[int, int] | None = None  # a share stated as a fraction (三分之二: 2, 3)
    in_words: bool = False  # a share in words (三分之二, 过半, 近三成), not a percentage


def read_value(text: str, mention: Mention) -> Reading | None:
    """Value and unit as written: 4.6 万项 -> 4.6, 万项; 超过3.35亿元 -> 3.35, 亿元; 近三成 ->
    30, %; 超亿元 -> 1, 亿元. None when what follows makes it a date or a span of time."""
    written = mention.text.rstrip()
    multiplier = ""
    for mult in ("万亿", "千万", "百万", "亿", "万", "千"):
        if written.endswith(mult) and (len(written) > len(mult) or mention.values[0] == 1):
            multiplier = mult
            break
    value: float | int = mention.values[0]
    if written.endswith("成"):
        return Reading(_tidy(mention.values[-1]), "%", "", mention.end, in_words=True)
    if mention.fraction is not None:
        numerator, denominator = mention.fraction
        exact = Decimal(100) * numerator / denominator
        if exact == exact.quantize(Decimal("0.0001")):
            return Reading(_tidy(float(exact)), "%", "", mention.end, in_words=True)
        # 三分之二 is 66.66…%: the value to one decimal, the fraction kept beside it.
        shown = float(fraction_value(numerator, denominator, 1))
        return Reading(shown, "%", "", mention.end, fraction=mention.fraction, in_words=True)
    if mention.is_percent:
        return Reading(_tidy(value), "%", "", mention.end)
    after = text[mention.end : mention.end + 8]
    rest = after.lstrip(" \t")
    if rest.startswith(TIME_UNITS) or rest.startswith(("个月", "次会议")):
        return None
    word = next((u for u in _UNIT_WORDS if rest.startswith(u)), "")
    end = mention.end + len(after) - len(rest) + len(word) if word else mention.end
    assumed = ""
    if multiplier and not word:
        # 超 15 亿；: an amount of money when the clause speaks of one.
        assumed = "元" if _MONEY_WORDS.search(_clause_of(text, mention.start)) else ""
    unit = multiplier + (word or assumed).replace("（", "(").replace("）", ")")
    return Reading(_tidy(value), unit, multiplier, end, assumed)


def _clause_of(text: str, offset: int) -> str:
    start = max(text.rfind(c, 0, offset) for c in "，,。；;：:\n") + 1
    ends = [i for i in (text.find(c, offset) for c in "，,。；;：:\n") if i != -1]
    return text[start : min(ends) if ends else len(text)]


def _tidy(value: float) -> float | int:
    """11483.0 -> 11483; 4.6 stays 4.6."""
    return int(value) if float(value).is_integer() else value


# -- measure and period ----------------------------------------------------------------------
# Verbs that make a count a running total, as opposed to a level (布局 33 家分中心).
_TOTAL_VERBS = re.compile(
    r"孵化|吸纳|惠及|流转|收到|完成|资助|征集|促成|招收|带动|获得|投资|"
    r"服务(?!机构|业|企业|平台|体系|能力|规范|中心|网络|质量|功能)"
)
_TOTAL_VERBS_AFTER = re.compile(r"入选")
_PEOPLE_TOTAL_VERBS = re.compile(r"培养|参与")
_ADJACENT_TOTAL_VERBS = re.compile(r"创业(?:超过|超|逾|达|近)?\s*$")
# Units counted as organisations or things held at a date, unless a verb above says otherwise.
_LEVEL_UNITS = {"家", "个", "条", "台(套)", "台", "套", "所", "座", "名", "人", "位", "万项"}
_PEOPLE_UNITS = {"名", "人", "万人", "位"}
# Units that count events or money: a running total when no period is stated.
_FLOW_UNITS = {"人次", "场", "项", "件", "次"}
RANK_WORDS = re.compile(r"(?:居|位居|排名|名列|位列)[^，,。；;]{0,6}第\s*$")
# A quotient, not a flow or a level: per head (人均), per enterprise (户均), times (倍).
_RATIO_WORDS = re.compile(r"人均|户均|平均每|每人|每家|每户|每万人|每百人")
RATIO_UNITS = {"倍"}
# 36个国家和地区 (not 2 家国家级成果平台): how many countries, a level.
_COUNTRIES = re.compile(r"\s*国家(?!级)")


@dataclass(frozen=True)
class Timing:
    measure: str
    period: str
    compared_with: str | None
    why: str


def time_of(
    text: str,
    structure: Structure,
    cues: list[Cue],
    mention: Mention,
    reading: Reading,
    as_of: date | str | None,
) -> Timing:
    """The measure and period of a figure from the time words before it (`as_of` is the
    source's date, or its label at the precision stated: "2025")."""
    at = mention.start
    sentence = structure.span("sentence", at)
    segment = structure.span("segment", at)
    clause = structure.span("clause", at)
    # Words inside 《titles》 are not the figure's verbs (《…服务规范》).
    before = re.sub(r"《[^》]*》", "", text[clause[0] : at])
    after = text[mention.end : clause[1]]
    now = as_of if isinstance(as_of, str) else (as_of.isoformat() if as_of else "")
    in_sentence = [c for c in cues if sentence[0] <= c.start < at and c.kind != "base"]
    # An event's date only dates figures of its own segment (up to the next ；).
    in_sentence = [c for c in in_sentence if c.kind != "event" or c.start >= segment[0]]
    inherited = _inherited_since(structure, cues, at)
    base = next((c for c in cues if clause[0] <= c.start < at and c.kind == "base"), None)

    if RANK_WORDS.search(text[max(sentence[0], at - 10) : at]):
        cue = in_sentence[-1] if in_sentence else None
        if cue is not None and cue.kind in ("recent", "since", "now_total"):
            begin = cue.begin or ".."
            return Timing("rank", f"{begin}/{now}", None, "a place (第一) over years not named")
        if cue is not None and cue.kind in ("year", "event"):
            return Timing("rank", cue.period, None, f"a place (第一) in {cue.period}")
        year = _sentence_year(cues, structure, at)
        if year:
            return Timing("rank", year, None, f"a place (第一); {year} from the sentence before")
        return Timing("rank", now, None, "a place (第一) as of the source's date")

    cue = in_sentence[-1] if in_sentence else inherited
    start = _start_before(in_sentence, cue) or (inherited.begin if inherited else "")
    if reading.unit == "%":
        return _percent(text, cue, start, base, before, in_sentence, now, reading.in_words)
    if reading.unit in RATIO_UNITS or _RATIO_WORDS.search(before):
        said = "倍" if reading.unit in RATIO_UNITS else _RATIO_WORDS.findall(before)[-1]
        if cue is not None and cue.kind in ("year", "event", "five_year"):
            return Timing("ratio", cue.period, None, f"a ratio (“{said}”) for {cue.period}")
        return Timing("ratio", now, None, f"a ratio (“{said}”) as of the source's date")
    if cue is not None and cue.kind in ("now_total", "recent") and _since_before(in_sentence, cue):
        # 自2020年10月开市以来，累计…: 累计 within a running total from a stated start.
        cue = _since_before(in_sentence, cue) or cue
    if cue is None:
        if _is_total(reading, before, after, text, mention):
            return Timing("cumulative", f"../{now}", None, "a running total; no period stated")
        return Timing("stock", now, None, "a level; no period stated: the source's date")
    if cue.kind == "since":
        if reading.unit == "个" and _COUNTRIES.match(text, reading.end):
            return Timing("stock", now, None, "a count of countries: a level now")
        return Timing(
            "cumulative", f"{cue.begin}/{now}", None, f"a running total since {cue.begin}"
        )
    if cue.kind == "until":
        return Timing("cumulative", f"../{cue.period}", None, f"a running total up to {cue.period}")
    if cue.kind == "now_level":
        return Timing("stock", now, None, f"a level now (“{text[cue.start : cue.end]}”)")
    if cue.kind in ("now_total", "recent"):
        said = text[cue.start : cue.end]
        if _is_level(reading, before, after, text, mention):
            return Timing("stock", now, None, f"a level now (“{said}”, counted in {reading.unit})")
        end = _until_before(in_sentence, cue) or now
        begin = start or ".."
        return Timing("cumulative", f"{begin}/{end}", None, f"a running total (“{said}”)")
    if cue.kind == "five_year":
        return Timing("annual_flow", cue.period, None, "a five-year plan period")
    # A year, month or day written before the figure.
    if "/" in cue.period:
        return Timing("partial_year_flow", cue.period, None, f"part of a year ({cue.period})")
    if len(cue.period) > 4 or cue.kind == "event":
        return Timing("stock", cue.period, None, f"a level at {cue.period}")
    if _is_level(reading, before, after, text, mention):
        return Timing("stock", cue.period, None, f"a level in {cue.period}")
    return Timing("annual_flow", cue.period, None, f"a total over {cue.period}")


def _percent(
    text: str,
    cue: Cue | None,
    start: str,
    base: Cue | None,
    before: str,
    in_sentence: list[Cue],
    now: str,
    in_words: bool = False,
) -> Timing:
    """Growth rates, shares and other ratios take the period of the figures they qualify;
    a share in words (三分之二, 过半, 近三成) is a share unless it says growth (增长两成)."""
    words = before[-12:]
    period = cue.period if cue is not None and cue.kind in ("year", "event", "five_year") else ""
    plan = cue is not None and cue.kind == "five_year"
    if plan or re.search(r"年均|平均增长", words):
        if cue is not None and plan:
            return Timing("average_growth_rate", cue.period, None, "average growth over a plan")
        begin = start or (cue.begin if cue is not None else "")
        years = [c.period[:4] for c in in_sentence if c.kind == "year"]
        end = years[-1] if years else now[:4]
        return Timing(
            "average_growth_rate", f"{begin}/{end}", None, f"average growth {begin}–{end}"
        )
    if re.search(r"占|比重|比例", words):
        measure, why = "share", "a share"
    elif re.search(r"增长|增幅|增速|下降", words):
        measure, why = "growth_rate", "a growth rate"
    elif in_words:
        measure, why = "share", "a share in words"
    else:
        measure, why = "rate", "a ratio"
    if cue is not None and cue.kind == "since":
        return Timing(measure, f"{cue.begin}/{now}", None, why + f" since {cue.begin}")
    if cue is not None and cue.kind in ("now_total", "now_level", "recent") and start:
        return Timing(measure, f"{start}/{now}", None, why + f" since {start}")
    if not period:
        return Timing(measure, now, None, why + " as of the source's date")
    compared = None
    if measure == "growth_rate":
        if base is not None:
            compared = base.period
        elif "同比" in words:
            compared = _year_before(period)
    return Timing(measure, period, compared, why + f" for {period}")


def _year_before(period: str) -> str:
    def back(point: str) -> str:
        return f"{int(point[:4]) - 1:04d}{point[4:]}"

    return "/".join(back(p) for p in period.split("/"))


def _start_before(in_sentence: list[Cue], cue: Cue | None) -> str:
    """The start a total (已/累计) counts from: the latest year or since-date before it."""
    for earlier in reversed(in_sentence):
        if earlier is cue:
            continue
        if earlier.kind == "since":
            return earlier.begin
        if earlier.kind in ("year", "event") and cue is not None and cue.kind == "now_total":
            return earlier.period[:4]
    return ""


def _since_before(in_sentence: list[Cue], cue: Cue) -> Cue | None:
    for earlier in reversed(in_sentence):
        if earlier is not cue and earlier.kind == "since":
            return earlier
    return None


def _until_before(in_sentence: list[Cue], cue: Cue) -> str:
    for earlier in reversed(in_sentence):
        if earlier is not cue and earlier.kind == "until":
            return earlier.period
    return ""


def _inherited_since(structure: Structure, cues: list[Cue], at: int) -> Cue | None:
    """自…以来 ending the sentence before, in the same paragraph, still holds (自开市以来，实现
    …进场。意向进场科技成果 5000 余项…): the next sentence goes on listing since then."""
    paragraph = structure.span("paragraph", at)
    sentence = structure.span("sentence", at)
    if sentence[0] <= paragraph[0]:
        return None
    previous = structure.span("sentence", sentence[0] - 1)
    earlier = [c for c in cues if previous[0] <= c.start < previous[1] and c.kind != "base"]
    if earlier and earlier[-1].kind == "since":
        return earlier[-1]
    return None


def _sentence_year(cues: list[Cue], structure: Structure, at: int) -> str:
    sentence = structure.span("sentence", at)
    years = [c for c in cues if sentence[0] <= c.start < at and c.kind == "year"]
    return years[-1].period if years else ""


def _is_level(reading: Reading, before: str, after: str, text: str, mention: Mention) -> bool:
    """Counted as organisations or things held (家, 个, 名…) with no verb of accumulation."""
    if reading.unit in _PEOPLE_UNITS and _PEOPLE_TOTAL_VERBS.search(before):
        return False
    if _TOTAL_VERBS.search(before) or _TOTAL_VERBS_AFTER.search(after):
        return False
    if _ADJACENT_TOTAL_VERBS.search(text[max(0, mention.start - 6) : mention.start]):
        return False
    return reading.unit in _LEVEL_UNITS or reading.unit in _PEOPLE_UNITS


def _is_total(reading: Reading, before: str, after: str, text: str, mention: Mention) -> bool:
    """With no time word: money, events and verbs of accumulation make a running total."""
    if reading.unit.endswith("元") or reading.unit in _FLOW_UNITS - {"项", "件"}:
        return True
    if _ADJACENT_TOTAL_VERBS.search(text[max(0, mention.start - 6) : mention.start]):
        return True
    if reading.unit in _PEOPLE_UNITS and _PEOPLE_TOTAL_VERBS.search(before):
        return True
    if _TOTAL_VERBS_AFTER.search(after):
        return True
    return bool(_TOTAL_VERBS.search(before))
