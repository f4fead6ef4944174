"""One deck at a time per server process: viewers' decks wait in one queue, one worker
thread builds them in order with one kept Chromium, at a lower CPU priority than pages."""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from dashboard.figures import images

# Decks waiting per process at most (beyond, a viewer is asked to try again): what one
# browser draws in a few minutes, not what a client holding many tabs could ask for.
MAX_WAITING = 8
# A waiting viewer's page looks at its deck this often; a deck nobody has looked at for
# ABANDONED_S (the tab was closed) is dropped before it is built.
POLL_S = 0.5
ABANDONED_S = 10.0
# Linux nice for the worker thread and the browser it starts: pages come first.
NICE = 10
# The kept browser is closed after this long without a deck (its memory back to the
# replica); the next deck starts a new one.
IDLE_CLOSE_S = 600.0

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Deck:
    """A built deck: the .pptx file and how many slides it has."""

    data: bytes
    slides: int


@dataclass(eq=False)
class DeckJob:
    """One viewer's deck: how to build it, what it said while building, what came out."""

    build: Callable[[Progress], Deck]
    messages: list[str] = field(default_factory=list)
    result: Deck | None = None
    error: BaseException | None = None
    started: bool = False
    cancelled: bool = False
    done: threading.Event = field(default_factory=threading.Event)
    seen: float = field(default_factory=time.monotonic)

    def touch(self) -> None:
        """The waiting viewer is still there."""
        self.seen = time.monotonic()

    @property
    def dropped(self) -> bool:
        """Taken off the queue unbuilt (nobody looked at it for ABANDONED_S, or cancelled)."""
        return self.done.is_set() and not self.started

    def cancel(self) -> None:
        """Not wanted any more (a deck of another view was asked for): skipped if waiting."""
        self.cancelled = True


class DeckQueue:
    """Jobs in order of arrival, built one at a time by one worker thread."""

    def __init__(self, max_waiting: int = MAX_WAITING, nice: int = NICE) -> None:
        self.max_waiting = max_waiting
        self.nice = nice
        self._jobs: deque[DeckJob] = deque()
        self._running: DeckJob | None = None
        self._cond = threading.Condition()
        self._worker: threading.Thread | None = None

    def submit(self, build: Callable[[Progress], Deck]) -> DeckJob | None:
        """Queue a deck; None when MAX_WAITING decks already wait."""
        with self._cond:
            self._drop_unwanted()
            if len(self._jobs) >= self.max_waiting:
                return None
            job = DeckJob(build)
            self._jobs.append(job)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="deck-queue", daemon=True)
                self._worker.start()
            self._cond.notify()
            return job

    def ahead(self, job: DeckJob) -> int:
        """Decks to be built before this one: the one being built and those queued earlier."""
        with self._cond:
            if job.started or job.done.is_set():
                return 0
            before = 0
            for other in self._jobs:
                if other is job:
                    break
                before += not self._unwanted(other)
            return before + (self._running is not None)

    def waiting(self) -> int:
        with self._cond:
            return sum(not self._unwanted(j) for j in self._jobs)

    @staticmethod
    def _unwanted(job: DeckJob) -> bool:
        return job.cancelled or time.monotonic() - job.seen > ABANDONED_S

    def _drop_unwanted(self) -> None:
        for job in [j for j in self._jobs if self._unwanted(j)]:
            self._jobs.remove(job)
            job.done.set()

    def _next(self, idle_s: float) -> DeckJob | None:
        """The next wanted job, or None after `idle_s` without one."""
        with self._cond:
            while True:
                self._drop_unwanted()
                if self._jobs:
                    job = self._jobs.popleft()
                    job.started = True
                    self._running = job
                    return job
                if not self._cond.wait(idle_s):
                    return None

    def _work(self) -> None:
        # Linux: nice is per thread; the browser this thread starts inherits it (images).
        if self.nice:
            os.setpriority(os.PRIO_PROCESS, 0, self.nice)
        while True:
            images.keep_browser(self.nice)  # started by the next deck that draws a chart
            job = self._next(IDLE_CLOSE_S)
            if job is None:
                images.release_browser()
                continue
            try:
                job.result = job.build(job.messages.append)
            except BaseException as exc:  # handed to the waiting viewer's page to say
                job.error = exc
            finally:
                with self._cond:
                    self._running = None
                job.done.set()


_queue: DeckQueue | None = None
_queue_lock = threading.Lock()


def deck_queue() -> DeckQueue:
    """This process's queue. Module state, not st.cache_resource: any client can send
    `clear_cache`, which would drop a cached queue with every deck in it."""
    global _queue
    with _queue_lock:
        if _queue is None:
            _queue = DeckQueue()
        return _queue
