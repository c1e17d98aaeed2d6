"""Two years compared, and every conflict between documents (palette: 比较 / 冲突).
Also the palette entries of the answers (search, calendar, series, compare, conflicts)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from .messages import OpenSource
from .series_screen import points_for, source_card
from .textline import TextLine
from .vtable import TableColumn, VirtualTable

if TYPE_CHECKING:
    from ..answers.measures import Point

ANSWERS_CSS = """
    #answers-title { height: 1; padding: 0 1; background: $panel; }
    #answers-table { height: 1fr; }
    #answers-sides { height: auto; max-height: 9; }
    #answers-sides > Static { width: 1fr; height: auto; max-height: 9; padding: 0 1; border: round $panel; }
    #answers-help { height: 1; padding: 0 1; color: $text-muted; }
"""


def _value(point: Point) -> str:
    from ..formatting import written

    return written(point.metric)


class _AnswersScreen(Screen):
    DEFAULT_CSS = "_AnswersScreen { background: $background; }" + ANSWERS_CSS
    BINDINGS = [
        Binding("escape,q", "close", "关闭", tooltip="Close", id="answers.close"),
        Binding("o", "open_other", "另一来源", tooltip="Open the right-hand source", id="answers.other"),
    ]
    COLUMNS: list[TableColumn] = []
    HELP = "Enter 打开左侧来源 open left source · o 右侧 right · Esc 关闭 close"

    def __init__(self, catalog: Any) -> None:
        super().__init__()
        self.catalog = catalog

    def compose(self) -> ComposeResult:
        with Vertical():
            yield TextLine(Text("正在计算… working", style="bold"), id="answers-title")
            yield VirtualTable(self.COLUMNS, id="answers-table", zebra=False, empty="没有 · Nothing")
            with Horizontal(id="answers-sides"):
                yield Static(id="answers-a")
                yield Static(id="answers-b")
            yield TextLine(Text(self.HELP, style="dim"), id="answers-help")

    def on_mount(self) -> None:
        self.query_one(VirtualTable).focus()
        self._compute()

    @work(thread=True, exclusive=True, group="answers")
    def _compute(self) -> None:
        from ..corpus import CorpusError
        from ..store import StoreError

        try:
            rows, title = self.compute(points_for(self.catalog))
        except (StoreError, CorpusError, OSError) as exc:  # the store changed or broke under us
            rows, title = [], Text(f"无法读取 · cannot read: {exc}", style="bold red")
        self.app.call_from_thread(self._show, rows, title)

    def compute(self, pts: list[Point]) -> tuple[list[Any], Text]:
        raise NotImplementedError

    def sides(self, row: Any) -> tuple[Point | None, Point | None]:
        raise NotImplementedError

    def cells(self, row: Any) -> list[Text]:
        raise NotImplementedError

    def _show(self, rows: list[Any], title: Text) -> None:
        self.query_one("#answers-title", TextLine).update(title)
        self.query_one(VirtualTable).set_rows(rows, self.cells)

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        event.stop()
        a, b = self.sides(event.row) if event.row is not None else (None, None)
        self.query_one("#answers-a", Static).update(source_card(a) if a else Text(""))
        self.query_one("#answers-b", Static).update(source_card(b) if b else Text(""))

    def _open(self, point: Point | None) -> None:
        if point is None:
            self.app.bell()
            return
        m = point.metric
        self.app.pop_screen()
        self.app.post_message(OpenSource(m.section, m.line, m.context or None))

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        self._open(self.sides(event.row)[0])

    def action_open_other(self) -> None:
        row = self.query_one(VirtualTable).current
        self._open(self.sides(row)[1] if row is not None else None)

    def action_close(self) -> None:
        self.app.pop_screen()


class ConflictsScreen(_AnswersScreen):
    COLUMNS = [TableColumn("year", "年份", 4), TableColumn("a", "一处 One document", None),
               TableColumn("b", "另一处 Another", None)]

    def compute(self, pts):
        from ..answers.measures import conflicts

        found = conflicts(pts)
        title = Text(f"冲突 Conflicts · {len(found)} 处：同一指标、同一年份、不同数值 same measure and year, "
                     "different values", style="bold")
        return found, title

    def sides(self, row):
        return row.a, row.b

    def cells(self, row) -> list[Text]:
        out = [Text(str(row.year))]
        for p in (row.a, row.b):
            cell = Text(_value(p), style="bold")
            cell.append(f" {p.metric.label} · {p.document.title}", style="")
            out.append(cell)
        return out


class CompareScreen(_AnswersScreen):
    COLUMNS = [TableColumn("label", "指标 Measure", None), TableColumn("a", "", 12, "right"),
               TableColumn("b", "", 12, "right"), TableColumn("change", "变化", 9, "right")]

    def __init__(self, catalog: Any, year_a: int, year_b: int) -> None:
        super().__init__(catalog)
        self.year_a, self.year_b = year_a, year_b
        self.COLUMNS = [c if c.key not in ("a", "b") else TableColumn(c.key, str(year_a if c.key == "a" else year_b),
                                                                       12, "right") for c in type(self).COLUMNS]

    def compute(self, pts):
        from ..answers.measures import compare

        result = compare(pts, self.year_a, self.year_b)
        rows: list[tuple[str, Any]] = [("pair", p) for p in result.both]
        rows += [("only_a", p) for p in result.only_a] + [("only_b", p) for p in result.only_b]
        title = Text(f"比较 {self.year_a} → {self.year_b} · 两年都有 in both: {len(result.both)} · "
                     f"仅{self.year_a}: {len(result.only_a)} · 仅{self.year_b}: {len(result.only_b)}", style="bold")
        return rows, title

    def sides(self, row):
        kind, item = row
        if kind == "pair":
            return item.a, item.b
        return item, None

    def cells(self, row) -> list[Text]:
        from ..answers.measures import shown_label

        kind, item = row
        if kind == "pair":
            pct = item.change_pct
            change = Text("" if pct is None else f"{pct:+.1f}%",
                          style="green" if (pct or 0) > 0 else "red" if (pct or 0) < 0 else "")
            return [Text(shown_label(item.a)), Text(_value(item.a)), Text(_value(item.b)), change]
        mark = f"仅 only {self.year_a if kind == 'only_a' else self.year_b}"
        value = Text(_value(item))
        return [Text(shown_label(item), style="dim"), value if kind == "only_a" else Text(""),
                value if kind == "only_b" else Text(""), Text(mark, style="dim")]


def open_compare(app: Any, year_a: int, year_b: int) -> None:
    if getattr(app, "catalog", None) is not None:
        app.push_screen(CompareScreen(app.catalog, year_a, year_b))


def open_conflicts(app: Any) -> None:
    if getattr(app, "catalog", None) is not None:
        app.push_screen(ConflictsScreen(app.catalog))


def palette_entries(app: Any):
    """(name, help, callback) for the command palette."""
    yield ("搜索 Search every document", "Full-text search, results as you type (/)", app.action_search)
    yield ("日历 Calendar", "Years × months of releases and events (c)", app.action_calendar)
    yield ("历年 This metric across years", "Series, chart and conflicts of the metric under the cursor (t)",
           app.action_series)
    catalog = getattr(app, "catalog", None)
    if catalog is None:
        return
    yield ("冲突 Conflicts", "The same measure and year with different values in two documents",
           partial(open_conflicts, app))
    years = sorted(catalog.years)
    for older, newer in zip(years, years[1:]):
        yield (f"比较 Compare {older} → {newer}", "Measures of two years side by side",
               partial(open_compare, app, older, newer))
