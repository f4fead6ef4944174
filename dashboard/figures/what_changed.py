"""The "what changed" table: the figures added or revised in the served catalogue since an
earlier vintage, and those withdrawn, newest document first, each with its document and date.

It compares indexes (catalogue/changes.py), so the earlier vintage's YAML is never parsed;
a figure is "revised" when its value, qualifier or unit changed (a corrected quote or note
alone is not news for a reader).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pandas as pd

from dashboard.catalogue.changes import Index, figure_key, revised
from dashboard.catalogue.models import Catalogue
from dashboard.figures.formatting import format_value
from dashboard.figures.grammar import Words, figure_words

COLUMNS = ["status", "name", "shown", "before", "period", "document", "date", "chart"]
# Within one document date: new figures, then revised ones, then those withdrawn.
_STATUS_ORDER = {"added": 0, "revised": 1, "removed": 2}


def _before(record: dict[str, Any], words: Words) -> str:
    tr = words.tr
    return format_value(
        record.get("value", 0),
        str(record.get("unit", "")),
        str(record.get("qualifier", "exact")),
        tr.lang,
        words.units,
        tr.qualifier_prefixes(),
    )


def changed_figures(
    catalogue: Catalogue,
    words: Words,
    new_index: Index,
    old_index: Index,
    params: dict[str, str],
) -> pd.DataFrame:
    """One row per figure added, revised or removed between `old_index` and the catalogue
    (whose index is `new_index`), newest document date first."""
    tr = words.tr
    old = old_index.get("figures") or {}
    new = new_index.get("figures") or {}
    rows = []
    for indicator in catalogue.indicators:
        for obs in indicator.observations:
            key = figure_key(indicator.id, obs)
            record, before = new.get(key), old.get(key)
            if before is None:
                status = "added"
            elif record is not None and revised(before, record):
                status = "revised"
            else:
                continue
            source = catalogue.sources_by_id[obs.source]
            shown, period = figure_words(catalogue, indicator, obs, words)
            rows.append(
                {
                    "status": status,
                    "name": tr.text(indicator.name),
                    "shown": shown,
                    "before": _before(before, words) if before else "",
                    "period": period,
                    "document": source.reference or tr.text(source.short),
                    "date": source.as_of.isoformat(),
                    "chart": "trends?" + urlencode({**params, "indicator": indicator.id}),
                }
            )
    for key, record in old.items():
        if key in new:
            continue
        rows.append(
            {
                "status": "removed",
                "name": tr.text(record.get("name") or {}) or str(record.get("indicator")),
                "shown": "",
                "before": _before(record, words),
                "period": str(record.get("period", "")),
                "document": record.get("document") or tr.text(record.get("short") or {}),
                "date": str(record.get("date") or ""),
                "chart": "",
            }
        )
    table = pd.DataFrame(rows, columns=COLUMNS)
    if table.empty:
        return table
    order = table["status"].map(_STATUS_ORDER)
    table = table.assign(_order=order).sort_values(
        ["date", "_order", "name"], ascending=[False, True, True], kind="stable"
    )
    return table.drop(columns="_order").reset_index(drop=True)
