"""The right-hand side: reader, metrics and timeline as tabs. Imported and
mounted after the first paint, so the first frame only pays for the tree."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane
from textual.worker import get_current_worker

from .catalog import Catalog, NodeRef
from .metrics_pane import MetricsPane
from .vtable import VirtualTable
from .reader import Reader, ReaderBody
from .textline import TextLine
from .timeline import TimelinePane

VIEWS = ("reader", "metrics", "timeline")
FOCUS_IN: dict[str, type[Widget]] = {"reader": ReaderBody, "metrics": VirtualTable, "timeline": VirtualTable}


def tab_label(app, view: str, name: str) -> str:
    """`2 指标`, with the key the user has now: a rebound view key shows on its tab."""
    from textual.binding import Binding

    binding = next((b for b in type(app).BINDINGS if isinstance(b, Binding) and b.id == f"view.{view}"), None)
    if binding is None:
        return name
    from .help_screen import shown_keys

    return f"{shown_keys(app, binding)} {name}"


FIRST_SCREEN = 60  # rows: as many as a tall terminal shows at once


class Views(Vertical):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalog: Catalog | None = None
        self.showing: NodeRef | None = None
        self._stale: set[str] = set()

    def compose(self) -> ComposeResult:
        with TabbedContent(id="views", initial="reader"):
            with TabPane(tab_label(self.app, "reader", "阅读"), id="reader"):
                yield Reader(id="reader-pane")
            with TabPane(tab_label(self.app, "metrics", "指标"), id="metrics"):
                yield MetricsPane(id="metrics-pane")
            with TabPane(tab_label(self.app, "timeline", "时间线"), id="timeline"):
                yield TimelinePane(id="timeline-pane")

    @property
    def active(self) -> str:
        return self.query_one(TabbedContent).active or "reader"

    def attach(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.query_one(Reader).catalog = catalog

    def show(self, node: NodeRef, *, view: str | None = None, line: int | None = None,
             sentence: str | None = None) -> None:
        """Show a node; only the visible view is drawn now, the others when opened."""
        self.showing = node
        self._stale = set(VIEWS)
        self._pending: dict | None = None  # a restore waiting for rows belongs to the place left
        self.workers.cancel_group(self, "year-data")  # the user moved on: drop a year still being read
        if view:
            self.query_one(TabbedContent).active = view
        self._draw(self.active, line=line, sentence=sentence)

    def _draw(self, view: str, *, line: int | None = None, sentence: str | None = None) -> None:
        catalog, node = self.catalog, self.showing
        if catalog is None or node is None or view not in self._stale:
            return
        self._stale.discard(view)
        if view == "reader":
            self.query_one(Reader).show(node, line=line, sentence=sentence)
        elif catalog.needs_worker(node, view):
            self._show_loading(view, node)
            # the read starts once the loading line is on screen: splitting and checking a
            # year's index are C calls that hold the GIL for tens of ms, the frame first
            self.call_after_refresh(self._read_year_if_showing, view, node)
        elif view == "metrics":
            self.query_one(MetricsPane).show(catalog, catalog.metrics_for(node), in_reading_order=True)
        else:
            self.query_one(TimelinePane).show(catalog, catalog.year_of(node))

    def _show_loading(self, view: str, node: NodeRef) -> None:
        """The view empty under a loading line while a year is read in a worker."""
        catalog = self.catalog
        assert catalog is not None
        year = catalog.year_of(node)
        n_metrics, n_events = catalog.store.year_counts(year)
        if view == "metrics":
            pane = self.query_one(MetricsPane)
            pane.show(catalog, [], in_reading_order=True)
            line = f"正在读取 {year} 年的 {n_metrics} 项指标… loading the year's metrics"
            pane.query_one("#metrics-status", TextLine).update(Text(line, style="italic"))
        else:
            line = f"正在读取 {year} 年的 {n_events} 个事件… loading the year's events"
            self.query_one(TimelinePane).query_one("#timeline-title", TextLine).update(Text(line, style="italic"))

    def _read_year_if_showing(self, view: str, node: NodeRef) -> None:
        if node == self.showing:  # not if the user moved on before the frame
            self._read_year(view, node)

    @work(thread=True, exclusive=True, group="year-data")
    def _read_year(self, view: str, node: NodeRef) -> None:
        """Read a year's metrics or events (the store's per-year index) off the UI thread;
        cancelled (exclusive, and by show()) when the user moves on before it ends."""
        catalog = self.catalog
        worker = get_current_worker()
        if catalog is None:
            return
        cancelled = lambda: worker.is_cancelled  # noqa: E731
        if view == "metrics":
            rows = catalog.metrics_for(node, cancelled)
            # the documents of the first screenful, read here: their section titles are in the
            # table's first frame, and reading a shard on the UI thread would delay it
            for doc_id in dict.fromkeys(m.document for m in rows[:FIRST_SCREEN]):
                if worker.is_cancelled:
                    return
                catalog.doc(doc_id)
        else:
            catalog.events_of_year(catalog.year_of(node), cancelled)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._year_read, view, node)

    def _year_read(self, view: str, node: NodeRef) -> None:
        if node != self.showing:
            return  # moved on meanwhile
        self._stale.add(view)
        if self.active == view:
            with self.app.batch_update():  # the table, its status and detail in one repaint
                self._draw(view)
            pending, self._pending = getattr(self, "_pending", None), None
            if pending is not None:
                self.restore(pending)  # a jump back landed while the year was being read

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        view = event.pane.id or "reader"
        self._draw(view)  # (the event goes on to the app, which narrows the tree for a table)

    def switch(self, view: str) -> None:
        self.query_one(TabbedContent).active = view
        self._draw(view)
        target = FOCUS_IN[view]
        widget: Widget = self.query_one(f"#{view}-pane").query_one(target)
        # Moving focus repaints the pane it leaves (the tree's guides and tint follow
        # focus): show the view in this frame and move focus in the next one.
        self.call_after_refresh(widget.focus)

    def snapshot(self) -> dict:
        """Each drawn view's state, for history: metrics filter/sort/cursor/scroll,
        reader scroll, timeline year."""
        state: dict = {}
        if "metrics" not in self._stale:
            state["metrics"] = self.query_one(MetricsPane).state
        if "reader" not in self._stale:
            state["reader"] = self.query_one(ReaderBody).scroll_offset.y
        if "timeline" not in self._stale:
            pane = self.query_one(TimelinePane)
            table = pane.query_one(VirtualTable)
            state["timeline"] = (pane.year, pane.policies_only, table.cursor)
        return state

    def restore(self, state: dict) -> None:
        """Put back what `snapshot` took, for the views drawn now (a view whose year is
        still being read gets it when the rows arrive)."""
        if self.catalog is not None and self.showing is not None and \
                self.catalog.needs_worker(self.showing, self.active):
            self._pending = state
            return
        if "metrics" in state and "metrics" not in self._stale:
            self.query_one(MetricsPane).restore(state["metrics"])
        if "reader" in state and "reader" not in self._stale:
            body = self.query_one(ReaderBody)
            self.call_after_refresh(body.scroll_to, y=state["reader"], animate=False)
        if "timeline" in state and "timeline" not in self._stale:
            pane = self.query_one(TimelinePane)
            pane.year, pane.policies_only, cursor = state["timeline"]
            pane.refresh_rows()
            pane.query_one(VirtualTable).move_cursor(cursor)

    def focus_view(self) -> None:
        target = FOCUS_IN.get(self.active)
        if target is not None:
            widget: Widget = self.query_one(f"#{self.active}-pane").query_one(target)
            self.call_after_refresh(widget.focus)

    def focus_reader(self) -> None:
        self.query_one(ReaderBody).focus()
