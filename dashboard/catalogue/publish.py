"""`publish`: validate the working catalogue, compare it with the current vintage, write a new
vintage, then move the `current` pointer; one publish at a time, nothing half-written.

The steps, in order:
1. take the lock (`published/.publish.lock`, fcntl.flock: released by the kernel if the
   process dies, so a crash never leaves a stale lock); a second publish is refused;
2. copy the catalogue and its data folder into a hidden staging folder and validate that
   copy (so what is published is exactly what was validated, even if the working files
   change meanwhile);
3. compare its index with the current vintage's; refuse removals unless allowed;
4. write index.json and manifest.json, fsync everything, rename the staging folder to
   `v000N` (atomic), then replace `current` by a rename (atomic).
A crash before step 4's last rename leaves `current` naming the old, complete vintage.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.catalogue import audit, paths, vintages
from dashboard.catalogue.authoring.safe_write import sync_folder
from dashboard.catalogue.changes import Changes, Index, build_index, diff, revised, shorten
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.validate import validate_path

LOCK_FILE = ".publish.lock"
STAGING_PREFIX = ".tmp-"
REMOVAL_HINT = (
    "a file cut short (a crashed copy, an rsync without --delay-updates, an editor that "
    "writes in place) looks like this; if the removals are intended, run again with "
    "--allow-removals"
)


class PublishRefused(Exception):
    """Nothing was published; the message says why (and `problems` or `changes` show it)."""

    def __init__(
        self, message: str, problems: list[Problem] | None = None, changes: Changes | None = None
    ) -> None:
        super().__init__(message)
        self.problems = list(problems or [])
        self.changes = changes


class PublishBusy(PublishRefused):
    """Another publish holds the lock."""


@dataclass(frozen=True)
class Outcome:
    """What `publish` did: `status` is "published", "unchanged" (nothing written: the
    catalogue is the current vintage's) or "exists" (`if_none` and a vintage exists)."""

    status: str
    vintage: vintages.Vintage | None
    previous: vintages.Vintage | None
    changes: Changes | None = None
    warnings: list[Problem] = field(default_factory=list)
    old_index: Index | None = None
    new_index: Index | None = None


@contextlib.contextmanager
def publish_lock(published: Path) -> Iterator[None]:
    """Hold the publish lock of `published`, or raise PublishBusy naming its holder."""
    path = Path(published) / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", errors="replace").strip()
            raise PublishBusy(
                f"{paths.display_name(Path(published))}: another publish is running"
                f"{f' ({holder})' if holder else ''}; nothing was written: run it again "
                "when that one has finished"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {_now()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    path.write_text(text, encoding="utf-8")


def _sync_tree(folder: Path) -> dict[str, str]:
    """fsync every file and folder below `folder`; the sha256 of every file by its path."""
    hashes: dict[str, str] = {}
    for root, dirs, files in os.walk(folder):
        for name in sorted(files):
            path = Path(root) / name
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
            hashes[str(path.relative_to(folder))] = vintages.file_sha256(path)
        for name in dirs:
            sync_folder(Path(root) / name)
    sync_folder(folder)
    return hashes


def _move_pointer(published: Path, name: str) -> None:
    """Make `current` name `name`: a new file renamed over the old one."""
    tmp = published / f".{vintages.POINTER}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, published / vintages.POINTER)
    sync_folder(published)


def _remove_leftovers(published: Path) -> None:
    """Staging folders and pointer files a crashed publish left (we hold the lock)."""
    for entry in published.iterdir():
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(f".{vintages.POINTER}.") and entry.name.endswith(".tmp"):
            entry.unlink(missing_ok=True)


def removal_message(shown: str, previous: str | None, changes: Changes, limit: int = 12) -> str:
    lines = [f"{shown}: not published: it would remove what viewers see now ({previous}):"]
    for kind, keys in changes.removals.items():
        lines.append(f"  {kind} removed ({len(keys)}): {shorten(keys, limit)}")
    lines.append(REMOVAL_HINT)
    return "\n".join(lines)


def figure_changes(old: Index | None, new: Index, changes: Changes, limit: int = 20) -> list[str]:
    """`indicator|period|source: 41.86 → 4.186 亿元` for each figure whose value, qualifier or
    unit changed (the first `limit`)."""
    if old is None:
        return []
    out = []
    before, after = old.get("figures", {}), new.get("figures", {})
    for key in changes.changed.get("figures", ()):
        a, b = before.get(key, {}), after.get(key, {})
        if revised(a, b):
            out.append(
                f"{key}: {a.get('value')} {a.get('unit')} ({a.get('qualifier')}) → "
                f"{b.get('value')} {b.get('unit')} ({b.get('qualifier')})"
            )
    if len(out) > limit:
        out = [*out[:limit], f"… and {len(out) - limit} more"]
    return out


def publish(
    catalogue: Path,
    published: Path | None = None,
    *,
    who: audit.Who,
    allow_removals: bool = False,
    if_none: bool = False,
    max_bytes: int | None = None,
) -> Outcome:
    """Publish `catalogue` as a new vintage in `published` (default: vintages.published_dir).
    Raises PublishRefused (nothing written) when it does not validate, would remove
    something without `allow_removals`, or another publish is running."""
    catalogue = Path(catalogue).resolve()
    shown = paths.display_name(catalogue)
    published = Path(published).resolve() if published else vintages.published_dir(catalogue)
    data_dir = paths.data_dir(catalogue.parent)
    if published.is_relative_to(data_dir.resolve()):
        raise PublishRefused(f"{published}: vintages cannot live inside the data folder")
    try:
        published.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishRefused(f"{published}: cannot be created ({exc.strerror or exc})") from None
    try:  # opened before anything is written: an unwritable log refuses the publish
        log = audit.AuditLog(audit.audit_path(catalogue))
    except audit.AuditUnavailable as exc:
        raise PublishRefused(str(exc)) from None
    try:
        with publish_lock(published):
            _remove_leftovers(published)
            return _publish_locked(
                catalogue, shown, published, data_dir, who, log, allow_removals, if_none, max_bytes
            )
    finally:
        log.close()


def _previous(
    published: Path, allow_removals: bool
) -> tuple[vintages.Vintage | None, Index | None]:
    try:
        previous = vintages.current(published)
        return previous, (previous.index() if previous else None)
    except vintages.VintageError as exc:
        if allow_removals:
            return None, None
        raise PublishRefused(
            f"{exc}; nothing to compare with, so nothing was published (run with "
            "--allow-removals to publish without comparing)"
        ) from None


def _publish_locked(
    catalogue: Path,
    shown: str,
    published: Path,
    data_dir: Path,
    who: audit.Who,
    log: audit.AuditLog,
    allow_removals: bool,
    if_none: bool,
    max_bytes: int | None,
) -> Outcome:
    existing = vintages.vintages(published)
    if if_none and (existing or (published / vintages.POINTER).exists()):
        previous = None
        with contextlib.suppress(vintages.VintageError):
            previous = vintages.current(published)
        return Outcome("exists", None, previous)
    previous, old_index = _previous(published, allow_removals)
    number = max((v.number for v in existing), default=0) + 1
    name = vintages.vintage_name(number)
    staging = published / f"{STAGING_PREFIX}{name}-{os.getpid()}"
    try:
        staging.mkdir()
        if data_dir.is_dir():
            shutil.copytree(data_dir, staging / paths.DATA_DIRNAME, ignore=_hidden)
        target = staging / vintages.CATALOGUE_FILE
        try:
            shutil.copyfile(catalogue, target)
        except OSError as exc:
            raise PublishRefused(f"{shown}: cannot be read ({exc.strerror or exc})") from None
        result = validate_path(target, shown, max_bytes)
        if not result.ok or result.catalogue is None:
            count = len(result.errors)
            raise PublishRefused(
                f"{shown}: not published: it does not validate "
                f"({count} problem{'s' if count != 1 else ''})",
                result.errors,
            )
        index = build_index(result.catalogue)
        changes = diff(old_index, index)
        if previous is not None and changes.empty:
            return Outcome("unchanged", None, previous, changes, result.warnings, old_index, index)
        if changes.removals and not allow_removals:
            prev_name = previous.name if previous else None
            raise PublishRefused(removal_message(shown, prev_name, changes), changes=changes)
        _write_json(staging / vintages.INDEX, index)
        hashes = _sync_tree(staging)
        cat = result.catalogue
        manifest: dict[str, Any] = {
            "vintage": name,
            "published_at": _now(),
            "analyst": who.user,
            "login": who.how,
            "previous": previous.name if previous else None,
            "catalogue": {
                "from": str(catalogue),
                "file": vintages.CATALOGUE_FILE,
                "sha256": hashes[vintages.CATALOGUE_FILE],
                "bytes": target.stat().st_size,
            },
            "files": hashes,
            "counts": {
                "sources": len(cat.sources),
                "indicators": len(cat.indicators),
                "figures": cat.observation_count,
                "topics": len(cat.topics),
                "events": len(cat.events),
            },
            "warnings": len(result.warnings),
            "allow_removals": allow_removals,
            "changes": _changes_json(changes),
        }
        _write_json(staging / vintages.MANIFEST, manifest)
        _sync_file(staging / vintages.MANIFEST)
        os.rename(staging, published / name)
        sync_folder(published)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    _move_pointer(published, name)
    vintage = vintages.Vintage(name, published / name)
    log.append(
        who,
        "publish",
        catalogue=str(catalogue),
        vintage=name,
        previous=previous.name if previous else None,
        sha256=hashes[vintages.CATALOGUE_FILE],
        changes=changes.counts(),
        allow_removals=allow_removals or None,
    )
    return Outcome("published", vintage, previous, changes, result.warnings, old_index, index)


def _changes_json(changes: Changes) -> dict[str, Any]:
    """The manifest's change summary; a first vintage lists counts, not every key added."""
    data = changes.as_json()
    if changes.first:
        data.pop("added", None)
    return data


def _sync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _hidden(folder: str, names: list[str]) -> list[str]:
    """Hidden files (editors' and our own temporary files) are not part of a vintage."""
    return [n for n in names if n.startswith(".")]
