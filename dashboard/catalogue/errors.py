"""Typed validation problems, reported as `file:line:col: path: message (hint: …)`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalogue, located as precisely as the input allows."""

    type: str
    message: str
    file: str
    line: int | None
    col: int | None
    path: str
    hint: str | None = None
    # A warning (a cross-document doubt) is reported but does not make the catalogue invalid;
    # `check --strict` counts it as an error.
    severity: Severity = "error"
    # A warning whose disagreement the catalogue records (an `ambiguity` naming the other
    # document): listed as acknowledged, and `check --strict` does not fail on it.
    acknowledged: bool = False

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    @property
    def is_open(self) -> bool:
        """An error, or a warning nobody has acknowledged: what `check --strict` fails on."""
        return not (self.is_warning and self.acknowledged)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        parts = [where]
        if self.path:
            parts.append(self.path)
        text = ": ".join(parts) + f": {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file position; unlocated ones come first so they are seen."""
        return (self.file, self.line or 0, self.col or 0, self.path)


class CatalogueError(Exception):
    """Raised by loaders that need a valid catalogue; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "invalid catalogue"
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more problems)" if more > 0 else ""))
