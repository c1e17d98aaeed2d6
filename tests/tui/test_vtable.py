"""The virtual table on its own: what it draws, and how it moves."""

from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult

from kjtui.tui.vtable import TableColumn, VirtualTable

COLUMNS = [TableColumn("name", "名称 Name", 16), TableColumn("n", "数", 6, "right"), TableColumn("note", "备注", None)]


class TableApp(App):
    def __init__(self, rows) -> None:
        super().__init__()
        self.rows = rows
        self.seen: list[tuple[str, int]] = []
        self.why: list[str] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, empty="空 · nothing")

    def on_mount(self) -> None:
        self.query_one(VirtualTable).set_rows(self.rows, lambda r: [Text(r[0]), Text(str(r[1])), Text(r[2])])

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        self.seen.append(("highlighted", event.index))

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        self.seen.append(("selected", event.index))

    def on_virtual_table_cannot_act(self, event: VirtualTable.CannotAct) -> None:
        self.why.append(event.why)


def lines(table: VirtualTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_cells_are_text_never_markup_and_wide_characters_fit():
    rows = [("[bold]x[/bold]", 1, "[/oops]"), ("科技金融服务体系持续完善", 22, "备注")]
    app = TableApp(rows)
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        drawn = lines(table)
        assert "[bold]x[/bold]" in drawn[1] and "[/oops]" in drawn[1]
        assert "科技金融服务体…" in drawn[2]  # cut to the column with an ellipsis, never half a character
        assert all(cell_len(line) == table.scrollable_content_region.width for line in drawn)
        assert drawn[1].index("1") > drawn[1].index("x[/bold]")  # numbers right-aligned in their column
        assert drawn[0].startswith(" 名称 Name")


async def test_cursor_keys_scroll_to_keep_the_cursor_in_view_and_enter_selects():
    rows = [(f"row {k}", k, "") for k in range(200)]
    app = TableApp(rows)
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(VirtualTable)
        table.focus()
        await pilot.press("G")
        assert table.cursor == 199 and "row 199" in "".join(lines(table))
        await pilot.press("g", "j", "j", "pagedown")
        assert table.cursor == 2 + table._body_height()
        assert table.scroll_offset.y <= table.cursor < table.scroll_offset.y + table._body_height()
        await pilot.press("enter")
        assert app.seen[-1] == ("selected", table.cursor)
        assert ("highlighted", 199) in app.seen


async def test_an_empty_table_says_so_and_ignores_keys():
    app = TableApp([])
    async with app.run_test(size=(40, 6)) as pilot:
        table = app.query_one(VirtualTable)
        table.focus()
        await pilot.press("j", "G", "enter")
        assert "空 · nothing" in lines(table)[1]
        assert table.current is None and not any(kind == "selected" for kind, _ in app.seen)


async def test_a_narrow_table_still_draws_every_line_to_its_width():
    app = TableApp([("科技金融", 3, "很长的备注文字" * 5)])
    async with app.run_test(size=(20, 5)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert all(cell_len(line) == table.scrollable_content_region.width for line in lines(table))


def test_ellipsize_counts_wide_characters_and_keeps_styles():
    from kjtui.tui.textfit import ellipsize

    assert ellipsize(Text("科技金融"), 5).plain == "科技…"
    assert ellipsize(Text("科技金融"), 6).plain == "科技…"  # a third character would need 7 cells with …
    assert ellipsize(Text("科技金融"), 8).plain == "科技金融"
    styled = Text("ab"); styled.append("cdef", style="bold")
    short = ellipsize(styled, 4)
    assert short.plain == "abc…" and any(span.style == "bold" for span in short.spans)


async def test_left_and_right_scroll_a_narrow_table_by_whole_columns():
    columns = [TableColumn("a", "甲", 12), TableColumn("b", "乙", 12), TableColumn("c", "丙", 12)]

    class Narrow(TableApp):
        def compose(self) -> ComposeResult:
            yield VirtualTable(columns)

    app = Narrow([("一", 1, "二")])
    async with app.run_test(size=(20, 6)) as pilot:
        table = app.query_one(VirtualTable)
        table.focus()
        assert lines(table)[0].startswith(" 甲") and "乙" not in lines(table)[0]  # never half a column
        await pilot.press("right")
        assert table.first_column == 1 and lines(table)[0].startswith(" 乙")
        await pilot.press("right", "right")  # 丙 alone fits whole: no further
        assert table.first_column == 2 and lines(table)[0].startswith(" 丙")
        assert any("every column" in why for why in app.why)
        await pilot.press("left", "left", "left")
        assert table.first_column == 0 and lines(table)[0].startswith(" 甲")
        assert any("first column" in why for why in app.why)


async def test_right_also_gives_a_squeezed_table_room_and_stops_when_all_is_whole():
    columns = [TableColumn("a", "甲", None, min_width=6), TableColumn("b", "乙", 10, min_width=4),
               TableColumn("c", "丙", 6)]

    class Squeezed(TableApp):
        def compose(self) -> ComposeResult:
            yield VirtualTable(columns)

    app = Squeezed([("一", 1, "二")])
    async with app.run_test(size=(22, 6)) as pilot:  # 6 + 4..10 + 6 and gaps: 乙 is squeezed
        table = app.query_one(VirtualTable)
        table.focus()
        await pilot.pause()
        assert table.can_scroll_right()
        await pilot.press("right")
        assert table.first_column == 1 and not table.can_scroll_right()
        assert all(cell_len(line) == table.scrollable_content_region.width for line in lines(table))


def test_flexible_columns_share_the_room_by_weight_up_to_their_widest_cell():
    from kjtui.tui.vtable import GAP, column_widths

    cols = [TableColumn("label", "L", None, min_width=6, most=30, weight=2), TableColumn("n", "N", 8, "right"),
            TableColumn("where", "W", None, min_width=4, most=10)]
    wide = column_widths(cols, 200)
    assert wide == [30, 8, 10]  # nobody grows past its widest cell; the rest stays empty at the right
    mid = column_widths(cols, 8 + 3 * GAP + 30)  # 30 cells for the two: label gets twice the share
    assert mid[1] == 8 and mid[0] + mid[2] == 30 and mid[0] >= 2 * mid[2] - 1
    tight = column_widths(cols, 8 + 3 * GAP + 24)
    assert tight[0] + tight[2] == 24 and tight[2] <= 10
