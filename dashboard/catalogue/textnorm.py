"""Text normalisation for quote matching: NFKC forms, no white space, offsets kept."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache


@lru_cache(maxsize=8192)
def _norm_char(ch: str) -> str:
    # Per character so every output character maps back to one source offset.
    return "".join(c for c in unicodedata.normalize("NFKC", ch) if not c.isspace())


def normalize(text: str) -> str:
    """NFKC-normalise and drop all white space (sources break lines and space out numbers)."""
    return "".join(map(_norm_char, text))


class NormalizedText:
    """A text normalised once, with each normalised character's offset in the original."""

    __slots__ = ("norm", "offsets", "original")

    def __init__(self, original: str) -> None:
        self.original = original
        parts: list[str] = []
        offsets: list[int] = []
        for i, ch in enumerate(original):
            n = _norm_char(ch)
            if n:
                parts.append(n)
                offsets.extend([i] * len(n))
        self.norm = "".join(parts)
        self.offsets = offsets

    def _matches(self, needle_norm: str) -> Iterator[tuple[int, int]]:
        """Original-text spans of occurrences that cover whole source characters: "1" is
        not found in "¼", although "¼" normalises to "1⁄4"."""
        if not needle_norm:
            return
        norm, offsets, size = self.norm, self.offsets, len(needle_norm)
        i = norm.find(needle_norm)
        while i != -1:
            j = i + size
            starts_clean = i == 0 or offsets[i - 1] != offsets[i]
            ends_clean = j == len(norm) or offsets[j] != offsets[j - 1]
            if starts_clean and ends_clean:
                yield offsets[i], offsets[j - 1] + 1
            i = norm.find(needle_norm, i + 1)

    def find_all(self, needle_norm: str) -> list[tuple[int, int]]:
        """Original-text spans of every occurrence of an already normalised needle."""
        return list(self._matches(needle_norm))

    def contains(self, needle_norm: str) -> bool:
        return next(self._matches(needle_norm), None) is not None

    def longest_prefix(self, needle_norm: str) -> int:
        """Length of the longest prefix of the needle found in the text (binary search)."""
        lo, hi = 0, len(needle_norm)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if needle_norm[:mid] in self.norm:
                lo = mid
            else:
                hi = mid - 1
        return lo


def locate(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Spans, in `haystack`'s own offsets, of every normalised occurrence of `needle`."""
    return NormalizedText(haystack).find_all(normalize(needle))
