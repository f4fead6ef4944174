"""Command line: `check`, `schema`, `export`, `coverage`, `add-source` and `draft`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dashboard.catalogue import paths
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.validate import ValidationResult, validate_path


def _print_problems(problems: list[Problem], strict: bool = False) -> None:
    """Errors first, then warnings (each line starting `warning: `); with `strict` every
    warning is printed, and counted, as an error."""
    errors = [p for p in problems if strict or not p.is_warning]
    warnings = [p for p in problems if not strict and p.is_warning]
    for problem in sorted(errors, key=Problem.sort_key):
        # The type goes last in brackets so lines can be grepped by rule.
        print(f"{problem} [{problem.type}]")
    for problem in sorted(warnings, key=Problem.sort_key):
        print(f"warning: {problem} [{problem.type}]")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _validate(path: Path) -> ValidationResult:
    name = paths.display_name(path)
    try:
        return validate_path(path, name)
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
    result = _validate(Path(args.path))
    strict = bool(getattr(args, "strict", False))
    errors = result.problems if strict else result.errors
    warnings = [] if strict else result.warnings
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

    result = _validate(Path(args.path))
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


def cmd_add_source(args: argparse.Namespace) -> int:
    from dashboard.catalogue.authoring import add_source
    from dashboard.catalogue.authoring.safe_write import WriteRefused

    try:
        plan = add_source.plan(Path(args.catalogue), args.file, args.id, args.set)
        sys.stdout.write(add_source.render(plan))
        if args.dry_run:
            print("# --dry-run: nothing copied, nothing written", file=sys.stderr)
            return 0
        result = add_source.apply(plan)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    default = str(paths.DEFAULT_CATALOGUE)

    check = sub.add_parser("check", help="validate a catalogue and print every problem")
    check.add_argument(
        "--strict", action="store_true", help="count warnings (cross-document checks) as errors"
    )
    check.add_argument("path", nargs="?", default=default)
    check.set_defaults(func=cmd_check)

    schema = sub.add_parser("schema", help="write the JSON Schema of the catalogue format")
    schema.add_argument("--out", help="file to write (default: standard output)")
    schema.set_defaults(func=cmd_schema)

    export = sub.add_parser("export", help="write the observations as a tidy table")
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument("--out", help="file to write (default: standard output)")
    export.add_argument("path", nargs="?", default=default)
    export.set_defaults(func=cmd_export)

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
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except Exception as exc:  # last resort: a bug must still not show a traceback
        print(
            f"python -m dashboard {args.command}: failed unexpectedly "
            f"({type(exc).__name__}: {exc}); please report this",
            file=sys.stderr,
        )
        return 1
