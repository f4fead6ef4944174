"""`python -m dashboard …` as a user runs it: exit codes, output lines, never a traceback."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import run_dashboard

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str, cwd: Path = FIXTURES, **env_vars: str) -> subprocess.CompletedProcess[str]:
    return run_dashboard(*args, cwd=cwd, timeout=60, env_vars=env_vars)


def test_check_valid_prints_one_summary_line_and_exits_0():
    proc = run("check", "catalogue_valid.yaml")
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        "catalogue_valid.yaml: OK — 1 sources, 4 indicators, 5 observations (1 derived), 1 events"
    ]


def test_check_prints_every_problem_sorted_by_line_and_exits_1(tmp_path):
    text = (FIXTURES / "catalogue_valid.yaml").read_text(encoding="utf-8")
    text = text.replace("value: 300", "value: 310").replace("unit: 项", "unit: 件")
    (tmp_path / "data").symlink_to(FIXTURES / "data")
    (tmp_path / "two.yaml").write_text(text, encoding="utf-8")
    proc = run("check", "two.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "two.yaml:28:11: indicators[0].unit: unit `件` is not in data/units.yaml "
        "(hint: add this line to data/units.yaml, its English name and suffix written for …: "
        "件: {en: …, display_en: {scale: 1, suffix: …}}; with `count: true` if it counts "
        "things) [unknown-unit]",
        "two.yaml:72:16: indicators[2].observations[0].value: the quote does not state 310 "
        "(hint: the quote states: 300 亿) [value-not-in-quote]",
    ]
    assert proc.stderr.strip() == "two.yaml: 2 problems"


@pytest.mark.parametrize(
    ("fixture", "first_line"),
    [
        ("catalogue_syntax_error.yaml", "catalogue_syntax_error.yaml:5:1: YAML syntax error"),
        ("catalogue_empty.yaml", "catalogue_empty.yaml: the file holds no data"),
        ("catalogue_unknown_tag.yaml", "catalogue_unknown_tag.yaml:3:5: sources[0].file"),
    ],
)
def test_bad_input_is_reported_not_raised(fixture, first_line):
    proc = run("check", fixture)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith(first_line)


def test_a_warning_is_marked_and_exits_0_unless_strict():
    proc = run("check", "catalogue_bound_contradicted.yaml")
    assert proc.returncode == 0
    first, summary = proc.stdout.splitlines()
    assert first.startswith("warning: catalogue_bound_contradicted.yaml:78:20: ")
    assert first.endswith("[bound-contradicted]")
    assert summary.endswith("; 1 warning (check --strict fails on them)")
    strict = run("check", "--strict", "catalogue_bound_contradicted.yaml")
    assert strict.returncode == 1
    assert strict.stdout.splitlines() == [first.removeprefix("warning: ")]
    assert strict.stderr.strip() == "catalogue_bound_contradicted.yaml: 1 problem"


def test_missing_file():
    proc = run("check", "no_such_catalogue.yaml")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == ["no_such_catalogue.yaml: file not found [file-missing]"]


def test_binary_garbage_is_a_problem(tmp_path):
    # Bytes 0..255: a line break at byte 10, then 117 characters before the first bad byte.
    (tmp_path / "junk.yaml").write_bytes(bytes(range(256)) * 4)
    proc = run("check", "junk.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("junk.yaml:2:118: byte 0x80 is not valid UTF-8")


def test_a_folder_where_the_catalogue_should_be_is_refused_by_type(tmp_path):
    # Refused before open(): a folder, pipe or device is never read (a FIFO would block).
    (tmp_path / "dir.yaml").mkdir()
    proc = run("check", "dir.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("dir.yaml: not a regular file")
    assert "[file-not-regular]" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_schema_writes_the_json_schema(tmp_path):
    out = tmp_path / "schema.json"
    proc = run("schema", "--out", str(out))
    assert proc.returncode == 0
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert schema["title"] == "indicators.yaml"
    assert schema["additionalProperties"] is False
    assert out.read_text(encoding="utf-8").endswith("}\n")


def test_export_refuses_an_invalid_catalogue(tmp_path):
    proc = run("export", "--format", "csv", "catalogue_hash_mismatch.yaml")
    assert proc.returncode == 1
    assert "[hash-mismatch]" in proc.stdout
    assert "not exported" in proc.stderr


def test_export_json_to_a_file(tmp_path):
    out = tmp_path / "obs.json"
    proc = run("export", "--format", "json", "--out", str(out), "catalogue_valid.yaml")
    assert proc.returncode == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["indicator"], r["period"], r["value"]) for r in rows][:2] == [
        ("contracts_count", "2020", 11483),
        ("contracts_count", "2016", 8595),
    ]


def test_usage_errors_exit_2_without_traceback():
    proc = run("export", "--format", "xml")
    assert proc.returncode == 2
    assert "invalid choice: 'xml'" in proc.stderr


def test_coverage_is_delegated_to_the_coverage_module():
    proc = run("coverage", "catalogue_valid.yaml")
    # The fixture leaves some numbers unaccounted on purpose: coverage reports them and fails.
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[-1].startswith("total: ")
    assert "demo_reply (data/sources/demo_reply.txt)" in proc.stdout


def test_size_limit_is_a_setting_named_in_the_refusal():
    size = (FIXTURES / "catalogue_valid.yaml").stat().st_size
    for proc in (
        run("check", "--max-bytes", "1K", "catalogue_valid.yaml"),
        run("check", "catalogue_valid.yaml", SHSTS_MAX_CATALOGUE_BYTES="1024"),
    ):
        assert proc.returncode == 1
        assert proc.stdout.startswith(
            f"catalogue_valid.yaml: file is {size:,} bytes; the limit is 1,024 bytes "
            "(set by SHSTS_MAX_CATALOGUE_BYTES or `check --max-bytes`)"
        ), proc.stdout
        assert proc.stdout.rstrip().endswith("[file-too-large]")
    # The option wins over the environment; a larger limit lets the file through.
    proc = run("check", "--max-bytes", "1M", "catalogue_valid.yaml", SHSTS_MAX_CATALOGUE_BYTES="1")
    assert proc.returncode == 0, proc.stdout


def test_a_bad_size_setting_is_reported_not_ignored():
    proc = run("check", "catalogue_valid.yaml", SHSTS_MAX_CATALOGUE_BYTES="lots")
    assert proc.returncode == 1
    assert "SHSTS_MAX_CATALOGUE_BYTES: 'lots' is not a size" in proc.stdout
    assert proc.stdout.rstrip().endswith("[invalid-setting]")
    proc = run("check", "--max-bytes", "0", "catalogue_valid.yaml")
    assert proc.returncode == 2
    assert "--max-bytes" in proc.stderr
