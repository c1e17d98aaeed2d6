"""`c`: the timeline as a calendar, years × 12 months with the number of releases
and events in each cell (◆ marks a cell with policy releases). Enter on a cell
lists its items; Enter on an item opens its source in the reader."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

from .messages import OpenSource
from .textline import TextLine
from .vtable import TableColumn, VirtualTable

if TYPE_CHECKING:
    from ..answers.calendar import Calendar, Cell, Entry

CELL = 5  # cells per month column


class CalendarGrid(Widget, can_focus=True):
    DEFAULT_CSS = """
    CalendarGrid { height: auto; padding: 0 1; }
    CalendarGrid:focus { background-tint: $foreground 5%; }
    """

    BINDINGS = [
        Binding("left,h", "move(0,-1)", "左", show=False, id="calendar.left"),
        Binding("right,l", "move(0,1)", "右", show=False, id="calendar.right"),
        Binding("up,k", "move(-1,0)", "上", show=False, id="calendar.up"),
        Binding("down,j", "move(1,0)", "下", show=False, id="calendar.down"),
        Binding("enter", "open", "列出", tooltip="List this month's items", id="calendar.open"),
    ]

    class CellChosen(Message):
        def __init__(self, cell: Cell, opened: bool) -> None:
            super().__init__()
            self.cell, self.opened = cell, opened

    def __init__(self, calendar: Calendar, **kwargs) -> None:
        super().__init__(**kwargs)
        self.calendar = calendar
        self.row = 0
        self.col = 0
        # start on the newest month that has something
        if calendar.years:
            year = calendar.years[0]
            filled = [m for m in range(1, 13) if calendar.cell(year, m).count]
            self.col = (filled[-1] - 1) if filled else 0

    @property
    def cell(self) -> Cell | None:
        if not self.calendar.years:
            return None
        return self.calendar.cell(self.calendar.years[self.row], self.col + 1)

    def render(self) -> Text:
        out = Text()
        out.append("年份 ", style="bold")
        for m in range(1, 13):
            out.append(f"{m}月".rjust(CELL - 1) + " ", style="bold")
        for r, year in enumerate(self.calendar.years):
            out.append(f"\n{year} ", style="bold")
            for m in range(1, 13):
                cell = self.calendar.cell(year, m)
                text = f"{'◆' if cell.policies else ''}{cell.count}" if cell.count else "·"
                style = "bold" if cell.policies else ("" if cell.count else "dim")
                if r == self.row and m - 1 == self.col:
                    style += " reverse"
                out.append(text.rjust(CELL - 1), style=style)
                out.append(" ")
        if not self.calendar.years:
            out.append("\n没有事件 · No dated events", style="dim")
        return out

    def action_move(self, dy: int, dx: int) -> None:
        if not self.calendar.years:
            return
        self.row = max(0, min(len(self.calendar.years) - 1, self.row + dy))
        self.col = max(0, min(11, self.col + dx))
        self.refresh()
        if self.cell is not None:
            self.post_message(self.CellChosen(self.cell, False))

    def action_open(self) -> None:
        if self.cell is not None:
            self.post_message(self.CellChosen(self.cell, True))


class CalendarScreen(Screen):
    DEFAULT_CSS = """
    CalendarScreen { background: $background; }
    #calendar-title, #calendar-status { height: 1; padding: 0 1; background: $panel; }
    #calendar-items { height: 1fr; }
    #calendar-help { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [Binding("escape,q", "close", "关闭", tooltip="Close", id="calendar.close")]

    def __init__(self, calendar: Calendar) -> None:
        super().__init__()
        self.calendar = calendar

    def compose(self) -> ComposeResult:
        with Vertical():
            yield TextLine(Text("日历 Calendar · ◆ 有政策发布 policy releases · 数字 = 条目 items", style="bold"),
                           id="calendar-title")
            yield CalendarGrid(self.calendar, id="calendar-grid")
            yield TextLine(id="calendar-status")
            yield VirtualTable([TableColumn("date", "日期", 10), TableColumn("kind", "类型", 6),
                                TableColumn("title", "标题 Title", None)],
                               id="calendar-items", zebra=False, empty="本月没有条目 · Nothing this month")
            yield TextLine(Text("←→↑↓ 移动 move · Enter 列出/打开 list/open · Esc 关闭 close", style="dim"),
                           id="calendar-help")

    def on_mount(self) -> None:
        grid = self.query_one(CalendarGrid)
        grid.focus()
        if grid.cell is not None:
            self._list(grid.cell)

    def _list(self, cell: Cell) -> None:
        self.query_one("#calendar-status", TextLine).update(
            Text(f"{cell.year}年{cell.month}月 · {cell.count} 条 items · {cell.policies} 项政策 policies"))
        self.query_one(VirtualTable).set_rows(cell.entries, self._cells)

    @staticmethod
    def _cells(entry: Entry) -> list[Text]:
        e = entry.event
        kind = Text("◆ 政策", style="bold") if entry.is_policy else Text("· 事件")
        title = Text(e.title)
        if len(entry.mentions) > 1:
            title.append(f"  ×{len(entry.mentions)}", style="dim")
        return [Text(e.date), kind, title]

    def on_calendar_grid_cell_chosen(self, event: CalendarGrid.CellChosen) -> None:
        self._list(event.cell)
        if event.opened and event.cell.entries:
            self.query_one(VirtualTable).focus()

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        e = event.row.event
        self.app.pop_screen()
        self.app.post_message(OpenSource(e.section, e.line, e.title or None))

    def action_close(self) -> None:
        self.app.pop_screen()


def calendar_of(catalog: Any) -> Calendar:
    from ..answers.calendar import build

    from ..answers.source import from_catalog

    return build(from_catalog(catalog).events())  # the sharded store's year index: no document opened


def open_calendar(app: Any) -> None:
    catalog = getattr(app, "catalog", None)
    if catalog is None:
        app.notify("正在载入… The store is still loading.", severity="warning")
        return
    app.push_screen(CalendarScreen(calendar_of(catalog)))
