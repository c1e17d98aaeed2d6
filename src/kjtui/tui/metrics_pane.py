"""The metrics table: sortable by any column, filtered as you type. A virtual
table draws only the rows on screen, so a year of metrics answers at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from operator import attrgetter
from typing import Any, overload

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import get_current_worker

from .. import formatting
from ..model import Metric
from .catalog import Catalog
from .messages import OpenSource
from .textline import DetailPanel, TextLine
from .vtable import TableColumn, VirtualTable

FILTER_DELAY = 0.15  # seconds of no typing before the filter runs

# Label takes the room that is left; value and normalized are as wide as their widest
# cell (never cut); period and section are measured too but may shrink (with …).
# The qualifier is part of the value as written (超190亿元) and in the detail panel.
COLUMNS = (
    TableColumn("label", "指标 Label", None, min_width=10), TableColumn("value", "数值", 6, "right"),
    TableColumn("normalized", "标准值", 8, "right"), TableColumn("period", "时期", 6, min_width=4),
    TableColumn("year", "年", 4), TableColumn("section", "章节", 8, min_width=6),
)
TITLES = {"label": "指标 Label", "value": "数值 Value", "normalized": "标准值 Normalized", "period": "时期 Period",
          "year": "年份 Year", "section": "章节 Section"}
MEASURE_AFTER = 0.15  # seconds after a big table is shown, its exact widths are measured
MEASURED_AT_ONCE = 1000  # rows: a bigger table is measured on a sample first, then in full
SECTION_ROOM = 12  # cells: longer section titles end in …
DETAIL_MOST = 0.4  # the detail panel takes at most this share of the pane's height


class FilterInput(Input):
    """The filter box: its own keys in the footer (Enter, Esc), nothing that would type a letter."""

    BINDINGS = [
        Binding("enter", "submit", "完成", tooltip="Done: back to the table", id="filter.done"),
        Binding("escape", "clear", "清除", tooltip="Clear the filter (again: close the box)", id="filter.clear"),
    ]

    def action_clear(self) -> None:
        pane = next((a for a in self.ancestors if isinstance(a, MetricsPane)), None)
        if pane is not None:
            pane.action_clear_filter()


class MetricsPane(Vertical):
    DEFAULT_CSS = """
    MetricsPane {
        height: 1fr;
    }

    #metric-filter {
        height: 3;
    }


    #metrics-status {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    """

    BINDINGS = [
        Binding("f", "filter", "筛选", tooltip="Filter", id="metrics.filter"),
        Binding("s", "sort_next", "排序列", tooltip="Sort by next column", id="metrics.sort"),
        Binding("S", "sort_reverse", "反序", tooltip="Reverse order", id="metrics.reverse"),
        Binding("escape", "clear_filter", "清除筛选", show=False, tooltip="Clear filter", id="metrics.clear"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalog: Catalog | None = None
        self._all_rows: Sequence[Metric] = []  # a big year's: parsed as read (readmodel.LazyRecords)
        self._visible: Sequence[Metric] = []
        self.sort_key = "section"
        self.reverse = False
        self.query_text = ""
        self._haystack: dict[str, str] = {}  # metric id → the text a filter looks in
        self._presorted = False
        self._shown_as: tuple[str, str, bool] | None = None
        self._filter_timer: Timer | None = None
        self._texts: dict[str, tuple[str, str, str, str]] = {}  # metric id → value, normalized, period, section
        self._sizes: dict[str, tuple[int, int, int, int]] = {}  # metric id → cells of value, normalized, period, label
        self._measured: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)  # the widths the columns have
        self._measure_timer: Timer | None = None  # starts the exact measure of a big table

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="筛选 Filter: label, sentence, number…", id="metric-filter")
        yield VirtualTable(COLUMNS, id="metrics-table", empty="没有指标 · No metrics here")
        yield DetailPanel(id="metric-detail")
        yield TextLine(id="metrics-status")

    def on_mount(self) -> None:
        self.query_one("#metric-filter", Input).display = False

    def show(self, catalog: Catalog | None, metrics: Sequence[Metric], *, in_reading_order: bool = False) -> None:
        """`in_reading_order`: the metrics come sorted by section and line already,
        the default order, so a whole year (thousands of rows) need not be sorted."""
        if catalog is not self.catalog:
            self._texts, self._sizes = {}, {}
        # the previous rows' exact measure is of no use now (it would only take the GIL)
        if self._measure_timer is not None:
            self._measure_timer.stop()
            self._measure_timer = None
        self.workers.cancel_group(self, "measure")
        self.catalog = catalog
        self._all_rows = metrics
        self._haystack = {}
        self._presorted = in_reading_order
        self._measure()
        self.refresh_rows()

    def _text(self, m: Metric) -> tuple[str, str, str, str]:
        texts = self._texts.get(m.id)
        if texts is None:
            section = self.catalog.section_by_id.get(m.section) if self.catalog else None
            texts = self._texts[m.id] = (formatting.written(m), formatting.normalized(m),
                                         formatting.short_period(m.period), section.label if section else m.section)
        return texts

    def _measure(self) -> None:
        """Columns as wide as their widest cell (in all rows, so a filter does not make them
        jump); the label column takes what is left. A big year is measured on a sample first
        (its first rows, what is on screen, and an even spread of the rest) so its table shows
        at once; the exact widths follow from a thread a moment later (~5 µs a row)."""
        rows = self._all_rows
        if len(rows) <= MEASURED_AT_ONCE:
            self._set_columns(self._widths(rows))
            return
        half = MEASURED_AT_ONCE // 2
        sample = [*rows[:half], *rows[half::max(1, (len(rows) - half) // half)]]
        self._set_columns(self._widths(sample))
        # once the table's first frame is out: a thread measuring meanwhile shares the GIL with it
        self._measure_timer = self.set_timer(
            MEASURE_AFTER,
            lambda: self.run_worker(lambda: self._measure_all(rows), thread=True, group="measure", exclusive=True))

    def _measure_all(self, rows: Sequence[Metric]) -> None:
        worker = get_current_worker()
        widths = self._widths(rows, lambda: worker.is_cancelled)
        if widths is not None:
            self.app.call_from_thread(self._widen, rows, widths)

    def _widen(self, rows: Sequence[Metric], widths: tuple[int, int, int, int, int]) -> None:
        if rows is self._all_rows and widths != self._measured:
            self._set_columns(widths)

    @overload
    def _widths(self, rows: Sequence[Metric]) -> tuple[int, int, int, int, int]: ...

    @overload
    def _widths(self, rows: Sequence[Metric],
                cancelled: Callable[[], bool]) -> tuple[int, int, int, int, int] | None: ...

    def _widths(self, rows: Sequence[Metric],
                cancelled: Callable[[], bool] | None = None) -> tuple[int, int, int, int, int] | None:
        """(value, normalized, period, label, section) widths: the widest cell of each; None
        when `cancelled` says so (it is asked every thousand rows)."""
        from rich.cells import cell_len

        label = where_most = most_value = most_norm = most_period = 0
        catalog = self.catalog
        sizes = self._sizes
        for k, m in enumerate(rows):
            if cancelled is not None and not k % 1024 and cancelled():
                return None
            size = sizes.get(m.id)
            if size is None:  # ~8 µs a row, once per metric: a year of thousands is measured once
                value, norm, period = formatting.written(m), formatting.normalized(m), formatting.short_period(m.period)
                size = sizes[m.id] = (cell_len(value), cell_len(norm), cell_len(period), cell_len(m.label or "—"))
            if catalog is not None and not catalog.is_loaded(m.document):
                # a year's rows span hundreds of documents: their section titles are read
                # (one shard per document) only for the rows drawn; assume a long one here
                where_most = max(where_most, 2 * SECTION_ROOM)
            else:
                where_most = max(where_most, cell_len(self._text(m)[3]))
            most_value, most_norm = max(most_value, size[0]), max(most_norm, size[1])
            most_period, label = max(most_period, size[2]), max(label, size[3])
        return most_value, most_norm, most_period, label, where_most

    def _set_columns(self, measured: tuple[int, int, int, int, int]) -> None:
        from rich.cells import cell_len

        self._measured = measured
        most_value, most_norm, most_period, label, where_most = measured
        widths = {"value": most_value, "normalized": most_norm, "period": most_period}
        columns = []
        for c in COLUMNS:
            title = cell_len(c.title) + 2  # room for the sort arrow
            if c.key in widths:
                columns.append(replace(c, width=max(widths[c.key], title)))
            elif c.key == "label":  # the room first: twice the section's share, up to its longest label
                columns.append(replace(c, most=max(label, title), weight=2))
            elif c.key == "section":  # what is left, up to its longest title
                columns.append(replace(c, width=None, min_width=SECTION_ROOM // 2, most=max(where_most, title)))
            else:
                columns.append(c)
        self.query_one(VirtualTable).set_columns(columns)

    def _sort_key(self) -> Callable[[Metric], Any]:
        """One key function per sort, chosen once rather than per row."""
        key = self.sort_key
        if key in ("normalized", "value"):  # like with like: 元 amounts apart from 家 counts and %
            return attrgetter("base_unit", "normalized")
        if key == "year":
            return lambda m: m.year or 0
        if key == "section":
            position: Any = self.catalog.position if self.catalog else {}
            return lambda m: (position.get(m.section, 0), m.line)
        return lambda m: getattr(m, key) or ""

    def refresh_rows(self, cursor: int = 0) -> None:
        needle = self.query_text.casefold()
        rows = self._all_rows
        if needle:
            hay = self._haystack
            if not hay:
                hay.update((m.id, f"{m.label}\n{m.context}\n{m.raw}\n{m.period or ''}".casefold()) for m in rows)
            rows = [m for m in rows if needle in hay[m.id]]
        if self._presorted and self.sort_key == "section" and not self.reverse:
            self._visible = rows  # not copied: a big year's rows are parsed only as they are drawn
        else:
            self._visible = sorted(rows, key=self._sort_key(), reverse=self.reverse)
        self._shown_as = (self.query_text, self.sort_key, self.reverse)
        table = self.query_one(VirtualTable)
        table.empty_text = "没有匹配 · Nothing matches the filter" if needle else "没有指标 · No metrics here"
        arrow = " ↓" if self.reverse else " ↑"
        table.set_titles({c.key: c.title + (arrow if c.key == self.sort_key else "") for c in COLUMNS})
        table.set_rows(self._visible, self._cells, cursor=cursor)
        self._update_status()

    def _cells(self, m: Metric) -> list[Text]:
        value, norm, period, where = self._text(m)
        return [
            Text(m.label or "—"), Text(value, justify="right"), Text(norm, justify="right"),
            Text(period), Text(str(m.year or "")), Text(where, style="dim"),
        ]

    def _update_status(self) -> None:
        total = len(self._visible)
        title = TITLES[self.sort_key]
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
        self._show_detail(event.row)

    def on_resize(self) -> None:
        table = self.query_one(VirtualTable)
        self._show_detail(table.current)

    def _show_detail(self, metric: Metric | None) -> None:
        text = detail_text(metric, self.catalog) if metric is not None else Text("")
        self.query_one("#metric-detail", DetailPanel).show(text, self.size.height, DETAIL_MOST)

    @property
    def state(self) -> dict[str, Any]:
        """What a jump back restores: filter, sort, cursor and scroll."""
        table = self.query_one(VirtualTable)
        return {"query": self.query_text, "sort": self.sort_key, "reverse": self.reverse,
                "cursor": table.cursor, "scroll": table.scroll_offset.y, "column": table.first_column}

    def restore(self, state: dict[str, Any]) -> None:
        self.query_text = state.get("query", "")
        self.sort_key = state.get("sort", "section")
        self.reverse = bool(state.get("reverse", False))
        box = self.query_one("#metric-filter", Input)
        with box.prevent(Input.Changed):
            box.value = self.query_text
        box.display = bool(self.query_text)
        table = self.query_one(VirtualTable)
        table.first_column = int(state.get("column", 0))
        self.refresh_rows(cursor=int(state.get("cursor", 0)))
        table.scroll_to(y=int(state.get("scroll", 0)), animate=False, immediate=True)
        table._scroll_cursor_into_view()

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        metric: Metric = event.row
        self.post_message(OpenSource(metric.section, metric.line, metric.context or None))


def detail_text(metric: Metric, catalog: Catalog | None) -> Text:
    """Everything about one metric, nothing cut: label, value, normalized value,
    qualifier, period, year, where it stands, and its whole sentence."""
    out = Text()
    out.append(metric.label or "—", style="bold")
    out.append("\n")
    facts = [("", formatting.written(metric)), ("标准值 ", formatting.normalized(metric)),
             ("限定 ", metric.qualifier or ""), ("", metric.period or ""),
             ("", f"{metric.year}年" if metric.year else "")]
    first = first_fact = True
    for name, value in facts:
        if not value:
            continue
        if not first:
            out.append(" · ", style="dim")
        first = False
        out.append(name, style="dim")
        out.append(value, style="bold" if first_fact else "")
        first_fact = False
    if catalog is not None:
        section = catalog.section_by_id.get(metric.section)
        doc = catalog.document_by_id.get(metric.document)
        crumbs = [catalog.short_title(doc)] if doc else []
        if section is not None:
            for part in [a.label for a in catalog.ancestors(section)] + [section.label]:
                if not crumbs or part != crumbs[-1]:  # a one-chapter document is titled by its chapter
                    crumbs.append(part)
        if crumbs:
            out.append("\n")
            out.append(" › ".join(crumbs), style="dim italic")
    sentence = metric.context or metric.raw
    if sentence:
        out.append("\n")
        at = sentence.find(metric.raw.replace("**", "")) if metric.raw else -1
        out.append(sentence)
        if at >= 0:
            out.stylize("bold underline", len(out) - len(sentence) + at,
                        len(out) - len(sentence) + at + len(metric.raw.replace("**", "")))
    return out
