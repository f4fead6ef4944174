"""Numbers and values written out for one language (亿元 in zh, scaled units in en)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from numbers import Integral
from typing import Any

QUALIFIERS = ("exact", "more_than", "nearly", "about")

# Units written straight after the number, without a space ("33.6%").
_TIGHT_UNITS = {"%"}


def to_decimal(value: float | int | Decimal) -> Decimal:
    """The number as written: repr() of a float keeps its shortest exact spelling (129.97)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a figure")
    if isinstance(value, Integral):
        return Decimal(int(value))
    return Decimal(repr(float(value)))  # numpy floats too: repr(np.float64) is not a number


def _plain(number: Decimal, grouping: bool) -> str:
    """Fixed-point text without exponent or trailing zeros; grouping adds thousands commas."""
    number = number.normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    text = format(number, ",f" if grouping else "f")
    if text in {"-0", "0"}:
        return "0"
    return text


def scale_for(unit: str, lang: str, units: Mapping[str, Any]) -> Decimal:
    """How a value in `unit` is multiplied for display in `lang` (1 in zh)."""
    if lang != "en":
        return Decimal(1)
    spec = units.get(unit, {}).get("display_en", {})
    return to_decimal(spec.get("scale", 1))


def display_unit(unit: str, lang: str, units: Mapping[str, Any]) -> str:
    """The unit label shown next to numbers and on axes in `lang`."""
    if lang != "en":
        return unit
    spec = units.get(unit, {}).get("display_en")
    if spec is None:
        return units.get(unit, {}).get("en", unit)
    return str(spec.get("suffix", ""))


def display_number(value: float | int, unit: str, lang: str, units: Mapping[str, Any]) -> float:
    """The value in display units (a change of scale only), for chart axes and tables."""
    return float(to_decimal(value) * scale_for(unit, lang, units))


def format_number(value: float | int | Decimal, lang: str) -> str:
    """A bare number: grouped with commas in en; as the sources write it (no grouping) in zh."""
    return _plain(to_decimal(value), grouping=(lang == "en"))


def _join(number_text: str, unit_label: str) -> str:
    if not unit_label:
        return number_text
    if unit_label in _TIGHT_UNITS:
        return number_text + unit_label
    return f"{number_text} {unit_label}"


def format_value(
    value: float | int,
    unit: str,
    qualifier: str,
    lang: str,
    units: Mapping[str, Any],
    qualifier_prefixes: Mapping[str, str],
) -> str:
    """A value with its qualifier and unit: "超 300 亿元" in zh, "> 30 bn yuan" in en.

    `qualifier_prefixes` comes from data/i18n.yaml so the words live in data, not here.
    """
    scaled = to_decimal(value) * scale_for(unit, lang, units)
    text = _join(format_number(scaled, lang), display_unit(unit, lang, units))
    prefix = qualifier_prefixes.get(qualifier, "") if qualifier != "exact" else ""
    return f"{prefix}{text}"


def format_change(
    latest: float | int,
    previous: float | int,
    unit: str,
    lang: str,
    units: Mapping[str, Any],
    points_label: str,
) -> str:
    """Signed difference in display units; a % unit changes by percentage points."""
    diff = (to_decimal(latest) - to_decimal(previous)) * scale_for(unit, lang, units)
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    number = format_number(abs(diff), lang)
    label = points_label if unit == "%" else display_unit(unit, lang, units)
    if unit == "%":
        return f"{sign}{number} {label}"
    return f"{sign}{_join(number, label)}"


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
