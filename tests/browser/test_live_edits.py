"""Live edits while the server runs: invalid file -> banner + last valid data; valid -> shown."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from dashboard.catalogue.yaml_source import DEFAULT_MAX_BYTES, ENV_MAX_BYTES
from tests.browser.catalogues import (
    CHANGED_VALUE,
    SOURCE_REL,
    changed_value_bytes,
    write_base,
)
from tests.browser.harness import (
    FIGURE,
    REPO_ROOT,
    StreamlitServer,
    assert_no_exception,
    body_text,
    open_view,
    screenshot,
    start_server,
)

VIEW = "trends?indicator=research_units_tech_contracts_value&lang=en&from=2019&to=2025"
OLD_QUOTE = "合同额 129.97 亿元"
NEW_QUOTE = f"合同额 {CHANGED_VALUE} 亿元"


def _label(key: str, lang: str = "en") -> str:
    """The fixed text of a banner label up to its first slot (labels live in i18n.yaml)."""
    labels = yaml.safe_load((REPO_ROOT / "data" / "i18n.yaml").read_text(encoding="utf-8"))
    template = labels["ui"]["catalogue"][key][lang]
    return template.split("{", 1)[0].strip()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StreamlitServer, Path]]:
    catalogue = write_base(tmp_path_factory.mktemp("live"))
    srv = start_server("live-edits", catalogue)
    yield srv, catalogue
    srv.stop()


def _load(page: object, srv: StreamlitServer) -> str:
    open_view(page, f"{srv.url}/{VIEW}")
    page.wait_for_selector(FIGURE, state="visible")
    assert_no_exception(page)
    return body_text(page)


def _replace(path: Path, data: bytes) -> None:
    """Overwrite in place, as an editor's plain save does, and make the mtime move."""
    before = path.stat().st_mtime_ns
    path.write_bytes(data)
    if path.stat().st_mtime_ns == before:
        time.sleep(0.01)
        path.write_bytes(data)


def test_invalid_then_changed_then_half_written(live, page, tmp_path: Path) -> None:
    srv, catalogue = live
    pid = srv.proc.pid
    stale = _label("stale")
    original = catalogue.read_bytes()

    text = _load(page, srv)
    assert OLD_QUOTE in text and stale not in text

    # 1. An invalid save: the banner names the problem; the last valid figures stay.
    broken = original.replace(b"value: 129.97", b"value: 129.97: oops", 1)
    assert broken != original
    _replace(catalogue, broken)
    text = _load(page, srv)
    assert stale in text, text[:2000]
    assert re.search(r"indicators\.yaml:\d+:\d+: ", text), "the banner does not locate it"
    assert OLD_QUOTE in text, "the last valid catalogue is no longer served"
    screenshot(page, "live-invalid-banner-en")

    # 2. A valid save with a changed figure (source text, hash, value and quote): shown
    # on the next view without a restart.
    new_catalogue, new_source = changed_value_bytes(tmp_path)
    _replace(catalogue.parent / SOURCE_REL, new_source)
    _replace(catalogue, new_catalogue)
    text = _load(page, srv)
    assert NEW_QUOTE in text, text[:2000]
    assert stale not in text
    assert srv.proc.pid == pid and srv.proc.poll() is None
    screenshot(page, "live-changed-en")

    # 3. The same file written in slow chunks while pages load: every load works, shows a
    # chart, and never a traceback; the end state is the complete file.
    stop = threading.Event()
    errors: list[BaseException] = []

    def slow_writer() -> None:
        # Passes enough for several page loads on a loaded machine; stopped after them.
        try:
            for _ in range(12):
                with catalogue.open("wb") as handle:
                    for start in range(0, len(new_catalogue), 400):
                        handle.write(new_catalogue[start : start + 400])
                        handle.flush()
                        time.sleep(0.12)
                        if stop.is_set():
                            return
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    writer = threading.Thread(target=slow_writer, daemon=True)
    writer.start()
    loads = 0
    while writer.is_alive() and loads < 4:
        text = _load(page, srv)
        assert NEW_QUOTE in text, "a half-written file replaced the last valid data"
        loads += 1
    stop.set()
    writer.join(timeout=30)
    assert not errors, errors
    assert loads >= 2, "the writer finished before the pages could be loaded"
    catalogue.write_bytes(new_catalogue)
    text = _load(page, srv)
    assert NEW_QUOTE in text and stale not in text
    screenshot(page, "live-after-slow-write-en")


def _alias_bomb(valid: bytes) -> bytes:
    bomb = ['x: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, prev in zip("bcdefghi", "abcdefgh", strict=True):
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return valid + ("\nbomb:\n" + "\n".join("  " + b for b in bomb) + "\n").encode()


# Hostile saves of the served file: each must give the banner, keep the last valid figures
# and answer quickly (the parse of a bad file must not stall every viewer).
BAD_SAVES = {
    "deleted": None,
    # Valid YAML, wrong figure: the validator, not the parser, rejects it.
    "value_not_in_quote": lambda valid: valid.replace(b"value: 12\n", b"value: 13\n", 1),
    "empty": lambda valid: b"",
    "binary": lambda valid: bytes(range(256)) * 64,
    "alias_bomb": _alias_bomb,
    "deep_nesting": lambda valid: valid + b"\nx: " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
    # One byte over the size limit (256 MiB by default), written sparse: refused unread.
    "over_size_limit": "sparse",
    "python_tag": lambda valid: valid + b"\nx: !!python/object/apply:os.system [touch PWNED]\n",
}


@pytest.mark.parametrize("kind", list(BAD_SAVES))
def test_hostile_save_keeps_serving_the_last_valid_catalogue(live, page, kind: str) -> None:
    srv, catalogue = live
    valid = catalogue.read_bytes()
    _load(page, srv)  # the current valid file is the one remembered
    try:
        make = BAD_SAVES[kind]
        if make is None:
            catalogue.unlink()
        elif make == "sparse":
            with catalogue.open("r+b") as fh:
                fh.truncate(DEFAULT_MAX_BYTES + 1)
        else:
            bad = make(valid)
            assert bad != valid
            _replace(catalogue, bad)
        start = time.monotonic()
        text = _load(page, srv)
        elapsed = time.monotonic() - start
        assert _label("stale") in text, text[:1500]
        if make == "sparse":  # the banner names the setting that raises the limit
            assert ENV_MAX_BYTES in text, text[:1500]
        assert NEW_QUOTE in text or OLD_QUOTE in text, "the last valid figures are gone"
        assert elapsed < 15, f"a bad save made the page take {elapsed:.1f} s"
        assert not (catalogue.parent / "PWNED").exists() and not (REPO_ROOT / "PWNED").exists()
        screenshot(page, f"live-bad-save-{kind}", full=False)
    finally:
        catalogue.write_bytes(valid)
    text = _load(page, srv)
    assert _label("stale") not in text, "the banner stays after the file is fixed"


def test_source_text_edited_while_running_is_noticed(live, page) -> None:
    """A source document changed under a running server: its hash no longer matches, so the
    catalogue must be reported invalid on the next view (the last valid data stays)."""
    srv, catalogue = live
    source = catalogue.parent / SOURCE_REL
    original = source.read_bytes()
    try:
        _replace(source, original + "\n（事后追加的一句。）\n".encode())
        text = _load(page, srv)
        assert _label("stale") in text, "a changed source text went unnoticed:\n" + text[:1500]
        assert "hash-mismatch" in text or "SHA-256" in text
    finally:
        _replace(source, original)


@pytest.fixture(scope="module")
def missing_source(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[StreamlitServer, Path]]:
    catalogue = write_base(tmp_path_factory.mktemp("missing-source"))
    (catalogue.parent / SOURCE_REL).unlink()
    srv = start_server("missing-source", catalogue)
    yield srv, catalogue
    srv.stop()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_missing_source_file_at_startup_is_named(missing_source, page, lang: str) -> None:
    srv, _ = missing_source
    open_view(page, f"{srv.url}/?lang={lang}")
    assert_no_exception(page)
    text = body_text(page)
    assert _label("unavailable", lang) in text, text[:1500]
    assert "mini_reply.txt" in text, "the message does not name the missing file"
    screenshot(page, f"missing-source-{lang}")


def test_unreadable_source_file_is_named(missing_source, page) -> None:
    """A source that is not UTF-8 (with a matching hash): the message names the file."""
    srv, catalogue = missing_source
    source = catalogue.parent / SOURCE_REL
    garbage = b"\xff\xfe\x00binary\x80\x81"
    source.write_bytes(garbage)
    digest = hashlib.sha256(garbage).hexdigest()
    text = catalogue.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if "sha256:" in line).split(":", 1)[1].strip()
    _replace(catalogue, text.replace(old, digest).encode("utf-8"))
    try:
        open_view(page, f"{srv.url}/?lang=en")
        assert_no_exception(page)
        body = body_text(page)
        assert "mini_reply.txt" in body, (
            "the message does not name the unreadable file:\n" + (body[:1500])
        )
    finally:
        source.unlink()
