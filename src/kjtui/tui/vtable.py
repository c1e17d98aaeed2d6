"""A virtual table: only the rows on screen are ever rendered.

DataTable measures and renders every cell it holds, and re-does so after each
sort or filter (about 0.3 ms per cell of Chinese text), which made a year of
metrics answer in hundreds of milliseconds. Here rows stay as the caller's own
objects; a `cells` function turns one into Rich `Text` only when it scrolls
into view, so sorting 6,000 rows costs a list sort and one screenful of lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .textfit import ellipsize

GAP = 1  # cells before each column
MIN_FLEX = 8  # the flexible column never gets narrower than this


@dataclass(frozen=True, slots=True)
class TableColumn:
    key: str
    title: str
    width: int | None  # None: takes the width that is left
    justify: str = "left"
    min_width: int | None = None  # may shrink to this when the pane is narrow (None: never shrinks)
    most: int | None = None  # a flexible column grows no wider than this (its widest cell)
    weight: int = 1  # flexible columns share the room in proportion to their weights

    @property
    def least(self) -> int:
        if self.width is None:
            return self.min_width or MIN_FLEX
        return min(self.width, self.min_width or self.width)


def column_widths(columns: Sequence[TableColumn], width: int) -> list[int]:
    """Each column's width in `width` cells: a wide pane gives the flexible columns
    what is left, a narrow one shrinks the shrinkable ones towards their least."""
    room = width - GAP * len(columns)
    widths = [c.width if c.width is not None else c.least for c in columns]
    extra = room - sum(widths)
    flexible = [k for k, c in enumerate(columns) if c.width is None]
    if extra > 0 and flexible:
        # water-filling: a column that wants less than its share gets what it wants,
        # the others share the rest again; room nobody wants is left at the right
        pending = list(flexible)
        while pending and extra > 0:
            total = sum(columns[k].weight for k in pending)
            capped = [k for k in pending
                      if (columns[k].most or 10**9) - widths[k] <= extra * columns[k].weight // total]
            if not capped:
                shares = [extra * columns[k].weight // total for k in pending]
                for n, (k, share) in enumerate(zip(pending, shares)):
                    widths[k] += share + (1 if n < extra - sum(shares) else 0)
                break
            for k in capped:
                grow = max(0, (columns[k].most or 0) - widths[k])
                widths[k] += grow
                extra -= grow
                pending.remove(k)
    elif extra > 0 and columns and columns[-1].justify != "right":
        widths[-1] += extra  # no flexible column shown (scrolled past it): the last one takes the room
    elif extra < 0:
        slack = [widths[k] - c.least for k, c in enumerate(columns)]
        total = sum(slack)
        deficit = min(-extra, total)
        if deficit > 0:
            cuts = [deficit * s // total for s in slack]
            left = deficit - sum(cuts)
            for k in sorted(range(len(columns)), key=lambda k: -slack[k]):
                if left and cuts[k] < slack[k]:
                    cuts[k] += 1
                    left -= 1
            widths = [w - c for w, c in zip(widths, cuts)]
    return widths


class VirtualTable(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of any objects, drawn by `cells(row) -> Sequence[Text]`, with a
    fixed header line, a row cursor, vim keys and mouse clicks."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"vtable--header", "vtable--cursor", "vtable--even", "vtable--empty"}

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
        border-left: outer $surface;  /* always there, so focus does not move the columns */
        &:focus {
            background-tint: $foreground 5%;
            border-left: outer $accent;  /* where the keys go, in every theme */
            & > .vtable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .vtable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .vtable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .vtable--even {
            background: $surface-lighten-1 50%;
        }
        &:dark > .vtable--even {
            background: $surface-darken-1 40%;
        }
        & > .vtable--empty {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "下移", show=False, tooltip="Down", id="table.down"),
        Binding("up,k", "cursor_up", "上移", show=False, tooltip="Up", id="table.up"),
        Binding("home,g", "cursor_top", "顶部", show=False, tooltip="Top", id="table.top"),
        Binding("end,G", "cursor_bottom", "底部", show=False, tooltip="Bottom", id="table.bottom"),
        Binding("pageup", "page_up", "上一页", show=False, tooltip="Page up", id="table.page_up"),
        Binding("pagedown", "page_down", "下一页", show=False, tooltip="Page down", id="table.page_down"),
        Binding("enter", "select", "打开", show=False, tooltip="Open", id="table.select"),
        Binding("left", "scroll_left", "左移", show=False, tooltip="Scroll left (narrow panes)", id="table.left"),
        Binding("right", "scroll_right", "右移", show=False, tooltip="Scroll right (narrow panes)", id="table.right"),
    ]

    class Highlighted(Message):
        """The cursor rests on a new row (`row` is None when the table is empty)."""

        def __init__(self, table: VirtualTable, index: int, row: Any) -> None:
            super().__init__()
            self.table, self.index, self.row = table, index, row

        @property
        def control(self) -> VirtualTable:
            return self.table

    class Selected(Highlighted):
        """Enter, or a click, on a row."""

    class HeaderClicked(Message):
        def __init__(self, table: VirtualTable, column: TableColumn) -> None:
            super().__init__()
            self.table, self.column = table, column

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(self, columns: Sequence[TableColumn], *, zebra: bool = True, empty: str = "",
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.zebra = zebra
        self.empty_text = empty
        self.rows: Sequence[Any] = ()
        self.cursor = 0
        self._cells: Callable[[Any], Sequence[Text]] = lambda row: ()
        self._line_cache: dict[tuple[int, bool], Strip] = {}
        self._header_cache: Strip | None = None
        self._spans: list[tuple[int, int]] = []  # (x, width) of each column's text
        self._spans_for = -1
        self._line_width = 0  # the columns shown, side by side
        self.first_column = 0  # ← → scroll by whole columns: the ones before this are hidden

    # -- data ---------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any], cells: Callable[[Any], Sequence[Text]], *, cursor: int = 0) -> None:
        self.rows = rows
        self._cells = cells
        self._line_cache.clear()
        self.cursor = max(0, min(cursor, len(rows) - 1))
        self.virtual_size = Size(self._line_width, len(rows) + 1)
        self.scroll_to(y=max(0, self.cursor - self._body_height() + 1), animate=False, immediate=True)
        self.refresh()
        self._post_highlight()

    def set_titles(self, titles: dict[str, str]) -> None:
        """New header titles by column key (e.g. a sort arrow)."""
        self.columns = [replace(c, title=titles.get(c.key, c.title)) for c in self.columns]
        self._header_cache = None
        self.refresh_lines(0)

    @property
    def current(self) -> Any | None:
        return self.rows[self.cursor] if self.rows else None

    # -- geometry -----------------------------------------------------------------
    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    @property
    def shown_columns(self) -> list[TableColumn]:
        return self.columns[self.first_column:]

    def set_columns(self, columns: Sequence[TableColumn]) -> None:
        """New columns (e.g. widths measured from the rows); the rows are redrawn."""
        self.columns = list(columns)
        self.first_column = min(self.first_column, max(0, len(self.columns) - 1))
        self._invalidate_layout()

    def _invalidate_layout(self) -> None:
        self._spans_for = -1
        self._line_cache.clear()
        self._header_cache = None
        self.refresh()

    def _column_spans(self, width: int) -> list[tuple[int, int]]:
        """(x, width) of each shown column. Columns that do not fit even at their least
        width are dropped whole from the right: a cell is never half a column."""
        if width != self._spans_for:
            x, spans = 0, list[tuple[int, int]]()
            for w in column_widths(self.shown_columns, width):
                if spans and x + GAP + w > width:
                    break
                spans.append((x + GAP, w))
                x += GAP + w
            self._spans, self._spans_for, self._line_width = spans, width, width
            self._line_cache.clear()
            self._header_cache = None
            self.virtual_size = Size(width, len(self.rows) + 1)
        return self._spans

    @property
    def hidden_right(self) -> int:
        """How many columns do not fit to the right of the shown ones."""
        return len(self.shown_columns) - len(self._spans)

    def _squeezed(self) -> bool:
        """Some shown column is narrower than it wants (cut text), or missing."""
        if self.hidden_right:
            return True
        return any(c.width is not None and w < c.width for (_, w), c in zip(self._spans, self.shown_columns))

    def on_resize(self) -> None:
        self._column_spans(self.scrollable_content_region.width)
        self._scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()
        self._header_cache = None
        self._own_style = None

    _own_style: Style | None = None

    @property
    def own_style(self) -> Style:
        """`rich_style`, kept until the styles change: it walks every ancestor, and
        asking for it on each line drawn was a third of a line's cost."""
        if self._own_style is None:
            self._own_style = self.rich_style
        return self._own_style

    # -- rendering ----------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = self.scroll_offset.x
        return self._full_line(y, width).crop(scroll_x, scroll_x + width)

    def _full_line(self, y: int, width: int) -> Strip:
        spans = self._column_spans(width)
        width = self._line_width
        if y == 0:
            if self._header_cache is None:
                style = self.get_component_rich_style("vtable--header")
                cells = [Text(c.title, justify=c.justify) for c in self.shown_columns]  # type: ignore[arg-type]
                self._header_cache = self._line(cells, spans, width, style, None)
            return self._header_cache
        index = self.scroll_offset.y + y - 1
        if not self.rows:
            if index == 0 and self.empty_text:
                style = self.own_style + self.get_component_rich_style("vtable--empty")
                return Strip([Segment(f" {self.empty_text}".ljust(width), style)], width).crop(0, width)
            return Strip.blank(width, self.own_style)
        if index >= len(self.rows):
            return Strip.blank(width, self.own_style)
        on_cursor = index == self.cursor
        key = (index, on_cursor)
        strip = self._line_cache.get(key)
        if strip is None:
            base = self.own_style
            if self.zebra and index % 2:
                base = base + self.get_component_rich_style("vtable--even")
            cursor = self.get_component_rich_style("vtable--cursor") if on_cursor else None
            row_cells = self._cells(self.rows[index])
            shown = row_cells[self.first_column:] if self.first_column else row_cells
            strip = self._line(shown, spans, width, base, cursor)
            if len(self._line_cache) > 400:
                self._line_cache.clear()
            self._line_cache[key] = strip
        return strip

    def _line(self, cells: Sequence[Text], spans: list[tuple[int, int]], width: int,
              base: Style, over: Style | None) -> Strip:
        console = self.app.console
        segments: list[Segment] = []
        x = 0
        for (left, w), cell, column in zip(spans, cells, self.shown_columns):
            if left > x:
                segments.append(Segment(" " * (left - x), base + over if over else base))
            text = cell if isinstance(cell, Text) else Text(str(cell))
            length = text.cell_len
            if length > w:
                text = ellipsize(text, w)
                length = text.cell_len
            pad = w - length
            justify = text.justify or column.justify
            lead = pad if justify == "right" else pad // 2 if justify == "center" else 0
            filler = base + over if over else base
            if lead:
                segments.append(Segment(" " * lead, filler))
            if text.spans:
                for seg in text.render(console):
                    style = base + seg.style if seg.style else base
                    segments.append(Segment(seg.text, style + over if over else style))
            elif text.plain:  # one style for the whole cell, the usual case: no need to render
                own = text.style
                style = base + (Style.parse(own) if isinstance(own, str) else own) if own else base
                segments.append(Segment(text.plain, style + over if over else style))
            if pad - lead:
                segments.append(Segment(" " * (pad - lead), filler))
            x = left + w
        if x < width:
            segments.append(Segment(" " * (width - x), base + over if over else base))
        return Strip(segments).crop(0, width)

    # -- cursor -------------------------------------------------------------------
    def move_cursor(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        for row in (old, index):
            self._line_cache.pop((row, True), None)
        self._scroll_cursor_into_view()
        self._refresh_row(old)
        self._refresh_row(index)
        self._post_highlight()

    def _refresh_row(self, index: int) -> None:
        y = index - self.scroll_offset.y + 1
        if 1 <= y < self.size.height:
            self.refresh_lines(y)

    def _scroll_cursor_into_view(self) -> None:
        top, body = self.scroll_offset.y, self._body_height()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + body:
            self.scroll_to(y=self.cursor - body + 1, animate=False, immediate=True)

    def _post_highlight(self) -> None:
        self.post_message(self.Highlighted(self, self.cursor, self.current))

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_top(self) -> None:
        self.move_cursor(0)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(len(self.rows) - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self._body_height())

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self._body_height())

    def can_scroll_right(self) -> bool:
        return self.first_column < len(self.columns) - 1 and self._squeezed()

    def action_scroll_right(self) -> None:
        """Sideways by whole columns: the first shown column is hidden, and the others
        get its room. Stops once every column left is shown whole."""
        if not self.can_scroll_right():
            self._cannot("→ 已显示全部列 · every column is shown")
            return
        self.first_column += 1
        self._invalidate_layout()

    def action_scroll_left(self) -> None:
        if self.first_column == 0:
            self._cannot("← 已在最左列 · already at the first column")
            return
        self.first_column -= 1
        self._invalidate_layout()

    def _cannot(self, why: str) -> None:
        self.post_message(self.CannotAct(self, why))

    class CannotAct(Message):
        """A key that cannot act here; `why` says so in a line for the status bar."""

        def __init__(self, table: VirtualTable, why: str) -> None:
            super().__init__()
            self.table, self.why = table, why

        @property
        def control(self) -> VirtualTable:
            return self.table

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor, self.current))

    # -- mouse --------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = offset.x + self.scroll_offset.x
            for (left, w), column in zip(self._spans, self.shown_columns):
                if left - GAP <= x < left + w:
                    self.post_message(self.HeaderClicked(self, column))
                    return
            return
        index = self.scroll_offset.y + offset.y - 1
        if 0 <= index < len(self.rows):
            self.focus()
            self.move_cursor(index)
            self.post_message(self.Selected(self, index, self.rows[index]))
