"""The metrics table: sortable by any column, filtered as you type. A virtual
table draws only the rows on screen, so a year of metrics answers at once."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from .. import formatting
from ..model import Metric
from .catalog import Catalog
from .textline import TextLine
from .vtable import TableColumn, VirtualTable

FILTER_DELAY = 0.15  # seconds of no typing before the filter runs

COLUMNS = (  # a narrow pane shrinks Label least: it says what the number is
    TableColumn("label", "指标 Label", 24, min_width=14), TableColumn("value", "数值 Value", 12, "right", 10),
    TableColumn("normalized", "标准值 Normalized", 20, "right"), TableColumn("qualifier", "限定", 4),
    TableColumn("period", "时期 Period", 12, min_width=6), TableColumn("year", "年份", 4),
    TableColumn("section", "章节 Section", None, min_width=6),
)


class OpenSource(Message):
    """Open a document line in the reader (from a metric or an event)."""

    def __init__(self, section: str, line: int, sentence: str | None) -> None:
        super().__init__()
        self.section, self.line, self.sentence = section, line, sentence


class MetricsPane(Vertical):
    DEFAULT_CSS = """
    MetricsPane {
        height: 1fr;
    }

    #metric-filter {
        height: 3;
    }

    #metric-detail {
        height: 3;
        padding: 0 1;
        color: $text-muted;
        border-top: hkey $panel;
    }

    #metrics-status {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    """

    BINDINGS = [
        Binding("f,slash", "filter", "筛选", tooltip="Filter", id="metrics.filter"),
        Binding("s", "sort_next", "排序列", tooltip="Sort by next column", id="metrics.sort"),
        Binding("S", "sort_reverse", "反序", tooltip="Reverse order", id="metrics.reverse"),
        Binding("escape", "clear_filter", "清除筛选", show=False, tooltip="Clear filter", id="metrics.clear"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalog: Catalog | None = None
        self._all_rows: list[Metric] = []
        self._visible: list[Metric] = []
        self.sort_key = "section"
        self.reverse = False
        self.query_text = ""
        self._haystack: dict[str, str] = {}  # metric id → the text a filter looks in
        self._presorted = False
        self._shown_as: tuple[str, str, bool] | None = None
        self._filter_timer = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="筛选 Filter: label, sentence, number…", id="metric-filter")
        yield VirtualTable(COLUMNS, id="metrics-table", empty="没有指标 · No metrics here")
        yield TextLine(id="metric-detail")
        yield TextLine(id="metrics-status")

    def on_mount(self) -> None:
        self.query_one("#metric-filter", Input).display = False

    def show(self, catalog: Catalog, metrics: list[Metric], *, in_reading_order: bool = False) -> None:
        """`in_reading_order`: the metrics come sorted by section and line already,
        the default order, so a whole year (thousands of rows) need not be sorted."""
        self.catalog = catalog
        self._all_rows = metrics
        self._haystack = {}
        self._presorted = in_reading_order
        self.refresh_rows()

    def _sort_key(self) -> Callable[[Metric], Any]:
        """One key function per sort, chosen once rather than per row."""
        key = self.sort_key
        if key == "normalized":
            return attrgetter("normalized")
        if key == "value":  # like with like: 元 amounts apart from 家 counts
            return attrgetter("base_unit", "normalized")
        if key == "year":
            return lambda m: m.year or 0
        if key == "section":
            position = self.catalog.position if self.catalog else {}
            return lambda m: (position.get(m.section, 0), m.line)
        return lambda m: getattr(m, key) or ""

    def refresh_rows(self) -> None:
        needle = self.query_text.casefold()
        rows = self._all_rows
        if needle:
            hay = self._haystack
            if not hay:
                hay.update((m.id, f"{m.label}\n{m.context}\n{m.raw}\n{m.period or ''}".casefold()) for m in rows)
            rows = [m for m in rows if needle in hay[m.id]]
        if self._presorted and self.sort_key == "section" and not self.reverse:
            self._visible = list(rows)
        else:
            self._visible = sorted(rows, key=self._sort_key(), reverse=self.reverse)
        self._shown_as = (self.query_text, self.sort_key, self.reverse)
        table = self.query_one(VirtualTable)
        table.empty_text = "没有匹配 · Nothing matches the filter" if needle else "没有指标 · No metrics here"
        arrow = " ↓" if self.reverse else " ↑"
        table.set_titles({c.key: c.title + (arrow if c.key == self.sort_key else "") for c in COLUMNS})
        table.set_rows(self._visible, self._cells)
        self._update_status()

    def _cells(self, m: Metric) -> list[Text]:
        section = self.catalog.section_by_id.get(m.section) if self.catalog else None
        where = section.label if section else m.section
        return [
            Text(m.label or "—"), Text(formatting.written(m), justify="right"),
            Text(formatting.normalized(m), justify="right"), Text(m.qualifier or ""),
            Text(m.period or ""), Text(str(m.year or "")), Text(where, style="dim"),
        ]

    def _update_status(self) -> None:
        total = len(self._visible)
        title = next(c.title for c in COLUMNS if c.key == self.sort_key)
        arrow = "↓" if self.reverse else "↑"
        status = Text(f"{total} 项指标 metrics · 排序 {title} {arrow}")
        if self.query_text:
            status.append(" · 筛选: ", style="dim")
            status.append(self.query_text)
        self.query_one("#metrics-status", TextLine).update(status)

    # -- actions ----------------------------------------------------------------
    def action_filter(self) -> None:
        box = self.query_one("#metric-filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#metric-filter", Input)
        if box.value:
            box.value = ""
        else:
            box.display = False
            self.query_one(VirtualTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self.refresh_rows)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        if self._shown_as != (self.query_text, self.sort_key, self.reverse):
            self.refresh_rows()  # typing stopped less than FILTER_DELAY ago
        self.query_one(VirtualTable).focus()

    def action_sort_next(self) -> None:
        keys = [c.key for c in COLUMNS]
        self.sort_by(keys[(keys.index(self.sort_key) + 1) % len(keys)])

    def action_sort_reverse(self) -> None:
        self.reverse = not self.reverse
        self.refresh_rows()

    def sort_by(self, key: str, toggle: bool = False) -> None:
        if toggle and key == self.sort_key:
            self.reverse = not self.reverse
        else:
            self.sort_key, self.reverse = key, False
        self.refresh_rows()

    def on_virtual_table_header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        self.sort_by(event.column.key, toggle=True)

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        metric: Metric | None = event.row
        detail = Text()
        if metric is not None:
            detail.append(f"{formatting.written(metric)}  ", style="bold")
            detail.append(metric.context or metric.raw)
        self.query_one("#metric-detail", TextLine).update(detail)

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        metric: Metric = event.row
        self.post_message(OpenSource(metric.section, metric.line, metric.context or None))
