"""Synthetic catalogues at N times the real one: unique ids, the same five sources, real quotes.

Copy 0 of every indicator and event keeps its id; copy k gets the suffix `_c<k>` on its id and
on every reference to it (derived inputs, not_comparable_with, event indicators), so the
synthetic file is as valid as the real one and every cross-reference still resolves. Quotes
are kept verbatim, so quote verification does the same work per observation as on the real
file. Sources and dismissal rules are written once: the catalogue grows by indicators, not
by documents. Only copy 0 keeps `headline: true`, as a growing catalogue does not grow its
overview cards. The `data/` folder (sources, units, labels) is copied next to the file so
relative source paths and their sha256 hold.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
from pathlib import Path
from typing import Any

import yaml

ID_MAX = 64
TOKEN = "__bench_copy__"  # placeholder replaced per copy; snake_case so the dumper never quotes it


class _Dumper(yaml.CSafeDumper):
    """Never write anchors/aliases (the validator rejects them); each copy is spelled out.

    Leaf mappings are written in flow style (`name: {zh: …, en: …}`), as the real file is.
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
        default_flow_style=None,
    )


def _base_id(identifier: str, factor: int) -> str:
    """Shorten an id whose longest suffix would overflow 64 characters, keeping it unique."""
    room = ID_MAX - len(f"_c{factor - 1}")
    if len(identifier) <= room:
        return identifier
    digest = hashlib.sha1(identifier.encode()).hexdigest()[:6]
    return f"{identifier[: room - 7]}_{digest}"


def _template(raw: dict[str, Any], factor: int, keep_headline: bool) -> tuple[str, str]:
    """YAML text of all indicators and of all events, with TOKEN where each id's suffix goes."""

    def ref(identifier: str) -> str:
        return _base_id(identifier, factor) + TOKEN

    indicators = []
    for item in raw.get("indicators") or []:
        item = dict(item)
        item["id"] = ref(item["id"])
        if not keep_headline:
            item.pop("headline", None)
        if item.get("not_comparable_with"):
            item["not_comparable_with"] = [
                {**rel, "indicator": ref(rel["indicator"])} for rel in item["not_comparable_with"]
            ]
        observations = []
        for obs in item.get("observations") or []:
            obs = dict(obs)
            derived = obs.get("derived")
            if derived and isinstance(derived.get("inputs"), dict):
                obs["derived"] = {
                    **derived,
                    "inputs": {
                        name: {**value, "indicator": ref(value["indicator"])}
                        for name, value in derived["inputs"].items()
                    },
                }
            observations.append(obs)
        item["observations"] = observations
        indicators.append(item)
    events = []
    for event in raw.get("events") or []:
        event = dict(event)
        event["id"] = ref(event["id"])
        if event.get("indicators"):
            event["indicators"] = [ref(i) for i in event["indicators"]]
        events.append(event)
    return (_dump(indicators) if indicators else ""), (_dump(events) if events else "")


def scaled_text(source_text: str, factor: int) -> str:
    """The catalogue text at `factor` times the indicators and events of `source_text`."""
    raw = yaml.load(source_text, Loader=yaml.CSafeLoader)
    head = {k: v for k, v in raw.items() if k not in ("indicators", "events")}
    first_ind, first_ev = _template(raw, factor, keep_headline=True)
    rest_ind, rest_ev = _template(raw, factor, keep_headline=False)
    parts = ["# Synthetic benchmark catalogue (bench/generate.py); not for publication.\n"]
    parts.append(_dump(head))
    for key, first, rest in (("indicators", first_ind, rest_ind), ("events", first_ev, rest_ev)):
        if key not in raw:
            continue
        if not first:
            parts.append(f"{key}: []\n")
            continue
        parts.append(f"{key}:\n")
        parts.append(first.replace(TOKEN, ""))
        parts.extend(rest.replace(TOKEN, f"_c{k}") for k in range(1, factor))
    return "".join(parts)


def write_catalogue(catalogue: Path, factor: int, out_dir: Path) -> Path:
    """Write the catalogue at `factor` (1 = a verbatim copy) into out_dir with its data/ folder."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data_dir = catalogue.parent / "data"
    target_data = out_dir / "data"
    if data_dir.is_dir() and not target_data.exists():
        shutil.copytree(data_dir, target_data)
    target = out_dir / catalogue.name
    text = catalogue.read_text(encoding="utf-8")
    target.write_text(text if factor == 1 else scaled_text(text, factor), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("factor", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--catalogue", type=Path, default=Path("indicators.yaml"))
    args = parser.parse_args(argv)
    print(write_catalogue(args.catalogue, args.factor, args.out_dir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
