"""AppTests of every page and the main interactions, on a small fixture catalogue."""

from __future__ import annotations

import base64
import html
import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app import data_io

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
APP = str(REPO / "app.py")
TRENDS = "app_pages/trends.py"
SOURCES = "app_pages/sources.py"
HEALTH = "app_pages/health.py"


pytestmark = pytest.mark.usefixtures("fresh_caches")


def run(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += (
        [w.value for w in at.warning] + [i.value for i in at.info] + [e.value for e in at.error]
    )
    parts += [line for lines in card_texts(at).values() for line in lines]
    return "\n".join(parts)


def card_texts(at: AppTest) -> dict[str, list[str]]:
    """Each overview card's lines as a reader sees them (the card is one HTML block)."""
    out: dict[str, list[str]] = {}
    for block in at.html:
        found = re.search(r'<div class="card" id="card-([^"]+)">', block.value)
        if found:
            lines = re.split(r"<br>|</div>", block.value)
            text = [html.unescape(re.sub(r"<[^>]+>", "", x)).strip() for x in lines]
            out[found.group(1)] = [t for t in text if t]
    return out


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def shown_years(fig: dict) -> tuple[int, int]:
    """The first and last whole year the x axis shows (it pads a few months each side)."""
    start, end = (s[:10] for s in fig["layout"]["xaxis"]["range"])
    first = int(start[:4]) + (start[5:] != "01-01")
    last = int(end[:4]) - (end[5:] != "12-31")
    return first, last


def decode(values):
    """Plotly 7 ships numeric arrays as {"dtype", "bdata"}; lists pass through."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"]).tolist()
    return values


# -- Overview ------------------------------------------------------------------------------


def test_overview_zh_cards_show_latest_value_period_change_and_source(app_catalogue: Path) -> None:
    at = run()
    assert at.title[0].value == "概览"
    body = texts(at)
    cards = card_texts(at)
    assert cards["contracts_count"][2] == "1200 项"  # after topic and name: the 2023 value
    assert cards["contracts_value"][2] == "超 300 亿元"  # a lower bound
    assert cards["platform_cumulative_value"][2] == "约 47.06 亿元"  # latest of two documents
    assert "较2022年：+200 项" in cards["contracts_count"]
    assert "来源：测科复〔2024〕1号（2024\\-05\\-20）" in body
    # A running total: since a date; from "nearly 8" the rise is a bound, and 约 is said.
    assert (
        "较2024年5月20日：超过 +39.06 亿元（涉及约数或上下限，仅供参考）"
        in cards["platform_cumulative_value"]
    )
    assert len(at.get("plotly_chart")) == 3  # a sparkline wherever figures are joined
    links = [p.proto.page for p in at.page_link]
    assert any(link.endswith("trends") for link in links)


def test_overview_en_scales_units_and_keeps_digits(app_catalogue: Path) -> None:
    at = run(lang="en")
    assert at.title[0].value == "Overview"
    cards = card_texts(at)
    # The indicator's `counts`, not the unit's "items".
    assert cards["contracts_count"][2] == "1,200 contracts"
    assert cards["contracts_value"][2] == "> 30 bn yuan"
    # The source's digits, the point moved: 47.06 亿元 is 4.706 bn (never 4,706 mn) ...
    assert cards["platform_cumulative_value"][2] == "≈ 4.706 bn yuan"
    # ... and its own wording is on the card, small.
    assert cards["contracts_value"][3] == "As stated: 超300亿元"


def test_language_switch_rewrites_url_and_labels(app_catalogue: Path) -> None:
    at = run()
    at.segmented_control[0].set_value("en").run()
    assert at.query_params["lang"] == "en"
    assert at.title[0].value == "Overview"


# -- Trends --------------------------------------------------------------------------------


def test_trends_link_reopens_the_same_view(app_catalogue: Path) -> None:
    at = run(
        TRENDS, lang="en", indicator="platform_cumulative_value", **{"from": "2020", "to": "2025"}
    )
    assert at.title[0].value == "Trends"
    assert at.selectbox[0].value == "platform_cumulative_value"
    assert at.slider[0].value == (2020, 2025)
    assert at.query_params["indicator"] == "platform_cumulative_value"
    assert (at.query_params["from"], at.query_params["to"]) == ("2020", "2025")
    (fig,) = figures(at)
    assert shown_years(fig) == (2020, 2025)
    # Several documents report the platform total: the page says so.
    assert "Test reply No\\. 1 \\(2024\\); Test news" in texts(at)


def test_a_link_pairing_indicators_the_catalogue_keeps_apart_says_why(app_catalogue: Path) -> None:
    at = run(TRENDS, lang="en", indicator="contracts_value,platform_cumulative_value")
    assert at.multiselect[0].value == []
    assert at.query_params["indicator"] == "contracts_value"
    (fig,) = figures(at)
    groups = {t.get("legendgroup") for t in fig["data"]} - {None, "__key"}
    assert groups == {"contracts_value"}
    (notice,) = [i.value for i in at.info]
    assert "is not comparable with" in notice or "different measure" in notice


def test_trends_chart_marks_qualifiers_and_derived_points(app_catalogue: Path) -> None:
    at = run(TRENDS, indicator="contracts_count", **{"from": "2019", "to": "2025"})
    (fig,) = figures(at)
    traces = [t for t in fig["data"] if t.get("legendgroup") == "contracts_count"]
    joins = {t["meta"]["style"]: t for t in traces if t["meta"]["role"] == "join"}
    (marks,) = [t for t in traces if t["meta"]["role"] == "marks"]
    assert joins["derived"]["line"]["dash"] == "dot"  # into the derived 2021 figure
    assert joins["solid"]["line"]["dash"] == "solid"  # 2022 to 2023, both stated
    assert decode(marks["y"]) == [800.0, 1000.0, 1200.0]
    assert marks["marker"]["symbol"] == ["diamond-open", "circle", "circle"]
    # Every figure carries its value as text (no hover needed), the derived one rounded.
    assert marks["text"] == ["约 800", "1000", "1200"]
    assert "推算值" in marks["hovertext"][0]
    bottom = [a["text"] for a in fig["layout"]["annotations"] if "资料来源" in a["text"]]
    assert bottom and "[1] 测科复〔2024〕1号" in bottom[0]
    assert shown_years(fig) == (2019, 2025)


def test_choosing_an_indicator_writes_it_to_the_url(app_catalogue: Path) -> None:
    at = run(TRENDS, indicator="contracts_value")
    at.selectbox[0].set_value("contracts_count").run()
    assert at.query_params["indicator"] == "contracts_count"
    # Only indicators sharing the unit (项) are offered for comparison.
    assert at.multiselect[0].options == []
    at.slider[0].set_value((2021, 2023)).run()
    assert at.query_params["from"] == "2021" and at.query_params["to"] == "2023"


def test_a_link_mixing_units_keeps_the_first_unit_and_says_so(app_catalogue: Path) -> None:
    at = run(TRENDS, lang="en", indicator="contracts_value,contracts_count")
    assert at.query_params["indicator"] == "contracts_value"
    assert any("different unit" in i.value for i in at.info)


def test_events_toggle_draws_and_hides_event_marks(app_catalogue: Path) -> None:
    at = run(TRENDS, indicator="platform_cumulative_value")
    (fig,) = figures(at)
    assert [(s["type"], s["x0"][:10]) for s in fig["layout"]["shapes"]] == [("line", "2020-10-28")]
    labels = [a for a in fig["layout"]["annotations"] if a.get("name") == "event-label"]
    assert [a["text"] for a in labels] == ["平台开市"]  # its short label, not E1
    assert "测试平台开市" in labels[0]["hovertext"]
    at.toggle(key="w_events").set_value(False).run()
    (fig,) = figures(at)
    assert not fig["layout"].get("shapes")


def test_unknown_indicator_in_link_gets_message_and_overview(app_catalogue: Path) -> None:
    at = run(TRENDS, indicator="no_such_indicator")
    assert any(
        "no\\_such\\_indicator" in w.value or "no_such_indicator" in w.value for w in at.warning
    )
    assert at.title[0].value == "概览"
    assert len(at.get("plotly_chart")) == 3


def test_hostile_parameters_are_named_and_ignored(app_catalogue: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = ["xx", "en"]
    at.query_params["indicator"] = "<script>alert(1)</script>,../../etc/passwd"
    at.query_params["from"] = "99999999999"
    at.query_params["to"] = "abc"
    at.run()
    at.switch_page(TRENDS).run()
    assert not at.exception
    warnings = "\n".join(w.value for w in at.warning)
    assert "`lang`" in warnings  # repeated key
    assert "`<script>alert(1)</script>, ../../etc/passwd`" in warnings  # one notice for both
    assert "`abc`" in warnings
    assert at.title[0].value == "概览"  # nothing usable: the overview


def test_csv_download_has_exactly_the_charted_rows_with_citations(app_catalogue: Path) -> None:
    at = run(TRENDS, indicator="contracts_value", **{"from": "2019", "to": "2025"})
    table = at.dataframe[0].value
    assert len(table) == 2
    assert list(table.iloc[:, 0]) == ["[1]", "[1]"]


# -- Presenter mode ------------------------------------------------------------------------


def test_presenter_mode_hides_chrome_and_enlarges_chart(app_catalogue: Path) -> None:
    at = run(TRENDS, indicator="contracts_value", present="1")
    assert len(at.sidebar.children) == 0  # no sidebar content in presenter mode
    css = "".join(h.proto.body for h in at.html)
    assert '[data-testid="stSidebar"]' in css
    (fig,) = figures(at)
    assert fig["layout"]["font"]["size"] == 20
    # Citations stay visible, compactly.
    assert any("测科复〔2024〕1号" in c.value for c in at.caption)
    assert at.query_params["present"] == "1"


def test_page_links_carry_language_and_presenter_mode(app_catalogue: Path) -> None:
    at = run(lang="en", present="1")
    queries = {link.proto.label: link.proto.query_string for link in at.page_link}
    assert queries["Trends"] == "lang=en&present=1"
    assert queries["Sources"] == "lang=en&present=1"
    assert "Catalogue health" not in queries  # analysts' pages are not in presenter mode
    # The exit keeps the view and only drops `present`.
    at.button(key="w_exit_presenter").click().run()
    assert "present" not in at.query_params
    assert at.query_params["lang"] == "en"


# -- Sources and health --------------------------------------------------------------------


def test_sources_page_highlights_every_quote_escaped(app_catalogue: Path) -> None:
    at = run(SOURCES, source="app_doc_a")
    assert at.selectbox[0].value == "app_doc_a"
    body = "".join(h.proto.body for h in at.html)
    # Each quote is anchored (a link can land on it), tinted apart from its neighbours, and
    # links back to its figure's trend.
    mark = '<mark id="q-contracts_count-1" class="hl-cited hl-t1" title="技术合同登记数 · 2022">'
    assert mark + "2022 年本市技术合同登记 1000 项</mark>" in body
    assert '<sup class="hl-ref"><a href="trends?lang=zh&amp;indicator=contracts_count"' in body
    assert "测试平台于 2020 年 10 月 28 日开市</mark>" in body
    assert "签发日期**: 2024\\-05\\-20（原文载明）" in texts(at)


def test_sources_page_can_mark_numbers_not_yet_accounted_for(app_catalogue: Path) -> None:
    at = run(SOURCES, source="app_doc_a")
    assert 'class="hl-unaccounted"' not in "".join(h.proto.body for h in at.html)
    at.toggle(key="w_unaccounted").set_value(True).run()
    body = "".join(h.proto.body for h in at.html)
    # No dismissal rules in the fixture: the signing date's numbers are unaccounted.
    assert '<mark class="hl-unaccounted" title="未处理">2024</mark>' in body


def test_sources_page_marks_inferred_dates(app_catalogue: Path) -> None:
    at = run(SOURCES, lang="en", source="app_doc_b")
    assert "2025\\-01\\-10 \\(inferred\\: the date at the end of the text\\)" in texts(at)


def test_unknown_source_falls_back_with_a_message(app_catalogue: Path) -> None:
    at = run(SOURCES, source="../../etc/passwd")
    assert any("../../etc/passwd" in w.value for w in at.warning)
    assert at.selectbox[0].value == "app_doc_a"


def test_health_page_shows_validation_coverage_and_ambiguities(app_catalogue: Path) -> None:
    at = run(HEALTH, lang="en")
    assert "is valid" in at.success[0].value
    coverage = at.dataframe[0].value
    row = coverage.loc["Technology contracts registered"]
    assert (row["2021"], row["2022"]) == ("○", "●")
    assert coverage.loc["Value of technology contracts"]["2023"] == "▲"
    ambiguities = at.dataframe[1].value
    assert "The source gives only a lower bound." in ambiguities.iloc[:, 3].tolist()


# -- Live catalogue ------------------------------------------------------------------------


def _break(path: Path) -> None:
    text = path.read_text(encoding="utf-8").replace("value: 1200", 'value: "1200"')
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_invalid_edit_keeps_last_valid_catalogue_and_shows_banner(app_catalogue: Path) -> None:
    run()
    _break(app_catalogue)
    at = run()
    assert "edited file is invalid" not in texts(at)  # zh by default
    banner = at.error[0].value
    assert "仍在显示上一个有效版本" in banner
    code = at.code[0].value
    assert "indicators.yaml:" in code and "value" in code
    assert "1200 项" in card_texts(at)["contracts_count"]  # the last valid figures still served


def _touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_valid_edit_shows_on_next_view(app_catalogue: Path) -> None:
    assert "技术合同额" in card_texts(run())["contracts_value"]
    text = app_catalogue.read_text(encoding="utf-8")
    app_catalogue.write_text(text.replace("zh: 技术合同额,", "zh: 技术合同金额,"), encoding="utf-8")
    _touch_later(app_catalogue)
    at = run()
    assert "技术合同金额" in card_texts(at)["contracts_value"] and not at.error


def test_edited_source_text_is_noticed_and_last_valid_served(app_catalogue: Path) -> None:
    run()
    source = app_catalogue.parent / "data/sources/app_doc_a.txt"
    source.write_bytes(source.read_bytes() + "追加的一句。\n".encode())
    _touch_later(source)
    at = run()
    assert "仍在显示上一个有效版本" in at.error[0].value
    assert "app_doc_a" in at.code[0].value or "sha256" in at.code[0].value
    assert "1200 项" in card_texts(at)["contracts_count"]


def test_a_catalogue_without_indicators_still_renders_every_page(app_catalogue: Path) -> None:
    text = app_catalogue.read_text(encoding="utf-8")
    head, _, _ = text.partition("indicators:")
    app_catalogue.write_text(head + "indicators: []\n", encoding="utf-8")
    for page in (None, TRENDS, SOURCES, HEALTH):
        at = run(page, lang="en")
        assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Catalogue health"


def test_broken_catalogue_at_startup_shows_an_error_page(app_catalogue: Path) -> None:
    app_catalogue.write_text("version: 1\nsources: [\n", encoding="utf-8")
    at = run()
    assert "无法加载指标目录" in at.error[0].value
    assert "indicators.yaml:" in at.code[0].value
    assert not at.get("plotly_chart")


def test_missing_catalogue_file_shows_an_error_page(app_catalogue: Path, monkeypatch) -> None:
    monkeypatch.setenv(data_io.ENV_CATALOGUE, str(app_catalogue.parent / "missing.yaml"))
    at = run(lang="en")
    assert "cannot be loaded" in at.error[0].value
    assert "file not found" in at.code[0].value


def test_a_source_link_lands_on_its_quote(app_catalogue: Path) -> None:
    at = run(SOURCES, source="app_doc_a", quote="q-contracts_count-1")
    assert at.query_params["quote"] == "q-contracts_count-1"
    body = "".join(h.proto.body for h in at.html)
    assert 'id="q-contracts_count-1" class="hl-cited hl-t1 hl-focus"' in body
    focused = texts(at)
    assert "**2022 年本市技术合同登记 1000 项**" in focused  # shown first, in its sentence
    assert "(#q-contracts_count-1)" in focused  # and a jump to it in the full text
    hostile = run(SOURCES, source="app_doc_a", quote='"><script>')
    assert any("quote id" in w.value or "引文编号" in w.value for w in hostile.warning)


def test_a_figure_card_offers_its_citation_sentence(app_catalogue: Path) -> None:
    at = run(TRENDS, indicator="contracts_count_growth")
    code = at.code[0].value  # the card's; the citation list below repeats it per figure
    assert code.startswith("据《") and "25%" in code and "测科复〔2024〕1号" in code
    assert code in [c.value for c in at.code[1:]]


def test_an_indicator_restated_by_two_documents_gets_an_as_reported_table(
    app_catalogue: Path,
) -> None:
    at = run(TRENDS, indicator="platform_cumulative_value")
    table = at.dataframe[0].value  # right under the chart, before citations and the table
    assert table["显示值"].tolist() == ["近 8", "约 47.06"]
    assert table["来源"].tolist() == ["测科复〔2024〕1号", "app_doc_b"]
    assert "各文件所报数字" in texts(at)


FINDER = "app_pages/finder.py"
TOPIC = "app_pages/topic.py"


def test_the_finder_searches_filters_and_links(app_catalogue: Path) -> None:
    at = run(FINDER, lang="en")
    (everything,) = [d.value for d in at.dataframe]
    assert len(everything) == 8  # every figure of the fixture
    at.text_input(key="w_finder_q").set_value("合同额").run()  # Chinese, on the English page
    (found,) = [d.value for d in at.dataframe]
    assert set(found["Shown as"]) == {"12.997 bn yuan", "> 30 bn yuan"}
    # Beside each English figure, the source's own wording.
    assert set(found["As stated"]) == {"129.97亿元", "超300亿元"}
    assert all(
        link.startswith("trends?lang=en&indicator=contracts_value") for link in found["chart"]
    )
    assert all("quote=q-contracts_value-" in link for link in found["in_source"])
    at.multiselect(key="w_f_qualifier").set_value(["more_than"]).run()
    (bounded,) = [d.value for d in at.dataframe]
    assert bounded["Shown as"].tolist() == ["> 30 bn yuan"]
    assert "1 figure found" in [c.value for c in at.caption]


def test_a_pasted_document_in_the_finder_is_cut_and_the_page_says_so(
    app_catalogue: Path,
) -> None:
    at = run(FINDER, lang="en")
    at.text_input(key="w_finder_q").input("合同额 亿元").run()
    (short,) = [d.value for d in at.dataframe]
    assert len(short) > 0 and len(at.info) == 0
    pasted = "合同额 " + "亿元 " * 100_000  # about 700 KB
    at.text_input(key="w_finder_q").input(pasted).run()
    assert not at.exception
    # The box now holds what is searched, a notice says why, and the result is the same.
    assert at.text_input(key="w_finder_q").value == pasted[:200]
    (notice,) = [i.value for i in at.info]
    assert notice == (
        "Your search was long: only the first 8 different words of its first 200 "
        "characters are searched for: 合同额, 亿元"
    )
    (found,) = [d.value for d in at.dataframe]
    assert found.equals(short)
    # A filter clicked later keeps the notice while the box holds the cut text.
    at.multiselect(key="w_f_qualifier").set_value(["more_than"]).run()
    assert len(at.info) == 1
    at.text_input(key="w_finder_q").input("合同额").run()
    assert len(at.info) == 0
    zh = run(FINDER, lang="zh")
    zh.text_input(key="w_finder_q").input("合同额 " * 300).run()
    assert [i.value for i in zh.info] == [
        "搜索内容较长：只按前 200 个字符中的前 8 个不同词语查找：合同额"
    ]
    # A long pasted quote is searched by its first 200 characters, shown by its first 24.
    zh.text_input(key="w_finder_q").input("技术合同成交额" * 40).run()
    assert [i.value for i in zh.info] == [
        "搜索内容较长：只按前 200 个字符中的前 8 个不同词语查找："
        + ("技术合同成交额" * 4)[:24]
        + "…"
    ]


def test_a_topic_page_without_curated_statements_still_shows_its_figures(
    app_catalogue: Path,
) -> None:
    at = run(TOPIC, topic="tech_transfer")
    assert not at.exception
    assert at.title[0].value == "技术转移与成果转化"
    charts = [c.key for c in at.get("plotly_chart")]
    assert "topic_chart_contracts_count" in charts
    hostile = run(TOPIC, topic="<script>")
    assert any("专题" in w.value for w in hostile.warning)
