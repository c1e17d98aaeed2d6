"""Pilot tests of the answers in the browser: search as you type, Enter opens the match,
n/N, t on a metric (series, chart, conflicts side by side), the calendar."""

from kjtui.tui.calendar import CalendarGrid, CalendarScreen
from kjtui.tui.search_screen import SearchScreen
from kjtui.tui.series_screen import SeriesScreen
from kjtui.tui.vtable import VirtualTable
from tests.tui.conftest import ready


async def results_for(app, pilot, query: str):
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    for ch in query:
        await pilot.press(ch)
    for _ in range(100):
        await pilot.pause(0.02)
        if screen.results is not None and screen.results.query == screen.query_text:
            break
    return screen


def hit_rows(screen):
    return [item for kind, item in screen.rows if kind == "hit"]


async def test_slash_searches_as_you_type(answers_app):
    app = answers_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await pilot.pause(0.05)
        screen = await results_for(app, pilot, "甲乙贷")
        first = {h.document.title for h in hit_rows(screen)}
        assert first == {"2023报告", "2023答复", "2024报告"}
        # grouped by document: a document row before its sections
        assert screen.rows[0][0] == "doc"
        screen = await results_for(app, pilot, " 引进人才")
        assert [h.section.title for h in hit_rows(screen)] == ["人才建设"]
        # the match is highlighted as a style, and the text is shown as text
        cells = screen._cells(("hit", hit_rows(screen)[0]))
        assert any("reverse" in str(span.style) for span in cells[1].spans)


async def search_and_open(app, pilot, query, *keys):
    """Search for `query`, press `keys`; the first hit is open in the reader. (screen, hits)."""
    await ready(app, pilot)
    await pilot.press("slash")
    screen = await results_for(app, pilot, query)
    hits = hit_rows(screen)
    await pilot.press(*keys)
    await pilot.pause(0.1)
    assert not isinstance(app.screen, SearchScreen)
    assert app.current_section == hits[0].section.id
    return screen, hits


async def test_enter_opens_the_match_in_the_reader_and_n_steps(answers_app):
    app = answers_app()
    async with app.run_test(size=(120, 36)) as pilot:
        # from the results (the cursor rests on the first hit)
        screen, hits = await search_and_open(app, pilot, "甲乙贷", "down", "enter")
        highlighted = app.query(".-hit")
        assert highlighted and "甲乙贷" in str(highlighted.first().text)
        assert screen.position == (0, 0)
        await pilot.press("n")
        await pilot.pause(0.1)
        assert screen.position != (0, 0)
        h, _ = screen.position
        assert app.current_section == hits[h].section.id
        await pilot.press("N")
        await pilot.pause(0.1)
        assert screen.position == (0, 0)


async def test_enter_in_the_search_box_opens_the_first_match(answers_app):
    app = answers_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen, _ = await search_and_open(app, pilot, "甲乙贷", "enter")  # focus is still in the box
        assert screen.position == (0, 0)


async def test_t_on_a_metric_shows_its_series_chart_and_conflict(answers_app):
    from kjtui.tui.catalog import NodeRef

    app = answers_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        app.open_node(NodeRef("year", "2023"))
        await pilot.pause(0.05)
        await pilot.press("2")
        table = app.query_one("#metrics-table", VirtualTable)
        for _ in range(50):
            await pilot.pause(0.02)
            if table.rows:
                break
        target = next(k for k, m in enumerate(table.rows) if m.label == "授信金额")
        table.focus()
        table.move_cursor(target)
        await pilot.press("t")
        for _ in range(100):
            await pilot.pause(0.02)
            if isinstance(app.screen, SeriesScreen) and app.screen.series is not None:
                break
        screen = app.screen
        assert isinstance(screen, SeriesScreen)
        values = sorted(r.point.metric.value for r in screen.series.rows)
        assert values == [35.5, 35.9]
        assert all(r.conflict for r in screen.series.rows)
        chart = str(screen.query_one("#series-chart").render())
        assert "2023" in chart and "█" in chart
        # the conflict: both sources side by side
        sides = screen.query_one("#series-sides")
        assert sides.has_class("-shown")
        a = str(screen.query_one("#side-a").render())
        b = str(screen.query_one("#side-b").render())
        assert {"2023报告" in a, "2023报告" in b} == {True, False}
        assert ("35.9" in a) != ("35.9" in b)


async def test_series_drop_takes_a_year_out_of_the_chart(answers_app):
    app = answers_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        table = app.query_one("#metrics-table", VirtualTable)
        for _ in range(50):
            await pilot.pause(0.02)
            if table.rows:
                break
        table.focus()
        table.move_cursor(next(k for k, m in enumerate(table.rows) if m.label == "丙丁专利授权量"))
        await pilot.press("t")
        for _ in range(100):
            await pilot.pause(0.02)
            if isinstance(app.screen, SeriesScreen) and app.screen.series is not None:
                break
        screen = app.screen
        assert "+19.0%" in str(screen.query_one("#series-chart").render())
        rows = screen.query_one("#series-table", VirtualTable)
        rows.move_cursor(next(k for k, r in enumerate(rows.rows) if r.point.year == 2024))
        await pilot.press("d")
        chart = str(screen.query_one("#series-chart").render())
        assert "2024" not in chart and "2023" in chart
        await pilot.press("d")
        assert "2024" in str(screen.query_one("#series-chart").render())


async def test_t_without_a_metric_says_what_to_do(answers_app):
    app = answers_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("t")
        await pilot.pause(0.05)
        assert not isinstance(app.screen, SeriesScreen)
        assert any("metric" in str(n.message) for n in app._notifications)


async def test_calendar_lists_a_cell_and_opens_its_source(answers_app):
    app = answers_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("c")
        await pilot.pause(0.05)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        grid = screen.query_one(CalendarGrid)
        assert grid.calendar.years == [2024, 2023]
        assert "◆1" in str(grid.render())
        await pilot.press("down")  # 2023, then to March
        for _ in range(12):
            await pilot.press("left")
        await pilot.press("right", "right")
        assert (grid.cell.year, grid.cell.month) == (2023, 3)
        await pilot.press("enter")
        items = screen.query_one(VirtualTable)
        assert [e.event.title for e in items.rows] == ["甲办法"]
        assert app.focused is items
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, CalendarScreen)
        assert app.current_section == items.rows[0].event.section


async def wait_rows(pilot, table):
    for _ in range(200):
        await pilot.pause(0.02)
        if table.rows:
            return


async def test_conflicts_screen_shows_both_sources_and_opens_either(answers_app):
    from kjtui.tui.compare_screen import ConflictsScreen, open_conflicts

    app = answers_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        open_conflicts(app)
        await pilot.pause(0.05)
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        table = screen.query_one(VirtualTable)
        await wait_rows(pilot, table)
        assert len(table.rows) == 1
        await pilot.pause(0.05)
        a = str(screen.query_one("#answers-a").render())
        b = str(screen.query_one("#answers-b").render())
        assert {"35.5" in a + b, "35.9" in a + b} == {True}
        right = table.rows[0].b
        await pilot.press("o")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, ConflictsScreen)
        assert app.current_section == right.metric.section


async def test_compare_screen_pairs_a_measure_of_two_years(answers_app):
    from kjtui.tui.compare_screen import CompareScreen, open_compare

    app = answers_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        open_compare(app, 2023, 2024)
        await pilot.pause(0.05)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        table = screen.query_one(VirtualTable)
        await wait_rows(pilot, table)
        pairs = [item for kind, item in table.rows if kind == "pair"]
        pair = next(p for p in pairs if p.a.metric.label == "丙丁专利授权量")
        assert (pair.a.metric.value, pair.b.metric.value) == (4.2, 5.0)
        cells = screen.cells(("pair", pair))
        assert str(cells[3]) == "+19.0%"
        assert any(kind == "only_a" and item.metric.label == "引进人才" for kind, item in table.rows)


async def test_palette_offers_the_answers(answers_app):
    from kjtui.tui.compare_screen import palette_entries

    app = answers_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        names = [name for name, _, _ in palette_entries(app)]
        assert "冲突 Conflicts" in names and "比较 Compare 2023 → 2024" in names
        assert any(n.startswith("搜索") for n in names) and any(n.startswith("日历") for n in names)


async def test_search_keys_q_closes_from_the_results_and_slash_goes_back_to_the_box(answers_app):
    from textual.widgets import Input

    app = answers_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        screen = await results_for(app, pilot, "quq")  # q and u typed in the box are letters
        assert screen.query_one(Input).value == "quq" and isinstance(app.screen, SearchScreen)
        await pilot.press("down")
        assert isinstance(app.focused, VirtualTable)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("down", "q")
        await pilot.pause(0.05)
        assert not isinstance(app.screen, SearchScreen) and app.is_running


async def test_a_store_that_breaks_while_indexing_is_a_message_not_a_crash(answers_app, monkeypatch):
    from kjtui.store import StoreError
    from kjtui.tui import search_screen

    def broken(catalog, progress=None):
        raise StoreError("/x/store: a document's shard is missing")

    monkeypatch.setattr(search_screen, "index_for", broken)
    app = answers_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await pilot.pause(0.3)
        status = str(app.screen.query_one("#search-status").text)
        assert "shard is missing" in status and app.is_running
