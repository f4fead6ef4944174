"""The dashboard's warm load: an unchanged catalogue is neither parsed nor copied again.

The benchmark's warm-load target (a small fraction of the parse) holds only if every page
view gets the one validated catalogue in memory; a saved edit must still be picked up.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard.app import data_io
from dashboard.catalogue import validate as catalogue_module
from tests.conftest import serve_app_catalogue

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[Path]]:
    """The app fixture catalogue served via SHSTS_CATALOGUE, with validate_path calls counted."""
    path = serve_app_catalogue(tmp_path, monkeypatch)
    calls: list[Path] = []
    real = catalogue_module.validate_path

    def counting(p: Path):
        calls.append(Path(p))
        return real(p)

    monkeypatch.setattr(catalogue_module, "validate_path", counting)
    return path, calls


def test_unchanged_file_is_served_from_memory_without_a_copy(served) -> None:
    path, calls = served
    first = data_io.load_catalogue()
    second = data_io.load_catalogue()
    assert first.catalogue is not None and not first.stale
    assert calls == [path]  # validated once
    assert second.catalogue is first.catalogue  # shared, not unpickled per page view


def test_a_saved_edit_is_validated_again(served) -> None:
    path, calls = served
    first = data_io.load_catalogue()
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = data_io.load_catalogue()
    assert calls == [path, path]
    assert second.catalogue is not first.catalogue
    assert second.version == (stat.st_mtime_ns + 1_000_000_000, stat.st_size)
