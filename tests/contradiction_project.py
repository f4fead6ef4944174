"""A small project whose four documents contradict each other three ways (issue 20): a
running total that falls, a bound broken on one date, one number with two meanings; and a
topic statement that a newer figure outdates. Variants record the disagreements and update
the statement, so tests see both the open and the acknowledged state."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "contradictions"

# One `ambiguity` per contradiction, each naming the other document (that is what makes a
# warning acknowledged: an unrelated note on the figure is not enough).
AMBIGUITIES: dict[tuple[str, int], dict[str, str]] = {
    ("demo_match_demands", 2): {
        "zh": "示例科提复〔2024〕19号称2024年3月已征集需求超3800项，"
        "本文称累计2676项，两份文件不一致。",
        "en": "Demo reply No. 19 (2024) gave more than 3,800 demands in March 2024; this "
        "reply gives 2,676 in all. The two documents disagree.",
    },
    ("demo_match_signed_value", 0): {
        "zh": "同日的示例科建复〔2024〕7号称签约金额超5亿元，本文称近5亿元。",
        "en": "Demo suggestion reply No. 7 (2024), of the same day, says more than 500 "
        "million yuan; this reply says nearly 500 million.",
    },
    ("demo_match_matches", 0): {
        "zh": "示例科建复〔2024〕7号中412项是签约项目数，本文称成功对接412项。",
        "en": "In Demo suggestion reply No. 7 (2024), 412 was the number of deals signed; "
        "this reply calls 412 matches.",
    },
}

UPDATED_STATEMENT = {
    "text": {
        "zh": "示例平台征集的需求：2023年6月{d2023}，2024年3月{d2024}，"
        "2025年9月{d2025}（文件间不一致）。",
        "en": "Demands collected by the demo platform: {d2023} (June 2023), {d2024} (March "
        "2024), {d2025} (September 2025; the documents disagree).",
    },
    "figures": {
        "d2023": {"indicator": "demo_match_demands", "period": "2022-05/2023-06-01"},
        "d2024": {"indicator": "demo_match_demands", "period": "2022-05/2024-03-20"},
        "d2025": {"indicator": "demo_match_demands", "period": "../2025-09-10"},
    },
}


def fixture_data() -> dict[str, Any]:
    return yaml.safe_load((FIXTURE / "indicators.yaml").read_text(encoding="utf-8"))


def write_project(
    dest: Path,
    *,
    acknowledged: bool = False,
    statement_updated: bool = False,
    data: dict[str, Any] | None = None,
) -> Path:
    """The project in `dest` (its documents, the repo's units and labels); returns the
    catalogue's path. `acknowledged` records every disagreement as an ambiguity naming the
    other document; `statement_updated` makes the topic statement name the newest figure."""
    data = data if data is not None else fixture_data()
    if acknowledged:
        by_id = {i["id"]: i for i in data["indicators"]}
        for (ident, k), text in AMBIGUITIES.items():
            by_id[ident]["observations"][k]["ambiguity"] = dict(text)
    if statement_updated:
        data["topics"][0]["statements"] = [UPDATED_STATEMENT]
    shutil.copytree(FIXTURE / "data", dest / "data", dirs_exist_ok=True)
    for name in ("units.yaml", "i18n.yaml", "terms.yaml"):
        shutil.copy(REPO / "data" / name, dest / "data" / name)
    path = dest / "indicators.yaml"
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8"
    )
    return path
