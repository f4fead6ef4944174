"""Simultaneous viewers over Streamlit's own websocket protocol: time to chart, errors, memory.

A real browser per viewer would measure two CPU cores rendering 25 Plotly charts, not the
server; speaking the protocol the browser speaks (BackMsg/ForwardMsg protobufs on
/_stcore/stream) puts every session through the same server work a browser would cause.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from bench.server import StreamlitServer
from bench.stats import median, p95

SESSION_TIMEOUT_S = 120.0


@dataclass
class Visit:
    """One viewer opening a page: when the first chart arrived, and anything that went wrong."""

    to_chart: float | None = None
    to_finish: float | None = None
    errors: list[str] = field(default_factory=list)


def _rerun_message(query_string: str, page_hash: str, page_name: str = "") -> bytes:
    msg = BackMsg()
    msg.rerun_script.CopyFrom(
        ClientState(
            query_string=query_string,
            page_script_hash=page_hash,
            page_name=page_name,
            context_info=ContextInfo(timezone="Asia/Shanghai", locale="zh-CN"),
        )
    )
    return msg.SerializeToString()


async def visit(
    base_url: str,
    query_string: str = "",
    page_hash: str = "",
    page_name: str = "",
    want_chart: bool = True,
    source: str | None = None,
) -> Visit:
    """Open a fresh session and run the page once, as a browser tab does on navigation
    (`page_name`: the url path a browser opened, e.g. "health"; pages without a chart
    pass want_chart=False; `source`: the client address, e.g. another 127.x.y.z, which
    nginx's per-address limits count apart)."""
    result = Visit()
    ws_url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    extra = {"local_addr": (source, 0)} if source else {}
    start = time.perf_counter()
    try:
        async with asyncio.timeout(SESSION_TIMEOUT_S):
            async with connect(ws_url, subprotocols=["streamlit"], max_size=None, **extra) as ws:
                await ws.send(_rerun_message(query_string, page_hash, page_name))
                async for raw in ws:
                    fwd = ForwardMsg()
                    fwd.ParseFromString(raw)
                    kind = fwd.WhichOneof("type")
                    if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                        element = fwd.delta.new_element.WhichOneof("type")
                        if element == "plotly_chart" and result.to_chart is None:
                            result.to_chart = time.perf_counter() - start
                        elif element == "exception":
                            exc = fwd.delta.new_element.exception
                            result.errors.append(f"exception: {exc.type}: {exc.message}")
                    elif kind == "page_not_found":
                        result.errors.append("page-not-found")
                    elif kind == "script_finished":
                        status = fwd.script_finished
                        if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                            result.errors.append(f"script-finished-status-{status}")
                        result.to_finish = time.perf_counter() - start
                        break
    except (TimeoutError, OSError, Exception) as exc:  # any failure is an error to count
        result.errors.append(f"{type(exc).__name__}: {exc}")
    if want_chart and result.to_chart is None and not result.errors:
        result.errors.append("no-chart")
    return result


async def _burst(base_url: str, viewers: int) -> list[Visit]:
    return list(await asyncio.gather(*(visit(base_url) for _ in range(viewers))))


@dataclass
class ConcurrencyResult:
    viewers: int
    median_s: float
    p95_s: float
    finish_median_s: float
    finish_p95_s: float
    errors: int
    error_examples: list[str]
    peak_rss_kib: int
    # Server CPU (user + system) per visit, and that CPU over the wall time of the visits:
    # near 1.0 means the server was busy the whole time, i.e. the wait is its CPU.
    cpu_per_visit_s: float = 0.0
    cpu_over_wall: float = 0.0


def run_level(script: Path, viewers: int, bursts: int, cwd: Path) -> ConcurrencyResult:
    """A fresh server per level, so VmHWM is this level's peak and not an earlier one's."""
    with StreamlitServer(script, cwd=cwd) as server:
        # One warm-up visit fills the server's caches, as the first viewer of the day does.
        asyncio.run(visit(server.url))
        times: list[float] = []
        finishes: list[float] = []
        p95s: list[float] = []
        medians: list[float] = []
        fin_p95s: list[float] = []
        fin_medians: list[float] = []
        errors: list[str] = []
        cpu = wall = 0.0
        for _ in range(bursts):
            cpu_before, started = server.cpu_seconds(), time.perf_counter()
            if viewers == 1:
                visits = [asyncio.run(visit(server.url))]
            else:
                visits = asyncio.run(_burst(server.url, viewers))
            wall += time.perf_counter() - started
            cpu += server.cpu_seconds() - cpu_before
            burst_times = [v.to_chart for v in visits if v.to_chart is not None]
            burst_finish = [v.to_finish for v in visits if v.to_finish is not None]
            times.extend(burst_times)
            finishes.extend(burst_finish)
            medians.append(median(burst_times))
            p95s.append(p95(burst_times))
            fin_medians.append(median(burst_finish))
            fin_p95s.append(p95(burst_finish))
            errors.extend(e for v in visits for e in v.errors)
        peak = server.peak_rss_kib()
    # Single viewers are sequential visits: pool them. Bursts: the median burst's figures.
    if viewers == 1:
        med, high = median(times), p95(times)
        fin_med, fin_high = median(finishes), p95(finishes)
    else:
        med, high = median(medians), median(p95s)
        fin_med, fin_high = median(fin_medians), median(fin_p95s)
    cpu_per_visit = cpu / (bursts * viewers)
    return ConcurrencyResult(
        viewers, med, high, fin_med, fin_high, len(errors), errors[:3], peak,
        cpu_per_visit_s=cpu_per_visit, cpu_over_wall=cpu / wall if wall else 0.0,
    )  # fmt: skip


def run(script: Path, levels: tuple[int, ...], repeats: int, cwd: Path) -> list[ConcurrencyResult]:
    """Single viewer first (the baseline of the targets), then each concurrent level."""
    results = [run_level(script, 1, max(repeats, 5), cwd)]
    for viewers in levels:
        results.append(run_level(script, viewers, repeats, cwd))
    return results
