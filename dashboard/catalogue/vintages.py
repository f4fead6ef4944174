"""Published vintages: where they live, the `current` pointer, and reading one back.

A vintage is a folder `published/v000007/` holding the catalogue as published
(`indicators.yaml`), the data files it was validated with (`data/`: source texts, units,
labels), `index.json` (changes.build_index) and `manifest.json` (when, who, what changed,
the sha256 of every file). It is written once and never changed. The text file
`published/current` names the vintage public instances serve; `publish` replaces it by a
rename, so a reader sees the old name or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PUBLISHED = "SHSTS_PUBLISHED"
PUBLISHED_DIRNAME = "published"
POINTER = "current"
MANIFEST = "manifest.json"
INDEX = "index.json"
CATALOGUE_FILE = "indicators.yaml"
NAME_PATTERN = re.compile(r"^v(\d{6})$")
# A pointer is one short line; anything longer is not one of ours.
_MAX_POINTER = 64


class VintageError(Exception):
    """A vintage or the pointer cannot be read; the message names the file and the reason."""


def published_dir(catalogue: Path) -> Path:
    """`SHSTS_PUBLISHED` if set, else the `published/` folder beside the catalogue."""
    override = os.environ.get(ENV_PUBLISHED)
    return (
        Path(override).resolve()
        if override
        else Path(catalogue).resolve().parent / (PUBLISHED_DIRNAME)
    )


def file_sha256(path: Path) -> str:
    """The sha256 a vintage's manifest records for one of its files (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def vintage_name(number: int) -> str:
    return f"v{number:06d}"


@dataclass(frozen=True)
class Vintage:
    """One published vintage's folder."""

    name: str
    folder: Path

    @property
    def catalogue(self) -> Path:
        return self.folder / CATALOGUE_FILE

    @property
    def number(self) -> int:
        found = NAME_PATTERN.match(self.name)
        return int(found.group(1)) if found else 0

    def manifest(self) -> dict[str, Any]:
        return _read_json(self.folder / MANIFEST)

    def index(self) -> dict[str, Any]:
        return _read_json(self.folder / INDEX)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VintageError(f"{path}: missing") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise VintageError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(data, dict):
        raise VintageError(f"{path}: not a JSON object")
    return data


def vintages(published: Path) -> list[Vintage]:
    """Every complete vintage (a folder with its manifest), oldest first. Folders being
    written (`.tmp-…`) and anything else in the folder are left out."""
    try:
        entries = list(Path(published).iterdir())
    except OSError:
        return []
    found = [
        Vintage(p.name, p)
        for p in entries
        if NAME_PATTERN.match(p.name) and (p / MANIFEST).is_file()
    ]
    return sorted(found, key=lambda v: v.number)


def pointer_name(published: Path) -> str | None:
    """The name the `current` pointer holds; None when there is no pointer (nothing was
    published yet). VintageError when it cannot be read or holds no vintage name."""
    pointer = Path(published) / POINTER
    try:
        raw = pointer.read_bytes()[: _MAX_POINTER + 1]
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise VintageError(f"{pointer}: cannot be read ({exc.strerror or exc})") from None
    name = raw.decode("utf-8", errors="replace").strip()
    if len(raw) > _MAX_POINTER or not NAME_PATTERN.match(name):
        raise VintageError(f"{pointer}: holds {name[:40]!r}, not a vintage name like v000001")
    return name


def current(published: Path) -> Vintage | None:
    """The vintage `current` names; None when nothing was published yet. VintageError when
    the pointer or the folder it names is missing or unreadable."""
    name = pointer_name(published)
    if name is None:
        return None
    vintage = Vintage(name, Path(published) / name)
    if not vintage.catalogue.is_file() or not (vintage.folder / MANIFEST).is_file():
        raise VintageError(
            f"{vintage.folder}: the current vintage is missing or incomplete "
            f"(no {CATALOGUE_FILE} or {MANIFEST})"
        )
    return vintage
