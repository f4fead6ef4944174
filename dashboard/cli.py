"""Command line: `check`, `schema`, `export`, `coverage`, `add-source`, `draft`, `slides` and
`publish`."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dashboard.catalogue import paths
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import Catalogue
from dashboard.catalogue.validate import ValidationResult, validate_path
from dashboard.catalogue.yaml_source import DEFAULT_MAX_BYTES, ENV_MAX_BYTES, parse_size


def _print_problems(problems: list[Problem], strict: bool = False) -> None:
    """Errors first, then open warnings (each line starting `warning: `), then acknowledged
    ones (`acknowledged: `: the catalogue records the disagreement). With `strict` every
    open warning is printed, and counted, as an error."""
    errors = [p for p in problems if not p.is_warning or (strict and p.is_open)]
    warnings = [p for p in problems if p.is_warning and p.is_open and not strict]
    acknowledged = [p for p in problems if not p.is_open]
    for problem in sorted(errors, key=Problem.sort_key):
        # The type goes last in brackets so lines can be grepped by rule.
        print(f"{problem} [{problem.type}]")
    for problem in sorted(warnings, key=Problem.sort_key):
        print(f"warning: {problem} [{problem.type}]")
    for problem in sorted(acknowledged, key=Problem.sort_key):
        print(f"acknowledged: {problem} [{problem.type}]")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _validate(path: Path, max_bytes: int | None = None) -> ValidationResult:
    name = paths.display_name(path)
    try:
        return validate_path(path, name, max_bytes)
    except Exception as exc:  # last resort: a bug must still not show a traceback
        problem = Problem(
            "internal-error",
            f"the validator failed unexpectedly ({type(exc).__name__}: {exc})",
            name,
            None,
            None,
            "",
            "please report this with the file",
        )
        return ValidationResult(name, None, [problem])


def cmd_check(args: argparse.Namespace) -> int:
    result = _validate(Path(args.path), args.max_bytes)
    strict = bool(getattr(args, "strict", False))
    open_warnings = [p for p in result.warnings if p.is_open]
    errors = result.errors + (open_warnings if strict else [])
    warnings = [] if strict else open_warnings
    acknowledged = [p for p in result.warnings if not p.is_open]
    _print_problems(result.problems, strict)
    if errors or result.catalogue is None:
        print(f"{result.file}: {_plural(len(errors), 'problem')}", file=sys.stderr)
        return 1
    cat = result.catalogue
    summary = (
        f"{result.file}: OK — {len(cat.sources)} sources, {len(cat.indicators)} indicators, "
        f"{cat.observation_count} observations ({cat.derived_count} derived), "
        f"{len(cat.events)} events"
    )
    if warnings:
        summary += f"; {_plural(len(warnings), 'warning')} (check --strict fails on them)"
    if acknowledged:
        summary += f"; {len(acknowledged)} acknowledged (recorded as ambiguities)"
    print(summary)
    return 0


def schema_text() -> str:
    """The JSON Schema editors use, in a stable form (sorted keys, trailing newline)."""
    from dashboard.catalogue.models import Catalogue

    schema = Catalogue.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from dashboard.catalogue.export import write_export

    result = _validate(Path(args.path), args.max_bytes)
    if not result.ok or result.catalogue is None:
        _print_problems(result.problems)
        print(f"{result.file}: not exported: fix the problems above", file=sys.stderr)
        return 1
    text = write_export(result.catalogue, args.format)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _max_bytes_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--max-bytes",
        type=_size,
        metavar="SIZE",
        help=f"refuse a larger file (bytes, or 512M, 1G; default: {ENV_MAX_BYTES} if set, "
        f"else {DEFAULT_MAX_BYTES // 1024**2}M)",
    )


def closest(name: str, known: Sequence[str]) -> str:
    """The known names nearest to a mistyped one, for an error message."""
    near = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if near:
        return "did you mean " + ", ".join(near) + "?"
    shown = ", ".join(known[:5]) + (f" … ({len(known)} in all)" if len(known) > 5 else "")
    return f"known: {shown}" if known else "the catalogue has none"


def _slide_ids(catalogue: Catalogue, text: str) -> tuple[list[str], list[str]]:
    """(ids asked for, in order and once each; the errors for unknown ones)."""
    ids = list(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
    known = [i.id for i in catalogue.indicators]
    errors = [f"unknown indicator {i!r}: {closest(i, known)}" for i in ids if i not in known]
    if not ids:
        errors.append("--indicator names no indicator")
    return ids, errors


def _umask() -> int:
    """The process's umask (reading it means setting it: set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target and rename over it: a failed write leaves no partial file.
    The file gets the mode any new file of the user's gets (0o666 less the umask), not the
    owner-only 0600 a temporary file is created with."""
    part: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
        ) as handle:
            part = Path(handle.name)
            handle.write(data)
        os.chmod(part, 0o666 & ~_umask())
        os.replace(part, path)
    except BaseException:
        if part is not None:
            part.unlink(missing_ok=True)
        raise


def _writable_target(out: Path) -> str | None:
    """Why `out` cannot be written (checked before seconds of rendering), else None."""
    if out.is_dir():
        return "is a folder"
    if not out.parent.is_dir():
        return f"its folder {paths.display_name(out.parent)} does not exist"
    try:
        tempfile.TemporaryFile(dir=out.parent).close()
    except OSError as exc:
        return f"cannot write in {paths.display_name(out.parent)} ({exc.strerror or exc})"
    return None


def cmd_slides(args: argparse.Namespace) -> int:
    # Loaded here only: plotly, pandas and python-pptx stay out of `check`.
    from datetime import date

    from dashboard.catalogue import data_files
    from dashboard.figures import compare, grammar, slides, topics
    from dashboard.figures.i18n import Translator
    from dashboard.figures.images import ImageError

    started = time.perf_counter()
    out = Path(args.out)
    why = _writable_target(out)
    if why:
        print(f"{out}: cannot write the deck: {why}", file=sys.stderr)
        return 1
    result = _validate(Path(args.path))
    if not result.ok or result.catalogue is None:
        _print_problems(result.problems)
        print(f"{result.file}: no slides: fix the problems above", file=sys.stderr)
        return 1
    catalogue = result.catalogue
    tr = Translator(data_files.labels(), args.lang)
    words = grammar.Words(tr, data_files.units())
    years = (args.year_from, args.year_to)
    try:
        if args.topic is not None:
            known = topics.topic_order(catalogue, words)
            if args.topic not in known:
                print(
                    f"unknown topic {args.topic!r}: {closest(args.topic, known)}", file=sys.stderr
                )
                return 1
            plan = slides.topic_deck(catalogue, words, args.topic, years, today=date.today())
        else:
            ids, errors = _slide_ids(catalogue, args.indicator)
            if errors:
                print("\n".join(errors), file=sys.stderr)
                return 1
            # The page's rule and the page's words: what it would not draw together is
            # refused here, before anything is drawn (one deck per indicator draws each).
            refused = compare.refused_notices(catalogue, tr, ids, compare.kept_ids(catalogue, ids))
            if refused:
                print("\n".join(refused), file=sys.stderr)
                print(
                    f"{out}: not written: these indicators cannot share one chart; "
                    "make one deck per indicator (or --topic for their topic)",
                    file=sys.stderr,
                )
                return 1
            plan = slides.view_deck(catalogue, ids, words, years)
    except slides.EmptyDeck:
        what = f"topic {args.topic}" if args.topic is not None else args.indicator
        span = f"{args.year_from or '…'}–{args.year_to or '…'}"
        print(f"{out}: not written: no figures of {what} in {span}", file=sys.stderr)
        return 1
    if plan.left_out:
        print(f"no figures in the years asked for: {', '.join(plan.left_out)}", file=sys.stderr)
    try:
        data = slides.build_deck(catalogue, plan, words)
        _write_atomically(out, data)
    except ImageError as exc:
        print(f"{out}: not written: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{out}: cannot write the deck: {exc.strerror or exc}", file=sys.stderr)
        return 1
    charts = len(plan.charts)
    print(
        f"{paths.display_name(out)}: {_plural(len(plan.pages), 'slide')} "
        f"({charts} with a chart) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0


def cmd_add_source(args: argparse.Namespace) -> int:
    from dashboard.catalogue import audit
    from dashboard.catalogue.authoring import add_source
    from dashboard.catalogue.authoring.safe_write import WriteRefused

    try:
        plan = add_source.plan(
            Path(args.catalogue), args.file, args.id, args.set, check=args.dry_run
        )
        sys.stdout.write(add_source.render(plan))
        if args.dry_run:
            print("# --dry-run: nothing copied, nothing written", file=sys.stderr)
            return 0
        # Opened first: a write that cannot be logged is not made.
        with audit.opened(Path(args.catalogue)) as log:
            result = add_source.apply(plan)
            log.append(
                audit.os_user(),
                "add-source",
                via="python -m dashboard add-source",
                catalogue=str(Path(args.catalogue).resolve()),
                source=plan.entry["id"],
                file=plan.entry["file"],
                sha256=plan.entry["sha256"],
            )
    except audit.AuditUnavailable as exc:
        print(exc, file=sys.stderr)
        return 1
    except WriteRefused as refused:
        _print_problems(refused.problems)
        print(refused, file=sys.stderr)
        return 1
    _print_problems(result.warnings)
    print(
        f"{plan.snapshot.name}: added source `{plan.entry['id']}` ({plan.entry['file']}); "
        f"next: python -m dashboard draft {plan.entry['id']}",
        file=sys.stderr,
    )
    return 0


def vintages_default() -> str:
    from dashboard.catalogue import vintages

    env, folder = vintages.ENV_PUBLISHED, vintages.PUBLISHED_DIRNAME
    return f"${env} if set, else {folder}/ beside the catalogue"


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"{text!r} is not a four-digit year")
    return int(text)


def cmd_draft(args: argparse.Namespace) -> int:
    from dashboard.catalogue.authoring import drafting
    from dashboard.catalogue.authoring.safe_write import WriteRefused

    try:
        result = drafting.run(Path(args.catalogue), args.source, args.all)
        text = drafting.render(result.drafts, args.format)
        if args.out:
            drafting.write_out(Path(args.out), text, Path(args.catalogue))
        else:
            sys.stdout.write(text)
    except WriteRefused as refused:
        _print_problems(refused.problems)
        print(refused, file=sys.stderr)
        return 1
    print(result.summary(), file=sys.stderr)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from dashboard.catalogue import audit, vintages
    from dashboard.catalogue.publish import (
        PublishRefused,
        figure_changes,
        publish,
    )

    catalogue = Path(args.path)
    published = Path(args.published) if args.published else vintages.published_dir(catalogue)
    try:
        outcome = publish(
            catalogue,
            published,
            who=audit.os_user(),
            allow_removals=args.allow_removals,
            if_none=args.if_none,
            max_bytes=args.max_bytes,
        )
    except PublishRefused as refused:
        _print_problems(refused.problems)
        print(refused, file=sys.stderr)
        return 1
    where = paths.display_name(published)
    if outcome.status == "exists":
        current = outcome.previous.name if outcome.previous else "none readable"
        print(f"{where}: a vintage exists already (current: {current}); nothing published")
        return 0
    _print_problems(outcome.warnings)
    previous = outcome.previous
    changes = outcome.changes
    assert changes is not None and outcome.new_index is not None
    if previous is None:
        print(f"{paths.display_name(catalogue)}: the first vintage in {where}:")
    else:
        print(f"{paths.display_name(catalogue)}: compared with {previous.name}:")
    for line in changes.summary_lines():
        print(f"  {line}")
    for line in figure_changes(outcome.old_index, outcome.new_index, changes):
        print(f"  figure revised: {line}")
    if outcome.status == "unchanged":
        print(f"nothing changed since {previous.name if previous else '-'}: nothing published")
        return 0
    assert outcome.vintage is not None
    print(
        f"published {outcome.vintage.name} ({paths.display_name(outcome.vintage.folder)}); "
        f"{where}/{vintages.POINTER} names it: public instances serve it from their next page view"
    )
    return 0


def _drafts_written(review: Any) -> list[dict[str, Any]]:
    """What the audit log records of the figures add-drafts writes, per indicator."""
    keys = ("period", "value", "unit", "qualifier", "source")
    rows = [(ind, obs) for ind, found in review.existing.items() for obs in found]
    rows += [(ind, obs) for ind, entry in review.new.items() for obs in entry["observations"]]
    return [{"indicator": ind, **{k: obs.get(k) for k in keys}} for ind, obs in rows]


def cmd_add_drafts(args: argparse.Namespace) -> int:
    from dashboard.catalogue import audit
    from dashboard.catalogue.authoring import accept, apply
    from dashboard.catalogue.authoring.safe_write import WriteRefused

    try:
        accepted = accept.plan(Path(args.catalogue), Path(args.drafts))
        if args.dry_run:
            sys.stdout.write(apply.snippet(accepted.review))
            checked = accept.check(accepted)
            _print_problems(checked.errors + checked.warnings)
            verdict = "would validate" if checked.ok else "would not validate"
            print(f"# --dry-run: nothing written; the catalogue {verdict}", file=sys.stderr)
            return 0 if checked.ok else 1
        # Opened first: a write that cannot be logged is not made.
        with audit.opened(Path(args.catalogue)) as log:
            result = accept.write(accepted)
            log.append(
                audit.os_user(),
                "add-drafts",
                via="python -m dashboard add-drafts",
                catalogue=str(Path(args.catalogue).resolve()),
                drafts=str(Path(args.drafts).resolve()),
                figures=_drafts_written(accepted.review),
            )
    except audit.AuditUnavailable as exc:
        print(exc, file=sys.stderr)
        return 1
    except WriteRefused as refused:
        _print_problems(refused.problems)
        print(refused, file=sys.stderr)
        return 1
    _print_problems(result.warnings)
    review = accepted.review
    print(
        f"{accepted.snapshot.name}: added {_plural(review.count, 'observation')} "
        f"({len(review.existing)} existing, {len(review.new)} new indicators); "
        "next: python -m dashboard check",
        file=sys.stderr,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    default = str(paths.DEFAULT_CATALOGUE)

    check = sub.add_parser("check", help="validate a catalogue and print every problem")
    check.add_argument(
        "--strict",
        action="store_true",
        help="count open warnings as errors (acknowledged ones: recorded as ambiguities)",
    )
    check.add_argument("path", nargs="?", default=default)
    _max_bytes_option(check)
    check.set_defaults(func=cmd_check)

    schema = sub.add_parser("schema", help="write the JSON Schema of the catalogue format")
    schema.add_argument("--out", help="file to write (default: standard output)")
    schema.set_defaults(func=cmd_schema)

    export = sub.add_parser("export", help="write the observations as a tidy table")
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument("--out", help="file to write (default: standard output)")
    export.add_argument("path", nargs="?", default=default)
    _max_bytes_option(export)
    export.set_defaults(func=cmd_export)

    deck = sub.add_parser(
        "slides", help="write a 16:9 PPTX deck of a view or a topic, quotes in the notes"
    )
    which = deck.add_mutually_exclusive_group(required=True)
    which.add_argument("--indicator", help="ID[,ID...]: one view (a chart or a figure card)")
    which.add_argument("--topic", help="a topic: its title slide, then one slide per indicator")
    deck.add_argument("--lang", choices=("zh", "en"), default="zh")
    deck.add_argument("--from", dest="year_from", type=_year, metavar="YEAR")
    deck.add_argument("--to", dest="year_to", type=_year, metavar="YEAR")
    deck.add_argument("--out", required=True, help="the .pptx file to write")
    deck.add_argument("path", nargs="?", default=default)
    deck.set_defaults(func=cmd_slides)

    add = sub.add_parser(
        "add-source",
        help="copy a new document into data/sources/ and add its `sources:` entry",
    )
    add.add_argument("file", metavar="FILE", help="the document: a UTF-8 text inside the project")
    add.add_argument("--id", help="the source id (default: from its reference number)")
    add.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a value the text does not give, e.g. --set title.en='Reply to …' (repeatable)",
    )
    add.add_argument(
        "--dry-run", action="store_true", help="print the proposed entry; change nothing"
    )
    add.add_argument("--catalogue", default=default, help="the catalogue (default: %(default)s)")
    add.set_defaults(func=cmd_add_source)

    draft = sub.add_parser(
        "draft", help="propose observations for the figures of a source not yet in the catalogue"
    )
    draft.add_argument("source", metavar="SOURCE", help="a source id, or a path to a text file")
    draft.add_argument(
        "--all",
        action="store_true",
        help="draft every number, marking those already cited with what cites them",
    )
    draft.add_argument("--format", choices=("yaml", "csv"), default="yaml")
    draft.add_argument("--out", help="file to write (default: standard output)")
    draft.add_argument("--catalogue", default=default, help="the catalogue (default: %(default)s)")
    draft.set_defaults(func=cmd_draft)

    pub = sub.add_parser(
        "publish",
        help="validate the catalogue, show what changed since the current vintage, and "
        "publish it as a new vintage for public instances",
    )
    pub.add_argument(
        "--allow-removals",
        action="store_true",
        help="publish even though sources, indicators, figures, topics or events would be removed",
    )
    pub.add_argument(
        "--if-none",
        action="store_true",
        help="publish only when there is no vintage yet (what `make serve` does on a fresh clone)",
    )
    pub.add_argument(
        "--published",
        metavar="DIR",
        help=f"where vintages live (default: {vintages_default()})",
    )
    pub.add_argument("path", nargs="?", default=default)
    _max_bytes_option(pub)
    pub.set_defaults(func=cmd_publish)

    drafts = sub.add_parser(
        "add-drafts",
        help="add reviewed drafts (a file `draft --out` wrote, edited) to the catalogue",
    )
    drafts.add_argument("drafts", metavar="DRAFTS", help="the reviewed drafts file (YAML)")
    drafts.add_argument(
        "--dry-run", action="store_true", help="print the YAML it would add; change nothing"
    )
    drafts.add_argument("--catalogue", default=default, help="the catalogue (default: %(default)s)")
    drafts.set_defaults(func=cmd_add_drafts)

    coverage = sub.add_parser(
        "coverage", help="list numbers in the sources that are neither cited nor dismissed"
    )
    coverage.add_argument("rest", nargs=argparse.REMAINDER)
    coverage.set_defaults(func=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["coverage"]:
        from dashboard.catalogue.coverage import (
            run_cli,  # owned by the coverage module; loaded only here
        )

        return run_cli(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    low, high = getattr(args, "year_from", None), getattr(args, "year_to", None)
    if low is not None and high is not None and low > high:
        parser.error(f"--from {low} is after --to {high}")
    try:
        return args.func(args)
    except Exception as exc:  # last resort: a bug must still not show a traceback
        print(
            f"python -m dashboard {args.command}: failed unexpectedly "
            f"({type(exc).__name__}: {exc}); please report this",
            file=sys.stderr,
        )
        return 1
