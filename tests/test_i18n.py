"""Every label the code asks for exists in both languages; lookups fail visibly, not fatally."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from dashboard.figures.i18n import Translator

REPO = Path(__file__).resolve().parent.parent
LABELS = yaml.safe_load((REPO / "data/i18n.yaml").read_text(encoding="utf-8"))
CODE = [
    REPO / "app.py",
    *sorted((REPO / "app_pages").glob("*.py")),
    *sorted((REPO / "dashboard").rglob("*.py")),
]
# tr("a.b") / ctx.tr("a.b") / tr("prefix." + x) with the dynamic part listed below.
LITERAL = re.compile(r"""\btr\(\s*"([a-z_]+(?:\.[a-z_]+)+)"[,)]""")
# tr.plural("a.b", n) reads a.b.one and a.b.other.
PLURAL = re.compile(r"""\btr\.plural\(\s*"([a-z_]+(?:\.[a-z_]+)+)"[,)]""")
DYNAMIC = {
    "qualifier.": ["exact", "more_than", "nearly", "about"],
    "qualifier_key.": ["exact", "more_than", "nearly", "about", "derived"],
    "measure.": [
        "annual_flow",
        "partial_year_flow",
        "cumulative",
        "stock",
        "growth_rate",
        "average_growth_rate",
        "share",
        "rate",
        "ratio",
        "rank",
    ],
    "kind.": ["proposal_reply", "suggestion_reply", "news_report", "policy_document"],
    "nav.": ["overview", "trends", "finder", "changes", "sources", "health", "review"],
    "changes.status_": ["added", "revised", "removed"],
    "language_name.": ["zh", "en"],
    "review.mode_": ["source", "paste"],
    "review.": ["name", "description", "subject", "ambiguity", "notes"],
    "col.": ["value", "period"],
    "grammar.dispute_": ["falls", "bound", "meaning"],
    "review.types.": [
        "cumulative-falls",
        "bound-contradicted",
        "same-number-other-meaning",
        "statement-outdated",
    ],
    "url.": [
        "repeated",
        "bad_lang",
        "bad_present",
        "bad_indicator",
        "unknown_indicator",
        "too_many_indicators",
        "bad_year",
        "year_out_of_range",
        "years_swapped",
        "showing_overview",
        "bad_source",
        "bad_quote",
        "bad_topic",
    ],
}


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in CODE:
        text = path.read_text(encoding="utf-8")
        keys.update(LITERAL.findall(text))
        keys.update(f"{key}.{form}" for key in PLURAL.findall(text) for form in ("one", "other"))
    for prefix, names in DYNAMIC.items():
        keys.update(prefix + name for name in names)
    return keys


def test_code_uses_labels() -> None:
    assert len(used_keys()) > 100


def test_every_used_label_exists_in_both_languages() -> None:
    missing = [
        (lang, key)
        for key in sorted(used_keys())
        for lang in ("zh", "en")
        if not Translator(LABELS, lang).has(key)
    ]
    assert missing == []


def test_plural_forms_are_chosen_by_count() -> None:
    tr = Translator(LABELS, "en")
    assert tr.plural("trends.outside_range", 1).startswith("1 more figure lies")
    assert tr.plural("trends.outside_range", 2).startswith("2 more figures lie")
    assert "trends.outside_range.one" in used_keys()


def test_every_topic_has_both_languages() -> None:
    for key, text in LABELS["topics"].items():
        assert text["zh"] and text["en"], key


def test_templates_fill_slots_and_missing_keys_are_visible() -> None:
    tr = Translator(LABELS, "en")
    assert tr("overview.period", period="2020") == "Period: 2020"
    assert tr("no.such.key") == "⟨no.such.key⟩"
    assert Translator(LABELS, "xx").lang == "zh"
    assert tr.text({"zh": "中", "en": "E"}) == "E"
    assert tr.qualifier_prefixes() == {"more_than": "> ", "nearly": "nearly ", "about": "≈ "}


# Templates whose languages say it differently (the code passes every slot either uses).
WORDED_DIFFERENTLY = {".chart.compare_title"}


def test_slots_are_the_same_in_both_languages() -> None:
    slot = re.compile(r"\{(\w+)\}")

    def walk(node, path=""):
        if isinstance(node, dict) and all(isinstance(node.get(k), str) for k in ("zh", "en")):
            if path not in WORDED_DIFFERENTLY:
                assert set(slot.findall(node["zh"])) == set(slot.findall(node["en"])), path
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}")

    walk(LABELS["ui"])


def test_every_label_has_exactly_zh_and_en_text() -> None:
    """A comma inside an unquoted flow mapping ({zh: …, en: a, b}) silently cuts the English
    label at the comma and adds a key "b"; this caught "derived (computed" in the chart key."""
    bad: list[str] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict) and any(isinstance(node.get(k), str) for k in ("zh", "en")):
            texts_ok = all(isinstance(node.get(k), str) and node[k].strip() for k in ("zh", "en"))
            if set(node) != {"zh", "en"} or not texts_ok:
                bad.append(f"{path}: {node}")
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        else:
            bad.append(f"{path}: {node!r} is not a {{zh, en}} label")

    walk(LABELS, "")
    assert bad == []
