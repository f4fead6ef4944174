"""The benchmark's synthetic catalogues are valid catalogues: 1x verbatim, 10x scaled exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench.generate import write_catalogue
from dashboard.catalogue.validate import validate_path

REAL = Path(__file__).resolve().parent.parent / "indicators.yaml"


def _raw(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


@pytest.fixture(scope="module")
def real() -> dict:
    return _raw(REAL)


def test_1x_is_the_real_catalogue_verbatim_and_valid(tmp_path: Path) -> None:
    path = write_catalogue(REAL, 1, tmp_path)
    assert path.read_bytes() == REAL.read_bytes()
    result = validate_path(path)
    assert [str(p) for p in result.errors] == []
    assert result.ok
    # Only the real catalogue's one recorded cross-document doubt (InnoMatch 近8 / 超8).
    assert [p.type for p in result.warnings] == ["bound-contradicted"]


def test_10x_validates_with_ten_times_everything(tmp_path: Path, real: dict) -> None:
    path = write_catalogue(REAL, 10, tmp_path)
    result = validate_path(path)
    assert result.ok, [str(p) for p in result.problems[:5]]
    data = _raw(path)
    n_obs = sum(len(i["observations"]) for i in real["indicators"])
    assert len(data["indicators"]) == 10 * len(real["indicators"])
    assert sum(len(i["observations"]) for i in data["indicators"]) == 10 * n_obs
    assert len(data["events"]) == 10 * len(real["events"])
    ids = [i["id"] for i in data["indicators"]]
    assert len(set(ids)) == len(ids)
    # The same five documents, byte for byte, so paths and sha256 still hold.
    assert data["sources"] == real["sources"]
    for source in real["sources"]:
        assert (tmp_path / source["file"]).read_bytes() == (
            REAL.parent / source["file"]
        ).read_bytes()
    # A growing catalogue does not grow the overview's cards.
    assert sum(bool(i.get("headline")) for i in data["indicators"]) == sum(
        bool(i.get("headline")) for i in real["indicators"]
    )


def test_copies_point_at_their_own_copies(tmp_path: Path, real: dict) -> None:
    data = _raw(write_catalogue(REAL, 3, tmp_path))
    ids = {i["id"] for i in data["indicators"]}
    copy2 = [i for i in data["indicators"] if i["id"].endswith("_c2")]
    assert len(copy2) == len(real["indicators"])
    refs = [
        value["indicator"]
        for ind in copy2
        for obs in ind["observations"]
        for value in (obs.get("derived") or {}).get("inputs", {}).values()
    ] + [rel["indicator"] for ind in copy2 for rel in ind.get("not_comparable_with") or []]
    assert refs, "the real catalogue has derived values and non-comparable pairs to follow"
    assert all(ref.endswith("_c2") and ref in ids for ref in refs)
    quotes = {o["quote"] for i in real["indicators"] for o in i["observations"]}
    assert {o["quote"] for i in copy2 for o in i["observations"]} == quotes
