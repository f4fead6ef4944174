"""Quote matching survives spacing, line breaks and full/half-width differences."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dashboard.catalogue.textnorm import NormalizedText, locate, normalize


def test_normalize_drops_white_space_and_folds_width():
    assert normalize("２０２０ 年\n本市　１１４８３ 项％") == "2020年本市11483项%"


def test_locate_returns_original_offsets():
    haystack = "前文。2020 年本市\n技术合同 11483 项，后文"
    spans = locate(haystack, "2020年本市技术合同11483项")
    assert spans == [(3, 24)]
    assert haystack[3:24] == "2020 年本市\n技术合同 11483 项"


def test_locate_finds_every_occurrence():
    assert locate("近三成，近 三成", "近三成") == [(0, 3), (4, 8)]


def test_missing_needle():
    assert locate("abc", "x") == []
    assert locate("abc", "  ") == []


def test_longest_prefix():
    text = NormalizedText("合同额 129.97 亿元")
    assert text.longest_prefix(normalize("合同额 129.98 亿元")) == len("合同额129.9")


@given(st.text(), st.text(min_size=1))
def test_every_span_normalises_back_to_the_needle(hay, needle):
    target = normalize(needle)
    for start, end in locate(hay, needle):
        assert normalize(hay[start:end]) == target


def test_a_match_inside_one_characters_expansion_is_not_a_match() -> None:
    """Hypothesis found it: "¼" normalises to "1⁄4", which must not contain the quote "1"."""
    assert locate("¼", "1") == []
    assert not NormalizedText("¼").contains("1")
    assert locate("¼ 1", "1") == [(2, 3)]
    assert NormalizedText("约¼").contains(normalize("约¼"))
