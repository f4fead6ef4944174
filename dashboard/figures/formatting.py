"""Numbers and values written out for one language (亿元 in zh, exact scaled units in en).

The English rule (docs/charts.md): a value is shown in the first of its unit's English
scales that adds no decimal place to it (129.97 亿元 is "12,997 mn yuan", not "12.997 bn
yuan"; 300 亿元 is "30 bn yuan"), so English never shows more digits than the source and
never rounds one away. Count units name what they count ("9,179 contracts").
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
    """How values of one unit are shown in one language: value * factor, then suffix."""

    factor: Decimal
    suffix: str


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
    return [Scale(to_decimal(o.get("scale", 1)), str(o.get("suffix", ""))) for o in options]


def choose_scale(
    unit: str, lang: str, units: Mapping[str, Any], values: Iterable[float | int | Decimal] = ()
) -> Scale:
    """The first scale that shows every value without adding a decimal place (the last
    one when none does), so one chart or card uses one unit."""
    options = scales(unit, lang, units)
    numbers = [to_decimal(v) for v in values]
    for option in options:
        if all(decimal_places(n * option.factor) <= decimal_places(n) for n in numbers):
            return option
    return options[-1]


def scale_for(unit: str, lang: str, units: Mapping[str, Any], value: float | int = 1) -> Decimal:
    """How a value in `unit` is multiplied for display in `lang` (1 in zh)."""
    return choose_scale(unit, lang, units, [value]).factor


def is_count(unit: str, units: Mapping[str, Any]) -> bool:
    """Whether `unit` counts things (data/units.yaml `count: true`): integer axes, nouns."""
    return bool(units.get(unit, {}).get("count", False))


def noun_for(value: Decimal, qualifier: str, noun: Mapping[str, str] | None) -> str | None:
    """The English noun for a count: singular only for exactly one."""
    if noun is None:
        return None
    return noun["one"] if value == 1 and qualifier == "exact" else noun["other"]


def display_unit(
    unit: str,
    lang: str,
    units: Mapping[str, Any],
    noun: Mapping[str, str] | None = None,
    values: Iterable[float | int | Decimal] = (),
) -> str:
    """The unit label on an axis or beside numbers in `lang` ("亿元", "mn yuan", "contracts")."""
    if lang == "en" and noun is not None:
        return noun["other"]
    return choose_scale(unit, lang, units, values).suffix


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
    # (36.0 亿 is 3,600 mn, with none) and never adds zeros the source did not write.
    places = max(0, places - chosen.factor.adjusted()) if places else 0
    label = ""
    if with_unit:
        label = (lang == "en" and noun_for(scaled, qualifier, noun)) or chosen.suffix
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
    label = (lang == "en" and noun is not None and noun["other"]) or scale.suffix
    return _join(signed(diff, lang), label)


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
