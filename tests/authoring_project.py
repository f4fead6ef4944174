"""A copy of the project as it was before a source was added: the catalogue without that
source, its observations, events and the indicators only it fed; its text in inbox/."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from dashboard.catalogue.authoring.measure import held_out_data

REPO = Path(__file__).resolve().parent.parent


def project_without(source_id: str, dest: Path) -> tuple[Path, dict[str, Any]]:
    """(the text's path in dest/inbox, the source's real catalogue entry)."""
    data = yaml.safe_load((REPO / "indicators.yaml").read_text(encoding="utf-8"))
    entry = next(s for s in data["sources"] if s["id"] == source_id)
    before = held_out_data(data, source_id, new_text=True)
    before["sources"] = [s for s in before["sources"] if s["id"] != source_id]
    shutil.copytree(REPO / "data", dest / "data")
    (dest / entry["file"]).unlink()
    (dest / "inbox").mkdir()
    text = dest / "inbox" / "reply.txt"
    shutil.copy(REPO / entry["file"], text)
    (dest / "indicators.yaml").write_text(
        yaml.safe_dump(before, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8"
    )
    return text, entry
