"""Search latency at 1×, 100×, 1000× the shipped corpus, and what the answers cost.

usage: python bench/bench_search.py [STORE ...]
    with no STORE: a temporary store of the shipped corpus (1×). Build bigger ones with
        python3 ../shared/tools/scaled_corpus.py 100 /tmp/c100 && kjtui --db /tmp/s100 ingest /tmp/c100

For each store it prints: opening the store; building the search index (what the first `/`
pays, in a worker); the latency of each keystroke of a few queries typed one character at a
time (index.search + the sentences of the first screenful of hits, which is what the search
screen draws), median and worst; the same queries answered without an index (reading and
folding every document per query: why the browser builds an index); and the series,
conflicts and compare computations. Then the import cost of rapidfuzz (loaded only by
series/conflicts/compare, never at start-up).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = ["履约贷", "18.62亿元", "科创助力贷 保费", "发明专利授权量", "的"]
SCREENFUL = 40  # hits whose sentences the search screen works out before drawing
KEEP = 1000  # hit rows the search screen makes


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def keystrokes(query: str) -> list[str]:
    return [query[:k] for k in range(1, len(query) + 1) if query[:k].strip()]


def bench_store(path: Path) -> None:
    from kjtui import service
    from kjtui.answers import measures
    from kjtui.answers.search import SearchIndex
    from kjtui.answers.source import from_store

    t = time.perf_counter()
    store = service.open_store(path, build=False)
    opened = time.perf_counter() - t
    docs = len(store.documents())
    print(f"\n== {path} · {docs} documents · store open {ms(opened)}")

    source = from_store(store)
    t = time.perf_counter()
    index = SearchIndex.build(source)
    built = time.perf_counter() - t
    print(f"index build from every document (first `/` after the store changed, in a worker): {ms(built)} · "
          f"{len(index)} sections · {len(index.haystack) / 1e6:.1f} M characters")
    from kjtui.answers import index_file

    if hasattr(store, "stamp"):
        target = index_file.cache_file(path)
        t = time.perf_counter()
        index_file.save(index, target, store.stamp())
        saved = time.perf_counter() - t
        t = time.perf_counter()
        loaded = index_file.load(target, store.stamp(), {d.id: d for d in store.documents()})
        took = time.perf_counter() - t
        if loaded is not None:
            index = loaded
        print(f"index file: written {ms(saved)}, {target.stat().st_size / 1e6:.1f} MB; "
              f"opened {ms(took)} (every later first `/` and `kjtui search`)")

    for query in QUERIES:
        times, cpu = [], []
        for typed in keystrokes(query):
            runs, cpu_runs = [], []
            for _ in range(5):
                index._previous = None  # cold: no narrowing from the query before
                t, c = time.perf_counter(), time.process_time()
                results = index.search(typed, keep=KEEP)
                for hit in results.hits[:SCREENFUL]:
                    hit._matches = None  # as if new: the screen works out the sentences it shows
                    hit.matches
                runs.append(time.perf_counter() - t)
                cpu_runs.append(time.process_time() - c)
            times.append(statistics.median(runs))
            cpu.append(statistics.median(cpu_runs))
        typing_cpu: list[float] = []
        for _ in range(3):  # typed on, one key after the other: each query narrows the last one's sections
            index._previous = None
            for typed in keystrokes(query):
                c = time.process_time()
                results = index.search(typed, keep=KEEP)
                for hit in results.hits[:SCREENFUL]:
                    hit._matches = None
                    hit.matches
                typing_cpu.append(time.process_time() - c)
        index._previous = None
        final = index.search(query)
        print(f"  {query!r:<14} per keystroke, cold: median {ms(statistics.median(times))}, worst {ms(max(times))} "
              f"(CPU {ms(statistics.median(cpu))}, worst {ms(max(cpu))}); typed on: CPU median "
              f"{ms(statistics.median(typing_cpu))}, worst {ms(max(typing_cpu))} · "
              f"{final.sections} sections in {final.documents} documents{' (capped)' if final.truncated else ''}")

    t = time.perf_counter()
    scratch = SearchIndex.build(source)
    scratch.search(QUERIES[0])
    print(f"  without an index (read + fold every document per query): {ms(time.perf_counter() - t)}")

    t = time.perf_counter()
    pts = measures.points(source)
    t_points = time.perf_counter() - t
    t = time.perf_counter()
    measures.series(pts, "发明专利授权量")
    t_series = time.perf_counter() - t
    t = time.perf_counter()
    found = measures.conflicts(pts)
    t_conf = time.perf_counter() - t
    years = sorted({p.year for p in pts if p.year}, reverse=True)
    t = time.perf_counter()
    if len(years) >= 2:
        measures.compare(pts, years[1], years[0])
    t_cmp = time.perf_counter() - t
    print(f"measures: {len(pts)} metrics named {ms(t_points)} · series {ms(t_series)} · "
          f"conflicts {ms(t_conf)} ({len(found)}) · compare {ms(t_cmp)}")


async def _typing(path: Path, query: str) -> tuple[list[float], list[float]]:
    """Keystroke to updated results in the browser: the wall time from pressing a key
    to the first frame drawn after that query's results arrived (debounce, worker and
    drawing included), measured like bench.py measures keys."""
    from kjtui.tui import search_screen
    from kjtui.tui.app import KjtuiApp

    app = KjtuiApp(path, shipped=False)
    frames: list[float] = []
    shown: list[float] = []
    display = app._display

    def timed_display(screen, renderable) -> None:
        if renderable is not None:
            frames.append(time.perf_counter())
        display(screen, renderable)

    app._display = timed_display  # type: ignore[method-assign]
    times: list[float] = []
    cpus: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(3000):
            if app.catalog is not None:
                break
            await pilot.pause(0.01)
        await pilot.press("slash")
        screen = app.screen
        original_show = screen._show

        def timed_show(results, elapsed) -> None:
            original_show(results, elapsed)
            shown.append(time.perf_counter())

        screen._show = timed_show
        for _ in range(3000):  # the index arrives (from its file, or built once)
            await pilot.pause(0.01)
            if app.catalog in search_screen._indexes:
                break
        await pilot.pause(0.2)
        for ch in query:
            await pilot.pause(0.05)
            frames.clear()
            shown.clear()
            cpu_start = time.process_time()
            start = time.perf_counter()
            await pilot.press(ch)
            while screen.results is None or screen.results.query != screen.query_text:
                await pilot.pause(0.001)
            await pilot.pause()
            after = [f for f in frames if shown and f >= shown[-1]]
            if after:
                times.append(after[0] - start)
                cpus.append(time.process_time() - cpu_start)
    return times, cpus


def typing(path: Path) -> None:
    import asyncio

    times: list[float] = []
    cpus: list[float] = []
    for query in QUERIES[:4]:
        wall, cpu = asyncio.run(_typing(path, query))
        times += wall
        cpus += cpu
    print(f"browser, key to results on screen ({len(times)} keys, debounce included): "
          f"median {ms(statistics.median(times))}, worst {ms(max(times))}; "
          f"CPU of the process per key: median {ms(statistics.median(cpus))}")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def import_cost(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(5)]
    return statistics.median(runs)


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv]
    if not paths:
        tmp = Path(tempfile.mkdtemp()) / "store"
        from kjtui import service

        service.open_store(tmp)  # builds the shipped corpus
        paths = [tmp]
    for path in paths:
        bench_store(path)
        typing(path)
    print(f"\nimport rapidfuzz.fuzz (series/conflicts/compare only, lazily): {ms(import_cost('rapidfuzz.fuzz'))}")
    print(f"import kjtui.answers.search (the first `/`): {ms(import_cost('kjtui.answers.search'))}")


if __name__ == "__main__":
    main(sys.argv[1:])
