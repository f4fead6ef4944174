"""What changed: figures added, revised and withdrawn since an earlier vintage, newest
document first (figures layer and the page, public and authoring); the finder's date column."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from dashboard.app import data_io
from dashboard.catalogue import audit, data_files, publish
from dashboard.catalogue.changes import build_index, diff
from dashboard.catalogue.validate import load_catalogue
from dashboard.figures.finder import finder_table, newest_first
from dashboard.figures.grammar import Words
from dashboard.figures.i18n import Translator
from dashboard.figures.what_changed import changed_figures
from tests.browser.catalogues import write_base, write_changed_value

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
APP_CATALOGUE = REPO / "tests" / "fixtures" / "app_catalogue.yaml"
WHO = audit.Who("tester", "os-user")

pytestmark = pytest.mark.usefixtures("fresh_caches")


def words(lang: str = "en") -> Words:
    return Words(Translator(data_files.labels(), lang), data_files.units())


@pytest.fixture
def app_cat(app_catalogue: Path):
    return load_catalogue(app_catalogue)


def test_added_revised_and_withdrawn_figures_newest_document_first(app_cat) -> None:
    new = build_index(app_cat)
    old = copy.deepcopy(new)
    figures = old["figures"]
    # Before: the 2023 contract value was not there, app_doc_b's figure read 30 with
    # another qualifier, and a figure since withdrawn existed.
    added = next(k for k in figures if k.startswith("contracts_value|2023|"))
    del figures[added]
    revised_key = next(k for k in figures if k.endswith("|app_doc_b"))
    figures[revised_key] = {**figures[revised_key], "value": 30, "qualifier": "about"}
    figures["gone_indicator|2019|app_doc_a"] = {
        "indicator": "gone_indicator", "period": "2019", "source": "app_doc_a", "value": 5,
        "qualifier": "exact", "unit": "亿元", "name": {"zh": "已撤下", "en": "Withdrawn one"},
        "document": "沪科提复〔2024〕1号", "date": "2024-05-20", "fp": "x",
    }  # fmt: skip
    table = changed_figures(app_cat, words(), new, old, {"lang": "en"})
    assert table["status"].tolist() == ["revised", "added", "removed"]
    # app_doc_b (2025-01-10) before app_doc_a (2024-05-20): newest document first.
    assert table["date"].tolist() == ["2025-01-10", "2024-05-20", "2024-05-20"]
    revised_row, added_row, removed_row = table.to_dict("records")
    assert (revised_row["before"], revised_row["shown"]) == ("≈ 3 bn yuan", "≈ 4.706 bn yuan")
    assert revised_row["shown"] != revised_row["before"]
    assert added_row["shown"] == "> 30 bn yuan" and added_row["before"] == ""
    assert added_row["chart"] == "trends?lang=en&indicator=contracts_value"
    assert removed_row["name"] == "Withdrawn one" and removed_row["shown"] == ""
    assert removed_row["document"] == "沪科提复〔2024〕1号"
    # Only a quote corrected: a change for `publish`, not news for a reader.
    quoted = copy.deepcopy(new)
    key = next(iter(quoted["figures"]))
    quoted["figures"][key] = {**quoted["figures"][key], "fp": "other"}
    assert diff(quoted, new).changed["figures"] == (key,)
    assert changed_figures(app_cat, words(), new, quoted, {}).empty


def test_the_finder_has_the_documents_date_and_sorts_newest_first(app_cat) -> None:
    table = finder_table(app_cat, words(), {"lang": "en"})
    by_source = {s.id: s.as_of.isoformat() for s in app_cat.sources}
    assert (table["date"] == table["source"].map(by_source)).all()
    ordered = newest_first(table)["date"].tolist()
    assert ordered == sorted(ordered, reverse=True) and ordered[0] == "2025-01-10"


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The hostile-suite base catalogue, published, then its 2020 contract value changed and
    one indicator dropped in the working file."""
    data_io.forget_published()
    catalogue = write_base(tmp_path)
    monkeypatch.setenv(data_io.ENV_CATALOGUE, str(catalogue))
    assert publish.publish(catalogue, who=WHO).status == "published"
    write_changed_value(tmp_path)
    data = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    data["indicators"] = [i for i in data["indicators"] if i["id"] != "ste_bank_institutions"]
    for event in data["events"]:
        event["indicators"] = [i for i in event["indicators"] if i != "ste_bank_institutions"]
    catalogue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    yield catalogue
    data_io.forget_published()


def changes_page(lang: str = "en") -> tuple[AppTest, pd.DataFrame | None]:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("app_pages/changes.py").run()
    assert not at.exception, [e.value for e in at.exception]
    frames = [d.value for d in at.dataframe]
    return at, (frames[0] if frames else None)


def test_authoring_shows_what_publishing_the_working_file_would_change(base: Path) -> None:
    at, frame = changes_page()
    assert any("compares the working file" in c.value for c in at.caption)
    assert at.selectbox(key="w_changes_since").value.name == "v000001"
    assert frame is not None
    assert frame["Change"].tolist() == ["revised", "withdrawn"]
    revised = frame.iloc[0]
    # English amounts in billions with the source's digits (docs/charts.md).
    assert revised["Before"] == "12.997 bn yuan"
    assert revised["Shown as"] == "13.131 bn yuan"
    assert (revised["Source"], revised["Document date"]) == ("沪科提复〔2023〕48号", "2023-05-16")
    assert "added: 0 · revised: 1 · withdrawn: 1" in [c.value for c in at.caption]


def test_public_lists_what_the_latest_vintage_changed(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert publish.publish(base, who=WHO, allow_removals=True).status == "published"
    monkeypatch.setenv("SHSTS_MODE", "public")
    at, frame = changes_page("zh")
    assert any("v000002" in c.value for c in at.caption)
    assert at.selectbox(key="w_changes_since").value.name == "v000001"  # the previous one
    assert frame is not None
    assert frame["变动"].tolist() == ["修订", "撤下"]
    assert (frame.iloc[0]["此前数值"], frame.iloc[0]["显示值"]) == ("129.97 亿元", "131.31 亿元")
    assert frame.iloc[0]["文件日期"] == "2023-05-16"


def test_public_with_a_single_vintage_has_nothing_earlier(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHSTS_MODE", "public")
    at, frame = changes_page()
    assert frame is None
    assert [i.value for i in at.info] == ["There is no earlier published version to compare with."]
