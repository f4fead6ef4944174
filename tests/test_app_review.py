"""The review page (AppTest): drafts beside the text, ticked and named, checked by the
validator, then written through the safe writer, or refused with the reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from dashboard.app import data_io
from dashboard.catalogue import audit
from dashboard.catalogue.validate import validate_path
from tests.contradiction_project import fixture_data, write_project

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
    # Kept, and mapped by the analyst onto the indicator it belongs to.
    at.session_state[editor_key] = {"edited_rows": {0: {"keep": True,
                                    "indicator": "contracts_value"}},
                                    "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
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
    at.session_state[editor_key] = {"edited_rows": {0: {"keep": True,
                                    "indicator": "contracts_value"}},
                                    "added_rows": [], "deleted_rows": []}  # fmt: skip
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
    at.session_state[editor_key] = {"edited_rows": {0: {"keep": True, "value": 310,
                                    "indicator": "contracts_value"}},
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
    # Its topic follows the existing indicator the draft's reason names (contracts_value).
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


# -- A reply that contradicts the catalogue (tests/contradiction_project.py, its 2025 reply
#    held out): what the analyst sees while mapping it. -------------------------------------

NEW = "demo_suggestion_2025_2"
# The analyst maps the reply's 2676 onto the demands the catalogue holds (whatever the draft
# proposed): a running total that then falls from 超3800.
DEMANDS = {"indicator": "demo_match_demands"}


@pytest.fixture
def held_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = fixture_data()
    for indicator in data["indicators"]:
        indicator["observations"] = [o for o in indicator["observations"] if o["source"] != NEW]
    data["indicators"] = [i for i in data["indicators"] if i["observations"]]
    path = write_project(tmp_path, data=data)
    monkeypatch.setenv(data_io.ENV_CATALOGUE, str(path))
    return path


def tick(at: AppTest, *rows: int, **edits: dict) -> AppTest:
    key = next(k for k in at.session_state if str(k).startswith("w_review_table_"))
    at.session_state[key] = {
        "edited_rows": {r: {"keep": True, **edits.get(f"row{r}", {})} for r in rows},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def order_of(at: AppTest) -> list[tuple[str, str]]:
    """(kind, text) of the main area's elements, in page order."""
    out: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            kind = type(child).__name__
            value = getattr(child, "value", None) if kind != "Dataframe" else None
            label = getattr(child, "label", None) if kind == "Button" else None
            out.append((kind, str(label or value or "")))
            walk(child)

    walk(at.main)
    return out


def test_the_newest_source_comes_first_and_a_link_preselects_one(held_out: Path) -> None:
    at = open_review(lang="en")
    picker = at.selectbox(key="w_review_source")
    assert [o.split(" · ")[-1] for o in picker.options] == [
        NEW,
        "demo_suggestion_2024_7",
        "demo_reply_2024_19",
        "demo_reply_2023_5",
    ]
    assert picker.value == NEW
    linked = open_review(lang="en", source="demo_reply_2023_5")
    assert linked.selectbox(key="w_review_source").value == "demo_reply_2023_5"
    linked.selectbox(key="w_review_source").set_value(NEW).run()
    assert linked.query_params["source"] == NEW
    linked.radio(key="w_review_mode").set_value("paste").run()
    assert "source" not in linked.query_params


def test_the_table_holds_the_columns_that_decide_and_a_row_its_details(held_out: Path) -> None:
    at = open_review(lang="en", source=NEW)
    (table,) = at.data_editor
    assert list(table.proto.column_order) == [
        "keep",
        "value",
        "unit",
        "qualifier",
        "period",
        "indicator",
    ]
    quote = at.text_area(key=next(k for k in keys(at) if k.endswith("_0_quote"))).value
    assert quote.endswith("累计征集需求 2676 项")
    # A row just ticked shows its details.
    tick(at, 2)
    assert (
        at.selectbox(key=next(k for k in keys(at) if k.startswith("w_review_detail_"))).value == 2
    )


def keys(at: AppTest) -> list[str]:
    return [str(k) for k in at.session_state]


def test_warnings_come_before_the_verdict_and_an_ambiguity_acknowledges_them(
    held_out: Path,
) -> None:
    at = tick(open_review(lang="en", source=NEW), 0, row0=DEMANDS)
    at.button(key="w_review_check").click().run()
    shown = order_of(at)
    kinds = [k for k, _ in shown]
    warn = kinds.index("Warning")
    assert shown[warn][1] == "This edit brings warnings (2): check each before writing:"
    listed = shown[warn + 1][1].replace("\\", "")
    assert "**A running total falls** · " in listed
    assert "示例科提复〔2024〕19号" in listed and "示例科建复〔2025〕2号" in listed
    assert "**A topic statement is outdated** · " in listed
    success = kinds.index("Success")
    assert warn < success
    assert shown[success][1].endswith(
        "indicators.yaml validates, with the warnings listed above (2)."
    )
    buttons = [t for k, t in shown if k == "Button"]
    assert buttons[-1].startswith("Write to the catalogue")
    assert next(i for i, (k, t) in enumerate(shown) if t.startswith("Write to")) > success
    # Recorded: an ambiguity naming the other document, written with the figure.
    base = next(k for k in keys(at) if k.endswith("_0_ambiguity_zh")).removesuffix("_zh")
    at.text_area(key=f"{base}_zh").input("示例科提复〔2024〕19号称超3800项，本文称2676项。").run()
    at.text_area(key=f"{base}_en").input("Demo reply No. 19 (2024) said over 3,800.").run()
    at.button(key="w_review_check").click().run()
    assert [w.value for w in at.warning] == [
        "This edit brings warnings (1): check each before writing:"
    ]
    assert any("Acknowledged warnings (1" in c.value for c in at.caption)
    at.button(key="w_review_apply").click().run()
    result = validate_path(held_out)
    obs = result.catalogue.indicators_by_id["demo_match_demands"].observations[-1]
    assert (obs.value, obs.ambiguity.zh) == (
        2676,
        "示例科提复〔2024〕19号称超3800项，本文称2676项。",
    )
    (falls,) = [p for p in result.warnings if p.type == "cumulative-falls"]
    assert falls.acknowledged


def test_half_an_ambiguity_is_a_problem_said_in_the_page_language(held_out: Path) -> None:
    at = tick(open_review(lang="zh", source=NEW), 0, row0=DEMANDS)
    base = next(k for k in keys(at) if k.endswith("_0_ambiguity_zh")).removesuffix("_zh")
    at.text_area(key=f"{base}_zh").input("只写了中文").run()
    assert [e.value for e in at.error] == ["写入前须解决以下问题（1 个）："]
    assert problem_lines(at) == ["第 11 行：疑义须同时填写中文和英文。"]
    assert not [b for b in at.button if b.key == "w_review_check"]


def test_a_new_indicator_has_no_default_topic_and_every_problem_is_listed(
    held_out: Path,
) -> None:
    # A text about something the catalogue has nothing on: no topic to follow.
    at = open_review(lang="zh")
    at.radio(key="w_review_mode").set_value("paste").run()
    at.text_area(key="w_review_text").input("2025年，本市新认定孵化器 37 家。\n").run()
    tick(at, 0)
    (new,) = [k for k in keys(at) if k.startswith("w_new_") and k.endswith("_topic")]
    assert at.selectbox(key=new).value is None
    ident = new.removeprefix("w_new_").removesuffix("_topic")
    assert problem_lines(at) == [
        f"新指标 {ident}：请填写名称 (zh)、名称 (en)、说明 (zh)、说明 (en)、统计对象 (zh)、"
        "统计对象 (en)。",
        f"新指标 {ident}：请选择主题。",
        f"新指标 {ident}：请填写所计之物的英文单数与复数（如 contract / contracts）。",
    ]
    assert not at.get("download_button")  # nothing offered before every problem is solved


def test_a_new_indicator_follows_the_topic_of_the_indicator_it_was_drafted_against(
    held_out: Path,
) -> None:
    at = tick(open_review(lang="en", source=NEW), 1)
    (new,) = [k for k in keys(at) if k.startswith("w_new_") and k.endswith("_topic")]
    assert at.selectbox(key=new).value == "innomatch"
    assert any("follows the existing indicator `demo_match_demands`" in c.value
               for c in at.caption)  # fmt: skip


def test_the_measure_is_picked_by_a_click_not_by_typing(held_out: Path) -> None:
    at = tick(open_review(lang="en", source=NEW), 1)
    (radio,) = [r for r in at.radio if str(r.key).endswith("_1_measure_")]
    assert "rate · rate" in radio.options and radio.value == "cumulative"
    radio.set_value("rate").run()
    (ident,) = {k.removeprefix("w_new_").split("_name_")[0] for k in keys(at) if "_name_" in k}
    for field in ("name", "description", "subject"):
        at.text_input(key=f"w_new_{ident}_{field}_zh").input("对接数").run()
        at.text_input(key=f"w_new_{ident}_{field}_en").input("Matches").run()
    at.selectbox(key=f"w_new_{ident}_topic").set_value("innomatch").run()
    at.text_input(key=f"w_new_{ident}_counts_one").input("match").run()
    at.text_input(key=f"w_new_{ident}_counts_other").input("matches").run()
    assert not at.error
    at.button(key="w_review_check").click().run()
    at.button(key="w_review_apply").click().run()
    written = validate_path(held_out).catalogue.indicators_by_id[ident]
    assert (written.measure.value, written.topic) == ("rate", "innomatch")


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_a_pasted_text_identical_to_a_source_is_recognised(held_out: Path, line_end) -> None:
    text = (held_out.parent / "data/sources/2025-09-10_demo-suggestion-2.txt").read_text("utf-8")
    at = open_review(lang="en")
    at.radio(key="w_review_mode").set_value("paste").run()
    at.text_area(key="w_review_text").input(text.replace("\n", line_end)).run()
    assert not at.exception
    assert next(i.value for i in at.info) == (
        "This text is identical to Demo suggestion reply No. 2 (2025) (demo_suggestion_2025_2), "
        "already in the catalogue (recognised by its hash): its drafts are shown."
    )
    assert not any("not in the catalogue yet" in c.value for c in at.caption)


def test_a_unit_not_listed_says_its_line_and_can_be_added_here(held_out: Path) -> None:
    at = tick(open_review(lang="en", source=NEW), 0, row0={"unit": "万场", "indicator": "x_new"})
    units = held_out.parent / "data" / "units.yaml"
    # A scaled count reads in thousands, keeping the source's digits (1.2 万场: 12 thousand).
    line = (
        "万场: {en: '10,000 events', base: 场, factor: 10000, "
        "display_en: {scale: 10, magnitude: thousand, suffix: thousand events}"
    )
    listed = problem_lines(at)
    said = "Line 11: the unit “万场” is not in data/units.yaml: add it above, or add this line "
    assert any(p.startswith(said + "at the end of that file: " + line) for p in listed), listed
    assert "万场:" not in units.read_text(encoding="utf-8")
    slug = next(k for k in keys(at) if k.startswith("w_unit_") and k.endswith("_en"))[:-3]
    assert at.text_input(key=f"{slug}_en").value == "10,000 events"
    at.button(key=f"{slug}_add").click().run()
    assert any(s.value.startswith("Added: " + line) for s in at.success), [
        s.value for s in at.success
    ]
    assert units.read_text(encoding="utf-8").splitlines()[-1].startswith(line)
    (logged,) = [e for e in audit.read(audit.audit_path(held_out)) if e["action"] == "add-unit"]
    assert logged["unit"] == "万场" and logged["line"].startswith(line)
    at.run()
    assert not any("万场" in p for p in problem_lines(at))
