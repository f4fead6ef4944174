"""Sources and hashes: each source file is under data/, readable, UTF-8 and unchanged."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from dashboard.catalogue import paths
from dashboard.catalogue.checks.context import CheckContext, Loc
from dashboard.catalogue.checks.dates import date_parts_missing
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import DateStatus
from dashboard.catalogue.textnorm import NormalizedText, normalize

# A source is a letter or a news item: tens of kilobytes. The limit refuses a runaway file
# before it is read into memory; SHSTS_MAX_SOURCE_BYTES raises it.
ENV_MAX_SOURCE_BYTES = "SHSTS_MAX_SOURCE_BYTES"
MAX_SOURCE_BYTES = 5 * 1024 * 1024


def max_source_bytes() -> int:
    raw = os.environ.get(ENV_MAX_SOURCE_BYTES, "")
    return int(raw) if raw.isdigit() else MAX_SOURCE_BYTES


def source_files(ctx: CheckContext) -> Iterator[Problem]:
    """Reads every source once (later checks use ctx.texts): path, size, hash, encoding."""
    data_dir = paths.data_dir(ctx.base_dir).resolve()
    for loc, source in ctx.sources():
        if ctx.catalogue.sources_by_id[source.id] is not source:
            continue  # a duplicate id, reported by references.duplicate_ids
        raw, problem = _read(ctx, source.file, data_dir, loc)
        if problem is not None:
            yield problem
        if raw is None:
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest != source.sha256:
            yield ctx.problem(
                "hash-mismatch",
                (*loc, "sha256"),
                f"the file's SHA-256 is {digest}",
                "the source text changed: restore it, or re-check every quote and update",
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            yield ctx.problem(
                "source-not-utf8",
                (*loc, "file"),
                f"the source file {source.file} is not UTF-8",
                "save it as UTF-8 (it must be the document exactly as published)",
            )
            continue
        ctx.texts[source.id] = NormalizedText(text)


def _read(
    ctx: CheckContext, file: str, data_dir: Path, loc: Loc
) -> tuple[bytes | None, Problem | None]:
    """The source's bytes, or None and the problem that says why they cannot be used."""
    missing_hint = "paths are relative to the catalogue file's folder"
    try:
        target = (ctx.base_dir / file).resolve()
    except (ValueError, RuntimeError, OSError) as exc:  # NUL bytes, symlink loops
        return None, ctx.problem(
            "source-file-missing",
            (*loc, "file"),
            f"cannot read source file `{file}`: {exc}",
            missing_hint,
        )
    if not target.is_relative_to(data_dir):
        return None, ctx.problem(
            "source-outside-data",
            (*loc, "file"),
            f"`{file}` is outside the catalogue's data/ folder",
            "keep source texts under data/sources/",
        )
    try:
        if not target.is_file():
            return None, ctx.problem(
                "source-file-missing",
                (*loc, "file"),
                f"source file `{file}` does not exist",
                missing_hint,
            )
        size = target.stat().st_size
        limit = max_source_bytes()
        if size > limit:
            return None, ctx.problem(
                "source-too-large",
                (*loc, "file"),
                f"source file is {size:,} bytes; the limit is {limit:,}",
                f"set {ENV_MAX_SOURCE_BYTES} to allow larger source files",
            )
        return target.read_bytes(), None
    except OSError as exc:
        return None, ctx.problem(
            "source-file-missing",
            (*loc, "file"),
            f"cannot read source file `{file}`: {exc.strerror or exc}",
            missing_hint,
        )


def document_dates(ctx: CheckContext) -> Iterator[Problem]:
    """A signed or published date's quote is in the text and states the date."""
    for loc, source in ctx.sources():
        if source.id not in ctx.texts:
            continue
        for key in ("signed", "published"):
            doc_date = getattr(source, key)
            if doc_date.quote is None:
                continue
            problem = ctx.quote_problem(source.id, doc_date.quote, (*loc, key, "quote"))
            if problem is not None:
                yield problem
                continue
            # An inferred date's quote is the partial statement (5月22日): the year is what
            # was inferred, so only the parts it states are compared.
            stated = doc_date.status is DateStatus.stated
            missing = date_parts_missing(doc_date.period, doc_date.quote, stated)
            if missing:
                yield ctx.problem(
                    "date-not-in-quote",
                    (*loc, key, "date"),
                    f"the quote does not state {', '.join(map(str, missing))} of {doc_date.date}",
                    "fix the date or quote the passage that states it",
                )


def dismissals_found(ctx: CheckContext) -> Iterator[Problem]:
    """A source's `dismissed:` passages are in its text."""
    for loc, source in ctx.sources():
        text = ctx.texts.get(source.id)
        if text is None:
            continue
        for j, dismissal in enumerate(source.dismissed):
            if not text.contains(normalize(dismissal.quote)):
                yield ctx.problem(
                    "dismissal-not-found",
                    (*loc, "dismissed", j, "quote"),
                    "the dismissed passage is not in the source text",
                    "copy the passage verbatim from the source",
                )
