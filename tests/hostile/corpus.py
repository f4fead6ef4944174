"""The hostile catalogue corpus: the valid base with one thing broken per case, and its report.

This table is the single source of truth: `python -m tests.hostile.corpus` (re)writes
tests/hostile/cases/ from it, and test_corpus.py checks the committed files still match, so
a reader can open any case file and a reviewer can see in one place what each must report.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE / "base"
BASE_YAML = BASE_DIR / "indicators.yaml"
CASES_DIR = HERE / "cases"

# A command the `!!python/object/apply:os.system` case would run if a loader ever executed it;
# the test runs in a temp dir and asserts the file does not appear.
PWNED_FILE = "PWNED_BY_YAML"


def base_text() -> str:
    return BASE_YAML.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Case:
    """One broken catalogue and what `python -m dashboard check` must say about it."""

    name: str
    group: str
    # Either replace `old` by `new` on 1-based line `at` of the base, or build the bytes directly.
    at: int | None = None
    old: str | None = None
    new: str | None = None
    build: Callable[[str], bytes] | None = None
    # Expected problem: its type and the 1-based line it points to (None: no lines to point to).
    type: str = ""
    line: int | None = None
    # The 1-based column, where the case is about columns (BOM, CRLF, tabs).
    col: int | None = None
    # Extra types the validator may equally report first for this case (still must be located).
    also: tuple[str, ...] = ()
    # Set by cases whose source text is changed after the catalogue recorded its hash.
    change_source: bool = False
    # Cases written at test time (too big to commit).
    generated: bool = False
    notes: str = field(default="", compare=False)

    @property
    def filename(self) -> str:
        return f"{self.name}.yaml"

    def render(self) -> bytes:
        text = base_text()
        if self.build is not None:
            return self.build(text)
        assert self.at is not None and self.old is not None and self.new is not None
        lines = text.split("\n")
        target = lines[self.at - 1]
        if target.count(self.old) != 1:
            raise ValueError(
                f"{self.name}: {self.old!r} not exactly once on line {self.at}: {target!r}"
            )
        lines[self.at - 1] = target.replace(self.old, self.new)
        return "\n".join(lines).encode("utf-8")


def _replace_line(at: int, new_lines: list[str]) -> Callable[[str], bytes]:
    """Replace base line `at` by several lines (for edits that add structure)."""

    def build(text: str) -> bytes:
        lines = text.split("\n")
        lines[at - 1 : at] = new_lines
        return "\n".join(lines).encode("utf-8")

    return build


def _insert_before(at: int, new_lines: list[str]) -> Callable[[str], bytes]:
    def build(text: str) -> bytes:
        lines = text.split("\n")
        lines[at - 1 : at - 1] = new_lines
        return "\n".join(lines).encode("utf-8")

    return build


def _delete_line(at: int) -> Callable[[str], bytes]:
    def build(text: str) -> bytes:
        lines = text.split("\n")
        del lines[at - 1]
        return "\n".join(lines).encode("utf-8")

    return build


def _empty(_: str) -> bytes:
    return b""


def _comments_only(_: str) -> bytes:
    return b"# nothing but a comment\n\n"


def _binary_garbage(_: str) -> bytes:
    # Deterministic bytes that are not UTF-8 (0xff/0xfe never occur in UTF-8), with NULs.
    return bytes((i * 97 + 13) % 256 for i in range(4096)) + b"\xff\xfe\x00\x00"


def _invalid_utf8_midfile(text: str) -> bytes:
    lines = text.encode("utf-8").split(b"\n")
    # Line 22 (description) gets a lone continuation byte inside its text.
    lines[21] = lines[21].replace("技术市场".encode(), b"\x80\xfe")
    return b"\n".join(lines)


def _nul_in_text(text: str) -> bytes:
    lines = text.split("\n")
    lines[21] = lines[21].replace("技术市场", "技术\x00市场")
    return "\n".join(lines).encode("utf-8")


def _bom_broken(text: str) -> bytes:
    lines = text.split("\n")
    lines[31] = lines[31].replace("qualifier: exact", "qualifier: exact: x")
    return b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8")


def _crlf_broken(text: str) -> bytes:
    lines = text.split("\n")
    lines[31] = lines[31].replace("qualifier: exact", "qualifier: exact: x")
    return "\r\n".join(lines).encode("utf-8")


def _cr_only_broken(text: str) -> bytes:
    # Old-Mac line ends: a YAML line break too, so lines must still be counted right.
    lines = text.split("\n")
    lines[30] = lines[30].replace("value: 11483", "value: 11483: 2")
    return "\r".join(lines).encode("utf-8")


def _tab_indent(text: str) -> bytes:
    lines = text.split("\n")
    lines[31] = "\t" + lines[31].lstrip(" ")
    return "\n".join(lines).encode("utf-8")


def _deep_nesting(text: str) -> bytes:
    depth = 100_000
    lines = text.split("\n")
    lines[21] = "    description: " + "[" * depth + "]" * depth
    return "\n".join(lines).encode("utf-8")


def _deep_block_nesting(text: str) -> bytes:
    # Block-style nesting (each level a new indented mapping), 200 levels deep.
    depth = 200
    nested = [f"{'  ' * (i + 2)}k{i}:" for i in range(depth)]
    nested[-1] += " end"
    lines = text.split("\n")
    lines[21:22] = ["    description:", *nested]
    return "\n".join(lines).encode("utf-8")


def _alias_bomb(text: str) -> bytes:
    bomb = [
        "x_bomb:",
        '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        "  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
        "  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
        "  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
        "  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
        "  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
        "  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
        "  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
        "  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
    ]
    lines = text.split("\n")
    lines[1:1] = bomb
    return "\n".join(lines).encode("utf-8")


def _alias_bomb_in_field(text: str) -> bytes:
    # The bomb hidden where a real field is: the notes of an indicator.
    lines = text.split("\n")
    lines[27:27] = [
        "    notes:",
        '      zh: &a ["哈","哈","哈","哈","哈","哈","哈","哈","哈","哈"]',
        "      en: [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]",
    ]
    return "\n".join(lines).encode("utf-8")


def _bare_list(_: str) -> bytes:
    return b"- version: 1\n- sources: []\n"


def _bare_scalar(_: str) -> bytes:
    return b"just some text, not a catalogue\n"


def _two_documents(text: str) -> bytes:
    return (text + "---\nversion: 1\n").encode("utf-8")


def _utf16(text: str) -> bytes:
    # Saved as UTF-16 by a Windows editor: YAML allows it, but the contract says UTF-8.
    return text.encode("utf-16")


# Line numbers below are 1-based lines of base/indicators.yaml (see `cat -n`).
CASES: list[Case] = [
    # --- YAML syntax -------------------------------------------------------------------------
    Case(
        "syntax_unclosed_double_quote",
        "yaml-syntax",
        at=10,
        old="reference: 沪",
        new='reference: "沪',
        type="yaml-syntax",
        line=14,
        notes="libyaml can only report where the runaway scalar ends, at the next quote",
    ),
    Case(
        "syntax_unclosed_flow_mapping",
        "yaml-syntax",
        at=7,
        old="(excerpt)}",
        new="(excerpt)",
        type="yaml-syntax",
        line=8,
    ),
    Case(
        "syntax_mapping_value_in_plain_scalar",
        "yaml-syntax",
        at=32,
        old="qualifier: exact",
        new="qualifier: exact: really",
        type="yaml-syntax",
        line=32,
    ),
    Case(
        "syntax_bad_indentation",
        "yaml-syntax",
        at=33,
        old="        source:",
        new="       source:",
        type="yaml-syntax",
        line=33,
    ),
    Case(
        "syntax_unclosed_flow_sequence",
        "yaml-syntax",
        build=_replace_line(145, ["    indicators: [ste_bank_institutions"]),
        type="yaml-syntax",
        line=146,
    ),
    Case(
        "syntax_tab_indentation",
        "yaml-syntax",
        build=_tab_indent,
        type="yaml-syntax",
        line=32,
        col=1,
    ),
    Case(
        "syntax_bom_then_error",
        "yaml-syntax",
        build=_bom_broken,
        type="yaml-syntax",
        line=32,
        col=25,
    ),
    Case(
        "syntax_crlf_then_error",
        "yaml-syntax",
        build=_crlf_broken,
        type="yaml-syntax",
        line=32,
        col=25,
    ),
    Case(
        "syntax_cr_line_ends_then_error",
        "yaml-syntax",
        build=_cr_only_broken,
        type="yaml-syntax",
        line=31,
    ),
    Case(
        "syntax_nul_character",
        "yaml-syntax",
        build=_nul_in_text,
        type="yaml-syntax",
        line=22,
        col=25,
    ),
    Case(
        "syntax_two_documents",
        "yaml-syntax",
        build=_two_documents,
        type="multiple-documents",
        line=153,
    ),
    # --- files that are not a catalogue at all ------------------------------------------------
    Case("empty_file", "not-a-catalogue", build=_empty, type="empty-file", line=None),
    Case("comments_only", "not-a-catalogue", build=_comments_only, type="empty-file", line=None),
    Case("binary_garbage", "not-a-catalogue", build=_binary_garbage, type="not-utf8", line=1),
    Case(
        "invalid_utf8_mid_file",
        "not-a-catalogue",
        build=_invalid_utf8_midfile,
        type="not-utf8",
        line=22,
    ),
    Case("utf16_encoded", "not-a-catalogue", build=_utf16, type="not-utf8", line=1, col=1),
    Case("top_level_list", "not-a-catalogue", build=_bare_list, type="wrong-type", line=1),
    Case("top_level_scalar", "not-a-catalogue", build=_bare_scalar, type="wrong-type", line=1),
    Case(
        "huge_over_default_limit",
        "not-a-catalogue",
        type="file-too-large",
        line=None,
        generated=True,
        notes="one byte over the default size limit (256 MiB), written sparse at test time",
    ),
    # --- resource attacks ----------------------------------------------------------------------
    Case("deep_flow_nesting", "resource", build=_deep_nesting, type="too-deep", line=22),
    Case(
        "deep_block_nesting",
        "resource",
        build=_deep_block_nesting,
        type="too-deep",
        line=61,
        notes="reported where the nesting passes the limit (40 levels below line 22)",
    ),
    Case("alias_expansion_bomb", "resource", build=_alias_bomb, type="alias", line=4),
    Case("alias_in_field", "resource", build=_alias_bomb_in_field, type="alias", line=30),
    # --- tags that would execute code or read files --------------------------------------------
    Case(
        "tag_python_object_apply_os_system",
        "unsafe-tag",
        at=22,
        old="{zh: 技术市场合同登记数, en: Contracts registered on the technology market}",
        new=f'!!python/object/apply:os.system ["touch {PWNED_FILE}"]',
        type="unknown-tag",
        line=22,
    ),
    Case(
        "tag_python_name",
        "unsafe-tag",
        at=23,
        old="topic: tech_transfer",
        new="topic: !!python/name:os.system",
        type="unknown-tag",
        line=23,
    ),
    Case(
        "tag_local_include",
        "unsafe-tag",
        at=5,
        old="file: data/sources/mini_reply.txt",
        new="file: !include /etc/passwd",
        type="unknown-tag",
        line=5,
    ),
    # --- duplicates ----------------------------------------------------------------------------
    Case(
        "duplicate_key_in_observation",
        "duplicates",
        build=_insert_before(32, ["        value: 11484"]),
        type="duplicate-key",
        line=32,
    ),
    Case(
        "duplicate_top_level_key",
        "duplicates",
        build=_insert_before(19, ["version: 1"]),
        type="duplicate-key",
        line=19,
    ),
    Case(
        "duplicate_indicator_id",
        "duplicates",
        at=59,
        old="research_units_tech_contracts_value",
        new="research_units_tech_contracts_count",
        type="duplicate-id",
        line=59,
    ),
    Case(
        "duplicate_observation_period_and_source",
        "duplicates",
        at=35,
        old='"2016"',
        new='"2020"',
        type="duplicate-observation",
        line=35,
    ),
    Case(
        "duplicate_event_id_of_indicator_kind",
        "duplicates",
        build=_insert_before(
            149,
            [
                "  - id: ste_opening",
                '    date: "2020-10-28"',
                "    title: {zh: 开市, en: Opens}",
                "    short: {zh: 开市, en: Opens}",
                "    source: mini_reply",
                "    quote: 10 月 28 日开市",
            ],
        ),
        type="duplicate-id",
        line=149,
    ),
    # --- keys ------------------------------------------------------------------------------
    Case(
        "unknown_key_typo",
        "keys",
        at=32,
        old="qualifier:",
        new="qualifer:",
        type="unknown-key",
        line=32,
    ),
    Case("missing_value", "keys", build=_delete_line(31), type="missing-key", line=30),
    Case(
        "missing_sources",
        "keys",
        build=lambda t: "\n".join(t.split("\n")[:2] + t.split("\n")[18:]).encode("utf-8"),
        type="missing-key",
        line=2,
    ),
    Case(
        "missing_text_en",
        "keys",
        at=7,
        old=", en: Test reply (excerpt)}",
        new="}",
        type="missing-key",
        line=7,
    ),
    # --- wrong types -----------------------------------------------------------------------
    Case(
        "type_value_string_thousands",
        "types",
        at=31,
        old="11483",
        new='"11,483"',
        type="wrong-type",
        line=31,
    ),
    Case(
        "type_value_string_chinese",
        "types",
        at=31,
        old="11483",
        new='"超300"',
        type="wrong-type",
        line=31,
    ),
    Case("type_value_list", "types", at=31, old="11483", new="[11483]", type="wrong-type", line=31),
    Case("type_value_bool", "types", at=31, old="11483", new="true", type="wrong-type", line=31),
    Case(
        "type_period_list",
        "types",
        at=30,
        old='"2020"',
        new='["2020"]',
        type="invalid-period",
        line=30,
    ),
    Case(
        "type_name_plain_string",
        "types",
        at=21,
        old="{zh: 高校院所等科研事业单位技术合同登记数, en: Technology contracts registered by research units}",  # noqa: E501
        new="技术合同登记数",
        type="wrong-type",
        line=21,
    ),
    Case(
        "type_text_number",
        "types",
        at=47,
        old="en: Compared with 2016",
        new="en: 2016",
        type="wrong-type",
        line=47,
    ),
    Case(
        "type_text_empty",
        "types",
        at=7,
        old="zh: 测试用答复（摘录）",
        new='zh: ""',
        type="invalid-value",
        line=7,
    ),
    Case(
        "type_headline_string", "types", at=28, old="true", new='"true"', type="wrong-type", line=28
    ),
    Case(
        "type_observations_mapping",
        "types",
        build=lambda t: "\n".join(
            [*t.split("\n")[:134], '    observations: {period: "2022"}', *t.split("\n")[140:]]
        ).encode("utf-8"),
        type="wrong-type",
        line=135,
    ),
    Case(
        "type_sources_null",
        "types",
        build=lambda t: "\n".join([*t.split("\n")[:2], "sources:", *t.split("\n")[18:]]).encode(
            "utf-8"
        ),
        type="wrong-type",
        line=3,
    ),
    Case("type_version_2", "types", at=2, old="1", new="2", type="invalid-value", line=2),
    Case(
        "type_id_not_snake_case",
        "types",
        at=20,
        old="research_units_tech_contracts_count",
        new="Research-Units",
        type="invalid-value",
        line=20,
    ),
    Case(
        "type_id_too_long",
        "types",
        at=20,
        old="research_units_tech_contracts_count",
        new="r" * 65,
        type="invalid-value",
        line=20,
    ),
    Case(
        "type_id_non_ascii",
        "types",
        at=20,
        old="research_units_tech_contracts_count",
        new="合同数",
        type="invalid-value",
        line=20,
    ),
    Case(
        "type_sha256_not_hex",
        "types",
        at=6,
        old="bcd8527b",
        new="zzzzzzzz",
        type="invalid-value",
        line=6,
    ),
    Case(
        "type_qualifier_unknown",
        "types",
        at=32,
        old="exact",
        new="approximately",
        type="invalid-value",
        line=32,
    ),
    Case(
        "type_measure_unknown",
        "types",
        at=25,
        old="annual_flow",
        new="yearly",
        type="invalid-value",
        line=25,
    ),
    Case(
        "type_kind_unknown",
        "types",
        at=11,
        old="proposal_reply",
        new="tweet",
        type="invalid-value",
        line=11,
    ),
    Case(
        "type_signed_status_unknown",
        "types",
        at=13,
        old="stated",
        new="maybe",
        type="invalid-value",
        line=13,
    ),
    # --- YAML 1.1 surprises ----------------------------------------------------------------
    Case(
        "yaml11_no_is_false",
        "yaml11",
        at=47,
        old="en: Compared with 2016",
        new="en: no",
        type="wrong-type",
        line=47,
        notes="the Norway problem: `no` is a boolean",
    ),
    Case(
        "yaml11_on_is_true",
        "yaml11",
        at=23,
        old="tech_transfer",
        new="on",
        type="wrong-type",
        line=23,
    ),
    Case(
        "yaml11_octal_012",
        "yaml11",
        at=82,
        old="value: 12",
        new="value: 012",
        type="value-not-in-quote",
        line=82,
        notes="012 loads as 10",
    ),
    Case(
        "yaml11_sexagesimal_3_25",
        "yaml11",
        at=55,
        old="33.6",
        new="3:25",
        type="value-not-in-quote",
        line=55,
        notes="3:25 loads as 205",
    ),
    Case(
        "yaml11_bare_date_in_text",
        "yaml11",
        at=15,
        old="2023 年 5 月 16 日",
        new="2023-05-16",
        type="wrong-type",
        line=15,
        notes="an unquoted date in a text field loads as a date object",
    ),
    # --- impossible numbers ----------------------------------------------------------------
    Case("value_nan", "numbers", at=31, old="11483", new=".nan", type="invalid-value", line=31),
    Case("value_inf", "numbers", at=31, old="11483", new=".inf", type="invalid-value", line=31),
    Case(
        "value_negative_count",
        "numbers",
        at=31,
        old="11483",
        new="-11483",
        type="negative-value",
        line=31,
    ),
    Case(
        "value_huge_exponent",
        "numbers",
        at=31,
        old="11483",
        new="1.0e+400",
        type="invalid-value",
        line=31,
    ),
    # --- units, periods --------------------------------------------------------------------
    Case(
        "unknown_unit", "units-periods", at=26, old="项", new="公顷", type="unknown-unit", line=26
    ),
    Case(
        "period_in_future",
        "units-periods",
        at=30,
        old='"2020"',
        new='"2099"',
        type="period-after-source",
        line=30,
    ),
    Case(
        "period_after_source_date",
        "units-periods",
        at=136,
        old='"2022"',
        new='"2024"',
        type="period-after-source",
        line=136,
    ),
    Case(
        "period_malformed_month_13",
        "units-periods",
        at=30,
        old='"2020"',
        new='"2020-13"',
        type="invalid-period",
        line=30,
    ),
    Case(
        "period_interval_reversed",
        "units-periods",
        at=81,
        old='"2020-10-28/2023-05-16"',
        new='"2023-05-16/2020-10-28"',
        type="invalid-period",
        line=81,
    ),
    Case(
        "event_date_after_source",
        "units-periods",
        at=143,
        old='"2020-10-28"',
        new='"2024-10-28"',
        type="event-after-source",
        line=143,
        also=("event-date-not-in-quote",),
    ),
    # --- references --------------------------------------------------------------------------
    Case(
        "missing_source_reference",
        "references",
        at=33,
        old="mini_reply",
        new="no_such_reply",
        type="unknown-source",
        line=33,
    ),
    Case(
        "missing_indicator_reference_in_derived",
        "references",
        at=44,
        old="research_units_tech_contracts_count_growth",
        new="no_such_indicator",
        type="unknown-indicator",
        line=44,
    ),
    Case(
        "missing_indicator_reference_in_event",
        "references",
        at=145,
        old="ste_bank_institutions",
        new="no_such_indicator",
        type="unknown-indicator",
        line=145,
    ),
    Case(
        "missing_source_file",
        "references",
        at=5,
        old="mini_reply.txt",
        new="gone.txt",
        type="source-file-missing",
        line=5,
    ),
    Case(
        "source_file_outside_data",
        "references",
        at=5,
        old="data/sources/mini_reply.txt",
        new="../../../../etc/passwd",
        type="source-outside-data",
        line=5,
    ),
    Case(
        "source_file_absolute",
        "references",
        at=5,
        old="data/sources/mini_reply.txt",
        new="/etc/hostname",
        type="source-outside-data",
        line=5,
    ),
    Case(
        "unknown_topic",
        "references",
        at=23,
        old="tech_transfer",
        new="astrology",
        type="unknown-topic",
        line=23,
    ),
    # --- quotes ------------------------------------------------------------------------------
    Case(
        "quote_absent_from_source",
        "quotes",
        at=34,
        old="11483 项",
        new="11483 项（伪造）",
        type="quote-not-found",
        line=34,
    ),
    Case(
        "quote_holds_other_number",
        "quotes",
        at=31,
        old="11483",
        new="11484",
        type="value-not-in-quote",
        line=31,
    ),
    Case(
        "quote_other_figure_same_sentence",
        "quotes",
        at=68,
        old="129.97",
        new="176.2",
        type="value-not-in-quote",
        line=68,
    ),
    Case(
        "event_quote_lacks_date",
        "quotes",
        at=143,
        old='"2020-10-28"',
        new='"2020-10-29"',
        type="event-date-not-in-quote",
        line=143,
    ),
    Case(
        "signed_date_not_in_quote",
        "quotes",
        at=14,
        old='"2023-05-16"',
        new='"2023-05-17"',
        type="date-not-in-quote",
        line=14,
        notes="a signed date its own quote does not state; no figure is after it, so only "
        "a date-vs-quote check can catch it",
    ),
    # --- Chinese numerals and multipliers ----------------------------------------------------
    Case(
        "chinese_numeral_qi_wrong_value",
        "chinese-numerals",
        at=110,
        old="value: 7",
        new="value: 8",
        type="value-not-in-quote",
        line=110,
    ),
    Case(
        "chinese_numeral_sancheng_wrong_value",
        "chinese-numerals",
        at=137,
        old="value: 30",
        new="value: 40",
        type="value-not-in-quote",
        line=137,
    ),
    Case(
        "chinese_numeral_shiyu_wrong_value",
        "chinese-numerals",
        at=124,
        old="value: 10",
        new="value: 20",
        type="value-not-in-quote",
        line=124,
    ),
    Case(
        "multiplier_wan_wrong_value",
        "chinese-numerals",
        at=96,
        old="46000",
        new="4600",
        type="value-not-in-quote",
        line=96,
    ),
    # --- derived values ----------------------------------------------------------------------
    Case(
        "derived_value_does_not_match_formula",
        "derived",
        at=36,
        old="8595",
        new="8600",
        type="derived-mismatch",
        line=36,
    ),
    Case(
        "derived_formula_code_injection",
        "derived",
        at=41,
        old='"a / (1 + b / 100)"',
        new=f"\"__import__('os').system('touch {PWNED_FILE}')\"",
        type="invalid-formula",
        line=41,
    ),
    # --- keys and scalars a YAML 1.1 reader treats specially -------------------------------
    Case(
        "merge_key",
        "yaml11",
        build=_insert_before(32, ["        <<: {unit: 万项}"]),
        type="unknown-key",
        line=32,
        notes="`<<` is a merge key in YAML 1.1",
    ),
    Case(
        "complex_key",
        "keys",
        build=_insert_before(32, ["        ? [a, b]", "        : 1"]),
        type="invalid-key",
        line=32,
    ),
    Case(
        "null_key",
        "keys",
        build=_insert_before(32, ["        ~: 1"]),
        type="unknown-key",
        line=32,
        also=("invalid-key",),
    ),
    Case(
        "integer_key",
        "keys",
        build=_insert_before(32, ["        2020: 11483"]),
        type="unknown-key",
        line=32,
        also=("invalid-key",),
    ),
    Case(
        "explicit_str_tag_value",
        "types",
        at=31,
        old="11483",
        new="!!str 11483",
        type="wrong-type",
        line=31,
    ),
    Case(
        "binary_tag_value",
        "unsafe-tag",
        at=31,
        old="11483",
        new="!!binary aGVsbG8=",
        type="unknown-tag",
        line=31,
    ),
    Case(
        "fullwidth_digits_value",
        "types",
        at=31,
        old="11483",
        new="１１４８３",
        type="wrong-type",
        line=31,
    ),
    Case(
        "cyrillic_letter_in_qualifier",
        "types",
        at=32,
        old="exact",
        new="ex\u0430ct",
        type="invalid-value",
        line=32,
        notes="a Cyrillic а that looks like a Latin a",
    ),
    Case(
        "zero_width_space_in_id",
        "types",
        at=20,
        old="research_units_tech_contracts_count",
        new="research_units_tech_contracts_count\u200b",
        type="invalid-value",
        line=20,
    ),
    Case(
        "huge_string_4mb_under_limit",
        "resource",
        type="unknown-key",
        line=2,
        generated=True,
        notes="a 4 MB value in one scalar must still be fast",
    ),
    Case(
        "derived_formula_deep_sum",
        "derived",
        at=41,
        old='"a / (1 + b / 100)"',
        new='"a / (1 + b / 100)' + " + 0" * 30_000 + '"',
        type="invalid-value",
        line=41,
        also=("invalid-formula",),
        notes="a 30,000-term sum: a left-deep tree that recursive evaluation cannot walk",
    ),
    Case(
        "derived_formula_deep_unary",
        "derived",
        at=41,
        old='"a / (1 + b / 100)"',
        new='"' + "-" * 100_000 + 'a"',
        type="invalid-value",
        line=41,
        also=("invalid-formula",),
        notes="100,000 unary minus signs: Python's parser runs out of memory",
    ),
    # --- the source changed under the catalogue -----------------------------------------------
    Case(
        "source_changed_after_hash",
        "hash",
        build=lambda t: t.encode("utf-8"),
        type="hash-mismatch",
        line=6,
        change_source=True,
    ),
    Case(
        "sha256_of_other_file",
        "hash",
        at=6,
        old="bcd8527b",
        new="acd8527b",
        type="hash-mismatch",
        line=6,
    ),
]

# Valid variants that must PASS (exit 0): encodings and the Chinese-numeral figures of the base.
VALID: dict[str, Callable[[str], bytes]] = {
    "valid_base": lambda t: t.encode("utf-8"),
    "valid_with_bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "valid_crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
}


def write_cases(directory: Path = CASES_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for case in CASES:
        if case.generated:
            continue
        path = directory / case.filename
        path.write_bytes(case.render())
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_cases():
        print(p.relative_to(HERE.parent.parent))
    sys.exit(0)
