"""Safe YAML loading that keeps the line and column of every key and value."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from dashboard.catalogue.errors import Problem

# libyaml's parser is ~3x faster; the pure-Python one is the fallback on machines without it.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The size limit refuses a runaway file (a log pasted in, a generator gone wrong) before it is
# read. The default admits the benchmark's 1000x catalogue (118 MB) with room to grow; the
# loader's memory is linear in the file (bench/NOTES.md: about 20 bytes per byte at its peak).
# Users set it with SHSTS_MAX_CATALOGUE_BYTES (the app and the CLI) or `check --max-bytes`.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
ENV_MAX_BYTES = "SHSTS_MAX_CATALOGUE_BYTES"
# The data folder's units and labels are small hand-edited files: a fixed limit of their own.
DATA_FILE_MAX_BYTES = 5 * 1024 * 1024
# libyaml's composer recurses in C and crashes on deep flow nesting, so we build the tree from
# the (iterative) event stream ourselves and refuse anything nested deeper than a catalogue is.
MAX_DEPTH = 40

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP_TAG = _STD + "map"
_SEQ_TAG = _STD + "seq"

Path_ = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass
class YamlDocument:
    """Plain Python data plus where each piece of it was written (1-based line, col)."""

    file: str
    data: Any
    value_pos: dict[Path_, Position] = field(default_factory=dict)
    key_pos: dict[Path_, Position] = field(default_factory=dict)

    def position(self, path: Path_) -> Position | None:
        """The position of the value at `path`, or of its nearest located ancestor."""
        path = tuple(path)
        while True:
            pos = self.value_pos.get(path)
            if pos is not None or not path:
                return pos
            path = path[:-1]

    def key_position(self, path: Path_) -> Position | None:
        """The position of the mapping key at the end of `path` (falls back to its value)."""
        return self.key_pos.get(tuple(path)) or self.position(path)


@dataclass
class LoadResult:
    """A parsed document, or None with the problems that prevented it."""

    document: YamlDocument | None
    problems: list[Problem]


class _Frame:
    __slots__ = ("container", "ignored", "key", "key_pos", "path", "skip_value", "start_mark")

    def __init__(self, container: dict | list, path: Path_, start_mark: Any, ignored: bool) -> None:
        self.container = container
        self.path = path
        self.start_mark = start_mark
        # Inside a value that is dropped (a duplicate key's): parsed for errors, never located.
        self.ignored = ignored
        self.key: Any = _Builder_NO_KEY
        self.key_pos: Position | None = None
        self.skip_value = False


_Builder_NO_KEY = object()


# Aliases reported one by one before a single "and more" problem.
ALIASES_LISTED = 3


class _Builder:
    """Turns parser events into values, rejecting what a hand-edited catalogue never needs."""

    _NO_KEY = _Builder_NO_KEY

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.doc = YamlDocument(file=file, data=None)
        self.stack: list[_Frame] = []
        self.resolver = Resolver()
        self._implicit_first = set(Resolver.yaml_implicit_resolvers) | {""}
        self.constructor = SafeConstructor()
        self.documents = 0
        self.root_set = False
        self.aliases = 0

    def problem(self, type_: str, mark: Any, message: str, hint: str | None = None) -> None:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        path = _render_path(self._current_path()) if self.stack else ""
        self.problems.append(Problem(type_, message, self.file, line, col, path, hint))

    def _current_path(self) -> Path_:
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        if frame.key is not self._NO_KEY and frame.key_pos is not None:
            return (*frame.path, frame.key)
        return frame.path

    def _child_path(self) -> Path_ | None:
        """Path of the value about to be read, or None while a mapping key is being read."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        if frame.key_pos is None:
            return None
        return (*frame.path, frame.key)

    def _place(self, value: Any, mark: Any, is_scalar: bool) -> None:
        pos = (mark.line + 1, mark.column + 1)
        if not self.stack:
            self.doc.data = value
            self.doc.value_pos[()] = pos
            self.root_set = True
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            frame.container.append(value)
            return
        if frame.key_pos is None:  # this value is a key
            frame.key_pos = pos
            frame.skip_value = False
            if not is_scalar:
                self.problem(
                    "invalid-key", mark, "a mapping key must be plain text", "write `name: value`"
                )
                frame.key, frame.skip_value = self._NO_KEY, True
                return
            try:
                duplicate = value in frame.container
            except TypeError:
                duplicate = False
            if duplicate:
                first = self.doc.key_pos.get((*frame.path, value))
                where = f" (first at line {first[0]})" if first else ""
                frame.key = value
                self.problem(
                    "duplicate-key",
                    mark,
                    f"duplicate key {value!r}{where}",
                    "YAML would silently keep only the last one: merge or rename them",
                )
                frame.key, frame.skip_value = value, True
                return
            frame.key = value
            if not frame.ignored:
                self.doc.key_pos[(*frame.path, value)] = pos
            return
        if not frame.skip_value and frame.key is not self._NO_KEY:
            frame.container[frame.key] = value
        frame.key, frame.key_pos, frame.skip_value = self._NO_KEY, None, False

    def _reading_key(self) -> bool:
        if not self.stack:
            return False
        frame = self.stack[-1]
        return isinstance(frame.container, dict) and frame.key_pos is None

    def _note_value_pos(self, mark: Any) -> None:
        path = self._child_path()
        if path is not None and not self._dropping():
            self.doc.value_pos[path] = (mark.line + 1, mark.column + 1)

    def _dropping(self) -> bool:
        """True while reading a value that will not be kept (so it must not move locations)."""
        if not self.stack:
            return False
        frame = self.stack[-1]
        return frame.ignored or (isinstance(frame.container, dict) and frame.skip_value)

    def scalar(self, event: yaml.ScalarEvent) -> None:
        tag = event.tag
        self._note_value_pos(event.start_mark)
        if self._reading_key() and tag is None:
            # Keys stay the text written (`2020:` is "2020", `true:` is "true"): the format's
            # keys are all names, and YAML 1.1 would otherwise merge `1:` with `true:`.
            self._place(event.value, event.start_mark, True)
            return
        if tag is None and (
            not event.implicit[0] or (event.value[:1] or "~") not in self._implicit_first
        ):
            # Fast path for text, most of a catalogue: quoted, or plain and unable to be
            # anything else (the resolver only matches by first character).
            self._place(event.value, event.start_mark, True)
            return
        if tag in (None, "!"):
            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)
        if tag not in _SCALAR_TAGS:
            self._bad_tag(tag, event.start_mark)
            self._place(None, event.start_mark, True)
            return
        # libyaml's marks have the pure-Python Mark's fields; the stubs only name the latter.
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)  # type: ignore[arg-type]
        try:
            value = self.constructor.yaml_constructors[tag](self.constructor, node)
        except (ConstructorError, ValueError, TypeError, OverflowError) as exc:
            self.problem(
                "invalid-scalar", event.start_mark, f"cannot read {event.value!r} as {tag}: {exc}"
            )
            value = None
        self._place(value, event.start_mark, True)

    def start(self, event: Any, container: dict | list, expected_tag: str) -> None:
        tag = event.tag
        if tag not in (None, "!", expected_tag):
            self._bad_tag(tag, event.start_mark)
        if len(self.stack) >= MAX_DEPTH:
            raise _TooDeep(event.start_mark)
        path = self._child_path()
        self._note_value_pos(event.start_mark)
        # A collection used as a mapping key is reported when it is placed; never located.
        ignored = path is None or self._dropping()
        frame = _Frame(container, path if path is not None else (), event.start_mark, ignored)
        self.stack.append(frame)

    def end(self) -> None:
        frame = self.stack.pop()
        self._place(frame.container, frame.start_mark, False)

    def alias(self, event: yaml.AliasEvent) -> None:
        self._note_value_pos(event.start_mark)
        self.aliases += 1
        hint = "write the value out in full; aliases can expand a small file into a huge one"
        # An alias bomb holds dozens: name the first few, then say once that more follow.
        if self.aliases <= ALIASES_LISTED:
            self.problem(
                "alias", event.start_mark, f"aliases (*{event.anchor}) are not allowed", hint
            )
        elif self.aliases == ALIASES_LISTED + 1:
            message = f"aliases (*{event.anchor}) are not allowed, here and after (not listed)"
            self.problem("alias", event.start_mark, message, hint)
        self._place(None, event.start_mark, True)

    def _bad_tag(self, tag: str, mark: Any) -> None:
        if tag == _STD + "merge":
            self.problem(
                "unknown-tag",
                mark,
                "merge keys (<<) are not allowed",
                "write the keys out in full in each entry",
            )
            return
        self.problem(
            "unknown-tag",
            mark,
            f"tag {tag!r} is not allowed",
            "remove the tag; the catalogue uses plain YAML values only",
        )


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        self.mark = mark


def _render_path(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def render_path(path: Path_) -> str:
    """`('indicators', 3, 'value')` -> `indicators[3].value`."""
    return _render_path(tuple(path))


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return None, [
            Problem(
                "not-utf8",
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                file,
                line,
                col,
                "",
                "save the file as UTF-8",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []


def parse_text(text: str, file: str) -> LoadResult:
    """Parse YAML text into a located document; every failure becomes a Problem."""
    builder = _Builder(file)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.ScalarEvent):
                builder.scalar(event)
            elif isinstance(event, yaml.MappingStartEvent):
                builder.start(event, {}, _MAP_TAG)
            elif isinstance(event, yaml.SequenceStartEvent):
                builder.start(event, [], _SEQ_TAG)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                builder.end()
            elif isinstance(event, yaml.AliasEvent):
                builder.alias(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                builder.documents += 1
                if builder.documents > 1:
                    builder.problem(
                        "multiple-documents",
                        event.start_mark,
                        "the file holds more than one YAML document",
                        "remove the `---` line and everything after it, or merge the documents",
                    )
                    break
    except _TooDeep as exc:
        builder.problem(
            "too-deep", exc.mark, f"nesting deeper than {MAX_DEPTH} levels", "flatten the data"
        )
        return LoadResult(None, builder.problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = exc.context or ""
        cm = exc.context_mark
        if context and cm is not None and mark is not None and cm.line != mark.line:
            context += f" (started at line {cm.line + 1}, column {cm.column + 1})"
        what = " ".join(p for p in (context, exc.problem) if p) or "invalid YAML"
        builder.stack.clear()
        builder.problem("yaml-syntax", mark, f"YAML syntax error: {what}")
        return LoadResult(None, builder.problems)
    except yaml.YAMLError as exc:
        line = col = None
        position = getattr(exc, "position", None)
        character = getattr(exc, "character", None)
        # libyaml reports a byte offset; the offending character itself locates it exactly.
        if isinstance(character, int | str):
            found = text.find(chr(character) if isinstance(character, int) else character)
            position = found if found >= 0 else position
        if isinstance(position, int):
            line = text.count("\n", 0, position) + 1
            col = position - (text.rfind("\n", 0, position) + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        builder.problems.append(
            Problem("yaml-syntax", f"YAML syntax error: {reason}", file, line, col, "")
        )
        return LoadResult(None, builder.problems)
    if not builder.root_set or builder.doc.data is None:
        builder.problems.append(
            Problem(
                "empty-file",
                "the file holds no data",
                file,
                None,
                None,
                "",
                "start from the example in docs/catalogue-format.md",
            )
        )
        return LoadResult(None, builder.problems)
    if not isinstance(builder.doc.data, dict):
        line, col = builder.doc.value_pos.get((), (None, None))
        builder.problems.append(
            Problem(
                "wrong-type",
                "the top level must be a mapping of keys (version, sources, indicators, …)",
                file,
                line,
                col,
                "",
            )
        )
        return LoadResult(None, builder.problems)
    return LoadResult(builder.doc, builder.problems)


_SIZE = re.compile(r"(\d+)\s*([KMG]?)(?:I?B)?", re.IGNORECASE)
_UNIT = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def parse_size(text: str) -> int:
    """`268435456`, `256M`, `256MiB` or `1G` as bytes (K, M, G are powers of 1024)."""
    found = _SIZE.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"{text!r} is not a size: write bytes, or a number with K, M or G")
    size = int(found.group(1)) * _UNIT[found.group(2).upper()]
    if size < 1:
        raise ValueError(f"{text!r} is not a size: the limit must be at least 1 byte")
    return size


def max_bytes_setting(environ: Mapping[str, str] | None = None) -> int:
    """The size limit the user set in SHSTS_MAX_CATALOGUE_BYTES, else the default."""
    value = (os.environ if environ is None else environ).get(ENV_MAX_BYTES, "").strip()
    if not value:
        return DEFAULT_MAX_BYTES
    try:
        return parse_size(value)
    except ValueError as exc:
        raise ValueError(f"{ENV_MAX_BYTES}: {exc}") from None


def _too_large(name: str, size: int | None, max_bytes: int) -> Problem:
    shown = f"file is {size:,} bytes" if size is not None else "file grew while being read"
    # Room for growth: the next whole MiB above 1.5 times the file.
    suggested = f"{-(-(size or max_bytes) * 3 // 2 // 1024**2)}M"
    return Problem(
        "file-too-large",
        f"{shown}; the limit is {max_bytes:,} bytes "
        f"(set by {ENV_MAX_BYTES} or `check --max-bytes`)",
        name,
        None,
        None,
        "",
        f"if the catalogue is meant to be this large, raise the limit, e.g. {ENV_MAX_BYTES}="
        f"{suggested}; otherwise split or trim the file",
    )


def _read_at_most(fh: BinaryIO, size: int, max_bytes: int) -> bytes:
    """The file's bytes, or max_bytes + 1 of them if it is larger. Reads what stat said is
    there (a read of max_bytes + 1 would allocate that much whatever the file's size), then
    on in chunks only if the file grew since."""
    raw = fh.read(min(size, max_bytes) + 1)
    if len(raw) <= size:
        return raw
    buffer = bytearray(raw)
    while len(buffer) <= max_bytes:
        chunk = fh.read(min(1 << 20, max_bytes + 1 - len(buffer)))
        if not chunk:
            break
        buffer += chunk
    return bytes(buffer)


def load_yaml(path: Path, file: str | None = None, max_bytes: int | None = None) -> LoadResult:
    """Read and parse a YAML file safely: size-checked before reading, UTF-8 only, no tags.

    `max_bytes` None means the user's setting (max_bytes_setting)."""
    name = file or str(path)
    if max_bytes is None:
        try:
            max_bytes = max_bytes_setting()
        except ValueError as exc:
            hint = f"set {ENV_MAX_BYTES} to a number of bytes, such as 256M, or unset it"
            return LoadResult(
                None, [Problem("invalid-setting", str(exc), name, None, None, "", hint)]
            )
    try:
        info = os.stat(path)
        size = info.st_size
    except FileNotFoundError:
        return LoadResult(None, [Problem("file-missing", "file not found", name, None, None, "")])
    except OSError as exc:
        return LoadResult(
            None, [Problem("file-unreadable", f"cannot read: {exc}", name, None, None, "")]
        )
    if not stat.S_ISREG(info.st_mode):
        # A pipe or device would block or never end: refuse by type, before opening.
        return LoadResult(
            None,
            [
                Problem(
                    "file-not-regular",
                    "not a regular file (a folder, pipe or device)",
                    name,
                    None,
                    None,
                    "",
                    "point the command at the catalogue's .yaml file",
                )
            ],
        )
    if size > max_bytes:
        return LoadResult(None, [_too_large(name, size, max_bytes)])
    try:
        with open(path, "rb") as fh:
            raw = _read_at_most(fh, size, max_bytes)
    except OSError as exc:
        return LoadResult(
            None, [Problem("file-unreadable", f"cannot read: {exc}", name, None, None, "")]
        )
    if len(raw) > max_bytes:  # grew between stat and read
        return LoadResult(None, [_too_large(name, None, max_bytes)])
    text, problems = _decode(raw, name)
    del raw  # the text replaces it: the bytes need not live through the parse
    if text is None:
        return LoadResult(None, problems)
    return parse_text(text, name)
