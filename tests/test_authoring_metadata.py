"""What add-source reads from a text about itself: dates in their common forms, a news
item's headline, the issuer of a reference series, in both languages, from the catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dashboard.catalogue.authoring.metadata import (
    known_from,
    propose,
    read_published,
    read_signed,
    read_title,
)

REPO = Path(__file__).resolve().parent.parent
SOURCES = yaml.safe_load((REPO / "indicators.yaml").read_text(encoding="utf-8"))["sources"]
KNOWN = known_from(SOURCES)
SSTC = ("上海市科学技术委员会", "Shanghai Municipal Science and Technology Commission")


@pytest.mark.parametrize(
    ("text", "date", "quote"),
    [
        ("标题\n发布日期：2023-05-31\n正文。", "2023-05-31", "发布日期：2023-05-31"),
        ("标题\n发布日期:2023/5/31\n正文。", "2023-05-31", "发布日期:2023/5/31"),
        ("标题\n发布时间：2023.05.31 10:20\n正文。", "2023-05-31", "发布时间：2023.05.31"),
        ("标题\n日期：2023年5月31日\n正文。", "2023-05-31", "日期：2023年5月31日"),
        ("标题\n2023年5月31日 10:20 来源：浦东发布\n正文，正文。", "2023-05-31", None),
        (
            "新华社上海2023年5月31日电 记者获悉，正文。\n二段。",
            "2023-05-31",
            "新华社上海2023年5月31日电",
        ),
    ],
)
def test_a_published_date_is_read_in_its_common_forms(
    text: str, date: str, quote: str | None
) -> None:
    found = read_published(text)
    assert (found.status, found.value) == ("stated", date)
    if quote is not None:
        assert found.quote == quote


def test_a_dateline_without_a_year_gives_month_and_day_and_asks_for_the_year() -> None:
    found = read_published("新华财经北京5月22日电 上海市发布若干意见。\n正文。")
    assert (found.status, found.value, found.quote) == ("unstated", None, "5月22日")
    assert "published.basis" in found.note


@pytest.mark.parametrize(
    ("closing", "date"),
    [
        ("2023年5月31日", "2023-05-31"),
        ("2021 年 5 月 26 日", "2021-05-26"),
        ("二〇二三年五月三十一日", "2023-05-31"),
        ("二〇二五年十二月一日", "2025-12-01"),
    ],
)
def test_the_date_under_the_signature_is_read_in_arabic_or_chinese_numerals(
    closing: str, date: str
) -> None:
    text = f"某某代表：\n正文。\n上海市科学技术委员会\n{closing}\n\n{closing}印发\n"
    found = read_signed(text)
    assert (found.status, found.value, found.quote) == ("stated", date, closing)


def test_a_date_line_closing_a_letter_is_not_a_published_date() -> None:
    text = "标题\n正文，正文。\n" + "正文。\n" * 5 + "2023年5月31日\n"
    assert read_published(text).status == "unstated"


def test_a_news_item_s_headline_is_its_title_but_a_heading_or_a_sentence_is_not() -> None:
    news = "临江科学城科技服务业加快集聚发展\n记者获悉，2024年，营收增长。\n"
    title = read_title(news, propose(news, KNOWN).fields["addressee.zh"])
    assert (title.status, title.value, title.line) == ("stated", news.split("\n")[0], 1)
    for text in ("一、总体要求\n二、主要任务\n", "本市科技服务业加快发展。\n第二句，正文。\n"):
        assert read_title(text, propose(text, KNOWN).fields["addressee.zh"]).status == "unstated"


@pytest.mark.parametrize(
    ("reference", "note"),
    [
        ("沪科建复〔2026〕9号", "in the 沪科建复 series (`hukejianfu_2025_36`)"),
        ("沪科提复〔2026〕9号", "in the 沪科提复 series (`hukefu_2023_48`, `hukefu_2021_116`,"),
        # A series the catalogue does not hold, numbered by the same body (沪科).
        ("沪科规〔2026〕2号", "in numbers starting 沪科 ("),
    ],
)
def test_the_issuer_comes_from_the_reference_series_in_both_languages(
    reference: str, note: str
) -> None:
    text = f"{reference}\n\n某某代表：\n\n正文。\n\n2026年1月5日\n"
    fields = propose(text, KNOWN).fields
    assert (fields["issuer.zh"].status, fields["issuer.zh"].value) == ("from-catalogue", SSTC[0])
    assert (fields["issuer.en"].status, fields["issuer.en"].value) == ("from-catalogue", SSTC[1])
    assert note in fields["issuer.zh"].note


def test_no_issuer_is_guessed_from_an_unknown_series_or_one_with_two_issuers() -> None:
    text = "沪府办规〔2026〕1号\n\n正文。\n\n2026年1月5日\n"
    assert propose(text, KNOWN).fields["issuer.zh"].status == "unstated"
    two = [
        {**SOURCES[0], "issuer": {"zh": "甲", "en": "A"}},
        {**SOURCES[1], "issuer": {"zh": "乙", "en": "B"}},
    ]
    text = "沪科提复〔2026〕9号\n\n正文。\n\n2026年1月5日\n"
    assert propose(text, known_from(two)).fields["issuer.zh"].status == "unstated"


def test_a_stated_issuer_wins_over_the_series() -> None:
    text = (
        "沪科建复〔2026〕9号\n\n某某代表：\n\n正文。\n\n上海市经济和信息化委员会\n\n2026年1月5日\n"
    )
    fields = propose(text, KNOWN).fields
    assert (fields["issuer.zh"].status, fields["issuer.zh"].value) == (
        "stated",
        "上海市经济和信息化委员会",
    )
