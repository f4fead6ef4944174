"""The observations as pandas tables: the pages' frame and CSV downloads of what is charted."""

from __future__ import annotations

import pandas as pd

from dashboard.catalogue.export import COLUMNS, csv_safe, observation_rows
from dashboard.catalogue.models import Catalogue


def observations_frame(catalogue: Catalogue) -> pd.DataFrame:
    """One row per observation, with the columns of COLUMNS in that order."""
    frame = pd.DataFrame(observation_rows(catalogue), columns=COLUMNS)
    frame["derived"] = frame["derived"].astype(bool)
    return frame


def frame_to_csv(frame: pd.DataFrame) -> str:
    """A table as CSV with every text cell made spreadsheet-safe (see csv_safe)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(csv_safe)
    return safe.to_csv(index=False)
