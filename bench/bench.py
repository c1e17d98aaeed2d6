"""kjtui benchmarks: parse speed, ingest/store times and memory on the shipped
corpus scaled ×100, a 20 MB file, first paint against a bare Textual app, and
key-press latency in the browser on the ×100 store.

    python bench/bench.py            # everything (about a minute)
    python bench/bench.py --no-tui   # the headless parts only

Figures go to stdout as a Markdown table; copy them into README.md with the
machine they came from.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kjtui import corpus
from kjtui.ingest import parse_document
from kjtui.store import Store

SCALE = 100


def build_scaled_corpus(folder: Path, scale: int = SCALE) -> Path:
    """The shipped corpus copied `scale` times (new file names, same years)."""
    entries, _ = corpus.shipped_entries()
    lines = ["documents:"]
    for k in range(scale):
        for entry in entries:
            name = f"{k:03d}-{entry.path.name}"
            (folder / name).write_bytes(entry.path.read_bytes())
            lines += [f"  - file: {name}", f"    year: {entry.year}", f"    kind: {entry.kind}",
                      f"    title: \"{entry.title} #{k}\""]
    manifest = folder / "manifest.yaml"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def bench_parse(folder: Path, passes: int = 3) -> dict[str, float]:
    """The fastest of a few passes over the whole ×100 corpus (files read beforehand)."""
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    size = sum(len(t.encode("utf-8")) for _, t in texts)
    timings = []
    for _ in range(passes):
        start = time.perf_counter()
        for name, text in texts:
            parse_document(text, source=name, year=2023)
        timings.append(time.perf_counter() - start)
    elapsed = min(timings)
    return {"corpus_mb": size / 1e6, "parse_s": elapsed, "parse_mb_s": size / 1e6 / elapsed,
            "parse_median_mb_s": size / 1e6 / statistics.median(timings)}


def bench_big_file() -> dict[str, float]:
    entries, _ = corpus.shipped_entries()
    sample = "\n".join(e.path.read_text(encoding="utf-8") for e in entries)
    out = {}
    for mb in (2, 20):
        text = (sample + "\n") * (mb * 1_000_000 // len(sample.encode("utf-8")) + 1)
        start = time.perf_counter()
        parse_document(text, source="big.txt", year=2023)
        elapsed = time.perf_counter() - start
        out[f"big_{mb}mb_s"] = elapsed
    out["big_linearity"] = out["big_20mb_s"] / (10 * out["big_2mb_s"])  # 1.0 = linear
    return out


INGEST = r"""
import resource, sys, time
from pathlib import Path
from kjtui import corpus, service
from kjtui.store import Store
entries = corpus.read_manifest(Path(sys.argv[1]))
start = time.perf_counter()
store = Store.open(Path(sys.argv[2]))
service.ingest(store, entries)
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def bench_ingest(manifest: Path, db: Path) -> dict[str, float]:
    """In a fresh process, so its peak memory (max RSS) is the ingest's own."""
    result = subprocess.run([sys.executable, "-c", INGEST, str(manifest), str(db)],
                            capture_output=True, text=True, check=True)
    elapsed, rss = map(float, result.stdout.split())
    store = Store.open(db)
    return {"ingest_s": elapsed, "ingest_peak_mb": rss, "store_mb": db.stat().st_size / 1e6,
            "documents": len(store.documents()), "metrics": len(store.metrics()), "events": len(store.events())}


def bench_open(db: Path) -> dict[str, float]:
    from kjtui.tui.catalog import Catalog

    opens, records, catalogs = [], [], []
    for _ in range(5):
        start = time.perf_counter()
        store = Store.open(db)
        store.documents()
        opens.append(time.perf_counter() - start)
        start = time.perf_counter()
        store.metrics(), store.sections(), store.events()
        records.append(time.perf_counter() - start)
        start = time.perf_counter()
        Catalog(store)
        catalogs.append(time.perf_counter() - start)
    return {"store_open_ms": statistics.median(opens) * 1000, "records_ms": statistics.median(records) * 1000,
            "catalog_ms": statistics.median(catalogs) * 1000}


FIRST_PAINT = r"""
import sys, time
from pathlib import Path
mode, db, t0 = sys.argv[1], sys.argv[2], float(sys.argv[3])
if mode in ("bare", "bare-tree"):
    from textual.app import App
    from textual.widgets import Footer, Header, Static, Tree
    class Bare(App):
        def compose(self):
            yield Header(); yield (Static("hello") if mode == "bare" else Tree("root")); yield Footer()
        def on_mount(self):
            self.call_after_refresh(self.done)
        def done(self):
            print(time.monotonic() - t0); self.exit()
    Bare().run(headless=True)
else:
    from kjtui.tui.app import KjtuiApp
    class Timed(KjtuiApp):
        def on_mount(self):  # Textual runs KjtuiApp.on_mount too (handlers run along the MRO)
            self.call_after_refresh(self.done)
        def done(self):
            print(time.monotonic() - t0); self.exit()
    Timed(Path(db), shipped=False).run(headless=True)
"""


def bench_first_paint(db: Path, runs: int = 11) -> dict[str, float]:
    """Start to first paint, each app in a fresh process, the three interleaved so
    that a noisy neighbour hits them alike. The fastest run of each is compared
    (as timeit does): slower runs measure the machine, not the app."""
    out: dict[str, list[float]] = {"bare": [], "bare-tree": [], "kjtui": []}
    env = {**os.environ, "KJTUI_CONFIG": str(db.parent / "bench-config.yaml"),
           "KJTUI_CACHE": str(db.parent / "bench-yaml-cache.json")}
    for _ in range(runs):
        for mode in ("bare", "bare-tree", "kjtui"):
            t0 = time.monotonic()
            result = subprocess.run([sys.executable, "-c", FIRST_PAINT, mode, str(db), repr(t0)],
                                    capture_output=True, text=True, env=env, check=True)
            out[mode].append(float(result.stdout.strip().splitlines()[-1]))
    bare, ours = min(out["bare"]), min(out["kjtui"])
    return {"first_paint_bare_ms": bare * 1000, "first_paint_kjtui_ms": ours * 1000, "first_paint_ratio": ours / bare,
            "first_paint_bare_tree_ms": min(out["bare-tree"]) * 1000,
            "first_paint_median_ratio": statistics.median(out["kjtui"]) / statistics.median(out["bare"])}


async def _keys(db: Path) -> dict[str, tuple[float, float]]:
    """Per key: (answer, CPU) in ms. Answer: wall time from the key to the first
    frame drawn after it, which is what a user waits for. CPU: all the work the
    key caused (follow-up frames and animations included), above a no-op key."""
    from kjtui.tui.app import KjtuiApp
    from kjtui.tui.catalog import NodeRef

    app = KjtuiApp(db, shipped=False)
    answers: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    frames: list[float] = []
    display = app._display

    def timed_display(screen, renderable) -> None:
        if renderable is not None:
            frames.append(time.perf_counter())
        display(screen, renderable)

    app._display = timed_display  # type: ignore[method-assign]

    async with app.run_test(size=(140, 45)) as pilot:
        while app.catalog is None:
            await pilot.pause(0.01)
        await pilot.pause()

        async def cost(key: str) -> tuple[float, float]:
            # the pilot idles ~100 ms per key waiting for the screen, so CPU time, not wall time
            await pilot.pause(0.05)
            frames.clear()
            start, cpu = time.perf_counter(), time.process_time()
            await pilot.press(key)
            await pilot.pause()
            answer = frames[0] - start if frames else float("nan")
            return answer, time.process_time() - cpu

        baseline = statistics.median([(await cost("z"))[1] for _ in range(5)])  # a key bound to nothing

        async def press(label: str, *keys: str) -> None:
            for key in keys:
                answer, cpu = await cost(key)
                answers.setdefault(label, []).append(answer)
                cpus.setdefault(label, []).append(max(0.0, cpu - baseline))

        await press("tree j/k", *("j" * 15 + "k" * 5))
        await press("tree l/h (expand, collapse a year of 100 documents)", "l", "h", "l", "h", "l")
        year = app.catalog.years[0]
        for _ in range(3):
            app.open_node(NodeRef("year", str(year)))  # the largest node: a whole year, drawn afresh
            await pilot.pause()
            await press("switch to metrics (a whole year)", "2")
            await press("switch to timeline", "3")
            await press("switch to reader", "1")
        await press("switch to metrics again (already drawn)", "2")
        await press("table j/k", *("j" * 15 + "k" * 5))
        await press("table s (sort)", "s", "s", "s")
        await press("table S (reverse)", "S", "S", "S")
        for _ in range(3):
            await press("table f (open the filter box)", "f")
            await press("filter keystroke", *"授信金额")
            await pilot.pause(0.3)
            await press("filter applied (Enter)", "enter")
            await press("filter cleared (f, Esc)", "f", "escape")
            await pilot.press("enter")
        await press("switch to timeline", "3")
        await press("timeline year change", "left", "right", "left", "right")
    count = len(app.catalog.metrics_for(NodeRef("year", str(year))))
    return {label: (statistics.median(answers[label]) * 1000, statistics.median(cpus[label]) * 1000)
            for label in answers} | {"metrics in the year node": (count, count)}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-tui", action="store_true", help="skip first paint and key latency")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        manifest = build_scaled_corpus(folder)
        db = Path(tmp) / "store.json"
        p = bench_parse(folder)
        rows += [("corpus ×100 size", f"{p['corpus_mb']:.1f} MB"), ("parse speed (one core)", f"{p['parse_mb_s']:.1f} MB/s (median pass {p['parse_median_mb_s']:.1f})")]
        b = bench_big_file()
        rows += [("parse one 2 MB file", f"{b['big_2mb_s']:.2f} s"), ("parse one 20 MB file", f"{b['big_20mb_s']:.2f} s"),
                 ("20 MB time ÷ (10 × 2 MB time)", f"{b['big_linearity']:.2f} (1.00 = linear)")]
        i = bench_ingest(manifest, db)
        rows += [("ingest ×100 corpus (parse + store write)", f"{i['ingest_s']:.2f} s"),
                 ("  documents / metrics / events", f"{i['documents']} / {i['metrics']} / {i['events']}"),
                 ("  peak memory of the ingest process (max RSS)", f"{i['ingest_peak_mb']:.0f} MB"),
                 ("  store file", f"{i['store_mb']:.1f} MB")]
        o = bench_open(db)
        rows += [("store open (read + validate + document list)", f"{o['store_open_ms']:.0f} ms"),
                 ("  all sections/metrics/events as records", f"{o['records_ms']:.0f} ms"),
                 ("  browser index build (Catalog)", f"{o['catalog_ms']:.0f} ms")]
        if not args.no_tui:
            f = bench_first_paint(db)
            rows += [("first paint: bare Header+Static+Footer app", f"{f['first_paint_bare_ms']:.0f} ms"),
                     ("first paint: the same with a Tree for the Static", f"{f['first_paint_bare_tree_ms']:.0f} ms"),
                     ("first paint: kjtui on the ×100 store", f"{f['first_paint_kjtui_ms']:.0f} ms"),
                     ("  ratio (target ≤ 1.2)", f"{f['first_paint_ratio']:.2f} (of medians: {f['first_paint_median_ratio']:.2f})")]
            keys = asyncio.run(_keys(db))
            count = int(keys.pop("metrics in the year node")[0])
            rows.append(("key press on the ×100 store: answer (first frame) / all CPU it causes",
                         f"median; a year holds {count} metrics"))
            rows += [(f"  {label}", f"{answer:.0f} ms / {cpu:.0f} ms") for label, (answer, cpu) in keys.items()]
    import kjtui.ingest.metrics as compiled_or_not

    build = "parser compiled (mypyc)" if compiled_or_not.__file__.endswith((".so", ".pyd")) else "parser pure Python"
    print(f"Machine: {machine()}; {build}\n")
    print("| measure | result |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
