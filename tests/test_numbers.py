"""The number scanner on real phrases from the five sources, and on the traps around them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.catalogue.numbers import Mention, find_mentions

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"

# phrase -> every mention expected in it, in order: (text, values, qualifier, is_percent)
PHRASES: list[tuple[str, list[tuple[str, tuple[float, ...], str | None, bool]]]] = [
    # Arabic numerals, decimals, units and 万/亿 multipliers as the sources space them
    ("技术市场合同登记 11483 项", [("11483", (11483.0,), None, False)]),
    ("合同额 129.97 亿元", [("129.97 亿", (129.97, 12_997_000_000.0), None, False)]),
    ("总金额达38.41亿元", [("38.41亿", (38.41, 3_841_000_000.0), None, False)]),
    ("东部中心汇集国内外 4.6 万项科技成果", [("4.6 万", (4.6, 46_000.0), None, False)]),
    ("营收5409.59亿元", [("5409.59亿", (5409.59, 540_959_000_000.0), None, False)]),
    ("已发放市级财政奖励 9000 万元", [("9000 万", (9000.0, 90_000_000.0), None, False)]),
    (
        "与 2016 年相比增长 33.6%、176.2%",
        [
            ("2016", (2016.0,), None, False),
            ("33.6%", (33.6,), None, True),
            ("176.2%", (176.2,), None, True),
        ],
    ),
    ("“十二五”7.8%的增幅", [("十二五", (12.0,), None, False), ("7.8%", (7.8,), None, True)]),
    ("第0873号提案", [("0873", (873.0,), None, False)]),
    # more_than: 超过/超/逾 before, 余/多 after
    ("科技服务机构超过 200 家", [("200", (200.0,), "more_than", False)]),
    (
        "意向交易金额超 15 亿；1400 余项科技成果挂牌",
        [
            ("15 亿", (15.0, 1_500_000_000.0), "more_than", False),
            ("1400 余", (1400.0,), "more_than", False),
        ],
    ),
    (
        "完成284余项成果赋权,转化金额超过3.35亿元",
        [
            ("284余", (284.0,), "more_than", False),
            ("3.35亿", (3.35, 335_000_000.0), "more_than", False),
        ],
    ),
    ("支持资金 3300 余万元", [("3300 余万", (3300.0, 33_000_000.0), "more_than", False)]),
    ("年均增长率超过20%", [("20%", (20.0,), "more_than", True)]),
    ("获得外部融资额超亿元", [("亿", (1.0, 100_000_000.0), "more_than", False)]),
    ("已投资并孵化早期项目十余个", [("十余", (10.0,), "more_than", False)]),
    ("多机构(百余家市场化技术转移机构)", [("百余", (100.0,), "more_than", False)]),
    ("历时逾 3 年", [("3", (3.0,), "more_than", False)]),
    ("发展到10多家", [("10多", (10.0,), "more_than", False)]),
    # nearly: 近 (but not 最近/附近)
    ("融资额近3亿元", [("3亿", (3.0, 300_000_000.0), "nearly", False)]),
    ("目前注册用户近3万人", [("3万", (3.0, 30_000.0), "nearly", False)]),
    ("对接率近65%", [("65%", (65.0,), "nearly", True)]),
    ("高层次技术经理人占比近三成", [("三成", (3.0, 30.0), "nearly", True)]),
    ("相关的文件达近百件", [("百", (100.0,), "nearly", False)]),
    ("最近3年", [("3", (3.0,), None, False)]),
    ("近3年来", [("3", (3.0,), None, False)]),
    ("近五个月", [("五", (5.0,), None, False)]),
    ("将近 20 家", [("20", (20.0,), "nearly", False)]),
    ("接近达 5 亿元", [("5 亿", (5.0, 500_000_000.0), "nearly", False)]),
    ("附近 2 家", [("2", (2.0,), None, False)]),
    # about: 约/大约 before (not 签约), 左右 after
    ("约 5 亿元", [("5 亿", (5.0, 500_000_000.0), "about", False)]),
    ("大约30家", [("30", (30.0,), "about", False)]),
    ("约为 12%", [("12%", (12.0,), "about", True)]),
    ("超过了 5 项", [("5", (5.0,), "more_than", False)]),
    ("100 家左右", [("100", (100.0,), "about", False)]),
    # more_than: 以上 after, like 左右 (a lower bound); 规模以上 has no number before it
    ("100 家以上", [("100", (100.0,), "more_than", False)]),
    ("三年以上", [("三", (3.0,), "more_than", False)]),
    ("实际达成签约 339 项", [("339", (339.0,), None, False)]),
    ("履约 3 项", [("3", (3.0,), None, False)]),
    # Chinese numerals
    (
        "将科技服务业范围确定七大类69个小类",
        [
            ("七", (7.0,), None, False),
            ("69", (69.0,), None, False),
        ],
    ),
    ("六十九个小类", [("六十九", (69.0,), None, False)]),
    ("一百零五项", [("一百零五", (105.0,), None, False)]),
    ("二〇二一年", [("二〇二一", (2021.0,), None, False)]),
    ("两万人", [("两万", (2.0, 20_000.0), None, False)]),
    ("百分之二十", [("百分之二十", (20.0,), None, True)]),
    ("三大体系", [("三", (3.0,), None, False)]),
    ("对市政协十三届四次会议", [("十三", (13.0,), None, False), ("四", (4.0,), None, False)]),
    ("十四届一次会议", [("十四", (14.0,), None, False), ("一", (1.0,), None, False)]),
    ("“十三五”以来", [("十三五", (13.0,), None, False)]),
    ("(十一)提升科技服务业全球化能力", [("十一", (11.0,), None, False)]),
    # a lone 一 counts only when it orders or counts something
    ("确定为我市第一批科技服务业发展示范区", [("一", (1.0,), None, False)]),
    ("居全国第一，", [("一", (1.0,), None, False)]),
    ("一、关于", [("一", (1.0,), None, False)]),
    ("一是建设", [("一", (1.0,), None, False)]),
    ("(一)推动", [("一", (1.0,), None, False)]),
    ("（一）**支持", [("一", (1.0,), None, False)]),
    ("一所(上海技术交易所)、一中心", [("一", (1.0,), None, False), ("一", (1.0,), None, False)]),
    ("进一步完善", []),
    ("一直以来", []),
    ("统一、一流、一体化、一站式", []),
    ("是一个重要环节", []),
    ("一批企业升规纳统", []),
    ("一方面", []),
    ("最后一公里", []),
    # words that contain a numeral character but state no quantity
    ("长三角企业", []),
    ("具有十分重要的意义", []),
    ("十分钟", [("十", (10.0,), None, False)]),
    ("未来零号湾", []),
    ("近年来，超大城市", []),
    # ranges, composites, codes, references, dates, contact details
    ("行动方案(2024-2027年)", [("2024-2027", (2024.0, 2027.0), None, False)]),
    ("2024年1-11月", [("2024", (2024.0,), None, False), ("1-11", (1.0, 11.0), None, False)]),
    ("“1 + 5 + 20”政策文件", [("1 + 5 + 20", (1.0, 5.0, 20.0), None, False)]),
    ("“8+1”类型", [("8+1", (8.0, 1.0), None, False)]),
    ("一至三年", [("一至三", (1.0, 3.0), None, False)]),
    ("发布日期:2023-10-19", [("2023-10-19", (2023.0, 10.0, 19.0), None, False)]),
    ("(DB31/T1283—2021)", [("DB31/T1283—2021", (31.0, 1283.0, 2021.0), None, False)]),
    ("松江 G60 科创走廊", [("G60", (60.0,), None, False)]),
    ("沪科提复〔2021〕116号", [("〔2021〕116号", (2021.0, 116.0), None, False)]),
    (
        "2021 年 5 月 26 日",
        [
            ("2021", (2021.0,), None, False),
            ("5", (5.0,), None, False),
            ("26", (26.0,), None, False),
        ],
    ),
    ("联系电话：63580013", [("63580013", (63_580_013.0,), None, False)]),
    ("联系客服:400-6123115", [("400-6123115", (400.0, 6_123_115.0), None, False)]),
    ("邮政编码：200003", [("200003", (200_003.0,), None, False)]),
    # separators and widths
    ("共 1,234 项", [("1,234", (1234.0,), None, False)]),
    ("共 11 483 项", [("11 483", (11483.0,), None, False)]),
    ("１２．５％", [("１２．５％", (12.5,), None, True)]),
]


@pytest.mark.parametrize(("phrase", "expected"), PHRASES, ids=[p for p, _ in PHRASES])
def test_phrase(phrase: str, expected: list[tuple[str, tuple[float, ...], str | None, bool]]):
    found = [(m.text, m.values, m.qualifier, m.is_percent) for m in find_mentions(phrase)]
    assert found == expected


def test_offsets_point_into_the_text_passed_in():
    text = "2020 年本市高校院所技术市场合同登记 11483 项，合同额 129.97 亿元"
    for mention in find_mentions(text):
        assert text[mention.start : mention.end] == mention.text


def test_mention_is_frozen():
    mention = Mention(0, 1, "7", (7.0,), None, False)
    with pytest.raises(AttributeError):
        mention.start = 3  # type: ignore[misc]


# Mentions per source document, reviewed by hand against the texts (see the module notes).
SOURCE_COUNTS = {
    "2021-05-26_hukefu-2021-116_cppcc-0873_reply.txt": 105,
    "2023-05-16_hukefu-2023-48_cppcc-0099_reply.txt": 60,
    "2025-06-25_hukefu-2025-51_cast-reply.txt": 76,
    "2025-06-25_hukejianfu-2025-36_npc-0353_reply.txt": 59,
    "xinhua-finance_0522_sci-tech-services-opinions.txt": 25,
}
SOURCE_COUNTS_FIRST = "2021-05-26_hukefu-2021-116_cppcc-0873_reply.txt"


@pytest.mark.parametrize("name", sorted(SOURCE_COUNTS))
def test_source_mention_counts(name: str):
    text = (SOURCES / name).read_text(encoding="utf-8")
    mentions = find_mentions(text)
    assert len(mentions) == SOURCE_COUNTS[name]
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


def test_every_arabic_digit_in_the_sources_is_inside_a_mention():
    for path in sorted(SOURCES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        covered = set()
        for mention in find_mentions(text):
            covered.update(range(mention.start, mention.end))
        missed = [i for i, c in enumerate(text) if c.isdigit() and i not in covered]
        assert missed == [], f"{path.name}: digits outside any mention at {missed}"


_ALPHABET = (
    "0123456789０５.．,， -—+/%％成余多超过逾近约左右第是、（）()〔〕号年月日"
    "万亿千百十一二两三四五六七八九零〇长角分项家\nAG"
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_any_text_gives_ordered_disjoint_mentions(text: str):
    mentions = find_mentions(text)
    end = 0
    for mention in mentions:
        assert end <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.values
        assert mention.qualifier in (None, "more_than", "nearly", "about")
        end = mention.end


def test_scan_is_linear_on_a_large_text():
    text = (SOURCES / SOURCE_COUNTS_FIRST).read_text(encoding="utf-8") * 100  # ~1.2 MB
    mentions = find_mentions(text)  # how fast is measured in `make bench`, not here
    assert len(mentions) == SOURCE_COUNTS[SOURCE_COUNTS_FIRST] * 100


def test_absurd_numerals_do_not_raise():
    (huge,) = find_mentions("亿" * 40)
    assert huge.values == (float("inf"),)
    (chain,) = find_mentions("-".join(str(i) for i in range(3000)))
    assert len(chain.values) == 3000
