"""The observations as one tidy table (CSV or JSON), one row per observation."""

from __future__ import annotations

import csv
import io
import json

from dashboard.catalogue.models import Catalogue, DateStatus, Source

COLUMNS = [
    "indicator",
    "name_zh",
    "name_en",
    "unit",
    "period",
    "period_start",
    "period_end",
    "measure",
    "value",
    "qualifier",
    "derived",
    "formula",
    "source",
    "source_ref",
    "source_date",
    "source_date_status",
    "quote",
    "compared_with",
    "ambiguity_zh",
    "ambiguity_en",
]


def observation_rows(catalogue: Catalogue) -> list[dict]:
    """Plain rows; values and units stay as the sources state them."""
    rows: list[dict] = []
    for ind in catalogue.indicators:
        for obs in ind.observations:
            source = catalogue.sources_by_id.get(obs.source)
            span = obs.span
            rows.append(
                {
                    "indicator": ind.id,
                    "name_zh": ind.name.zh,
                    "name_en": ind.name.en,
                    "unit": obs.unit_in(ind),
                    "period": span.label,
                    "period_start": span.start.isoformat() if span.start else "",
                    "period_end": span.end.isoformat(),
                    "measure": ind.measure.value,
                    "value": obs.value,
                    "qualifier": obs.qualifier.value,
                    "derived": obs.is_derived,
                    "formula": obs.derived.formula if obs.derived else "",
                    "source": obs.source,
                    "source_ref": (source.reference or "") if source else "",
                    "source_date": source.as_of.isoformat() if source else "",
                    # "inferred" dates must never pass for stated ones downstream.
                    "source_date_status": _as_of_status(source) if source else "",
                    "quote": obs.quote,
                    "compared_with": obs.compared_with or "",
                    "ambiguity_zh": obs.ambiguity.zh if obs.ambiguity else "",
                    "ambiguity_en": obs.ambiguity.en if obs.ambiguity else "",
                }
            )
    return rows


# Excel, LibreOffice and WPS run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    Catalogue text is data, never code: a quote or name beginning with `=` must not become
    a live HYPERLINK or DDE call in an analyst's spreadsheet. Numbers pass unchanged.
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def write_export(catalogue: Catalogue, fmt: str) -> str:
    """The table as CSV (UTF-8, header row) or JSON (a list of records)."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in observation_rows(catalogue):
            # Numbers as written (11483, not 11483.0); booleans as JSON spells them.
            row["value"] = _number_text(row["value"])
            row["derived"] = "true" if row["derived"] else "false"
            writer.writerow({key: csv_safe(cell) for key, cell in row.items()})
        return out.getvalue()
    if fmt == "json":
        rows = observation_rows(catalogue)
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {fmt!r}")


def _number_text(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(value)


def _as_of_status(source: Source) -> str:
    for doc_date in (source.signed, source.published):
        if doc_date.status is DateStatus.stated:
            return DateStatus.stated.value
    return DateStatus.inferred.value
