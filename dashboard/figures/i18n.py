"""Looks up bilingual labels from data/i18n.yaml so no label is spelled out in code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


class Translator:
    """Labels for one language; `tr("trends.title")` reads `ui.trends.title.<lang>`."""

    def __init__(self, labels: Mapping[str, Any], lang: str) -> None:
        self.labels = labels
        self.lang = lang if lang in LANGS else DEFAULT_LANG

    def has(self, key: str) -> bool:
        node = self._node(key)
        return isinstance(node, Mapping) and isinstance(node.get(self.lang), str)

    def _node(self, key: str) -> Any:
        node: Any = self.labels.get("ui", {})
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return None
            node = node[part]
        return node

    def __call__(self, key: str, **values: Any) -> str:
        """The label in this language; `values` fill `{name}` slots of the template only."""
        node = self._node(key)
        if not (isinstance(node, Mapping) and isinstance(node.get(self.lang), str)):
            # A missing label must be visible to testers, not crash a presentation.
            return f"⟨{key}⟩"
        template = node[self.lang]
        return template.format(**values) if values else template

    def plural(self, key: str, count: int, **values: Any) -> str:
        """`key.one` for exactly one, else `key.other` (English needs both; Chinese does not
        inflect, so its two templates are the same)."""
        form = "one" if count == 1 else "other"
        return self(f"{key}.{form}", count=count, **values)

    def text(self, bilingual: Any) -> str:
        """Pick this language from a catalogue `Text` ({zh, en}) model or mapping."""
        if bilingual is None:
            return ""
        if isinstance(bilingual, Mapping):
            return str(bilingual.get(self.lang) or bilingual.get(DEFAULT_LANG) or "")
        return str(getattr(bilingual, self.lang, "") or getattr(bilingual, DEFAULT_LANG, ""))

    def topics(self) -> list[str]:
        """Topic keys in the curated order of data/i18n.yaml."""
        return [str(k) for k in self.labels.get("topics", {})]

    def topic(self, key: str) -> str:
        node = self.labels.get("topics", {}).get(key)
        return self.text(node) if node else key

    def qualifier_prefixes(self, key: str = "qualifier_prefix") -> dict[str, str]:
        """Words put before a bounded value ("超 ", "> ") for formatting.format_value;
        `qualifier_prose` gives the words sentences use ("more than ")."""
        node = self._node(key) or {}
        return {name: str(v.get(self.lang, "")) for name, v in node.items()}
