"""Public and authoring instances (AppTest): what a public instance serves (the published
vintage, never the working file), what survives a cache clear or a restart, what it says when
there is nothing to serve; authoring's loopback rule and who its writes are logged under."""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from streamlit import config
from streamlit.testing.v1 import AppTest

from dashboard.app import data_io
from dashboard.catalogue import audit, publish, vintages
from tests.conftest import serve_app_catalogue
from tests.test_app_review import open_review

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
WHO = audit.Who("tester", "os-user")

pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def fresh_process() -> Iterator[None]:
    """The vintage a public process holds lives outside st.cache_*: forget it around each test."""
    data_io.forget_published()
    yield
    data_io.forget_published()


@pytest.fixture
def public(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_process: None) -> Path:
    """The app fixture catalogue, published once, served by a public instance."""
    catalogue = serve_app_catalogue(tmp_path, monkeypatch)
    assert publish.publish(catalogue, who=WHO).status == "published"
    monkeypatch.setenv("SHSTS_MODE", "public")
    return catalogue


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """What the public instance logs (its logger does not propagate: it writes the replica's
    log itself)."""
    logger = logging.getLogger("dashboard.published")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="dashboard.published")
    yield caplog
    logger.removeHandler(caplog.handler)


def run(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def status(at: AppTest) -> str:
    """The sidebar's count of indicators, figures and documents (what is served)."""
    return next(c.value for c in at.caption if " indicators · " in c.value)


def indicator_count(catalogue: Path) -> int:
    return len(yaml.safe_load(catalogue.read_text(encoding="utf-8"))["indicators"])


def drop_last_indicator(catalogue: Path) -> None:
    data = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    gone = data["indicators"].pop()["id"]
    for topic in data.get("topics") or []:
        topic["headline"] = [i for i in topic.get("headline", []) if i != gone]
        for group in topic.get("groups", []):
            group["indicators"] = [i for i in group["indicators"] if i != gone]
    for event in data.get("events") or []:
        event["indicators"] = [i for i in event.get("indicators", []) if i != gone]
    catalogue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def test_a_public_instance_registers_no_page_that_writes(public: Path) -> None:
    at = run(lang="en")
    pages = at.session_state["_view_context"].pages
    assert "review" not in pages and "changes" in pages
    labels = [link.proto.label for link in at.page_link]
    assert "Review drafts" not in labels and "What changed" in labels
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/review.py")


def test_a_public_instance_serves_the_vintage_never_the_working_file(public: Path) -> None:
    served = status(run(lang="en"))
    assert served.startswith(f"{indicator_count(public)} indicators")
    # The working file cut short, then broken: viewers see the vintage, with no banner.
    drop_last_indicator(public)
    at = run(lang="en")
    assert status(at) == served and not at.error
    public.write_text("indicators: [", encoding="utf-8")
    at = run(lang="en")
    assert status(at) == served and not at.error
    assert at.session_state["_view_context"].loaded.vintage.name == "v000001"


def test_a_new_vintage_shows_on_the_next_page_view(public: Path) -> None:
    before = status(run(lang="en"))
    drop_last_indicator(public)
    outcome = publish.publish(public, who=WHO, allow_removals=True)
    assert outcome.status == "published"
    after = status(run(lang="en"))
    assert after != before
    assert after.startswith(f"{indicator_count(public)} indicators")


def test_a_cache_clear_or_a_restart_serves_current_from_disk(
    public: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = status(run(lang="en"))
    public.write_text("indicators: [", encoding="utf-8")  # the working file is broken meanwhile
    # What a websocket `clear_cache` does: st.cache_data and st.cache_resource emptied.
    data_io.clear_caches()
    assert status(run(lang="en")) == served
    # A restarted replica: nothing in memory at all.
    data_io.forget_published()
    data_io.clear_caches()
    at = run(lang="en")
    assert status(at) == served and not at.error


def test_a_vintage_folder_that_goes_missing_keeps_the_held_one_and_logs_why(
    public: Path, log: pytest.LogCaptureFixture
) -> None:
    served = status(run(lang="en"))
    drop_last_indicator(public)
    outcome = publish.publish(public, who=WHO, allow_removals=True)
    assert outcome.vintage is not None
    shutil.rmtree(outcome.vintage.folder)
    at = run(lang="en")
    assert status(at) == served and not at.error
    assert any(
        "the current vintage is missing or incomplete" in m and "still serving v000001" in m
        for m in log.messages
    ), log.messages


def test_a_damaged_vintage_is_not_served(public: Path, log: pytest.LogCaptureFixture) -> None:
    current = vintages.current(public.parent / "published")
    assert current is not None
    with current.catalogue.open("ab") as handle:  # bytes its manifest does not record
        handle.write(b"\n# tampered\n")
    at = run(lang="en")
    assert not [c for c in at.caption if " indicators · " in c.value]
    assert [e.value for e in at.error] == [
        "The published catalogue cannot be read at the moment. The details are in the "
        "server's log; please try again later."
    ]
    assert any("does not match the sha256 its manifest records" in m for m in log.messages)


def test_a_first_start_without_a_vintage_says_how_to_publish(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_process: None,
    log: pytest.LogCaptureFixture,
) -> None:
    serve_app_catalogue(tmp_path, monkeypatch)
    monkeypatch.setenv("SHSTS_MODE", "public")
    at = run(lang="en")
    (info,) = [i.value for i in at.info]
    assert "Nothing has been published yet" in info and "`python -m dashboard publish`" in info
    assert not at.error
    assert any(
        "publish the catalogue with `python -m dashboard publish`" in m for m in log.messages
    )


def test_an_unknown_mode_is_public(public: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHSTS_MODE", "Authoring-please")
    at = run()
    assert "review" not in at.session_state["_view_context"].pages


@pytest.fixture
def address() -> Iterator[None]:
    yield
    config.set_option("server.address", "127.0.0.1")


def test_authoring_beyond_loopback_without_a_login_serves_nothing(
    app_catalogue: Path, monkeypatch: pytest.MonkeyPatch, address: None
) -> None:
    config.set_option("server.address", "0.0.0.0")
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    (error,) = [e.value for e in at.error]
    assert error.startswith("Authoring is served on the loopback address (127.0.0.1) only")
    assert not at.page_link and not at.title
    # Behind a login proxy that names the user, it serves.
    monkeypatch.setenv("SHSTS_LOGIN_HEADER", "X-Remote-User")
    at = run(lang="en")
    assert "review" in at.session_state["_view_context"].pages


@pytest.fixture
def uncited(app_catalogue: Path) -> Path:
    """The served fixture catalogue without its 2023 contract value, the one figure left to
    draft on the review page (as tests/test_app_review.py prepares it)."""
    data = yaml.safe_load(app_catalogue.read_text(encoding="utf-8"))
    value = next(i for i in data["indicators"] if i["id"] == "contracts_value")
    value["observations"] = [o for o in value["observations"] if str(o["period"]) != "2023"]
    app_catalogue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return app_catalogue


def _tick_and_check(at: AppTest) -> AppTest:
    """Tick the draft of 超 300 亿元 (the figure `uncited` removed) under its indicator,
    then check."""
    # No source is preselected (the newest comes first in the list): pick the fixture's.
    at.selectbox(key="w_review_source").set_value("app_doc_a").run()
    editor_key = next(k for k in at.session_state if str(k).startswith("w_review_table_"))
    rows_key = next(k for k in at.session_state if str(k).startswith("_review_rows_"))
    row = next(i for i, r in enumerate(at.session_state[rows_key]) if r.get("value") == 300)
    kept = {"keep": True, "indicator": "contracts_value"}
    at.session_state[editor_key] = {"edited_rows": {row: kept}, "added_rows": [],
                                    "deleted_rows": []}  # fmt: skip
    at.run()
    at.button(key="w_review_check").click().run()
    assert any(s.value.endswith("indicators.yaml validates.") for s in at.success)
    return at


def test_a_review_write_is_logged_with_the_os_user_and_the_figures(uncited: Path) -> None:
    at = _tick_and_check(open_review(lang="en", source="app_doc_a"))
    before = uncited.read_bytes()
    at.button(key="w_review_apply").click().run()
    assert "(figures: 1)." in " ".join(s.value for s in at.success)
    (entry,) = audit.read(uncited.parent / "audit.jsonl")
    assert (entry["action"], entry["via"], entry["login"]) == (
        "review-write",
        "review page",
        "os-user",
    )
    assert entry["user"] == audit.os_user().user
    assert entry["source"] == "app_doc_a"
    assert entry["figures"] == [
        {"indicator": "contracts_value", "period": "2023", "value": 300, "unit": "亿元",
         "qualifier": "more_than"}
    ]  # fmt: skip
    assert entry["sha256_after"] == hashlib.sha256(uncited.read_bytes()).hexdigest()
    assert entry["sha256_before"] == hashlib.sha256(before).hexdigest()


def test_behind_a_login_a_request_without_its_header_writes_nothing(
    uncited: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHSTS_LOGIN_HEADER", "X-Remote-User")
    # AppTest sends no headers at all: as a request that bypassed the login.
    at = _tick_and_check(open_review(lang="en", source="app_doc_a"))
    before = uncited.read_bytes()
    at.button(key="w_review_apply").click().run()
    assert [e.value for e in at.error] == [
        "This request did not come through the login, so who writes is unknown: "
        "writing is not possible."
    ]
    assert uncited.read_bytes() == before
    assert audit.read(uncited.parent / "audit.jsonl") == []


def test_a_review_write_that_cannot_be_logged_is_not_made(uncited: Path) -> None:
    (uncited.parent / "audit.jsonl").mkdir()
    at = _tick_and_check(open_review(lang="en", source="app_doc_a"))
    before = uncited.read_bytes()
    at.button(key="w_review_apply").click().run()
    assert any("the audit log cannot be written" in e.value for e in at.error)
    assert uncited.read_bytes() == before


def test_the_review_page_says_whom_the_audit_log_will_name(
    uncited: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_review(lang="en", source="app_doc_a")
    assert (
        f"Writes to the catalogue are logged in the audit log as {audit.os_user().user} "
        "(this computer's user)."
    ) in [c.value for c in at.caption]
    monkeypatch.setenv("SHSTS_LOGIN_HEADER", "X-Remote-User")
    at = open_review(lang="en", source="app_doc_a")
    assert any("did not come through the login" in w.value for w in at.warning)
