"""add-source as an analyst runs it: the entry it proposes, the byte-exact copy, the catalogue
edited in place (comments and all), and each refusal naming the file and the reason with
nothing written."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dashboard.catalogue.authoring import add_source, safe_write
from dashboard.catalogue.authoring.safe_write import WriteRefused
from dashboard.catalogue.validate import validate_path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NEW = FIXTURES / "authoring" / "new_reply.txt"
SETS = [
    "--id", "demo_2026_3",
    "--set", "title.en=Reply to demo proposal No. 0001",
    "--set", "short.en=Demo reply No. 3 (2026)",
    "--set", "addressee.en=Demo member",
]  # fmt: skip


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m dashboard add-source …` on the project's own catalogue (cwd)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", *args, "--catalogue", "indicators.yaml"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The small valid catalogue with its data folder, and the new text in inbox/."""
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    shutil.copy(FIXTURES / "catalogue_valid.yaml", tmp_path / "indicators.yaml")
    (tmp_path / "inbox").mkdir()
    shutil.copy(NEW, tmp_path / "inbox" / "reply.txt")
    return tmp_path


def state(project: Path) -> tuple[bytes, list[str]]:
    """What a refusal must leave alone: the catalogue's bytes and every file under data/."""
    files = sorted(str(p.relative_to(project)) for p in (project / "data").rglob("*"))
    return (project / "indicators.yaml").read_bytes(), files


def test_dry_run_proposes_the_entry_and_changes_nothing(project: Path) -> None:
    before = state(project)
    proc = run("add-source", "inbox/reply.txt", "--dry-run", cwd=project)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "#   reference     stated (“示例科提复〔2026〕3号”, line 4)" in out
    assert "#   signed        stated (“2026 年 1 月 5 日”, line 16)" in out
    assert "#   published     unstated: no 发布日期 line" in out
    assert "#   title.zh      stated (“对示例会议 第0001号提案的答复”, line 6)" in out
    assert "#   issuer.en     from-catalogue: the English of the same name in `demo_reply`" in out
    assert "#   short.en      from-catalogue: the pattern of `demo_reply`'s short label" in out
    assert "# missing (not in the text, not in the catalogue): id, title.en, addressee.en" in out
    entry = yaml.safe_load(out)[0]
    assert entry["title"] == {"zh": "对示例会议第0001号提案的答复", "en": None}
    assert entry["issuer"] == {"zh": "示例市科学技术委员会", "en": "Demo S&T Commission"}
    assert entry["addressee"]["zh"] == "示例委员"
    assert entry["kind"] == "proposal_reply"
    assert entry["signed"] == {
        "status": "stated",
        "date": "2026-01-05",
        "quote": "2026 年 1 月 5 日",
    }
    assert entry["published"] == {"status": "unstated"}
    assert entry["sha256"] == hashlib.sha256(NEW.read_bytes()).hexdigest()
    assert state(project) == before


def test_add_source_copies_byte_for_byte_and_inserts_a_valid_entry(project: Path) -> None:
    before = (project / "indicators.yaml").read_text(encoding="utf-8")
    proc = run("add-source", "inbox/reply.txt", *SETS, cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    copied = project / "data" / "sources" / "2026-01-05_demo-2026-3.txt"
    assert copied.read_bytes() == NEW.read_bytes()
    after = (project / "indicators.yaml").read_text(encoding="utf-8")
    # Only lines were added: every line of the old file is there, in order, unchanged.
    added = after.splitlines()
    old = before.splitlines()
    kept = iter(added)
    assert all(any(line == new for new in kept) for line in old)
    assert len(added) - len(old) == 15
    result = validate_path(project / "indicators.yaml")
    assert result.ok, [str(p) for p in result.problems]
    source = result.catalogue.sources_by_id["demo_2026_3"]
    assert source.file == "data/sources/2026-01-05_demo-2026-3.txt"
    assert source.short.en == "Demo reply No. 3 (2026)"
    assert "added source `demo_2026_3`" in proc.stderr


def test_the_real_catalogue_keeps_every_comment_and_byte(tmp_path: Path) -> None:
    shutil.copytree(REPO / "data", tmp_path / "data")
    shutil.copy(REPO / "indicators.yaml", tmp_path / "indicators.yaml")
    shutil.copy(NEW, tmp_path / "data" / "sources" / "new.txt")
    before = (tmp_path / "indicators.yaml").read_text(encoding="utf-8")
    plan = add_source.plan(tmp_path / "indicators.yaml", str(tmp_path / "data/sources/new.txt"),
                           "demo_2026_3", ["title.en=T", "issuer.en=I", "short.en=S",
                                           "addressee.en=A"])  # fmt: skip
    assert not plan.copy  # already under data/sources: registered where it is
    add_source.apply(plan)
    after = (tmp_path / "indicators.yaml").read_text(encoding="utf-8")
    block = add_source.items_text([plan.entry], 2)
    assert after.replace("\n" + block, "", 1) == before
    assert after.index(block) < after.index("# Indicators")


@pytest.mark.parametrize(
    ("make", "arg", "reason"),
    [
        (lambda p: (p / "inbox/bin.txt").write_bytes(b"\x00\x01PK\x03\x04" * 50),
         "inbox/bin.txt", "not added: a binary file, not a text"),
        (lambda p: (p / "inbox/gbk.txt").write_bytes("上海市科学技术委员会".encode("gbk")),
         "inbox/gbk.txt", "not added: not UTF-8 text (byte 0xc9 at offset 0)"),
        (lambda p: (p / "inbox/empty.txt").write_bytes(b""),
         "inbox/empty.txt", "not added: the file is empty"),
        (lambda p: (p / "inbox/blank.txt").write_text(" \n\n", encoding="utf-8"),
         "inbox/blank.txt", "not added: the file holds only white space"),
        (lambda p: None, "inbox/../inbox/reply.txt", "not added: the path contains `..`"),
        (lambda p: None, "inbox/missing.txt", "not added: the file does not exist"),
        (lambda p: shutil.copy(p / "data/sources/demo_reply.txt", p / "inbox/dup.txt"),
         "inbox/dup.txt", "is already source `demo_reply` (data/sources/demo_reply.txt)"),
    ],
    ids=["binary", "not-utf8", "empty", "blank", "dotdot", "missing", "duplicate"],
)  # fmt: skip
def test_bad_input_is_refused_by_name_and_nothing_is_written(
    project: Path, make, arg: str, reason: str
) -> None:
    make(project)
    before = state(project)
    proc = run("add-source", arg, *SETS, cwd=project)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith(f"{arg}: ")
    assert reason in proc.stderr
    assert state(project) == before


def test_a_file_outside_the_project_is_refused(project: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "reply.txt"
    shutil.copy(NEW, outside)
    before = state(project)
    proc = run("add-source", str(outside), *SETS, cwd=project)
    assert proc.returncode == 1
    assert f"{outside}: not added: the file is outside the project" in proc.stderr
    assert state(project) == before


def test_missing_metadata_is_refused_with_what_to_give(project: Path) -> None:
    before = state(project)
    proc = run("add-source", "inbox/reply.txt", cwd=project)
    assert proc.returncode == 1
    assert (
        "inbox/reply.txt: not added: these fields are neither in the text nor in the "
        "catalogue: id, title.en, addressee.en; give them with --set"
    ) in proc.stderr
    assert state(project) == before


def test_a_result_that_would_not_validate_is_refused_and_the_copy_undone(project: Path) -> None:
    before = state(project)
    proc = run("add-source", "inbox/reply.txt", *SETS, "--set", "kind=memo", cwd=project)
    assert proc.returncode == 1
    assert "indicators.yaml: not written: the result would not validate (1 problem)" in proc.stderr
    assert "sources[1].kind" in proc.stdout and "[invalid-value]" in proc.stdout
    assert state(project) == before


def _plan(project: Path) -> add_source.Plan:
    sets = ["title.en=T", "short.en=S", "addressee.en=A"]
    return add_source.plan(project / "indicators.yaml", str(project / "inbox/reply.txt"),
                           "demo_2026_3", sets)  # fmt: skip


def test_a_catalogue_changed_on_disk_meanwhile_is_refused(project: Path) -> None:
    plan = _plan(project)
    catalogue = project / "indicators.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "# saved meanwhile\n", "utf-8")
    before = state(project)
    with pytest.raises(
        WriteRefused, match=r"indicators\.yaml: not written: the file changed on disk"
    ):
        add_source.apply(plan)
    assert state(project) == before  # the copied text was taken back


def test_a_text_changed_since_it_was_read_is_refused(project: Path) -> None:
    plan = _plan(project)
    (project / "inbox" / "reply.txt").write_text("edited meanwhile", encoding="utf-8")
    before = state(project)
    with pytest.raises(WriteRefused, match=r"reply\.txt: not added: the file changed since it was"):
        add_source.apply(plan)
    assert state(project) == before


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_an_interrupted_write_leaves_the_catalogue_intact(
    project: Path, monkeypatch: pytest.MonkeyPatch, failure: type[BaseException]
) -> None:
    """The rename is the only step that touches the catalogue: stop the writer there (an
    interrupt, a full disk) and the file is byte-identical, with no temporary left over."""
    plan = _plan(project)
    before = state(project)

    def interrupted(src: object, dst: object) -> None:
        raise failure("interrupted mid-write")

    monkeypatch.setattr(safe_write.os, "replace", interrupted)
    with pytest.raises(failure):
        add_source.apply(plan)
    assert state(project) == before
    assert sorted(p.name for p in project.iterdir()) == ["data", "inbox", "indicators.yaml"]


def test_a_write_cut_off_half_way_leaves_the_catalogue_intact(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file is cut off after half its bytes (a crash while writing): the
    catalogue on disk is untouched and the partial file is removed."""
    snapshot = safe_write.take_snapshot(project / "indicators.yaml")
    real_open = open
    written: list[bytes] = []

    class HalfWriter:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data: bytes) -> int:
            written.append(data[: len(data) // 2])
            self.handle.write(written[-1])
            raise OSError(28, "No space left on device")

    def half_open(path, mode="r", *args, **kwargs):
        handle = real_open(path, mode, *args, **kwargs)
        return HalfWriter(handle) if "x" in mode else handle

    monkeypatch.setattr("builtins.open", half_open)
    with pytest.raises(OSError, match="No space left"):
        safe_write.write_catalogue(snapshot, snapshot.text + "# more\n")
    monkeypatch.undo()
    assert written and (project / "indicators.yaml").read_bytes() == snapshot.data
    assert sorted(p.name for p in project.iterdir()) == ["data", "inbox", "indicators.yaml"]
