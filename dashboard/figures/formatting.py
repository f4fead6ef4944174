"""Numbers and values written out for one language (亿元 in zh, exact scaled units in en).

The English rule (docs/charts.md): a value keeps the source's own digits and only its
decimal point moves into an English scale (data/units.yaml `display_en`): 152 亿元 is
"15.2 bn yuan", 5409.59 亿元 "540.959 bn yuan", 超15亿元 "> 1.5 bn yuan", never "15,200 mn
yuan". Where a unit offers several scales, the one that pads the fewest zeros the source did
not write is used, and a group of values that is read together (a chart, a card, a sentence)
shares one scale. Nothing is rounded. Count units name what they count ("9,179 contracts").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral
from typing import Any

QUALIFIERS = ("exact", "more_than", "nearly", "about")

# Units written straight after the number, without a space ("33.6%").
_TIGHT_UNITS = {"%", "×"}


@dataclass(frozen=True)
class Scale:
    """How values of one unit are shown in one language: value * factor, then suffix.
    `magnitude` is the scale's word before a counted noun ("46 thousand results")."""

    factor: Decimal
    suffix: str
    magnitude: str = ""

    def label(self, lang: str, noun: Mapping[str, str] | None = None, one: bool = False) -> str:
        """The words after the number: the suffix, or for a count in English its noun
        (singular only for exactly one, and never after a magnitude word)."""
        if lang != "en" or noun is None:
            return self.suffix
        word = noun["one"] if one and not self.magnitude else noun["other"]
        return f"{self.magnitude} {word}" if self.magnitude else word


def to_decimal(value: float | int | Decimal) -> Decimal:
    """The number as written: repr() of a float keeps its shortest exact spelling (129.97)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a figure")
    if isinstance(value, Integral):
        return Decimal(int(value))
    return Decimal(repr(float(value)))  # numpy floats too: repr(np.float64) is not a number


def decimal_places(number: Decimal) -> int:
    """Digits after the point as written, trailing zeros dropped (1.50 -> 1, 300 -> 0)."""
    exponent = number.normalize().as_tuple().exponent
    return max(0, -int(exponent))


def written_places(value: float | int | Decimal) -> int:
    """Digits after the point as the source wrote them, trailing zeros kept (36.0 -> 1)."""
    return max(0, -int(to_decimal(value).as_tuple().exponent))


def _plain(number: Decimal, grouping: bool, places: int = 0) -> str:
    """Fixed-point text without exponent; trailing zeros dropped beyond `places` decimals
    (36.0 stays "36.0" when the source wrote it so); grouping adds thousands commas."""
    number = number.normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    if decimal_places(number) < places:
        number = number.quantize(Decimal(1).scaleb(-places))
    text = format(number, ",f" if grouping else "f")
    if text in {"-0", "0"}:
        return "0"
    return text


def scales(unit: str, lang: str, units: Mapping[str, Any]) -> list[Scale]:
    """The ways `unit` may be shown in `lang`, in order of preference (zh: as written)."""
    if lang != "en":
        return [Scale(Decimal(1), unit)]
    spec = units.get(unit, {}).get("display_en")
    if spec is None:
        return [Scale(Decimal(1), str(units.get(unit, {}).get("en", unit)))]
    options = spec if isinstance(spec, list) else [spec]
    return [
        Scale(to_decimal(o.get("scale", 1)), str(o.get("suffix", "")), str(o.get("magnitude", "")))
        for o in options
    ]


def _significant(text: str) -> int:
    """Digits from the first non-zero one to the last written ("15200" 5, "0.8" 1)."""
    digits = "".join(ch for ch in text if ch.isdigit()).lstrip("0")
    return len(digits)


def shown_places(value: float | int | Decimal, factor: Decimal) -> int:
    """The fewest decimals `value` is shown with once scaled by `factor`: the trailing
    zeros the source wrote after the point stay (36.0 亿 is 3.60 bn), none are added."""
    places = written_places(value)
    return max(0, places - factor.adjusted()) if places else 0


def padded_zeros(value: float | int | Decimal, factor: Decimal) -> int:
    """How many zeros the source did not write a change of scale adds: 152 亿 as 15,200 mn
    pads 2, as 15.2 bn none; 8 亿 as 800 mn pads 2, as 0.8 bn none."""
    number = to_decimal(value)
    written = _plain(number, grouping=False, places=written_places(number))
    scaled = _plain(number * factor, grouping=False, places=shown_places(number, factor))
    return max(0, _significant(scaled) - _significant(written))


def choose_scale(
    unit: str, lang: str, units: Mapping[str, Any], values: Iterable[float | int | Decimal] = ()
) -> Scale:
    """The scale that pads the fewest zeros over all `values` (the first of the unit's
    scales on a tie), so one chart, card or sentence shows every value in one unit."""
    options = scales(unit, lang, units)
    numbers = [to_decimal(v) for v in values]
    return min(options, key=lambda o: sum(padded_zeros(n, o.factor) for n in numbers))


def base_of(unit: str, units: Mapping[str, Any]) -> tuple[str, Decimal]:
    """What `unit` is so many of (data/units.yaml `base`, `factor`: 亿元 is 10^8 元); a
    unit without them is its own base."""
    spec = units.get(unit, {})
    base, factor = spec.get("base"), spec.get("factor")
    if isinstance(base, str) and isinstance(factor, int | float) and not isinstance(factor, bool):
        return base, to_decimal(factor)
    return unit, Decimal(1)


def shared_scales(
    figures: Iterable[tuple[str, float | int | Decimal]], lang: str, units: Mapping[str, Any]
) -> dict[str, Scale]:
    """One scale per unit for values read together in one sentence: units of one base
    (万元 beside 亿元) share the scale of the largest of them, converted (3300 万元 beside
    3.3 亿元 read "0.033 bn" and "0.33 bn yuan"), so a sentence never mixes mn and bn.
    Chinese keeps each unit as the source writes it."""
    if lang != "en":
        return {}
    by_base: dict[str, list[tuple[str, Decimal]]] = {}
    for unit, value in figures:
        by_base.setdefault(base_of(unit, units)[0], []).append((unit, to_decimal(value)))
    out: dict[str, Scale] = {}
    for members in by_base.values():
        largest = max({u for u, _v in members}, key=lambda u: base_of(u, units)[1])
        top = base_of(largest, units)[1]
        ratio = {u: base_of(u, units)[1] / top for u, _v in members}
        best = min(
            scales(largest, lang, units),
            key=lambda o: sum(padded_zeros(v, o.factor * ratio[u]) for u, v in members),
        )
        for unit, _value in members:
            out[unit] = Scale(best.factor * ratio[unit], best.suffix, best.magnitude)
    return out


def scale_for(unit: str, lang: str, units: Mapping[str, Any], value: float | int = 1) -> Decimal:
    """How a value in `unit` is multiplied for display in `lang` (1 in zh)."""
    return choose_scale(unit, lang, units, [value]).factor


def is_count(unit: str, units: Mapping[str, Any]) -> bool:
    """Whether `unit` counts things (data/units.yaml `count: true`): integer axes, nouns."""
    return bool(units.get(unit, {}).get("count", False))


def display_unit(
    unit: str,
    lang: str,
    units: Mapping[str, Any],
    noun: Mapping[str, str] | None = None,
    values: Iterable[float | int | Decimal] = (),
) -> str:
    """The unit label on an axis or beside numbers in `lang` ("亿元", "bn yuan", "contracts",
    "thousand users")."""
    return choose_scale(unit, lang, units, values).label(lang, noun)


def display_number(
    value: float | int, unit: str, lang: str, units: Mapping[str, Any], scale: Scale | None = None
) -> float:
    """The value in display units (a change of scale only), for chart axes and tables."""
    factor = (scale or choose_scale(unit, lang, units, [value])).factor
    return float(to_decimal(value) * factor)


def format_number(value: float | int | Decimal, lang: str, places: int = 0) -> str:
    """A bare number: grouped with commas in en; as the sources write it (no grouping) in zh;
    at least `places` decimals (the source's own trailing zeros)."""
    return _plain(to_decimal(value), grouping=(lang == "en"), places=places)


def round_to_place(value: float | int | Decimal, place: int) -> Decimal:
    """`value` rounded half up to 10**place (place -2: hundredths; 1: tens)."""
    step = Decimal(1).scaleb(place)
    number = to_decimal(value)
    return (number / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def _join(number_text: str, unit_label: str, spaced: bool = True) -> str:
    if not unit_label:
        return number_text
    if unit_label in _TIGHT_UNITS or not spaced:
        return number_text + unit_label
    return f"{number_text} {unit_label}"


def format_value(
    value: float | int | Decimal,
    unit: str,
    qualifier: str,
    lang: str,
    units: Mapping[str, Any],
    qualifier_prefixes: Mapping[str, str],
    *,
    noun: Mapping[str, str] | None = None,
    scale: Scale | None = None,
    place: int | None = None,
    with_unit: bool = True,
    spaced: bool = True,
) -> str:
    """A value with its qualifier and unit: "超 300 亿元" in zh, "> 30 bn yuan" in en.
    `spaced=False` writes Chinese prose's "超300亿元".

    `place` rounds a derived value to what its inputs justify (figures.precision);
    `scale` makes the values of one chart or card share one unit.
    `qualifier_prefixes` comes from data/i18n.yaml so the words live in data, not here.
    """
    number = to_decimal(value)
    places = written_places(number)
    if place is not None:
        number = round_to_place(number, place)
        places = max(0, -place)
    chosen = scale or choose_scale(unit, lang, units, [number])
    scaled = number * chosen.factor
    # Trailing zeros the source wrote (36.0) are kept; a change of scale moves the point
    # (36.0 亿 is 3.60 bn) and never adds zeros the source did not write.
    places = max(0, places - chosen.factor.adjusted()) if places else 0
    label = ""
    if with_unit:
        label = chosen.label(lang, noun, one=scaled == 1 and qualifier == "exact")
    text = _join(format_number(scaled, lang, places), label, spaced)
    prefix = qualifier_prefixes.get(qualifier, "") if qualifier != "exact" else ""
    return f"{prefix}{text}"


def signed(number: Decimal, lang: str) -> str:
    """+12, −3 (a true minus sign), ±0."""
    sign = "+" if number > 0 else ("−" if number < 0 else "±")
    return sign + format_number(abs(number), lang)


def format_change(
    latest: float | int,
    previous: float | int,
    unit: str,
    lang: str,
    units: Mapping[str, Any],
    points_label: str,
    *,
    noun: Mapping[str, str] | None = None,
) -> str:
    """Signed difference in display units; a % unit changes by percentage points."""
    scale = choose_scale(unit, lang, units, [latest, previous])
    diff = (to_decimal(latest) - to_decimal(previous)) * scale.factor
    if unit == "%":
        return f"{signed(diff, lang)} {points_label}"
    return _join(signed(diff, lang), scale.label(lang, noun))


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


def escape_markdown(text: str) -> str:
    """Catalogue text shown through st.markdown stays literal (no links, emphasis or
    Streamlit directives such as :red[…])."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))


def period_text(label: str, as_of_template: str = "{date}") -> str:
    """A period label for readers: "../2025-06-25" says "as of 2025-06-25" (template from
    i18n.yaml), an interval gets an en dash instead of the slash."""
    if label.startswith(".."):
        return as_of_template.format(date=label.split("/", 1)[-1])
    return label.replace("/", " – ")
