"""Units with a scale (data/units.yaml `base` and `factor`): which units measure the same
thing at another scale (万家 and 家), the exact conversion between them, and the line to
add for a unit that is not listed (authoring/units_file.py adds it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

# The multipliers a unit may start with, as numbers.py reads them (万家 = 10,000 家).
_PREFIXES = (("万亿", 10**12), ("千万", 10**7), ("百万", 10**6), ("亿", 10**8), ("万", 10**4))
# A count in a Chinese scale, in the English scale word its digits need and the factor from
# the Chinese to the English one: 万 (10^4) is ten thousands, 亿 (10^8) a hundred millions.
_COUNT_MAGNITUDE = {10**4: ("thousand", 10), 10**8: ("million", 100)}
_PREFIX_EN = {
    10**4: "10,000",
    10**6: "million",
    10**7: "10 million",
    10**8: "100 million",
    10**12: "trillion",
}


@dataclass(frozen=True)
class UnitScale:
    """A unit as so many of its base unit: 万家 is 10,000 家; 家 is 1 家."""

    base: str
    factor: Decimal


def to_decimal(value: float | int | Decimal) -> Decimal:
    """A number as written (repr keeps a float's shortest spelling: 1.33, not 1.3300000…)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


def scale_of(unit: str, units: Mapping[str, Any]) -> UnitScale:
    """The unit's base and factor; a unit without `base` is its own base."""
    spec = units.get(unit)
    if isinstance(spec, Mapping) and isinstance(spec.get("base"), str):
        factor = spec.get("factor", 1)
        if isinstance(factor, int | float) and not isinstance(factor, bool) and factor > 0:
            return UnitScale(spec["base"], to_decimal(factor))
    return UnitScale(unit, Decimal(1))


def same_base(a: str, b: str, units: Mapping[str, Any]) -> bool:
    """Whether values in `a` and `b` measure the same thing at some scale (万家, 家)."""
    return a == b or scale_of(a, units).base == scale_of(b, units).base


def convert(
    value: float | int | Decimal, unit: str, target: str, units: Mapping[str, Any]
) -> Decimal:
    """`value` in `unit` expressed in `target` (same base), exactly: 1.33 万家 -> 13300 家.
    ValueError for units of different bases: those are never converted."""
    if unit == target:
        return to_decimal(value)
    here, there = scale_of(unit, units), scale_of(target, units)
    if here.base != there.base:
        raise ValueError(f"{unit} and {target} have different bases ({here.base}, {there.base})")
    return to_decimal(value) * here.factor / there.factor


def unit_problems(units: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(unit, problem) for every `base`/`factor` that does not make sense: a base that is
    not a listed unit or has a base itself, a factor that is not a positive number, one
    without the other."""
    out = []
    for unit, spec in units.items():
        if not isinstance(spec, Mapping):
            continue
        base, factor = spec.get("base"), spec.get("factor")
        if base is None and factor is None:
            continue
        if base is None or factor is None:
            out.append((str(unit), "`base` and `factor` go together"))
        elif not isinstance(base, str) or base not in units:
            out.append((str(unit), f"base `{base}` is not a unit of data/units.yaml"))
        elif isinstance(units[base], Mapping) and units[base].get("base") is not None:
            out.append((str(unit), f"base `{base}` has a base itself: name the last one"))
        elif isinstance(factor, bool) or not isinstance(factor, int | float) or factor <= 0:
            out.append((str(unit), f"factor {factor!r} is not a positive number"))
    return out


def _flow(mapping: Mapping[str, Any]) -> str:
    """A one-line YAML flow mapping, as data/units.yaml writes its entries."""
    text = yaml.safe_dump(
        dict(mapping), allow_unicode=True, default_flow_style=True, sort_keys=False, width=10**6
    )
    return text.strip()


def _key(unit: str) -> str:
    """The unit as a YAML key (quoted when YAML would read it as something else)."""
    dumped = yaml.safe_dump(unit, allow_unicode=True).strip()
    return dumped.removesuffix("\n...").removesuffix("...").strip()


def suggest(unit: str, units: Mapping[str, Any]) -> dict[str, Any]:
    """The entry for a unit not listed: a scaled form of a listed unit (万家 = 10,000 家)
    gets its base, factor, display and count from that unit; otherwise a template whose
    English the analyst fills in."""
    for prefix, factor in _PREFIXES:
        rest = unit[len(prefix) :]
        if unit.startswith(prefix) and rest and rest in units:
            base = scale_of(rest, units)
            spec = units[rest] if isinstance(units[rest], Mapping) else {}
            total = base.factor * factor
            en_rest = str(spec.get("en", rest))
            entry: dict[str, Any] = {
                "en": f"{_PREFIX_EN.get(factor, f'{factor:,}')} {en_rest}",
                "base": base.base,
                "factor": int(total) if total == total.to_integral_value() else float(total),
            }
            display = spec.get("display_en")
            magnitude = _COUNT_MAGNITUDE.get(factor) if spec.get("count") is True else None
            if isinstance(display, Mapping) and display.get("suffix") is not None and magnitude:
                # A scaled count reads in the English scale word that keeps the source's digits
                # (docs/charts.md): 1.33 万家 is "13.3 thousand organisations".
                word, shift = magnitude
                entry["display_en"] = {
                    "scale": shift,
                    "magnitude": word,
                    "suffix": f"{word} {display['suffix']}",
                }
            elif isinstance(display, Mapping) and display.get("suffix") is not None:
                shown = to_decimal(display.get("scale", 1)) * factor
                scale = int(shown) if shown == shown.to_integral_value() else float(shown)
                entry["display_en"] = {"scale": scale, "suffix": display["suffix"]}
            if spec.get("count") is True:
                entry["count"] = True
            return entry
    return {"en": "…", "display_en": {"scale": 1, "suffix": "…"}}


def entry_line(unit: str, entry: Mapping[str, Any]) -> str:
    """`unit: {entry}` as one line of data/units.yaml."""
    return f"{_key(unit)}: {_flow(entry)}"


def suggested_line(unit: str, units: Mapping[str, Any]) -> str:
    """The exact line to add to data/units.yaml for `unit`."""
    return entry_line(unit, suggest(unit, units))


def unknown_unit_hint(unit: str, units: Mapping[str, Any]) -> str:
    """What an unknown-unit message says to do: the line to add."""
    entry = suggest(unit, units)
    line = suggested_line(unit, units)
    if "base" in entry:
        return f"add this line to data/units.yaml: {line}"
    return (
        f"add this line to data/units.yaml, its English name and suffix written for …: {line}; "
        "with `count: true` if it counts things"
    )
