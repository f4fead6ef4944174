"""The finder's query is bounded: a pasted document costs what a line costs (issue 19, 3)."""

from __future__ import annotations

import random
import time

import pandas as pd
import pytest

from dashboard.catalogue import data_files, paths
from dashboard.catalogue.validate import validate_path
from dashboard.figures.finder import (
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    finder_table,
    parse_query,
    search,
)
from dashboard.figures.grammar import Words
from dashboard.figures.i18n import Translator


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """The real catalogue's finder table, in English."""
    catalogue = validate_path(paths.DEFAULT_CATALOGUE).catalogue
    assert catalogue is not None
    words = Words(Translator(data_files.labels(), "en"), data_files.units())
    return finder_table(catalogue, words, {"lang": "en"})


def _pasted(size: int, seed: int = 1) -> str:
    """`size` characters of words, as a pasted document: mostly distinct, some matching."""
    rng = random.Random(seed)
    vocabulary = ["contracts", "亿元", "tech", "universities", "InnoMatch", "2022", "平台"]
    parts: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(vocabulary) + str(rng.randint(0, 10**6))
        parts.append(word)
        length += len(word) + 1
    return " ".join(parts)[:size]


def test_a_short_query_is_searched_whole_and_not_cut() -> None:
    query = parse_query("  InnoMatch  亿元 innomatch ")
    assert query == parse_query("innomatch 亿元")
    assert query.terms == ("innomatch", "亿元")  # folded and deduplicated, in order
    assert not query.cut


def test_a_long_query_keeps_its_beginning_and_says_it_was_cut() -> None:
    many = " ".join(f"w{k}x" for k in range(MAX_QUERY_TERMS + 3))
    assert len(many) < MAX_QUERY_CHARS
    query = parse_query(many)
    assert query.cut
    assert query.terms == tuple(f"w{k}x" for k in range(MAX_QUERY_TERMS))
    # Repeats count once, and so does a word inside another: 合同 adds nothing to 合同额.
    assert not parse_query(" ".join(["合同"] * 40)).cut
    assert parse_query("合同 合同额 Contracts contract").terms == ("合同额", "contracts")
    quote = "全市技术合同成交额" * 40  # a long pasted quote: its beginning is searched
    cut = parse_query(quote)
    assert cut.cut and cut.terms == (quote[:MAX_QUERY_CHARS],)


def test_full_width_letters_and_case_find_the_same_figures(table: pd.DataFrame) -> None:
    plain = search(table, "innomatch")
    assert len(plain) > 0
    assert search(table, "ＩｎｎｏＭａｔｃｈ")["indicator"].tolist() == plain["indicator"].tolist()
    assert search(table, "INNOMATCH")["indicator"].tolist() == plain["indicator"].tolist()


def test_a_600_kb_query_takes_under_a_second_of_cpu(table: pd.DataFrame) -> None:
    pasted = _pasted(600_000)
    assert len(pasted.encode("utf-8")) >= 600_000
    start = time.process_time()
    found = search(table, pasted)
    spent = time.process_time() - start
    # Issue 19 asks for this bound explicitly; before the limit this query took ~40 s.
    assert spent < 1.0, spent
    # It searched what its beginning says, exactly as that beginning typed alone would.
    assert found.equals(search(table, pasted[:MAX_QUERY_CHARS]))
