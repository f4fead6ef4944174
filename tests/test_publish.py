"""`python -m dashboard publish`: what a vintage holds, what changed, refusals with nothing
written (invalid, removals, another publish running), a crash between the vintage and the
pointer, and the audit line."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from dashboard.catalogue import audit, publish, vintages
from dashboard.catalogue.publish import PublishBusy, PublishRefused
from tests.browser.catalogues import CHANGED_VALUE, write_base, write_changed_value
from tests.cli_runner import run_dashboard
from tests.conftest import write_catalogue
from tests.vintage_helpers import cut_short, real_copy

WHO = audit.Who("tester", "os-user")


def pub(*args: str, cwd: Path):
    """`python -m dashboard publish [ARGS] indicators.yaml` in `cwd`."""
    return run_dashboard("publish", *args, "indicators.yaml", cwd=cwd)


def state(published: Path) -> dict[str, bytes]:
    """Every file under `published` (the lock file aside) and its bytes."""
    return {
        str(p.relative_to(published)): p.read_bytes()
        for p in sorted(published.rglob("*"))
        if p.is_file() and p.name != publish.LOCK_FILE
    }


def test_a_first_publish_writes_a_complete_vintage_and_the_pointer(tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path)
    proc = pub(cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "the first vintage in published:" in proc.stdout
    assert "published v000001 (published/v000001)" in proc.stdout
    published = tmp_path / "published"
    assert (published / "current").read_text() == "v000001\n"
    folder = published / "v000001"
    # The catalogue byte for byte, and every data file it was validated with.
    assert (folder / "indicators.yaml").read_bytes() == catalogue.read_bytes()
    for data_file in (tmp_path / "data").rglob("*"):
        if data_file.is_file():
            copy = folder / data_file.relative_to(tmp_path)
            assert copy.read_bytes() == data_file.read_bytes(), copy
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["vintage"] == "v000001" and manifest["previous"] is None
    assert manifest["analyst"] and manifest["login"] == "os-user"
    assert manifest["published_at"].endswith("Z")
    counts = manifest["changes"]["counts"]
    assert manifest["counts"]["figures"] == counts["figures"]["added"] > 0
    assert manifest["counts"]["indicators"] == counts["indicators"]["added"] > 0
    assert manifest["changes"]["first"] is True
    assert "data/units.yaml" in manifest["files"]
    assert manifest["catalogue"]["sha256"] == manifest["files"]["indicators.yaml"]
    (entry,) = audit.read(tmp_path / "audit.jsonl")
    assert entry["action"] == "publish" and entry["vintage"] == "v000001"
    assert entry["user"] == manifest["analyst"] and entry["login"] == "os-user"
    assert entry["sha256"] == manifest["catalogue"]["sha256"]
    # The same file again: nothing changed, nothing written.
    before = state(published)
    again = pub(cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "nothing changed since v000001: nothing published" in again.stdout
    assert state(published) == before
    assert len(audit.read(tmp_path / "audit.jsonl")) == 1


def test_an_invalid_catalogue_is_reported_and_nothing_is_published(tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path)
    assert pub(cwd=tmp_path).returncode == 0
    published = tmp_path / "published"
    before = state(published)
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("value: 11483", "value: 11484", 1), encoding="utf-8")
    assert catalogue.read_text(encoding="utf-8") != text
    proc = pub(cwd=tmp_path)
    assert proc.returncode == 1
    # The validator's report, located, then why nothing was published.
    assert "indicators.yaml:" in proc.stdout and "[value-not-in-quote]" in proc.stdout
    assert "indicators.yaml: not published: it does not validate (2 problems)" in proc.stderr
    assert state(published) == before
    assert not [p for p in published.iterdir() if p.name.startswith(".tmp-")]
    assert len(audit.read(tmp_path / "audit.jsonl")) == 1


def test_a_truncated_file_is_refused_naming_what_would_go(tmp_path: Path) -> None:
    catalogue = real_copy(tmp_path)
    assert pub(cwd=tmp_path).returncode == 0
    published = tmp_path / "published"
    before = state(published)
    cut_short(catalogue)
    checked = run_dashboard("check", "indicators.yaml", cwd=tmp_path)
    assert checked.returncode == 0 and "OK" in checked.stdout  # it validates: check cannot tell
    proc = pub(cwd=tmp_path)
    assert proc.returncode == 1
    err = proc.stderr
    assert "indicators.yaml: not published: it would remove what viewers see now (v000001):" in err
    assert "  topics removed (10): eastern_center, exchange, finance" in err
    assert "  events removed (31): " in err
    assert "  indicators removed (" in err and "  figures removed (" in err
    assert "a file cut short" in err and "--allow-removals" in err
    assert state(published) == before
    # Asked for explicitly, the removals are published (and say so).
    allowed = pub("--allow-removals", cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert "topics: 0 added, 0 changed, 10 removed" in allowed.stdout
    assert (published / "current").read_text() == "v000002\n"
    manifest = vintages.Vintage("v000002", published / "v000002").manifest()
    assert manifest["allow_removals"] is True and manifest["previous"] == "v000001"
    assert manifest["changes"]["counts"]["events"]["removed"] == 31
    assert (published / "v000001" / "indicators.yaml").read_bytes() != catalogue.read_bytes()


def test_a_revised_figure_is_named_with_its_old_and_new_value(tmp_path: Path) -> None:
    write_base(tmp_path)
    assert pub(cwd=tmp_path).returncode == 0
    write_changed_value(tmp_path)
    proc = pub(cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "compared with v000001:" in proc.stdout
    assert "sources: 0 added, 1 changed (mini_reply), 0 removed" in proc.stdout
    assert (
        "figure revised: research_units_tech_contracts_value|2020|mini_reply: "
        f"129.97 亿元 (exact) → {CHANGED_VALUE} 亿元 (exact)"
    ) in proc.stdout
    assert "published v000002" in proc.stdout


def test_a_crash_between_the_vintage_and_the_pointer_leaves_the_old_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_base(tmp_path)
    catalogue = tmp_path / "indicators.yaml"
    published = tmp_path / "published"
    first = publish.publish(catalogue, published, who=WHO)
    assert first.status == "published"
    write_changed_value(tmp_path)

    def crash(folder: Path, name: str) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(publish, "_move_pointer", crash)
    with pytest.raises(OSError, match="power cut"):
        publish.publish(catalogue, published, who=WHO)
    # The new vintage is complete on disk; `current` still names the old one, which is whole.
    assert (published / "v000002" / "manifest.json").is_file()
    served = vintages.current(published)
    assert served is not None and served.name == "v000001"
    assert (served.catalogue).read_bytes() != catalogue.read_bytes()
    assert [a["vintage"] for a in audit.read(tmp_path / "audit.jsonl")] == ["v000001"]
    # The next publish compares with the current vintage and takes the next number.
    monkeypatch.undo()
    again = publish.publish(catalogue, published, who=WHO)
    assert again.status == "published" and again.vintage is not None
    assert (again.vintage.name, again.previous.name) == ("v000003", "v000001")
    assert vintages.current(published).name == "v000003"


def test_a_second_publish_while_one_runs_says_so_and_writes_nothing(tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path)
    published = tmp_path / "published"
    published.mkdir()
    with publish.publish_lock(published):
        proc = pub(cwd=tmp_path)
    assert proc.returncode == 1
    assert "another publish is running (pid " in proc.stderr
    assert "nothing was written" in proc.stderr
    assert state(published) == {}
    assert publish.publish(catalogue, published, who=WHO).status == "published"


def test_two_publishes_at_once_one_wins_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = write_catalogue(tmp_path)
    published = tmp_path / "published"
    real = publish.validate_path
    inside = threading.Event()

    def slow(*args, **kwargs):  # the first publish holds the lock while it validates
        inside.set()
        time.sleep(1.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(publish, "validate_path", slow)
    results: dict[str, object] = {}

    def first() -> None:
        results["first"] = publish.publish(catalogue, published, who=WHO)

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(30)
    with pytest.raises(PublishBusy, match="another publish is running"):
        publish.publish(catalogue, published, who=WHO)
    thread.join(60)
    assert results["first"].status == "published"
    assert [v.name for v in vintages.vintages(published)] == ["v000001"]
    assert vintages.current(published).name == "v000001"
    assert not [p for p in published.iterdir() if p.name.startswith(".")
                and p.name != publish.LOCK_FILE]  # fmt: skip


def test_an_unreadable_pointer_refuses_unless_removals_are_allowed(tmp_path: Path) -> None:
    write_catalogue(tmp_path)
    published = tmp_path / "published"
    published.mkdir()
    (published / "current").write_text("../../etc\n")
    proc = pub(cwd=tmp_path)
    assert proc.returncode == 1
    assert "holds '../../etc', not a vintage name" in proc.stderr
    assert not vintages.vintages(published)
    forced = pub("--allow-removals", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (published / "current").read_text() == "v000001\n"


def test_if_none_publishes_only_a_first_vintage(tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path)
    first = pub("--if-none", cwd=tmp_path)
    assert first.returncode == 0 and "published v000001" in first.stdout
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text + "\n# edited\n", encoding="utf-8")
    second = pub("--if-none", cwd=tmp_path)
    assert second.returncode == 0
    assert "a vintage exists already (current: v000001); nothing published" in second.stdout
    assert [v.name for v in vintages.vintages(tmp_path / "published")] == ["v000001"]


def test_an_unwritable_audit_log_refuses_the_publish(tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path)
    (tmp_path / "audit.jsonl").mkdir()  # a folder where the log should be: cannot be opened
    with pytest.raises(PublishRefused, match="the audit log cannot be written"):
        publish.publish(catalogue, tmp_path / "published", who=WHO)
    assert not (tmp_path / "published" / "current").exists()
