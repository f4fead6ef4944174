"""Decks are built one at a time per server process, in order, with one kept Chromium at a
lower priority; a waiting viewer sees their place (issue 19 point 3)."""

from __future__ import annotations

import io
import os
import threading
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from dashboard.app import deck_queue
from dashboard.app.deck_queue import Deck, DeckQueue
from dashboard.figures import images

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")


def _wait(condition: object, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_decks_are_built_one_at_a_time_in_order_with_their_place_known() -> None:
    queue = DeckQueue(max_waiting=3)
    release = threading.Event()
    running: list[str] = []
    built: list[str] = []
    at_once = []

    def deck(name: str, block: bool = False):
        def build(progress: deck_queue.Progress) -> Deck:
            running.append(name)
            at_once.append(len(running))
            progress(f"drawing {name}")
            if block:
                release.wait(10)
            built.append(name)
            running.remove(name)
            return Deck(name.encode(), 1)

        return build

    first = queue.submit(deck("first", block=True))
    assert first is not None
    _wait(lambda: first.started)
    second, third, fourth = (queue.submit(deck(n)) for n in ("second", "third", "fourth"))
    assert second and third and fourth
    assert [queue.ahead(j) for j in (first, second, third, fourth)] == [0, 1, 2, 3]
    # The queue is full: one more is refused (the page asks the viewer to try later).
    assert queue.submit(deck("fifth")) is None
    third.cancel()  # its viewer asked for another view meanwhile
    assert queue.ahead(fourth) == 2
    assert first.messages == ["drawing first"]
    release.set()
    for job in (first, second, fourth):
        assert job.done.wait(10)
    assert built == ["first", "second", "fourth"]
    assert third.dropped and third.result is None
    assert max(at_once) == 1
    assert fourth.result == Deck(b"fourth", 1)


def test_a_deck_nobody_waits_for_any_more_is_dropped_and_errors_are_handed_over() -> None:
    queue = DeckQueue()
    release = threading.Event()
    blocker = queue.submit(lambda _p: (release.wait(10), Deck(b"", 0))[1])
    assert blocker is not None
    _wait(lambda: blocker.started)
    left = queue.submit(lambda _p: Deck(b"never", 1))
    failing = queue.submit(lambda _p: 1 / 0)
    assert left and failing
    left.seen -= deck_queue.ABANDONED_S + 1  # its tab was closed: nobody looked since
    assert queue.ahead(failing) == 1
    release.set()
    assert failing.done.wait(10)
    assert left.dropped
    assert isinstance(failing.error, ZeroDivisionError)


def test_the_worker_runs_below_the_pages_priority_with_one_kept_browser() -> None:
    queue = DeckQueue(nice=deck_queue.NICE)
    seen: list[tuple[int, object]] = []

    def build(_progress: deck_queue.Progress) -> Deck:
        seen.append((os.getpriority(os.PRIO_PROCESS, 0), images.keep_browser()))
        return Deck(b"", 0)

    jobs = [queue.submit(build) for _ in range(2)]
    for job in jobs:
        assert job is not None and job.done.wait(10)
    assert [nice for nice, _ in seen] == [deck_queue.NICE] * 2
    assert seen[0][1] is seen[1][1]  # the same kept browser for both decks
    # Only that thread keeps a browser; this one (a command, a test) starts one per batch.
    assert getattr(images._local, "kept", None) is None


def test_an_idle_worker_closes_its_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deck_queue, "IDLE_CLOSE_S", 0.2)
    closed: list[object] = []
    monkeypatch.setattr(images.KeptBrowser, "close", lambda self: closed.append(self))
    queue = DeckQueue()
    kept: list[object] = []

    def build(_progress: deck_queue.Progress) -> Deck:
        kept.append(images.keep_browser())
        return Deck(b"", 0)

    first = queue.submit(build)
    assert first is not None and first.done.wait(10)
    _wait(lambda: closed == kept)  # nothing to do for a while: the browser is closed
    second = queue.submit(build)
    assert second is not None and second.done.wait(10)
    assert kept[1] is not kept[0]  # the next deck gets a new one


def test_a_kept_chromium_is_reused_and_runs_at_low_priority() -> None:
    if not Path(images.browser_path()).is_file():
        pytest.skip(f"no browser at {images.browser_path()} (make browser-deps)")
    result: dict[str, object] = {}

    def draw_twice() -> None:
        kept = images.keep_browser(nice=deck_queue.NICE)
        try:
            figure = go.Figure(go.Scatter(x=[1, 2, 3], y=[2, 1, 3]))
            first = images.render_pngs([figure], [images.ImageSize(400, 300, 1.0)])
            pid = kept.pid()
            second = images.render_pngs([figure] * 2, [images.ImageSize(400, 300, 1.0)] * 2)
            assert pid is not None
            result["pids"] = (pid, kept.pid())
            result["sizes"] = [Image.open(io.BytesIO(p)).size for p in first + second]
            result["nice"] = {
                os.getpriority(os.PRIO_PROCESS, int(task))
                for process in images.process_tree(pid)
                for task in os.listdir(f"/proc/{process}/task")
            }
        except BaseException as exc:
            result["error"] = exc
        finally:
            images.release_browser()
        result["closed"] = not Path(f"/proc/{result.get('pids', (0,))[0]}").exists()

    worker = threading.Thread(target=draw_twice)
    worker.start()
    worker.join(180)
    assert "error" not in result, result.get("error")
    first_pid, second_pid = result["pids"]  # type: ignore[misc]
    assert first_pid == second_pid  # one browser for both batches
    assert result["sizes"] == [(400, 300)] * 3
    assert result["nice"] == {deck_queue.NICE}  # Chromium's own threads included
    assert result["closed"]


@pytest.mark.usefixtures("fresh_caches")
def test_a_waiting_viewer_sees_the_decks_ahead_then_gets_theirs(
    app_catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_slides import fake_png

    monkeypatch.setattr(images, "render_pngs", lambda figs, sizes: [fake_png()] * len(figs))
    release = threading.Event()
    other = deck_queue.deck_queue().submit(lambda _p: (release.wait(20), Deck(b"", 0))[1])
    assert other is not None

    def keep_other_waiting() -> None:  # another viewer's deck, built for 3 s
        for _ in range(30):
            other.touch()
            time.sleep(0.1)
        release.set()

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["indicator"] = "contracts_count"
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("app_pages/trends.py")
    at.run()
    threading.Thread(target=keep_other_waiting).start()
    at.button(key="slides_prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (status,) = at.status
    lines = [m.value for m in status.markdown]
    assert lines[0] == "Waiting: 1 deck ahead of yours", lines
    assert "Drawing 1 chart…" in lines
    assert status.label == "Slides ready (1)"
    assert at.download_button(key="slides_download").label == "Download slides (PPTX)"
