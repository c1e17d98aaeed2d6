"""`t` on a metric: the same measure in every year and document, a bar chart by
year with the change in %, and conflicts (two documents, one year, different
values) shown side by side. `d` drops a wrong match (and takes it back).

The chart is drawn as text bars (one per year, labelled with the value and the
change): it reads at 80×24, where a Sparkline has no labels, and costs no import."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from .messages import OpenSource
from .textline import TextLine
from .vtable import TableColumn, VirtualTable

if TYPE_CHECKING:
    from ..answers.measures import Point, Row, Series

_points: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # catalog → list[Point]
BAR = 28  # cells of the longest bar


def points_for(catalog: Any) -> list[Point]:
    found = _points.get(catalog)
    if found is None:
        from ..answers.measures import points
        from ..answers.source import from_catalog

        found = _points[catalog] = points(from_catalog(catalog))
    return found


def _value(point: Point) -> str:
    from ..formatting import written

    return written(point.metric)


def chart(series: Series, dropped: set[str], width: int = BAR) -> Text:
    """One bar per year, longest = the largest value; value and change beside it."""
    per_year = series.by_year(dropped)
    changes = {y: pct for y, _, pct in series.changes(dropped)}
    out = Text()
    if not per_year:
        out.append("没有可画的数值 · nothing to draw", style="dim")
        return out
    top = max(abs(r.point.metric.normalized) for _, r in per_year) or 1.0
    for k, (year, row) in enumerate(per_year):
        n = abs(row.point.metric.normalized) / top * width
        full = int(n)
        bar = "█" * full + (" ▏▎▍▌▋▊▉"[int((n - full) * 8)] if full < width else "")
        if k:
            out.append("\n")
        out.append(f"{year} ", style="bold")
        out.append(bar.ljust(width), style="cyan")
        out.append(f" {_value(row.point)}")
        pct = changes.get(year)
        if pct is not None:
            out.append(f"  {pct:+.1f}%", style="green" if pct > 0 else "red" if pct < 0 else "")
        if row.conflict:
            out.append("  ≠", style="bold red")
    return out


def source_card(point: Point) -> Text:
    m = point.metric
    card = Text(_value(point), style="bold")
    card.append(f"  {m.label}")
    card.append(f"\n{point.document.title}", style="dim")
    if point.section is not None:
        card.append(f"\n{point.section.label} · L{m.line}", style="dim")
    if m.period:
        card.append(f"\n时期 {m.period}", style="dim")
    card.append(f"\n{m.context}")
    return card


class SeriesScreen(Screen):
    DEFAULT_CSS = """
    SeriesScreen { background: $background; }
    #series-title { height: 1; padding: 0 1; background: $panel; }
    #series-chart { height: auto; max-height: 8; padding: 0 1; }
    #series-table { height: 1fr; min-height: 4; }
    #series-sides { height: auto; max-height: 8; display: none; }
    #series-sides.-shown { display: block; }
    #series-sides > Static { width: 1fr; height: auto; max-height: 8; padding: 0 1; border: round $error; }
    #series-help { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape,q", "close", "关闭", tooltip="Close", id="series.close"),
        Binding("d", "drop", "剔除", tooltip="Drop a wrong match (again: take it back)", id="series.drop"),
    ]

    def __init__(self, catalog: Any, label: str, unit: str | None = None) -> None:
        super().__init__()
        self.catalog = catalog
        self.label = label
        self.unit = unit
        self.series: Series | None = None
        self.dropped: set[str] = set()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield TextLine(Text(f"{self.label} · 正在查找… searching", style="bold"), id="series-title")
            yield Static(Text(""), id="series-chart")
            yield VirtualTable([TableColumn("year", "年份", 4), TableColumn("value", "数值 Value", 12, "right", 8),
                                TableColumn("normalized", "标准值", 12, "right", 8),
                                TableColumn("change", "变化", 8, "right"), TableColumn("period", "时期", 8, min_width=4),
                                TableColumn("source", "指标 · 章节 · 文档 Source", None)],
                               id="series-table", zebra=False, empty="没有同一指标 · No match")
            with Horizontal(id="series-sides"):
                yield Static(id="side-a")
                yield Static(id="side-b")
            yield TextLine(Text("Enter 打开原文 open · d 剔除/恢复 drop/restore · Esc 关闭 close", style="dim"),
                           id="series-help")

    def on_mount(self) -> None:
        self.query_one(VirtualTable).focus()
        self._compute()

    @work(thread=True, exclusive=True, group="series")
    def _compute(self) -> None:
        from ..answers.measures import series
        from ..corpus import CorpusError
        from ..store import StoreError

        try:
            result = series(points_for(self.catalog), self.label, self.unit)
        except (StoreError, CorpusError, OSError) as exc:  # the store changed or broke under us
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, result)

    def _failed(self, message: str) -> None:
        self.query_one("#series-title", TextLine).update(Text(f"无法读取 · cannot read: {message}", style="bold red"))

    def _show(self, result: Series) -> None:
        self.series = result
        self.redraw()

    def redraw(self, cursor: int | None = None) -> None:
        result = self.series
        if result is None:
            return
        years = len(result.by_year(self.dropped))
        conflicts = sum(1 for r in result.rows if r.conflict)
        title = Text(f"{self.label}", style="bold")
        title.append(f" · {result.base_unit or '—'} · {years} 年 years · {len(result.rows)} 处 matches")
        if conflicts:
            title.append(f" · {conflicts} 处冲突 conflicting", style="bold red")
        self.query_one("#series-title", TextLine).update(title)
        self.query_one("#series-chart", Static).update(chart(result, self.dropped))
        table = self.query_one(VirtualTable)
        table.set_rows(result.rows, self._cells, cursor=table.cursor if cursor is None else cursor)

    def _cells(self, row: Row) -> list[Text]:
        gone = row.point.metric.id in self.dropped
        style = "dim strike" if gone else ""
        pct = None
        if self.series is not None and not gone:
            chosen = dict(self.series.by_year(self.dropped))
            year = row.point.year
            if year is not None and chosen.get(year) is row:
                pct = {y: c for y, _, c in self.series.changes(self.dropped)}.get(year)
        from ..formatting import normalized, short_period

        where = Text("≠冲突 ", style="bold red") if row.conflict else Text("")
        where.append(row.point.metric.label, style=style)
        section = row.point.section
        if section is not None:
            where.append(f" · {section.label}", style="dim")
        where.append(f" · {row.point.document.title}", style="dim")
        m = row.point.metric
        return [Text(str(row.point.year or ""), style=style), Text(_value(row.point), style=style),
                Text(normalized(m), style=style or "dim"), Text("" if pct is None else f"{pct:+.1f}%"),
                Text(short_period(m.period), style=style), where]

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        event.stop()
        row: Row | None = event.row
        sides = self.query_one("#series-sides")
        if row is None or not row.conflict or self.series is None:
            sides.remove_class("-shown")
            return
        from ..answers.measures import compatible

        other = next((r for r in self.series.rows if r is not row and r.point.year == row.point.year
                      and r.point.document.id != row.point.document.id
                      and compatible(r.point.period, row.point.period)), None)
        if other is None:
            sides.remove_class("-shown")
            return
        self.query_one("#side-a", Static).update(source_card(row.point))
        self.query_one("#side-b", Static).update(source_card(other.point))
        sides.add_class("-shown")

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        m = event.row.point.metric
        self.app.pop_screen()
        self.app.post_message(OpenSource(m.section, m.line, m.context or None))

    def action_drop(self) -> None:
        table = self.query_one(VirtualTable)
        row = table.current
        if row is None:
            return
        mid = row.point.metric.id
        self.dropped.symmetric_difference_update({mid})
        self.redraw(cursor=table.cursor)

    def action_close(self) -> None:
        self.app.pop_screen()


def current_metric(app: Any) -> Any | None:
    """The metric under the cursor of the metrics table, if that is where the user is."""
    tables = app.query("#metrics-table")
    if not tables:
        return None
    table = tables.first()
    views = app.query("#views-root")
    if app.focused is not table and not (views and getattr(views.first(), "active", None) == "metrics"):
        return None
    row = table.current
    return row if hasattr(row, "base_unit") else None


def open_series(app: Any, metric: Any | None = None) -> None:
    catalog = getattr(app, "catalog", None)
    metric = metric or current_metric(app)
    if catalog is None or metric is None:
        app.notify("在指标表中选择一项再按 t · Select a metric in the metrics view (2), then press t.",
                   severity="warning")
        return
    from ..answers.measures import measure_name

    app.push_screen(SeriesScreen(catalog, measure_name(metric) if len(metric.label) <= 5 else metric.label,
                                 metric.base_unit))
