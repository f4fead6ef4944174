"""Decks under load: five viewers click "Make slides" at once on one replica while another
viewer keeps opening the overview (issue 19: that viewer's overview ≤ 2x its unloaded time).

Every viewer speaks Streamlit's websocket protocol (bench/concurrent.py): a deck request
runs the topic page, then clicks its slides button (the button's widget id is read from the
page's own messages) and waits until the page offers the deck. The replica is started as
`make serve` starts one (deploy/serve.py), without nginx: its per-address limits would
count this one client's many sessions.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import connect

from bench import machine
from bench.concurrent import visit
from bench.serving import machine_busy_s, published_copy
from bench.stats import median, p95
from deploy.serve import Cluster

ROOT = Path(__file__).resolve().parent.parent
DECKS = 5
DECK_TIMEOUT_S = 600.0
TARGET_RATIO = 2.0


@dataclass
class DeckVisit:
    seconds: float | None = None
    waited: bool = False  # the page said a deck was ahead of this one
    errors: list[str] = field(default_factory=list)


def _rerun(query: str, page: str, widgets: list[WidgetState] | None = None) -> bytes:
    msg = BackMsg()
    msg.rerun_script.CopyFrom(
        ClientState(
            query_string=query,
            page_name=page,
            widget_states=WidgetStates(widgets=widgets or []),
            context_info=ContextInfo(timezone="Asia/Shanghai", locale="zh-CN"),
        )
    )
    return msg.SerializeToString()


async def _run(ws: Any, message: bytes) -> list[ForwardMsg]:
    """One script run: every element message until the script finished."""
    await ws.send(message)
    out: list[ForwardMsg] = []
    async for raw in ws:
        fwd = ForwardMsg()
        fwd.ParseFromString(raw)
        out.append(fwd)
        if fwd.WhichOneof("type") == "script_finished":
            break
    return out


def _elements(messages: list[ForwardMsg], kind: str) -> list[Any]:
    found = []
    for fwd in messages:
        if fwd.WhichOneof("type") == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            element = fwd.delta.new_element
            if element.WhichOneof("type") == kind:
                found.append(getattr(element, kind))
    return found


def _texts(messages: list[ForwardMsg]) -> str:
    return "\n".join(m.body for m in _elements(messages, "markdown"))


async def deck_request(url: str, topic: str) -> DeckVisit:
    """Open the topic page, click its slides button, wait until the deck is offered."""
    result = DeckVisit()
    query, page = f"topic={topic}&lang=en", "topic"
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        async with asyncio.timeout(DECK_TIMEOUT_S):
            async with connect(ws_url, subprotocols=["streamlit"], max_size=None) as ws:
                first = await _run(ws, _rerun(query, page))
                buttons = [b for b in _elements(first, "button") if "slides_prepare" in b.id]
                if not buttons:
                    result.errors.append("no slides button")
                    return result
                click = WidgetState(id=buttons[0].id, trigger_value=True)
                start = time.perf_counter()
                made = await _run(ws, _rerun(query, page, [click]))
                result.seconds = time.perf_counter() - start
                result.waited = "ahead of yours" in _texts(made)
                offered = [d for d in _elements(made, "download_button") if "slides" in d.id]
                if not offered:
                    result.errors.append("no deck offered: " + _texts(made)[-300:])
                for exc in _elements(made, "exception"):
                    result.errors.append(f"exception: {exc.type}: {exc.message}")
    except Exception as exc:  # any failure is an error to count
        result.errors.append(f"{type(exc).__name__}: {exc}")
    return result


async def _overviews_until(url: str, done: asyncio.Event) -> list[float]:
    """Sequential overview visits (whole page) until `done`."""
    times: list[float] = []
    while not done.is_set():
        v = await visit(url)
        if v.errors or v.to_finish is None:
            raise RuntimeError(f"overview under deck load: {v.errors}")
        times.append(v.to_finish)
    return times


async def _under_load(url: str, topic: str) -> tuple[list[DeckVisit], list[float], float]:
    done = asyncio.Event()

    async def decks() -> list[DeckVisit]:
        try:
            return list(await asyncio.gather(*(deck_request(url, topic) for _ in range(DECKS))))
        finally:
            done.set()

    start = time.perf_counter()
    made, overviews = await asyncio.gather(decks(), _overviews_until(url, done))
    return made, overviews, time.perf_counter() - start


def _topic() -> str:
    """The topic whose deck draws the most charts (as bench/slides.py picks it)."""
    from dashboard.catalogue import data_files, paths
    from dashboard.catalogue.validate import validate_path
    from dashboard.figures import topics
    from dashboard.figures.i18n import Translator

    catalogue = validate_path(paths.DEFAULT_CATALOGUE).catalogue
    assert catalogue is not None
    tr = Translator(data_files.labels(), "en")
    sizes = {
        t: sum(len(i.observations) > 1 for i in topics.topic_indicators(catalogue, t))
        for t in tr.topics()
    }
    return max(sizes, key=lambda t: sizes[t])


def run(singles: int = 20) -> dict[str, Any]:
    topic = _topic()
    out: dict[str, Any] = {"decks": DECKS, "topic": topic, "target_ratio": TARGET_RATIO}
    with (
        published_copy() as env,
        Cluster(replicas=1, proxy=False, env=env, access_log=False) as cluster,
    ):
        url = cluster.members[0].url
        for _ in range(3):  # the day's first visits fill the caches
            asyncio.run(visit(url))
        out["load_before"] = machine.load_average()
        unloaded = [asyncio.run(visit(url)).to_finish for _ in range(singles)]
        # One deck alone first: the browser starts once, as on a server's first deck.
        alone = asyncio.run(deck_request(url, topic))
        busy0 = machine_busy_s()
        made, loaded, wall = asyncio.run(_under_load(url, topic))
        busy = (machine_busy_s() - busy0) / wall
        after = [asyncio.run(visit(url)).to_finish for _ in range(singles)]
        out["load_after"] = machine.load_average()
    # Unloaded = the visits before and after the decks together: on a shared machine other
    # work drifts over a minute, and the pooled median is fair to both ends.
    quiet = [t for t in unloaded + after if t is not None]
    base = median(quiet)
    out.update(
        {
            "unloaded_s": unloaded,
            "after_s": after,
            "unloaded_median_s": base,
            "before_median_s": median([t for t in unloaded if t is not None]),
            "after_median_s": median([t for t in after if t is not None]),
            "first_deck_s": alone.seconds,
            "first_deck_errors": alone.errors,
            "deck_s": [d.seconds for d in made],
            "deck_waited": sum(d.waited for d in made),
            "deck_errors": [e for d in made for e in d.errors],
            "loaded_s": loaded,
            "loaded_median_s": median(loaded),
            "loaded_p95_s": p95(loaded),
            "wall_s": wall,
            "machine_busy_cores": busy,
            "ratio": median(loaded) / base if base else None,
        }
    )
    return out


def main() -> int:
    import json

    print(json.dumps(run()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
