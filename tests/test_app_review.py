"""The review page (AppTest): drafts beside the text, ticked and named, checked by the
validator, then written through the safe writer, or refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from dashboard.catalogue.validate import validate_path

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
REVIEW = "app_pages/review.py"

pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def uncited(app_catalogue: Path) -> Path:
    """The served fixture catalogue without its 2023 contract value (超 300 亿元), which
    becomes the one figure of app_doc_a left to draft."""
    data = yaml.safe_load(app_catalogue.read_text(encoding="utf-8"))
    for indicator in data["indicators"]:
        if indicator["id"] == "contracts_value":
            indicator["observations"] = [
                o for o in indicator["observations"] if str(o["period"]) != "2023"
            ]
    app_catalogue.write_text(
        "# reviewed by the test\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    assert validate_path(app_catalogue).ok
    return app_catalogue


def open_review(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(REVIEW).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_review_page_drafts_ticks_checks_and_writes(uncited: Path) -> None:
    at = open_review(lang="en")
    assert at.title[0].value == "Review drafts"
    at.selectbox(key="w_review_source").set_value("app_doc_a").run()
    html = "".join(h.proto.body for h in at.html)
    assert '<mark class="hl-unaccounted" title="300 亿元 · 2023">300 亿</mark>' in html
    # The table's edits live in session state under its key, as the browser sends them.
    editor_key = next(k for k in at.session_state if str(k).startswith("w_review_table_"))
    at.session_state[editor_key] = {"edited_rows": {0: {"keep": True}}, "added_rows": [],
                                    "deleted_rows": []}  # fmt: skip
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [b.label for b in at.get("download_button")] == [
        "Download the YAML snippet (figures: 1)"
    ]
    before = uncited.read_bytes()
    at.button(key="w_review_check").click().run()
    (ok,) = [s.value for s in at.success]
    assert ok.startswith("The edited ") and ok.endswith("indicators.yaml validates.")
    assert uncited.read_bytes() == before  # checking writes nothing
    at.button(key="w_review_apply").click().run()
    assert "(figures: 1)." in " ".join(s.value for s in at.success)
    after = uncited.read_text(encoding="utf-8")
    assert after.startswith("# reviewed by the test\n")  # the rest of the file is kept
    result = validate_path(uncited)
    assert result.ok
    value = result.catalogue.indicators_by_id["contracts_value"]
    (added,) = [o for o in value.observations if o.period == "2023"]
    assert (added.value, added.qualifier.value, added.quote) == (
        300,
        "more_than",
        "合同额超 300 亿元",
    )
    # The written figure is cited now: the next view drafts nothing, no tick left over.
    at.run()
    assert not at.exception
    assert any("Nothing to draft" in i.value for i in at.info)


def test_a_catalogue_changed_after_the_check_is_not_overwritten(uncited: Path) -> None:
    at = open_review(lang="en", source="app_doc_a")
    editor_key = next(k for k in at.session_state if str(k).startswith("w_review_table_"))
    at.session_state[editor_key] = {"edited_rows": {0: {"keep": True}}, "added_rows": [],
                                    "deleted_rows": []}  # fmt: skip
    at.run()
    at.button(key="w_review_check").click().run()
    uncited.write_text(uncited.read_text(encoding="utf-8") + "# saved meanwhile\n", "utf-8")
    changed = uncited.read_bytes()
    at.button(key="w_review_apply").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "Not written:" in errors and "changed on disk since it was read" in errors
    assert uncited.read_bytes() == changed


def test_an_edit_that_would_not_validate_shows_why_and_writes_nothing(uncited: Path) -> None:
    at = open_review(lang="en", source="app_doc_a")
    editor_key = next(k for k in at.session_state if str(k).startswith("w_review_table_"))
    # The analyst types a value the quote does not state.
    at.session_state[editor_key] = {"edited_rows": {0: {"keep": True, "value": 310}},
                                    "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    before = uncited.read_bytes()
    at.button(key="w_review_check").click().run()
    assert any("would not validate (problems: 1)" in e.value for e in at.error)
    listed = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert "The quote does not state the value** · " in listed  # its kind, in English
    assert "does not state 310" in listed
    assert not [b for b in at.button if b.key == "w_review_apply"]
    assert uncited.read_bytes() == before


def test_a_new_indicator_needs_its_names_then_is_added(uncited: Path) -> None:
    at = open_review(lang="en", source="app_doc_a")
    editor_key = next(k for k in at.session_state if str(k).startswith("w_review_table_"))
    at.session_state[editor_key] = {
        "edited_rows": {0: {"keep": True, "indicator": "contracts_value_bound"}},
        "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    at.run()
    # Every missing name at once, in the page's language, and nothing to check yet.
    (heading,) = [e.value for e in at.error]
    assert heading == "To fix before anything can be written (problems: 1):"
    assert problem_lines(at) == [
        "New indicator contracts_value_bound: give its Name (zh), Name (en), Description (zh), "
        "Description (en), Subject (zh), Subject (en)."
    ]
    assert not [b for b in at.button if b.key == "w_review_check"]
    # Its topic follows the indicator the figure was drafted under (contracts_value).
    assert at.selectbox(key="w_new_contracts_value_bound_topic").value == "tech_transfer"
    for field in ("name", "description", "subject"):
        at.text_input(key=f"w_new_contracts_value_bound_{field}_zh").input("测试").run()
        at.text_input(key=f"w_new_contracts_value_bound_{field}_en").input("Test").run()
    at.button(key="w_review_check").click().run()
    (ok,) = [s.value for s in at.success]
    assert ok.startswith("The edited ") and ok.endswith("indicators.yaml validates.")
    at.button(key="w_review_apply").click().run()
    new = validate_path(uncited).catalogue.indicators_by_id["contracts_value_bound"]
    assert (new.unit, new.measure.value, new.topic) == ("亿元", "annual_flow", "tech_transfer")


def problem_lines(at: AppTest) -> list[str]:
    """The bullet list of problems under the error heading, as read."""
    (listed,) = [m.value for m in at.markdown if m.value.startswith("- ")][:1]
    return [line[2:].replace("\\", "") for line in listed.splitlines()]


def test_a_pasted_text_gets_drafts_and_a_snippet_only(app_catalogue: Path) -> None:
    at = open_review(lang="en")
    at.radio(key="w_review_mode").set_value("paste").run()
    at.text_area(key="w_review_text").input(
        "2024 年本市技术合同登记 1500 项，合同额超 400 亿元。\n\n2025 年 2 月 1 日\n"
    ).run()
    assert not at.exception
    html = "".join(h.proto.body for h in at.html)
    assert ">1500</mark>" in html and ">400 亿</mark>" in html
    assert any("not in the catalogue yet" in c.value for c in at.caption)


def test_review_is_in_the_sidebar_but_not_in_presenter_links(app_catalogue: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert "审核草稿" in [link.proto.label for link in at.page_link]
    presenting = AppTest.from_file(APP, default_timeout=30)
    presenting.query_params["present"] = "1"
    presenting.run()
    labels = [link.proto.label for link in presenting.page_link]
    assert labels and "审核草稿" not in labels and "Review drafts" not in labels
