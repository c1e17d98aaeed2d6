"""The metrics table: sortable by any column, filtered as you type, paged so
that a node with tens of thousands of metrics still answers at once."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from .. import formatting
from ..model import Metric
from .catalog import Catalog

PAGE = 40  # fewest rows added at a time (a tall terminal gets a screenful more); DataTable
# measures every cell it holds, so rows come as the cursor nears them
FILTER_DELAY = 0.15  # seconds of no typing before the filter runs


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int | None


COLUMNS = (
    Column("label", "指标 Label", 24), Column("value", "数值 Value", 12), Column("normalized", "标准值 Normalized", 17),
    Column("qualifier", "限定", 6), Column("period", "时期 Period", 12), Column("year", "年份", 4),
    Column("section", "章节 Section", None),
)


class OpenSource(Message):
    """Open a document line in the reader (from a metric or an event)."""

    def __init__(self, section: str, line: int, sentence: str | None) -> None:
        super().__init__()
        self.section, self.line, self.sentence = section, line, sentence


class VimTable(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", "下移", show=False, tooltip="Down", id="table.down"),
        Binding("k", "cursor_up", "上移", show=False, tooltip="Up", id="table.up"),
        Binding("g", "scroll_top", "顶部", show=False, tooltip="Top", id="table.top"),
        Binding("G", "scroll_bottom", "底部", show=False, tooltip="Bottom", id="table.bottom"),
    ]

    def action_scroll_bottom(self) -> None:
        pane = next((a for a in self.ancestors if isinstance(a, MetricsPane)), None)
        if pane is not None and pane._loaded < len(pane._visible):
            pane._load_more(upto=len(pane._visible) - 1)  # the real bottom, not the last page
        super().action_scroll_bottom()


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

    #metrics-table {
        height: 1fr;
        scrollbar-size-vertical: 1;
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
        self._section_order: dict[str, int] = {}
        self._by_id: dict[str, Metric] = {}
        self._loaded = 0
        self._filter_timer = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="筛选 Filter: label, sentence, number…", id="metric-filter")
        table = VimTable(id="metrics-table", cursor_type="row", zebra_stripes=True)
        for col in COLUMNS:
            table.add_column(col.title, key=col.key, width=col.width)
        yield table
        yield Static("", id="metric-detail")
        yield Static("", id="metrics-status")

    def on_mount(self) -> None:
        self.query_one("#metric-filter", Input).display = False

    def show(self, catalog: Catalog, metrics: list[Metric]) -> None:
        self.catalog = catalog
        self._section_order = {s.id: k for k, s in enumerate(catalog.reading_order)}
        self._all_rows = metrics
        self.refresh_rows()

    def _sort_value(self, m: Metric):
        key = self.sort_key
        if key in {"value", "normalized"}:
            return (m.base_unit, m.normalized) if key == "value" else m.normalized
        if key == "year":
            return m.year or 0
        if key == "section":
            return (self._section_order.get(m.section, 0), m.line)
        return getattr(m, key) or ""

    def refresh_rows(self) -> None:
        needle = self.query_text.casefold()
        rows = self._all_rows
        if needle:
            rows = [m for m in rows if needle in f"{m.label}\n{m.context}\n{m.raw}\n{m.period or ''}".casefold()]
        self._visible = sorted(rows, key=self._sort_value, reverse=self.reverse)
        self._by_id = {}
        self._loaded = 0
        self.query_one(VimTable).clear()
        self._load_more()
        self._update_status()

    def _load_more(self, upto: int | None = None) -> None:
        """Add the next page of rows (or all rows up to index `upto`)."""
        end = min(len(self._visible), self._loaded + self.page_size() if upto is None else upto + 1)
        table = self.query_one(VimTable)
        for m in self._visible[self._loaded:end]:
            table.add_row(*self._cells(m), key=m.id)
            self._by_id[m.id] = m
        self._loaded = max(self._loaded, end)

    def page_size(self) -> int:
        """Rows to add at a time: at least a screenful, so the table never shows a gap."""
        return max(PAGE, self.query_one(VimTable).size.height + 10)

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
        self.query_one("#metrics-status", Static).update(status)

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
            self.query_one(VimTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self.refresh_rows)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self.refresh_rows()
        self.query_one(VimTable).focus()

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

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(str(event.column_key.value), toggle=True)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self._loaded - 10 and self._loaded < len(self._visible):
            self._load_more()
        metric = self._by_id.get(str(event.row_key.value))
        detail = Text()
        if metric is not None:
            detail.append(f"{formatting.written(metric)}  ", style="bold")
            detail.append(metric.context or metric.raw)
        self.query_one("#metric-detail", Static).update(detail)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        metric = self._by_id.get(str(event.row_key.value))
        if metric is not None:
            self.post_message(OpenSource(metric.section, metric.line, metric.context or None))
