"""kjtui benchmarks: what the user waits for, at the shipped corpus and at 100× and 1000× it.

    python bench/bench.py                    # everything (ten minutes or more on 2 cores)
    python bench/bench.py --scales 1,100     # smaller
    python bench/bench.py --no-tui           # the command line only

Measures, each against a baseline taken in the same run where there is one (absolute times on a
shared machine move by ±30 %; ratios and ranges move less):
* the first *useful* frame: from launching `kjtui` in tmux until a tree row and the reader's text
  are both on screen (../shared/tools/first_paint.py, every `&&` string), against a bare Textual
  app (Header + Static + Footer) measured in alternation with it, at 1×, 100× and 1000×;
* full ingest of the scaled corpus, one small file into the big store, `metrics --year Y --format
  json`, `metrics --grep T` and `parse big.md --format json|text`, each with its wall time and peak
  memory (`/usr/bin/time -f '%e %M'`);
* key latency in the browser on the biggest store: wall time from a key to the first frame drawn
  after it (tree cursor, view switches), and from `2` on a year to its metrics on screen.

Figures go to stdout as a Markdown table with the machine they came from.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT.parent / "shared" / "tools"
EXPECTED = "科技金融服务体系持续完善&&60 项指标"  # the newest document's tree row and its card in the reader
GREP = "科技履约贷"
BARE = """\
from textual.app import App
from textual.widgets import Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header(); yield Static("BARE-READY"); yield Footer()
Bare().run()
"""


def kjtui_command() -> list[str]:
    script = Path(sys.executable).with_name("kjtui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kjtui"]


def timed(cmd: list[str], env: dict[str, str], stdout=subprocess.DEVNULL) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command, by /usr/bin/time -f '%e %M'."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", out.name, *cmd],
                                env=env, stdout=stdout, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise SystemExit(f"failed ({result.returncode}): {' '.join(cmd)}\n{result.stderr[-2000:]}")
        seconds, kb = out.read().split()[-2:]
    return float(seconds), float(kb) / 1024


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    """median (min–max) of a few runs."""
    if len(values) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


# -- the command line ---------------------------------------------------------------------------

def build_scaled(n: int, work: Path, env: dict[str, str], rows: list[tuple[str, str]]) -> Path:
    corpus, store = work / f"c{n}", work / f"store{n}"
    if not corpus.exists():
        subprocess.run([sys.executable, str(TOOLS / "scaled_corpus.py"), str(n), str(corpus)],
                       check=True, stderr=subprocess.DEVNULL)
    if not store.exists():
        seconds, mb = timed([*kjtui_command(), "--db", str(store), "ingest", str(corpus)], env)
        rows.append((f"full ingest {n}× ({len(list(corpus.glob('*.txt')))} files, {size_mb(corpus):.0f} MB of text)",
                     f"{seconds:.1f} s, {mb:.0f} MB RSS, store {size_mb(store):.0f} MB"))
    return store


def bench_cli(store: Path, n: int, work: Path, env: dict[str, str], rows: list[tuple[str, str]], runs: int) -> None:
    kj = kjtui_command()
    year = "2024"
    for label, args in ((f"metrics --year {year} --format json", ["metrics", "--year", year, "--format", "json"]),
                        (f"metrics --grep {GREP}", ["metrics", "--grep", GREP])):
        t = [timed([*kj, "--db", str(store), *args], env) for _ in range(runs)]
        rows.append((f"`{label}` at {n}×", f"{spread([s for s, _ in t])} s, {max(m for _, m in t):.0f} MB RSS"))
    # one small file into the big store (a shipped document under a new name), then out again
    one = work / "one"
    one.mkdir(exist_ok=True)
    entries = sorted((TOOLS.parent / "corpus").glob("*.txt"))
    small = one / f"bench-one-{os.getpid()}.txt"
    shutil.copyfile(min(entries, key=lambda p: p.stat().st_size), small)
    seconds, mb = timed([*kj, "--db", str(store), "ingest", str(small), "--year", year], env)
    rows.append((f"ingest one small file into the {n}× store", f"{seconds:.2f} s, {mb:.0f} MB RSS"))
    from kjtui.ingest import make_doc_id

    subprocess.run([*kj, "--db", str(store), "remove", make_doc_id(small.name, int(year))], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # the store as it was, for a rerun


def bench_parse(work: Path, env: dict[str, str], rows: list[tuple[str, str]]) -> None:
    sample = "\n".join(p.read_text(encoding="utf-8") for p in sorted((TOOLS.parent / "corpus").glob("*.txt")))
    big = work / "big.md"
    target = 4_600_000
    big.write_text((sample + "\n") * (target // len(sample.encode("utf-8")) + 1), encoding="utf-8")
    mb = big.stat().st_size / 1e6
    for fmt in ("json", "text"):
        seconds, rss = timed([*kjtui_command(), "parse", str(big), "--format", fmt], env)
        rows.append((f"`parse big.md --format {fmt}` ({mb:.1f} MB, to a pipe)",
                     f"{mb / seconds:.1f} MB/s, {rss:.0f} MB RSS"))


# -- the first useful frame ----------------------------------------------------------------------

def first_frame(cmd: list[str], expected: str, env: dict[str, str]) -> float | None:
    result = subprocess.run([sys.executable, str(TOOLS / "first_paint.py"), "--runs", "1", expected, "--", *cmd],
                            capture_output=True, text=True, env=env)
    try:
        return float(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return None


def bench_first_frame(stores: dict[int, Path | None], work: Path, env: dict[str, str],
                      rows: list[tuple[str, str]], rounds: int) -> None:
    """Bare app and kjtui at each scale in alternation, so a busy spell hits them alike;
    per round the ratio to that round's bare run, then the median and range of the ratios."""
    bare = work / "bare.py"
    bare.write_text(BARE, encoding="utf-8")
    kj = kjtui_command()
    subprocess.run([*kj, "sections"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # default store
    bare_ms: list[float] = []
    ratios: dict[int, list[float]] = {n: [] for n in stores}
    times: dict[int, list[float]] = {n: [] for n in stores}
    for _ in range(rounds):
        b = first_frame([sys.executable, str(bare)], "BARE-READY", env)
        if b is None:
            continue
        bare_ms.append(b)
        for n, store in stores.items():
            ms = first_frame(["env", f"HOME={env['HOME']}", *kj, *(["--db", str(store)] if store else [])],
                             EXPECTED, env)
            if ms is not None:
                times[n].append(ms)
                ratios[n].append(ms / b)
    rows.append(("first useful frame: bare Header+Static+Footer app", f"{spread(bare_ms, '{:.0f}')} ms"))
    targets = {1: 1.3, 100: 1.5, 1000: 2.0}
    for n in stores:
        if not times[n]:
            rows.append((f"first useful frame at {n}×", "never shown"))
            continue
        ratio = statistics.median(times[n]) / statistics.median(bare_ms)
        rows.append((f"first useful frame at {n}× (target ≤ {targets.get(n, '?')}× bare)",
                     f"{spread(times[n], '{:.0f}')} ms = {ratio:.2f}× bare (per round {min(ratios[n]):.2f}–{max(ratios[n]):.2f}×)"))


CPU_FRAME = r"""
import sys, time
from pathlib import Path
mode = sys.argv[1]
if mode == "bare":
    from textual.app import App
    from textual.widgets import Footer, Header, Static
    class Bare(App):
        def compose(self):
            yield Header(); yield Static("BARE-READY"); yield Footer()
        def on_mount(self):
            self.call_after_refresh(self.done)
        def done(self):
            print(time.process_time()); self.exit()
    Bare().run(headless=True, size=(160, 48))
else:  # through the command line, as `kjtui [--db S]` starts
    import kjtui.tui.app as appmod
    class Timed(appmod.KjtuiApp):
        def on_mount(self):  # runs before KjtuiApp.on_mount; `done` after the first frame
            self.call_after_refresh(self.done)
        def done(self):
            card = self.query("#start-card")
            useful = self.current is not None and bool(card) and "项指标" in str(card.first().render())
            print(time.process_time() if useful else "nan"); self.exit()
        def run(self, **kwargs):
            return super().run(headless=True, size=(160, 48))
    appmod.KjtuiApp = Timed
    from kjtui import cli
    cli.main([] if mode == "default" else ["--db", mode])
"""


def bench_first_frame_cpu(stores: dict[int, Path | None], env: dict[str, str], rows: list[tuple[str, str]],
                          rounds: int) -> None:
    """The same frame headless, as CPU seconds of the process (imports included): steadier
    than wall time on a busy machine, where other jobs stretch the wall clock."""
    def cpu(mode: str) -> float:
        out = subprocess.run([sys.executable, "-c", CPU_FRAME, mode], capture_output=True, text=True, env=env)
        try:
            return float(out.stdout.strip().splitlines()[-1]) * 1000
        except (IndexError, ValueError):
            return float("nan")

    bare: list[float] = []
    ours: dict[int, list[float]] = {n: [] for n in stores}
    for _ in range(rounds):
        bare.append(cpu("bare"))
        for n, store in stores.items():
            ours[n].append(cpu(str(store) if store else "default"))
    b = statistics.median(bare)
    cells = [f"{n}× {statistics.median(v) / b:.2f}×" for n, v in ours.items()]
    rows.append((f"first useful frame, CPU time (headless; bare {b:.0f} ms)", ", ".join(cells)))


# -- key latency -----------------------------------------------------------------------------------

async def _keys(db: Path) -> list[tuple[str, str]]:
    from kjtui.tui.app import KjtuiApp
    from kjtui.tui.catalog import NodeRef
    from kjtui.tui.metrics_pane import MetricsPane

    app = KjtuiApp(db, shipped=False)
    frames: list[float] = []
    display = app._display

    def timed_display(screen, renderable) -> None:
        if renderable is not None:
            frames.append(time.perf_counter())
        display(screen, renderable)

    app._display = timed_display  # type: ignore[method-assign]
    answers: dict[str, list[float]] = {}
    async with app.run_test(size=(160, 48)) as pilot:
        while app.catalog is None or not app.query("#views-root"):
            await pilot.pause(0.01)
        await pilot.pause(0.3)
        catalog = app.catalog

        async def press(label: str, *keys: str) -> None:
            for key in keys:
                await pilot.pause(0.05)
                frames.clear()
                start = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                if frames:
                    answers.setdefault(label, []).append((frames[0] - start) * 1000)

        await press("tree j/k (cursor)", *("j" * 10 + "k" * 10))
        doc = catalog.documents[0]
        for _ in range(3):
            app.open_node(NodeRef("document", doc.id))
            await pilot.pause(0.1)
            await press("switch view 1/2/3 on a document", "2", "3", "1")
        pane = app.query_one(MetricsPane)
        views = app.query_one("#views-root")
        drawn: list[float] = []
        year_read = views._year_read

        def timed_year_read(view, node) -> None:  # the worker's result reaches the UI thread
            year_read(view, node)
            drawn.append(time.perf_counter())

        views._year_read = timed_year_read
        years = [catalog.year_of(NodeRef("document", doc.id))]
        biggest = max(catalog.years, key=lambda y: catalog.store.year_counts(y)[0])
        years += [biggest] if biggest != years[0] else []
        for year in years:
            for _ in range(3):
                catalog._year_metrics.clear()
                app.open_node(NodeRef("year", str(year)), view="reader")
                await pilot.pause(0.2)
                drawn.clear()
                frames.clear()
                start = time.perf_counter()
                await pilot.press("2")
                while not drawn:
                    await pilot.pause(0.005)
                await pilot.pause()
                after = [f for f in frames if f >= drawn[0]]
                done = after[0] if after else drawn[0]
                answers.setdefault(f"open {year}'s metrics ({len(pane._visible)} rows, read in a worker)", []).append(
                    (done - start) * 1000)
        await press("table j/k on a year's metrics", *("j" * 10 + "k" * 5))
        await press("switch view on a year (metrics drawn, timeline, reader)", "3", "1", "2")
        await press("timeline year change", "3", "left", "right")
    return [(f"  {label}", f"{spread(values, '{:.0f}')} ms") for label, values in answers.items()]


# -- report ------------------------------------------------------------------------------------------

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
    parser.add_argument("--scales", default="1,100,1000", help="corpus scales, 1 = the shipped corpus")
    parser.add_argument("--rounds", type=int, default=5, help="first-frame rounds (bare and kjtui alternate)")
    parser.add_argument("--work", type=Path, help="keep the scaled corpora and stores here (reused)")
    parser.add_argument("--no-tui", action="store_true", help="skip the first frame and key latency")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",") if s]
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        home = work / "home"
        home.mkdir(exist_ok=True)
        env = {**os.environ, "HOME": str(home), "KJTUI_CONFIG": str(home / "config.yaml"),
               "KJTUI_CACHE": str(home / "yaml-cache.json")}
        env.pop("KJTUI_DB", None)
        stores: dict[int, Path | None] = {}
        for n in scales:
            stores[n] = None if n == 1 else build_scaled(n, work, env, rows)
        bench_parse(work, env, rows)
        for n, store in stores.items():
            if store is not None:
                bench_cli(store, n, work, env, rows, runs=3)
        if not args.no_tui:
            bench_first_frame(stores, work, env, rows, args.rounds)
            bench_first_frame_cpu(stores, env, rows, args.rounds)
            biggest = max(stores)
            db = stores[biggest]
            if db is not None:
                rows.append((f"key press on the {biggest}× store: wall time to the first frame after it", "median (range)"))
                os.environ.update({k: env[k] for k in ("KJTUI_CONFIG", "KJTUI_CACHE")})
                rows += asyncio.run(_keys(db))
    import kjtui.ingest.metrics as compiled_or_not

    build = "parser compiled (mypyc)" if compiled_or_not.__file__.endswith((".so", ".pyd")) else "parser pure Python"
    print(f"Machine: {machine()}; {build}\n")
    print("| measure | result |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
