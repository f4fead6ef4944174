"""The YAML loader: safe, located, and every failure a Problem rather than an exception."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.catalogue.yaml_source import (
    DEFAULT_MAX_BYTES,
    _read_at_most,
    load_yaml,
    max_bytes_setting,
    parse_size,
    parse_text,
)

FIXTURES = Path(__file__).parent / "fixtures"


def located(result):
    return [(p.line, p.col, p.path, p.type) for p in result.problems]


def test_values_and_positions_are_kept():
    result = parse_text("a: 1\nb:\n  - x: 名称\n    y: [1, 2]\n", "f.yaml")
    doc = result.document
    assert result.problems == []
    assert doc.data == {"a": 1, "b": [{"x": "名称", "y": [1, 2]}]}
    assert doc.value_pos[("b", 0, "x")] == (3, 8)
    assert doc.value_pos[("b", 0, "y", 1)] == (4, 12)
    assert doc.key_pos[("b", 0, "y")] == (4, 5)
    # A path that was never written falls back to its nearest ancestor.
    assert doc.position(("b", 0, "missing")) == (3, 5)


def test_duplicate_key_is_reported_at_the_second_key():
    result = load_yaml(FIXTURES / "catalogue_duplicate_key.yaml")
    assert located(result) == [(6, 5, "indicators[0].unit", "duplicate-key")]
    assert "first at line 5" in result.problems[0].message
    # The first value is kept; the duplicate neither overwrites it nor moves its location.
    assert result.document.data["indicators"][0]["unit"] == "项"
    assert result.document.value_pos[("indicators", 0, "unit")] == (5, 11)


def test_alias_is_rejected_where_it_is_used():
    result = load_yaml(FIXTURES / "catalogue_alias.yaml")
    assert located(result) == [(4, 13, "indicators", "alias")]
    assert result.document.data["indicators"] is None


def test_many_aliases_are_listed_a_few_then_once_as_more(tmp_path):
    """An alias bomb printed 73 problems; an analyst needs the first few and a count-free
    "and after" line, not a screenful."""
    path = tmp_path / "aliases.yaml"
    path.write_text("a: &a [1]\nb: [" + ", ".join(["*a"] * 40) + "]\n", encoding="utf-8")
    result = load_yaml(path)
    assert [(p.line, p.col, p.type) for p in result.problems] == [
        (2, 5, "alias"),
        (2, 9, "alias"),
        (2, 13, "alias"),
        (2, 17, "alias"),
    ]
    assert (
        result.problems[-1].message == "aliases (*a) are not allowed, here and after (not listed)"
    )


def test_python_tag_is_rejected_and_never_executed(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("os.system", lambda *a: calls.append(a))
    result = load_yaml(FIXTURES / "catalogue_unknown_tag.yaml")
    assert located(result) == [(3, 9, "sources[0].id", "unknown-tag")]
    assert calls == []


def test_local_tag_is_rejected():
    result = parse_text("a: !custom 3\n", "f.yaml")
    assert located(result) == [(1, 4, "a", "unknown-tag")]


def test_syntax_error_reports_the_parser_position():
    result = load_yaml(FIXTURES / "catalogue_syntax_error.yaml")
    assert located(result) == [(5, 1, "", "yaml-syntax")]
    assert "started at line 4, column 25" in result.problems[0].message
    assert result.document is None


def test_empty_file():
    result = load_yaml(FIXTURES / "catalogue_empty.yaml")
    assert located(result) == [(None, None, "", "empty-file")]


def test_top_level_must_be_a_mapping():
    result = load_yaml(FIXTURES / "catalogue_not_mapping.yaml")
    assert located(result) == [(1, 1, "", "wrong-type")]


def test_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" * 100)

    def no_open(*args, **kwargs):
        raise AssertionError("the file must not be read")

    monkeypatch.setattr("builtins.open", no_open)
    result = load_yaml(big, max_bytes=100)
    assert located(result) == [(None, None, "", "file-too-large")]
    assert "500 bytes" in result.problems[0].message


def test_non_utf8_bytes_are_located(tmp_path):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"a: 1\nb: caf\xe9\n")
    assert located(load_yaml(bad)) == [(2, 7, "", "not-utf8")]


def test_bom_is_accepted(tmp_path):
    f = tmp_path / "bom.yaml"
    f.write_bytes("\ufeffa: 名\n".encode())
    result = load_yaml(f)
    assert result.problems == []
    assert result.document.data == {"a": "名"}


def test_missing_file():
    result = load_yaml(Path("/nonexistent/indicators.yaml"))
    assert located(result) == [(None, None, "", "file-missing")]


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_deep_nesting_is_refused_without_crashing(opener):
    # libyaml's own composer segfaults on this; the event-based builder must not.
    result = parse_text("a: " + opener * 200_000, "f.yaml")
    assert [p.type for p in result.problems] == ["too-deep"]
    assert result.document is None


def test_yaml_11_surprises_are_loaded_as_yaml_does():
    # The models reject these where text is meant; the loader must not hide them.
    result = parse_text("a: no\nb: 2020-10-28\nc: 2024-01\n", "f.yaml")
    data = result.document.data
    assert data["a"] is False
    assert data["b"].isoformat() == "2020-10-28"
    assert data["c"] == "2024-01"


def test_second_document_is_rejected():
    result = parse_text("a: 1\n---\nb: 2\n", "f.yaml")
    assert located(result) == [(2, 1, "", "multiple-documents")]


def test_bad_explicit_scalar():
    result = parse_text("a: !!int x\n", "f.yaml")
    assert located(result) == [(1, 4, "a", "invalid-scalar")]


def test_control_character_is_a_problem_not_an_exception():
    result = parse_text("a: 1\x00\n", "f.yaml")
    assert [(p.line, p.type) for p in result.problems] == [(1, "yaml-syntax")]


def test_control_character_after_cjk_text_is_located_by_character():
    # libyaml reports a byte offset; multi-byte text before it must not shift the column.
    result = parse_text("名称: 中文\nb: x\x00\n", "f.yaml")
    assert located(result) == [(2, 5, "", "yaml-syntax")]


_scalars = (
    st.text(max_size=12)
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
    | st.dates()
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), _values, min_size=1, max_size=4), st.booleans())
def test_loader_reads_what_pyyaml_reads(data, flow):
    text = yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, default_flow_style=flow)
    result = parse_text(text, "f.yaml")
    assert result.problems == []
    assert result.document.data == yaml.load(text, Loader=yaml.SafeLoader)


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def test_keys_are_kept_as_written():
    # YAML 1.1 would read `1:` and `true:` as the same key (1 == True) and `null:` as None.
    result = parse_text("1: x\nnull: y\ntrue: z\n", "f.yaml")
    assert result.problems == []
    assert result.document.data == {"1": "x", "null": "y", "true": "z"}


@pytest.mark.parametrize(
    ("text", "size"),
    [("1024", 1024), ("2K", 2048), ("256M", 256 * 1024**2), ("256 MiB", 256 * 1024**2),
     ("1g", 1024**3), ("3MB", 3 * 1024**2)],
)  # fmt: skip
def test_size_settings_are_read_as_bytes(text, size):
    assert parse_size(text) == size
    assert max_bytes_setting({"SHSTS_MAX_CATALOGUE_BYTES": text}) == size


@pytest.mark.parametrize("text", ["", "0", "-1", "1T", "lots", "1.5G"])
def test_bad_size_settings_are_refused(text):
    with pytest.raises(ValueError):
        parse_size(text)


def test_default_limit_admits_the_1000x_benchmark_catalogue():
    # bench/generate.py's 1000x file was 118,038,782 bytes: the default leaves it 2x room.
    assert max_bytes_setting({}) == DEFAULT_MAX_BYTES >= 118_038_782 * 2


@pytest.mark.parametrize(("actual", "limit", "expected"), [(50, 100, 50), (150, 100, 101)])
def test_a_file_that_grows_while_read_is_read_to_the_limit_only(actual, limit, expected):
    """stat said 10 bytes; the file has grown since."""
    assert len(_read_at_most(io.BytesIO(b"x" * actual), 10, limit)) == expected
