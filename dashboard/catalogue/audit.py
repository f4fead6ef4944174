"""The audit log: one JSON line per write (review page, `add-source`, `publish`) saying who,
when and what, appended to `audit.jsonl` beside the catalogue.

Each line is one `write` on a descriptor opened with O_APPEND, so lines of writers running
at once never interleave. A write opens the log before it changes anything: a log that
cannot be written refuses the write instead of leaving it unrecorded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AUDIT_FILE = "audit.jsonl"
# A user name comes from a login header: long enough for any real one, never a flood.
MAX_USER = 200


class AuditUnavailable(Exception):
    """The audit log cannot be opened or written; nothing was changed."""


@dataclass(frozen=True)
class Who:
    """Who writes: a user name and how it is known (`os-user`, or `login-header:NAME`)."""

    user: str
    how: str = "os-user"


def os_user() -> Who:
    """The operating-system user running the command or the local dashboard."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, no LOGNAME: the numeric id still says who
        name = f"uid {os.getuid()}"
    return Who(name, "os-user")


def audit_path(catalogue: Path) -> Path:
    return Path(catalogue).resolve().parent / AUDIT_FILE


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class AuditLog:
    """An open audit log; `append` writes one line."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        try:
            self._fd: int | None = os.open(self.path, flags, 0o640)
        except OSError as exc:
            raise AuditUnavailable(
                f"{self.path}: the audit log cannot be written ({exc.strerror or exc}); "
                "nothing was changed"
            ) from None

    def append(self, who: Who, action: str, **what: Any) -> dict[str, Any]:
        """One line: time, user, how the user is known, the action and what it wrote."""
        entry = {"time": _now(), "user": who.user[:MAX_USER], "login": who.how, "action": action}
        entry.update({k: v for k, v in what.items() if v is not None})
        line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
        data = line.encode("utf-8")
        if self._fd is None:
            raise AuditUnavailable(f"{self.path}: the audit log is closed")
        written = os.write(self._fd, data)
        while written < len(data):  # a regular file takes it whole; never drop a tail
            written += os.write(self._fd, data[written:])
        with contextlib.suppress(OSError):
            os.fsync(self._fd)
        return entry

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@contextlib.contextmanager
def opened(catalogue: Path) -> Iterator[AuditLog]:
    """The audit log beside `catalogue`, open for appending (AuditUnavailable if it cannot
    be: callers open it before they write anything)."""
    log = AuditLog(audit_path(catalogue))
    try:
        yield log
    finally:
        log.close()


def read(path: Path) -> list[dict[str, Any]]:
    """Every entry of an audit log, oldest first (a line that is not JSON is skipped)."""
    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    for line in lines:
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if isinstance(entry, dict):
                out.append(entry)
    return out
