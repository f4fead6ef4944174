"""Switching language there and back on the Trends page keeps the indicator pickers working."""

from __future__ import annotations

from tests.browser.harness import assert_no_exception, open_view, wait_idle


def test_language_round_trip_on_trends_raises_nothing(server, page) -> None:
    # Streamlit keeps a select widget's value as its displayed label; labels change with the
    # language, so a widget shared by both languages once handed a label back as an id.
    open_view(page, f"{server.url}/trends?indicator=research_units_tech_contracts_count")
    for label in ("English", "中文"):
        page.get_by_text(label, exact=True).first.click()
        page.wait_for_timeout(500)
        wait_idle(page)
    assert_no_exception(page)
    assert "lang=zh" in page.url or "lang=" not in page.url
    assert "indicator=research_units_tech_contracts_count" in page.url
    assert page.watch.page_errors == []
