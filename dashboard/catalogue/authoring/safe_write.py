"""The one way the tools write indicators.yaml: only if it is unchanged since it was read and
the result validates, through a temporary file and an atomic rename."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.catalogue import paths
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.validate import ValidationResult, validate_path


class WriteRefused(Exception):
    """Nothing was written; the message names the file and the reason."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes as they were read: a later write refuses if the file moved on."""

    path: Path
    data: bytes = field(repr=False)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8-sig")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def name(self) -> str:
        return paths.display_name(self.path)


def take_snapshot(path: Path) -> Snapshot:
    """Read a file for editing; WriteRefused (not OSError) when it cannot be read."""
    path = Path(path)
    try:
        return Snapshot(path, path.read_bytes())
    except OSError as exc:
        raise WriteRefused(
            f"{paths.display_name(path)}: cannot be read ({exc.strerror or exc})"
        ) from None


def ensure_unchanged(snapshot: Snapshot) -> None:
    """Refuse when the file on disk is no longer the one that was read."""
    try:
        now = snapshot.path.read_bytes()
    except OSError as exc:
        raise WriteRefused(
            f"{snapshot.name}: not written: the file cannot be read any more "
            f"({exc.strerror or exc})"
        ) from None
    if now != snapshot.data:
        raise WriteRefused(
            f"{snapshot.name}: not written: the file changed on disk since it was read "
            "(someone saved it meanwhile); run the command again on the saved file"
        )


@contextlib.contextmanager
def _temporary_beside(target: Path, data: bytes) -> Iterator[Path]:
    """`data` in a hidden temporary file next to `target` (same folder, so the same data/
    folder validates it and the rename is atomic); removed unless renamed away."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        yield tmp
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def validate_text(snapshot: Snapshot, new_text: str) -> ValidationResult:
    """What `check` would say about `new_text` as the catalogue (nothing is kept on disk)."""
    with _temporary_beside(snapshot.path, new_text.encode("utf-8")) as tmp:
        return validate_path(tmp, snapshot.name)


def write_catalogue(snapshot: Snapshot, new_text: str) -> ValidationResult:
    """Replace the catalogue with `new_text` if the file is unchanged and the result has no
    errors (warnings are allowed); else raise WriteRefused and leave it byte for byte."""
    ensure_unchanged(snapshot)
    data = new_text.encode("utf-8")
    with _temporary_beside(snapshot.path, data) as tmp:
        result = validate_path(tmp, snapshot.name)
        if not result.ok:
            count = len(result.errors)
            raise WriteRefused(
                f"{snapshot.name}: not written: the result would not validate "
                f"({count} problem{'s' if count != 1 else ''})",
                result.errors,
            )
        ensure_unchanged(snapshot)
        with contextlib.suppress(OSError):
            os.chmod(tmp, snapshot.path.stat().st_mode & 0o7777)
        os.replace(tmp, snapshot.path)
    sync_folder(snapshot.path.parent)
    return result


def write_new_file(target: Path, data: bytes) -> None:
    """Create `target` with `data` atomically; refuses if it already exists."""
    if target.exists():
        raise WriteRefused(f"{paths.display_name(target)}: not written: the file already exists")
    with _temporary_beside(target, data) as tmp:
        # os.link would refuse an existing target atomically, but not every filesystem has
        # hard links; the existence check above and replace() are enough for one analyst.
        os.replace(tmp, target)
    sync_folder(target.parent)


def sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a crash right after must not undo it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_data_file(snapshot: Snapshot, new_text: str) -> None:
    """Replace a data file (data/units.yaml) with `new_text` if it is unchanged since it was
    read, through a temporary file and a rename; the caller has checked the text."""
    ensure_unchanged(snapshot)
    with _temporary_beside(snapshot.path, new_text.encode("utf-8")) as tmp:
        ensure_unchanged(snapshot)
        with contextlib.suppress(OSError):
            os.chmod(tmp, snapshot.path.stat().st_mode & 0o7777)
        os.replace(tmp, snapshot.path)
    sync_folder(snapshot.path.parent)
