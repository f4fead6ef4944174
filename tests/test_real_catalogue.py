"""The real indicators.yaml validates, and every quote is found in its source's text."""

from __future__ import annotations

from pathlib import Path

from dashboard.catalogue.textnorm import locate
from dashboard.catalogue.validate import read_source_text, validate_path

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = REPO_ROOT / "indicators.yaml"


def test_real_catalogue_has_no_errors_and_only_the_recorded_warning():
    result = validate_path(CATALOGUE)
    assert [str(p) for p in result.errors] == []
    assert result.ok
    # The one cross-document doubt is the recorded InnoMatch 近8亿 / 超8亿 disagreement.
    assert result.catalogue is not None
    ids = [i.id for i in result.catalogue.indicators]
    where = f"indicators[{ids.index('innomatch_cumulative_signed_value')}].observations[1]"
    assert [(p.type, p.path) for p in result.warnings] == [
        ("bound-contradicted", f"{where}.qualifier")
    ]


def test_every_quote_is_found_in_its_source():
    catalogue = validate_path(CATALOGUE).catalogue
    assert catalogue is not None
    texts = {s.id: read_source_text(catalogue, s.id, REPO_ROOT) for s in catalogue.sources}
    quoted = [
        (f"{ind.id} {obs.period}", obs.source, obs.quote)
        for ind in catalogue.indicators
        for obs in ind.observations
    ] + [(f"event {e.id}", e.source, e.quote) for e in catalogue.events]
    missing = [label for label, source, quote in quoted if not locate(texts[source], quote)]
    assert missing == []
    assert len(quoted) > 100
