"""`add-source`: check a new text, propose its `sources:` entry, copy it into data/sources/
byte for byte and insert the entry, or refuse with the file and the reason."""

from __future__ import annotations

import hashlib
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from dashboard.catalogue.authoring.emit import items_text
from dashboard.catalogue.authoring.metadata import REQUIRED, Field, Proposal, known_from, propose
from dashboard.catalogue.authoring.safe_write import (
    Snapshot,
    WriteRefused,
    take_snapshot,
    validate_text,
    write_catalogue,
    write_new_file,
)
from dashboard.catalogue.authoring.yaml_insert import InsertError, insert_items
from dashboard.catalogue.checks.sources import max_source_bytes
from dashboard.catalogue.models import ID_PATTERN
from dashboard.catalogue.validate import ValidationResult
from dashboard.catalogue.yaml_source import load_yaml

SOURCES_DIR = PurePath("data", "sources")
# Control characters a text file never holds (tab, line feed, form feed, carriage return are
# fine); one of them means a binary file, whatever its bytes decode to.
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ID = re.compile(ID_PATTERN)


class SourceRefused(WriteRefused):
    """The document is not added; the message names the file and the reason."""


@dataclass
class Plan:
    """What add-source would do: the text, where it goes, the entry, the edited catalogue."""

    file: Path
    shown: str
    data: bytes = field(repr=False)
    sha256: str
    target: Path
    copy: bool
    proposal: Proposal
    entry: dict[str, Any]
    missing: list[str]
    snapshot: Snapshot
    new_text: str | None = None
    # What validating the catalogue with the entry in it found (the dry-run shows them).
    problems: list[str] = field(default_factory=list)
    given: list[str] = field(default_factory=list)  # the --id and --set arguments given

    @property
    def target_shown(self) -> str:
        return self.target.relative_to(self.snapshot.path.parent).as_posix()


def _refuse(shown: str, reason: str, verb: str = "added") -> SourceRefused:
    return SourceRefused(f"{shown}: not {verb}: {reason}")


def read_document(file_arg: str, root: Path, verb: str = "added") -> tuple[Path, bytes]:
    """The file's bytes, if it is a readable, non-empty UTF-8 text inside the project;
    SourceRefused "FILE: not <verb>: reason" otherwise."""
    shown = file_arg
    if ".." in PurePath(file_arg).parts:
        raise _refuse(
            shown,
            verb=verb,
            reason="the path contains `..`: give the file's path inside the project",
        )
    path = (Path.cwd() / file_arg) if not Path(file_arg).is_absolute() else Path(file_arg)
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        raise _refuse(shown, verb=verb, reason="the file does not exist") from None
    if not resolved.is_relative_to(root.resolve()):
        raise _refuse(
            shown,
            verb=verb,
            reason=f"the file is outside the project ({root}): copy it into the project first",
        )
    if not resolved.is_file():
        raise _refuse(shown, verb=verb, reason="not a regular file")
    size = resolved.stat().st_size
    if size > max_source_bytes():
        raise _refuse(
            shown,
            verb=verb,
            reason=f"the file is {size:,} bytes; a source may have {max_source_bytes():,}",
        )
    try:
        data = resolved.read_bytes()
    except OSError as exc:
        raise _refuse(shown, verb=verb, reason=f"cannot read it ({exc.strerror or exc})") from None
    check_text(shown, data, verb)
    return resolved, data


def check_text(shown: str, data: bytes, verb: str = "added") -> str:
    """The text of `data`, or SourceRefused: empty, not UTF-8, or binary."""
    if not data:
        raise _refuse(shown, verb=verb, reason="the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(
            shown,
            verb=verb,
            reason=f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}): save the "
            "document as UTF-8 text",
        ) from None
    if _BINARY.search(text):
        raise _refuse(
            shown, verb=verb, reason="a binary file, not a text (it holds control characters)"
        )
    if not text.strip():
        raise _refuse(shown, verb=verb, reason="the file holds only white space")
    return text


def _sources_data(snapshot: Snapshot) -> list[Any]:
    loaded = load_yaml(snapshot.path, snapshot.name)
    if loaded.document is None:
        first = loaded.problems[0] if loaded.problems else "unreadable"
        raise SourceRefused(f"{snapshot.name}: cannot be read to add a source: {first}")
    data = loaded.document.data
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, list):
        raise SourceRefused(f"{snapshot.name}: has no `sources:` list to add to")
    return sources


def _entry(proposal: Proposal, file: str, sha256: str) -> dict[str, Any]:
    f = proposal.fields

    def text(name: str) -> dict[str, Any]:
        return {"zh": f[f"{name}.zh"].value, "en": f[f"{name}.en"].value}

    entry: dict[str, Any] = {
        "id": f["id"].value,
        "file": file,
        "sha256": sha256,
        "title": text("title"),
        "short": text("short"),
        "issuer": text("issuer"),
        "reference": f["reference"].value,
        "kind": f["kind"].value,
    }
    if f["addressee.zh"].value:
        entry["addressee"] = text("addressee")
    entry["signed"] = _doc_date(f["signed"])
    entry["published"] = _doc_date(f["published"])
    return entry


def _doc_date(found: Field) -> dict[str, Any]:
    if found.status == "stated":
        return {"status": "stated", "date": found.value, "quote": found.quote}
    return {"status": "unstated"}


def apply_sets(entry: dict[str, Any], sets: list[str]) -> None:
    """--set KEY=VALUE: dotted keys into the entry (`title.en=…`); `null` clears a value."""
    for item in sets:
        key, sep, value = item.partition("=")
        parts = key.strip().split(".")
        if not sep or not all(parts):
            raise SourceRefused(
                f"--set {item!r}: write KEY=VALUE, e.g. --set title.en='Reply to …'"
            )
        node = entry
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[parts[-1]] = None if value == "null" else value


# What a date the text does not state needs: the date inferred and what it is inferred from.
INFERRED_DATE = ("published.status", "published.date", "published.basis.zh", "published.basis.en")


def _value(entry: dict[str, Any], name: str) -> Any:
    node: Any = entry
    for part in name.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def missing_fields(entry: dict[str, Any]) -> list[str]:
    """Required values neither the text nor the catalogue gave (nor --set), the date's
    included: a text that states no date needs one inferred, with its basis."""
    required = list(REQUIRED)
    if isinstance(entry.get("addressee"), dict):
        required += ["addressee.zh", "addressee.en"]
    for key in ("signed", "published"):
        if _value(entry, f"{key}.status") == "inferred":
            required += [f"{key}.date", f"{key}.basis.zh", f"{key}.basis.en"]
    dated = any(
        _value(entry, f"{key}.status") in ("stated", "inferred") for key in ("signed", "published")
    )
    if not dated:
        required += [name for name in INFERRED_DATE if name not in required]
    out = []
    for name in required:
        value = _value(entry, name)
        if value in (None, "") or (name.endswith(".status") and value == "unstated"):
            out.append(name)
    return out


def completion(result: Plan) -> str:
    """The real run's command line, with every missing field to fill in."""
    parts = ["python -m dashboard add-source", shlex.quote(result.shown)]
    parts += [shlex.quote(arg) for arg in result.given]
    for name in result.missing:
        if name == "id":
            parts.append("--id …")
        elif name.endswith(".status"):
            parts.append(f"--set {name}=inferred")
        elif name.endswith(".date"):
            parts.append(f"--set {name}=YYYY-MM-DD")
        else:
            parts.append(f'--set {name}="…"')
    return " ".join(parts)


def _readable_name(entry: dict[str, Any], original: Path) -> str:
    """`<date>_<id>.txt` like the other sources (the id's underscores as hyphens)."""
    ident = entry.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        return original.name
    dates = [
        d.get("date")
        for d in (entry.get("signed"), entry.get("published"))
        if isinstance(d, dict) and d.get("status") in ("stated", "inferred")
    ]
    stem = ident.replace("_", "-")
    return f"{dates[0]}_{stem}.txt" if dates and dates[0] else f"{stem}.txt"


def plan(
    catalogue: Path,
    file_arg: str,
    given_id: str | None = None,
    sets: list[str] | None = None,
    check: bool = False,
) -> Plan:
    """Everything add-source checks and proposes, with nothing written; with `check`, the
    catalogue with the entry in it is validated too (the dry-run says what the real run
    would refuse)."""
    snapshot = take_snapshot(Path(catalogue).resolve())
    root = snapshot.path.parent
    path, data = read_document(file_arg, root)
    text = data.decode("utf-8-sig")
    sha256 = hashlib.sha256(data).hexdigest()
    sources = _sources_data(snapshot)
    for source in sources:
        if isinstance(source, dict) and source.get("sha256") == sha256:
            raise _refuse(
                file_arg,
                f"the same text (SHA-256 {sha256[:12]}…) is already source "
                f"`{source.get('id')}` ({source.get('file')})",
            )
    proposal = propose(text, known_from(sources), given_id)
    sources_dir = root / SOURCES_DIR
    inside = path.parent == sources_dir.resolve()
    entry = _entry(proposal, "", sha256)
    apply_sets(entry, list(sets or []))
    target = path if inside else sources_dir / _readable_name(entry, path)
    entry["file"] = (SOURCES_DIR / target.name).as_posix()
    for source in sources:
        if isinstance(source, dict) and source.get("file") == entry["file"]:
            raise _refuse(
                file_arg, f"`{entry['file']}` is already the file of `{source.get('id')}`"
            )
    copy = not inside
    if copy and target.exists():
        if target.read_bytes() != data:
            raise _refuse(
                file_arg, f"{target.relative_to(root).as_posix()} exists and holds another text"
            )
        copy = False  # the same bytes are already there: register them, copy nothing
    result = Plan(
        path, file_arg, data, sha256, target, copy, proposal, entry, missing_fields(entry), snapshot
    )
    result.given = (["--id", given_id] if given_id else []) + [
        part for item in sets or [] for part in ("--set", item)
    ]
    if not result.missing:
        try:
            result.new_text = insert_items(snapshot.text, ("sources",), [entry])
        except InsertError as exc:
            raise SourceRefused(f"{snapshot.name}: not changed: {exc}") from None
        if check:
            checked = validate_text(snapshot, result.new_text)
            result.problems = [str(problem) for problem in checked.errors]
    return result


def render(result: Plan) -> str:
    """The proposal as the analyst reads it: what each field rests on, then the entry."""
    lines = [
        f"# {result.shown}: {len(result.data):,} bytes, SHA-256 {result.sha256}",
        f"# file: {result.target_shown}"
        + (" (copied there byte for byte)" if result.copy else " (already there)"),
    ]
    for name, found in result.proposal.fields.items():
        lines.append(f"#   {name:<13} {found.describe()}")
    if result.missing:
        lines.append(
            "# missing (not in the text, not in the catalogue): "
            + ", ".join(result.missing)
            + " — give them with --set KEY=VALUE (--id for the id)"
        )
        if any(name in INFERRED_DATE for name in result.missing):
            lines.append(
                "# the text states no date: infer one and say from what (published.status="
                "inferred, published.date, published.basis.zh and .en; published.quote for the "
                "part the text states, e.g. a dateline's 5月22日)"
            )
        lines.append(f"# the real run: {completion(result)}")
    for problem in result.problems:
        lines.append(f"# the real run would refuse: {problem}")
    return "\n".join(lines) + "\n" + items_text([result.entry], 2)


def apply(result: Plan) -> ValidationResult:
    """Copy the text (if needed) and write the catalogue; undo the copy if the write is
    refused. Refuses when the text changed since it was read or fields are missing."""
    if result.missing or result.new_text is None:
        raise _refuse(
            result.shown,
            "these fields are neither in the text nor in the catalogue: "
            + ", ".join(result.missing)
            + "; give them with --set KEY=VALUE (see --dry-run)",
        )
    try:
        now = result.file.read_bytes()
    except OSError:
        now = None
    if now != result.data:
        raise _refuse(result.shown, "the file changed since it was read; run add-source again")
    created = False
    if result.copy:
        write_new_file(result.target, result.data)
        created = True
    try:
        return write_catalogue(result.snapshot, result.new_text)
    except BaseException:
        if created:
            result.target.unlink(missing_ok=True)
        raise
