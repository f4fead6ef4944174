"""Command line: `check`, `schema`, `export` and `coverage` over a catalogue file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dashboard.catalogue import paths
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.validate import ValidationResult, validate_path
from dashboard.catalogue.yaml_source import DEFAULT_MAX_BYTES, ENV_MAX_BYTES, parse_size


def _print_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems, key=Problem.sort_key):
        # The type goes last in brackets so lines can be grepped by rule.
        print(f"{problem} [{problem.type}]")


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
    if result.problems or result.catalogue is None:
        _print_problems(result.problems)
        count = len(result.problems)
        print(f"{result.file}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        return 1
    cat = result.catalogue
    print(
        f"{result.file}: OK — {len(cat.sources)} sources, {len(cat.indicators)} indicators, "
        f"{cat.observation_count} observations ({cat.derived_count} derived), "
        f"{len(cat.events)} events"
    )
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
    if result.problems or result.catalogue is None:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    default = str(paths.DEFAULT_CATALOGUE)

    check = sub.add_parser("check", help="validate a catalogue and print every problem")
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
    return args.func(args)
