"""Renders Plotly figures to PNG in one batch with kaleido and Debian's Chromium."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import threading
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import plotly.graph_objects as go

# Debian's package. kaleido could also find a Chrome it downloaded itself and prefer it:
# naming the path keeps it on the system's browser, and no code here ever downloads one.
CHROMIUM = "/usr/bin/chromium"
ENV_BROWSER = "BROWSER_PATH"
ATTEMPTS = 2


class ImageError(RuntimeError):
    """The figures could not be rendered (no browser, or the browser failed)."""


@dataclass(frozen=True)
class ImageSize:
    """An exported image: layout pixels (what fonts are sized against) times `scale`."""

    width: int
    height: int
    scale: float = 2.0


# A kept browser's wait for one batch (kaleido's own limit is 90 s per image).
BATCH_TIMEOUT_S = 300.0
# How often a kept browser's threads are put back at its nice while it draws (Chromium,
# when it may, gives some of its threads a normal or higher priority as it starts them).
RENICE_S = 0.25
T = TypeVar("T")


class KeptBrowser:
    """One Chromium, started on the first batch and kept open for the next ones (starting
    it is most of a small deck's time), at a lower CPU priority than the process that asks.

    It lives on an event loop in a thread of its own (kaleido is asynchronous), and draws
    one batch at a time; a batch that fails closes it, and the next batch starts a fresh one."""

    def __init__(self, nice: int = 10) -> None:
        self.nice = nice
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: Any = None

    def _run(self, coroutine: Coroutine[Any, Any, T], timeout_s: float) -> T:
        if self._loop is None:
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def serve() -> None:
                # Linux: nice is per thread, and the threads and processes this one starts
                # (kaleido's, then Chromium and its renderers) inherit it.
                if self.nice:
                    os.setpriority(os.PRIO_PROCESS, 0, self.nice)
                asyncio.set_event_loop(loop)
                ready.set()
                loop.run_forever()

            threading.Thread(target=serve, name="kept-browser", daemon=True).start()
            ready.wait()
            self._loop = loop
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout_s)
        except BaseException:
            future.cancel()
            raise

    async def _open(self, browser: str) -> Any:
        import kaleido

        # MathJax off: it would be fetched from a CDN, and no label uses TeX.
        opened = kaleido.Kaleido(path=browser, mathjax=False)
        await opened.open()
        return opened

    def render(self, specs: list[dict[str, Any]], browser: str) -> None:
        """Write every spec's PNG, starting the browser if it is not running."""
        with self._lock:
            try:
                if self._kaleido is None:
                    self._kaleido = self._run(self._open(browser), BATCH_TIMEOUT_S)
                self._run(self._draw(specs), BATCH_TIMEOUT_S)
            except BaseException:
                self._close_locked()
                raise

    async def _draw(self, specs: list[dict[str, Any]]) -> None:
        """The batch, with the browser's threads put back at `nice` every RENICE_S."""

        async def keep_low() -> None:
            while True:
                self._renice()
                await asyncio.sleep(RENICE_S)

        low = asyncio.create_task(keep_low())
        try:
            await self._kaleido.write_fig_from_object(specs, cancel_on_error=True)
        finally:
            low.cancel()
            self._renice()

    def _renice(self) -> None:
        """Every thread of the browser's processes at `nice`: Chromium raises the priority
        of some of its threads itself when it may (as root), and starts renderers later."""
        pid = self.pid()
        if pid is None or not self.nice:
            return
        for process in process_tree(pid):
            for task in _listdir(f"/proc/{process}/task"):
                with contextlib.suppress(OSError):  # a thread that ended meanwhile
                    os.setpriority(os.PRIO_PROCESS, int(task), self.nice)

    def pid(self) -> int | None:
        """The browser process kaleido started (None while none is running)."""
        process = getattr(self._kaleido, "subprocess", None)
        return getattr(process, "pid", None)

    def _close_locked(self) -> None:
        kept, self._kaleido = self._kaleido, None
        if kept is not None:
            try:
                self._run(kept.close(), 30)
            except Exception:  # closing a broken browser: it is forgotten either way
                process = getattr(kept, "subprocess", None)
                if process is not None:
                    process.kill()

    def close(self) -> None:
        with self._lock:
            self._close_locked()


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:  # not Linux, or the process ended meanwhile
        return []


def process_tree(pid: int) -> list[int]:
    """`pid` and every process it started, and theirs (Linux /proc; [pid] elsewhere)."""
    found = [pid]
    for task in _listdir(f"/proc/{pid}/task"):
        try:
            children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += process_tree(int(child))
    return found


# The kept browser of the thread that asked for one (a server's deck worker): other threads
# (a command, a test) keep starting a browser per batch.
_local = threading.local()


def keep_browser(nice: int = 10) -> KeptBrowser:
    """From now on, this thread draws every batch in one kept browser (a server's deck
    queue asks for this; the command line starts a browser per deck)."""
    kept: KeptBrowser | None = getattr(_local, "kept", None)
    if kept is None:
        kept = _local.kept = KeptBrowser(nice)
    return kept


def release_browser() -> None:
    """Close this thread's kept browser, and start one per batch again."""
    kept: KeptBrowser | None = getattr(_local, "kept", None)
    _local.kept = None
    if kept is not None:
        kept.close()


def browser_path() -> str:
    """The browser kaleido drives: $BROWSER_PATH when set, else Debian's Chromium."""
    return os.environ.get(ENV_BROWSER) or CHROMIUM


def render_pngs(figures: Sequence[go.Figure], sizes: Sequence[ImageSize]) -> list[bytes]:
    """Every figure as PNG bytes, in order, from one browser started once for the batch
    (a browser per image costs seconds each), or from the kept one (`keep_browser`)."""
    if len(figures) != len(sizes):
        raise ValueError("one size per figure")
    if not figures:
        return []
    browser = browser_path()
    if not Path(browser).is_file():
        raise ImageError(f"no browser at {browser} to draw the charts (run `make browser-deps`)")
    os.environ[ENV_BROWSER] = browser  # explicit, for anything kaleido starts on its own
    import kaleido  # half a second to import: only when a deck is drawn

    with tempfile.TemporaryDirectory(prefix="slides-") as folder:
        paths = [Path(folder) / f"{k:03d}.png" for k in range(len(figures))]
        specs = [
            {
                "fig": fig.to_dict(),
                "path": path,
                "opts": {
                    "format": "png",
                    "width": size.width,
                    "height": size.height,
                    "scale": size.scale,
                },
            }
            for fig, path, size in zip(figures, paths, sizes, strict=True)
        ]
        failure: Exception | None = None
        # A second try with a fresh browser: on a loaded machine Chromium can miss its
        # start-up deadline once; a browser that is missing or broken fails both times.
        for _attempt in range(ATTEMPTS):
            try:
                kept: KeptBrowser | None = getattr(_local, "kept", None)
                if kept is not None:
                    kept.render(specs, browser)
                else:
                    # MathJax off: it would be fetched from a CDN, and no label uses TeX.
                    kaleido.write_fig_from_object_sync(
                        specs, kopts={"path": browser, "mathjax": False}, cancel_on_error=True
                    )
                failure = None
                break
            except Exception as exc:  # kaleido's errors have no common base class
                failure = exc
        if failure is not None:
            name = type(failure).__name__
            raise ImageError(f"the charts could not be drawn: {name}: {failure}") from failure
        missing = [p.name for p in paths if not p.is_file()]
        if missing:
            raise ImageError(f"the browser drew no image for {len(missing)} of {len(paths)} charts")
        return [p.read_bytes() for p in paths]
