"""Find every numeric mention in a source text, in one linear pass of compiled regexes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# What counts as a mention (the rules a new document is scanned by):
# - Arabic numerals, half- or full-width, with a decimal point, ASCII-comma thousands groups or
#   single-space / thin-space thousands groups ("1,234", "11 483"), followed by an optional
#   余/多, a 万/亿/千/百万/千万/万亿 multiplier, %/‰, or 成 (tenths: "三成" = 30 %).
# - Chinese numerals (七, 六十九, 二〇二一, 十余, 百余, 近百, 亿 in 超亿元) with the same suffixes.
#   A lone 一 is a number only where it counts or orders something: after 第 (第一批), as an
#   enumerator (一、 一是 （一）), or before a counting classifier (一所, 一中心, 一次). 一个/一批/
#   一种/一些 are indefinite articles and 进一步/统一/一流/一体化 are words, not figures. A lone
#   零/〇 (大零号湾) is a name, not a number.
# - Five-year-plan names (十三五), document reference numbers (〔2021〕116号) and Latin-led codes
#   (DB31/T1283—2021, G60, AI4S) are single mentions: they are dismissed later, never ignored.
# - Ranges and composites joined by - — – ~ ～ + / 至 (2024-2027, 1-11月, 1 + 5 + 20, 8+1,
#   2023-10-19, 400-6123115) are single mentions whose values are each part's.
# - Place names and idioms that merely contain a numeral character (长三角, 十分重要, 千方百计) are
#   skipped: they state no quantity.
# - Shares in words: a fraction 三分之二 (2/3, read as 66.66… %) and a half: 一半, 半数 and 过半
#   (more than half). 半年, 半导体 and 上半年 are not shares.
# Qualifiers: "more_than" for 超过/超出/超/逾 just before or 余/多 just after the numeral;
# "nearly" for 近/将近/接近 just before (not 最近/附近, "recent"/"nearby", and not 近3年, "the
# past three years"); "about" for 约/大约 just before (not 签约/合约/履约…, where 约 means
# "contract") or 左右 after the numeral and at most three unit characters; "more_than" also for
# 以上 there (100 家以上: a lower bound, like 余). White space and one of 了/为/达/有/合/占 may sit
# between a marker and its numeral (超过了, 约为, 近达). 以下/不足 are not qualifiers here.

_DIG = "0-9０-９"
_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_UNITS = "十百千万亿"
_CN = _CN_DIGITS + _CN_UNITS
_CN_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
}

_ARABIC = (
    rf"[{_DIG}]{{1,3}}(?:(?:,|[ \u2009\u202f])[{_DIG}]{{3}})+(?![{_DIG}])(?:[.．][{_DIG}]+)?"
    rf"|[{_DIG}]+(?:[.．][{_DIG}]+)?"
)
_MULT = "万亿|千万|百万|亿|万|千"
# 成 means "tenths" only when it does not start a word (成交, 成立, 成果, 成员…).
_PCT = r"[%％‰]|成(?![交立果员本为功熟就效长绩型品])"
# One element of a mention: a numeral with its 余/多, multiplier and percent sign.
_ELEMENT = (
    rf"(?:(?P<ar@>{_ARABIC})(?:\s?(?P<ma@>{_MULT}))?|(?P<cn@>[{_CN}]+))"
    rf"(?:\s?(?P<ap@>[余多]))?(?:\s?(?P<mb@>{_MULT}))?(?:\s?(?P<aq@>[余多]))?"
    rf"(?:\s?(?P<pc@>{_PCT}))?"
)
_FIRST_ELEMENT = _ELEMENT.replace("@", "0")
_NEXT_ELEMENT = _ELEMENT.replace("@", "1")
_SEP = r"\s*[-—–~～+＋/／至]\s*"
# Skipped words: names and idioms that contain a numeral character but state no quantity.
_SKIP = r"长三角|珠三角|十分(?![钟之])|万一|一一|千方百计|百姓|万众|亿万|百花|万物"
_FIVE_YEAR = rf"(?<![{_CN}])十[一二三四五六七八九]五(?![{_CN}])"
_DOCREF = rf"〔\s*(?P<ref_year>[{_DIG}]+)\s*〕\s*(?P<ref_no>[{_DIG}]+)\s*号"
_CODE = (
    rf"(?<![A-Za-z{_DIG}])[A-Za-z]+[{_DIG}]+(?:/?[A-Za-z]+[{_DIG}]+)*"
    rf"(?:\s*[-—–]\s*[{_DIG}]+)?[A-Za-z]*"
)
_PERCENT_WORD = rf"百分之(?P<pw>[{_CN}]+|{_ARABIC})"
# 三分之二: the denominator first (百分之 is a percentage, read above).
_FRACTION = rf"(?P<fd>[{_CN_DIGITS}十]+|[{_DIG}]+)\s*分之\s*(?P<fn>[{_CN_DIGITS}十]+|[{_DIG}]+)"
# 过半 (more than half), 一半, 半数: a half of something, not 半年 or 半导体.
_HALF = r"(?P<hm>过)半数?(?![年月天日导径岛])|(?<![上下前后])一半(?![年月天日导径])|半数"

_SCAN = re.compile(
    rf"(?P<skip>{_SKIP})"
    rf"|(?P<fyp>{_FIVE_YEAR})"
    rf"|(?P<docref>{_DOCREF})"
    rf"|(?P<code>{_CODE})"
    rf"|(?P<pword>{_PERCENT_WORD})"
    rf"|(?P<frac>{_FRACTION})"
    rf"|(?P<half>{_HALF})"
    rf"|(?P<chain>{_FIRST_ELEMENT}(?:{_SEP}{_NEXT_ELEMENT})*)"
)
# The chain's repeated part, re-run on a matched chain to read each element's groups.
_ELEMENT_RE = re.compile(_FIRST_ELEMENT)
_SEP_RE = re.compile(_SEP)
_DIGITS_RE = re.compile(rf"[{_DIG}]+")

# Context tests run on a window of a few characters next to the match, so the pass stays linear.
# A marker may be linked to its numeral by 了/为/达/有/合/占 (超过了, 约为, 近达, 约合, 约占).
_LINK = r"(?:了|为|达|有|合|占)?\s*$"
_BEFORE_MORE = re.compile(r"(?:超过|超出|超|逾)" + _LINK)
_BEFORE_NEARLY = re.compile(r"(?:将近|接近|(?<![最附邻亲靠贴临])近)" + _LINK)
_BEFORE_ABOUT = re.compile(r"(?:大约|(?<![签合预条契履节制邀公特违解守立缔婚赴相盟和])约)" + _LINK)
# 近 before a span of time means "the last" (近3年 = the past three years), not "nearly".
_RECENT_SPAN = re.compile(r"\s*(?:年|个月|天|日|周|期|届)")
_AFTER_ABOUT = re.compile(r"\s?[^\s\d，。、；：,.;:（）()“”\"]{0,3}?左右")
_AFTER_MORE = re.compile(r"\s?[^\s\d，。、；：,.;:（）()“”\"]{0,3}?以上")
# Where a lone 一 is a figure (see the module notes).
_ONE_COUNTS = re.compile(r"中心|[家项名所条次届年月日天位台套件人元场轮期号座款类份篇]")
# 一、 and 一是 enumerate only at the start of a clause (not 统一、 or 唯一是).
_ONE_ENUMERATES = re.compile(r"(?<![\u4e00-\u9fff])一[、是]")
_ONE_ENCLOSED = re.compile(r"[（(]一[）)]")
_WINDOW = 8


@dataclass(frozen=True)
class Mention:
    """One numeric mention; values are its candidate readings (as written, then multiplied)."""

    start: int
    end: int
    text: str
    values: tuple[float, ...]
    qualifier: str | None
    is_percent: bool
    # A share stated as a fraction (三分之二 -> (2, 3); 一半 -> (1, 2)), else None.
    fraction: tuple[int, int] | None = None


def find_mentions(text: str) -> list[Mention]:
    """Every numeric mention in `text`, in order, with offsets into `text` itself."""
    mentions: list[Mention] = []
    for match in _SCAN.finditer(text):
        kind = match.lastgroup
        if kind == "skip":
            continue
        if kind == "chain":
            mention = _chain_mention(text, match)
        elif kind == "fyp":
            mention = _simple(match, (_parse_cn(match.group()[:-1]),))
        elif kind == "docref":
            values = (_arabic(match.group("ref_year")), _arabic(match.group("ref_no")))
            mention = _simple(match, values)
        elif kind == "code":
            mention = _simple(match, tuple(_arabic(d) for d in _DIGITS_RE.findall(match.group())))
        elif kind == "frac":
            mention = _fraction_mention(text, match)
        elif kind == "half":
            more = "more_than" if match.group("hm") else None
            span = (match.start(), match.end(), match.group())
            mention = Mention(*span, (50.0,), None, True, (1, 2))
            mention = _with_qualifier(text, mention, more)
        else:  # pword: 百分之二十
            word = match.group("pw")
            value = _arabic(word) if _DIGITS_RE.match(word) else _parse_cn(word)
            mention = Mention(match.start(), match.end(), match.group(), (value,), None, True)
            mention = _with_qualifier(text, mention, None)
        if mention is not None:
            mentions.append(mention)
    return mentions


def _fraction_mention(text: str, match: re.Match[str]) -> Mention | None:
    """三分之二: 2/3 as a percentage (66.66…); a zero or improper fraction is no share."""
    parts = []
    for word in (match.group("fn"), match.group("fd")):
        parts.append(int(_arabic(word) if _DIGITS_RE.match(word) else _parse_cn(word)))
    numerator, denominator = parts
    if numerator <= 0 or denominator <= 0 or numerator > denominator:
        return None
    value = float(Decimal(100) * numerator / denominator)
    mention = Mention(
        match.start(), match.end(), match.group(), (value,), None, True, (numerator, denominator)
    )
    return _with_qualifier(text, mention, None)


def _simple(match: re.Match[str], values: tuple[float, ...]) -> Mention:
    return Mention(match.start(), match.end(), match.group(), values, None, False)


def _chain_mention(text: str, match: re.Match[str]) -> Mention | None:
    """Read a range/composite chain element by element; drop a lone 一 or 零 that is no figure."""
    start, end = match.span()
    elements: list[re.Match[str]] = []
    pos = start
    while pos < end:
        element = _ELEMENT_RE.match(text, pos, end)
        if element is None:  # cannot happen: the chain was built from these elements
            break
        elements.append(element)
        pos = element.end()
        sep = _SEP_RE.match(text, pos, end)
        if sep is None:
            break
        pos = sep.end()
    end = elements[-1].end()
    # Inside a range or composite (一至三年) every element is a figure; alone, 一 and 零 may not be.
    cn = elements[0].group("cn0")
    if len(elements) == 1 and cn is not None and not _cn_is_figure(text, elements[0], cn):
        return None
    values: dict[float, None] = {}  # ordered and de-duplicated
    is_percent = False
    after_marker = None
    for element in elements:
        element_values, percent = _element_values(element)
        values.update(dict.fromkeys(element_values))
        is_percent = is_percent or percent
        if element.group("ap0") or element.group("aq0"):
            after_marker = "more_than"
    mention = Mention(start, end, text[start:end], tuple(values), None, is_percent)
    return _with_qualifier(text, mention, after_marker)


def _cn_is_figure(text: str, element: re.Match[str], cn: str) -> bool:
    if cn in ("零", "〇"):
        return False
    if cn != "一":
        return True
    start, end = element.start("cn0"), element.end("cn0")
    if start > 0 and text[start - 1] == "第":
        return True
    if start > 0 and _ONE_ENCLOSED.match(text, start - 1):
        return True
    return bool(_ONE_ENUMERATES.match(text, start) or _ONE_COUNTS.match(text, end))


def _element_values(element: re.Match[str]) -> tuple[list[float], bool]:
    arabic, cn = element.group("ar0"), element.group("cn0")
    multiplier = element.group("ma0") or element.group("mb0")
    percent = element.group("pc0")
    if arabic is not None:
        written = _arabic(arabic)
        values = [written]
        if multiplier:
            values.append(_scaled(written, multiplier))
    else:
        values = _cn_values(cn)
        if multiplier:
            values.append(_scaled(values[-1], multiplier))
    if percent == "成":
        values.append(values[0] * 10)
    return values, percent is not None


def _scaled(value: float, multiplier: str) -> float:
    # Decimal keeps 38.41 亿 at 3841000000.0 rather than 3840999999.9999995.
    return float(Decimal(repr(value)) * _MULTIPLIERS[multiplier])


def _cn_values(cn: str) -> list[float]:
    """A Chinese numeral's readings: its value, and the count before a final 万/亿 (三万 -> 3)."""
    total = _parse_cn(cn)
    if cn[-1] in "万亿" and len(cn) > 1:
        return [_parse_cn(cn[:-1]), total]
    if cn in ("万", "亿"):
        return [1.0, total]
    return [total]


def _parse_cn(cn: str) -> float:
    """Value of a Chinese numeral: positional (一百零五, 两万) or digit by digit (二〇二一)."""
    # Floats throughout: an absurd run of 亿 becomes inf rather than an OverflowError.
    if not any(c in _CN_UNIT_VALUE for c in cn):
        return float("".join(str(_CN_VALUE[c]) for c in cn))
    total = section = num = 0.0
    for c in cn:
        if c in _CN_VALUE:
            num = float(_CN_VALUE[c])
        elif c in "十百千":
            section += (num or 1.0) * _CN_UNIT_VALUE[c]
            num = 0.0
        elif c == "万":
            total += (section + num or 1.0) * 10_000
            section = num = 0.0
        else:  # 亿 scales everything read so far (一万亿 = 10**12)
            total = (total + section + num or 1.0) * 100_000_000
            section = num = 0.0
    return total + section + num


def _arabic(digits: str) -> float:
    plain = unicodedata.normalize("NFKC", digits)
    return float(re.sub(r"[,\s\u2009\u202f]", "", plain))


def _with_qualifier(text: str, mention: Mention, after_marker: str | None) -> Mention:
    window_start = max(0, mention.start - _WINDOW)
    qualifier = after_marker
    if qualifier is None:
        if _BEFORE_MORE.search(text, window_start, mention.start) or _AFTER_MORE.match(
            text, mention.end, mention.end + _WINDOW
        ):
            qualifier = "more_than"
        elif _BEFORE_NEARLY.search(text, window_start, mention.start):
            if not _RECENT_SPAN.match(text, mention.end):
                qualifier = "nearly"
        elif _BEFORE_ABOUT.search(text, window_start, mention.start) or _AFTER_ABOUT.match(
            text, mention.end, mention.end + _WINDOW
        ):
            qualifier = "about"
    if qualifier is None:
        return mention
    return Mention(
        mention.start,
        mention.end,
        mention.text,
        mention.values,
        qualifier,
        mention.is_percent,
        mention.fraction,
    )


def fraction_value(numerator: int, denominator: int, places: int) -> Decimal:
    """A fraction as a percentage to `places` decimals, rounded half up (2/3 -> 66.7)."""
    exact = Decimal(100) * numerator / denominator
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def written_places(value: float | int) -> int:
    """Decimals as the value is written (66.7 -> 1, 50 -> 0)."""
    if isinstance(value, int):
        return 0
    return max(0, -int(Decimal(repr(float(value))).normalize().as_tuple().exponent))


def states_share(mention: Mention, value: float, fraction: str | None) -> bool:
    """A share stated as a fraction (三分之二) states `value` when `value` is the fraction as
    a percentage to the places it is written in (66.7), and the observation records that
    fraction ("2/3"); a fraction that is a whole or finite percentage (一半: 50) reads as a
    number anyway."""
    if mention.fraction is None or fraction is None:
        return False
    numerator, denominator = mention.fraction
    if fraction != f"{numerator}/{denominator}":
        return False
    places = written_places(value)
    return places >= 1 and float(fraction_value(numerator, denominator, places)) == value


def same_number(a: float, b: float) -> bool:
    """Equal up to float noise (129.97 read from text vs 129.97 from YAML)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
