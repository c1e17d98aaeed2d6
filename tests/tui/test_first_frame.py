"""The browser reads only what it shows, and its first frame is already useful."""

import time

from kjtui.ingest import parse_document
from kjtui.store import Store
from kjtui.tui import themes
from kjtui.tui.app import KjtuiApp
from kjtui.tui.catalog import Catalog, NodeRef
from kjtui.tui.metrics_pane import MetricsPane
from kjtui.tui.tree import ChapterTree

from .conftest import OLDER, REPORT, ready


def _store(path, copies=3):
    store = Store.open(path)
    docs = [parse_document(REPORT, source=f"r{k}.txt", year=2023, title=f"2023报告（{k}）" if k else "2023报告")
            for k in (10, 2, 0)[:copies]]
    docs.append(parse_document(OLDER, source="old.txt", year=2021, title="2021报告"))
    store.replace(docs)
    return Store.open(path)


class CountingStore:
    """A store that counts the shards read through it."""

    def __init__(self, store):
        self._store, self.shards = store, []

    def shard(self, doc_id):
        self.shards.append(doc_id)
        return self._store.shard(doc_id)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_catalog_reads_no_shard_to_list_documents_and_counts(tmp_path):
    plain = _store(tmp_path / "s")
    store = CountingStore(plain)
    catalog = Catalog(store)
    first = catalog.documents[0]
    n_metrics, n_events = len(plain.shard(first.id).metrics), len(plain.shard(first.id).events)
    assert n_metrics > 3 and n_events == 3
    assert [d.title for d in catalog.documents_in(2023)] == ["2023报告", "2023报告（2）", "2023报告（10）"]
    assert catalog.metric_total[first.id] == n_metrics and catalog.event_total[first.id] == n_events
    assert catalog.year_totals(2023) == (3 * n_metrics, 3 * n_events)
    assert catalog.section_count(first.id) > 1
    assert store.shards == []
    chapter = catalog.children[first.id][0]  # expanding a document reads its shard, once
    assert store.shards == [first.id]
    assert catalog.metric_total[chapter.id] == n_metrics and catalog.breadcrumb(NodeRef("section", chapter.id))[-1] == chapter.label
    assert store.shards == [first.id]


def test_a_years_metrics_come_from_the_year_index_not_from_shards(tmp_path):
    plain = _store(tmp_path / "s")
    per_document = len(plain.shard(plain.documents()[0].id).metrics)
    store = CountingStore(plain)
    catalog = Catalog(store)
    node = NodeRef("year", "2023")
    assert catalog.needs_worker(node, "metrics") and catalog.needs_worker(node, "timeline")
    metrics = catalog.metrics_for(node)
    assert len(metrics) == 3 * per_document and {m.year for m in metrics} == {2023}
    assert [m.document for m in metrics] == sorted((m.document for m in metrics), key=[d.id for d in catalog.documents].index)
    assert len(catalog.events_of_year(2023)) == 9
    assert store.shards == []
    assert not catalog.needs_worker(node, "metrics")  # read once, kept
    assert catalog.metrics_for(node, cancelled=lambda: True) == metrics  # a cached year is not read again
    catalog._year_metrics.clear()
    assert catalog.metrics_for(node, cancelled=lambda: True) == []  # a cancelled read gives up


def test_neighbour_walks_across_documents_reading_one_shard_at_a_time(tmp_path):
    store = CountingStore(_store(tmp_path / "s", copies=2))
    catalog = Catalog(store)
    first, second = catalog.documents[0], catalog.documents[1]
    last_of_first = catalog.sections_by_doc[first.id][-1]
    nxt = catalog.neighbour(last_of_first.id, 1)
    assert nxt is not None and nxt.document == second.id
    assert store.shards == [first.id, second.id]
    assert catalog.neighbour(nxt.id, -1).id == last_of_first.id


def test_shipped_themes_pass_the_variable_check_they_skip_at_start():
    shipped = sorted(themes.shipped_dir().glob("*.y*ml"))
    assert shipped
    for path in shipped:
        theme = themes.load_theme(path, check=False)
        themes.check_variables(theme)  # raises on a bad variable


async def test_first_frame_shows_the_newest_document_and_its_counts(tmp_path, monkeypatch):
    monkeypatch.setenv("KJTUI_CONFIG", str(tmp_path / "config.yaml"))
    _store(tmp_path / "s")
    seen = {}

    class Watched(KjtuiApp):
        def on_mount(self) -> None:  # runs before KjtuiApp.on_mount; this callback after the first frame
            self.call_after_refresh(self.first_frame)

        def first_frame(self) -> None:
            card = self.query("#start-card")
            seen["card"] = str(card.first().render()) if card else ""
            seen["views"] = bool(self.query("#views-root")) and self.query_one("#views-root").display
            tree = self.query_one(ChapterTree)
            seen["cursor"] = tree.cursor_node.data if tree.cursor_node else None
            seen["current"] = self.current

    app = Watched(tmp_path / "s", shipped=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        newest = app.catalog.documents[0]
        assert newest.title == "2023报告"  # natural order: the base title before its copies
        assert seen["current"] == seen["cursor"] == NodeRef("document", newest.id)
        n = len(app.catalog.store.shard(newest.id).metrics)
        assert "2023报告" in seen["card"] and f"{n} 项指标 · 3 个事件" in seen["card"]
        assert not seen["views"]  # the views joined after that frame
        assert not app.query("#start-card") and app.query_one("#views-root").display


async def test_a_years_metrics_load_in_a_worker_and_moving_on_cancels_it(tmp_path, monkeypatch):
    monkeypatch.setenv("KJTUI_CONFIG", str(tmp_path / "config.yaml"))
    _store(tmp_path / "s")
    slow = Catalog.year_metrics
    calls = []

    def slow_year_metrics(self, year, cancelled=None):
        calls.append(year)
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            if cancelled is not None and cancelled():
                calls.append("cancelled")
                return []
            time.sleep(0.01)
        return slow(self, year, cancelled)

    monkeypatch.setattr(Catalog, "year_metrics", slow_year_metrics)
    app = KjtuiApp(tmp_path / "s", shipped=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        pane = app.query_one(MetricsPane)
        per_document = len(app.catalog.store.shard(app.catalog.document_ids[0]).metrics)
        app.open_node(NodeRef("year", "2023"))
        app.action_view("metrics")  # as `2` does, without waiting for the screen to settle
        assert f"正在读取 2023 年的 {3 * per_document} 项指标" in str(pane.query_one("#metrics-status").render())
        assert pane._visible == []
        await pilot.pause(0.05)
        app.open_node(NodeRef("document", app.catalog.documents[0].id))  # moved on before it ended
        for _ in range(100):
            if "cancelled" in calls:
                break
            await pilot.pause(0.02)
        assert "cancelled" in calls
        assert len(pane._visible) == per_document  # the document's metrics, not the year's
        app.open_node(NodeRef("year", "2023"))  # back: read again, shown when it arrives
        for _ in range(100):
            if len(pane._visible) == 3 * per_document:
                break
            await pilot.pause(0.05)
        assert len(pane._visible) == 3 * per_document


def test_catalog_written_in_document_order_is_read_without_sorting(tmp_path):
    import orjson

    from kjtui import store as store_mod

    store = _store(tmp_path / "s")
    titles = [d.title for d in store.documents()]
    assert titles == ["2023报告", "2023报告（2）", "2023报告（10）", "2021报告"]
    assert store.meta.get("ordered") == store_mod.ORDER_VERSION
    path = tmp_path / "s" / "catalog.json"
    data = orjson.loads(path.read_bytes())
    rows = list(data["documents"].values())[::-1]  # a catalog from elsewhere: any order, no mark
    data["documents"] = {str(k): r for k, r in enumerate(rows, 1)}
    del data["_meta"]["1"]["ordered"]
    path.write_bytes(orjson.dumps(data))
    assert [d.title for d in Store.open(tmp_path / "s").documents()] == titles


def test_the_way_to_the_first_frame_does_not_import_the_parser(tmp_path):
    import subprocess
    import sys

    code = ("import sys\n"
            "from kjtui import cli\n"
            "args = cli.build_parser().parse_args([])\n"
            "path = cli._db(args)\n"
            "from kjtui.store import Store\n"
            "from kjtui.tui.app import KjtuiApp\n"
            "from kjtui.tui.catalog import Catalog\n"
            "Catalog(Store.open(path, migrate=False))\n"
            "print(path, sorted(m for m in sys.modules if m.startswith(('kjtui.ingest', 'kjtui.corpus'))))\n")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "KJTUI_DB": str(tmp_path / "s")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split() == [str(tmp_path / "s"), "[]"]
