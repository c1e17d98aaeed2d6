"""Everyday comfort in the browser: back and forward, bookmarks across a rebuild,
copy, the export dialog's overwrite question, the too-small screen."""

import json

from textual.widgets import Input, TabbedContent

from kjtui.ingest import parse_document
from kjtui.tui.catalog import NodeRef
from kjtui.tui.vtable import VirtualTable

from .conftest import OLDER, REPORT, ready


def section_id(app, number):
    doc = app.catalog.documents[0]
    return next(s.id for s in app.catalog.sections_by_doc[doc.id] if s.number == number)


def status_line(app) -> str:
    return app.query_one("#metrics-status").text.plain


async def year_table(app, pilot, view: str = "metrics", year: str = "2023", settle: float = 0.2) -> VirtualTable:
    """Open a year's metrics or timeline (read in a worker) and return its table."""
    app.open_node(NodeRef("year", year))
    await pilot.press({"metrics": "2", "timeline": "3"}[view])
    await pilot.pause(settle)
    return app.query_one(f"#{view}-table", VirtualTable)


async def test_back_after_enter_on_a_metric_restores_the_years_table_and_cursor(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        table = await year_table(app, pilot, settle=0.1)
        year_rows = len(table.rows)
        assert year_rows == len(app.catalog.metrics_for(NodeRef("year", "2023"))) > 3
        assert status_line(app).startswith(f"{year_rows} 项指标")
        await pilot.press("j", "j", "j")
        chosen = table.current
        await pilot.press("enter")  # the metric's source, in the reader
        await pilot.pause(0.2)
        assert app.query_one(TabbedContent).active == "reader"
        assert app.current == NodeRef("section", chosen.section)
        await pilot.press("2")  # only that section's metrics now
        await pilot.pause(0.1)
        assert len(table.rows) < year_rows
        await pilot.press("backspace")
        await pilot.pause(0.2)
        assert app.current == NodeRef("year", "2023")
        assert app.query_one(TabbedContent).active == "metrics"
        assert len(table.rows) == year_rows and status_line(app).startswith(f"{year_rows} 项指标")
        assert table.cursor == 3 and table.current is chosen
        await pilot.press("alt+right")  # forward: the section again
        await pilot.pause(0.2)
        assert app.current == NodeRef("section", chosen.section)
        await pilot.press("alt+left")
        await pilot.pause(0.2)
        assert app.current == NodeRef("year", "2023") and table.cursor == 3


async def test_back_restores_filter_and_sort_and_says_why_when_there_is_nowhere_to_go(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        app.history.back.clear()
        await pilot.press("backspace")  # nothing yet
        assert "Nothing to go back to" in app.query_one("#keys").flashed
        await pilot.press("2")
        await pilot.pause(0.1)
        pane = app.query_one("#metrics-pane")
        pane.sort_by("normalized")
        await pilot.press("S", "f", *"亿", "enter")
        await pilot.pause(0.3)
        filtered = [m.id for m in pane._visible]
        assert filtered and pane.reverse
        app.open_node(NodeRef("section", section_id(app, "5.2")))  # a jump (as from the palette)
        await pilot.pause(0.2)
        await pilot.press("alt+left")
        await pilot.pause(0.3)
        assert pane.query_text == "亿" and pane.sort_key == "normalized" and pane.reverse
        assert [m.id for m in pane._visible] == filtered
        assert app.query_one("#metric-filter", Input).value == "亿"


async def test_y_copies_a_metric_citation_the_section_text_and_an_event(make_app):
    app = make_app()
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # what Textual would send as OSC 52
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        table = await year_table(app, pilot, settle=0.1)
        table.move_cursor(next(k for k, m in enumerate(table.rows) if m.raw == "**35.5亿元**"))
        await pilot.press("y")
        assert copied[-1].startswith(f"{table.current.label} 35.5亿元 (截至年底) — 2023报告 · 第5章 5.1 科技金融")
        app.open_node(NodeRef("section", section_id(app, "5.2")), view="reader")
        await pilot.pause(0.2)
        await pilot.press("1", "y")
        assert "引进人才" in copied[-1] and "[bold]粗体[/bold]" in copied[-1]  # the text as shown
        assert copied[-1].startswith("2023报告 · 第5章 › 5 营造创新生态 › 5.2 人才建设")
        timeline = await year_table(app, pilot, "timeline", settle=0.1)
        timeline.move_cursor(next(k for k, row in enumerate(timeline.rows) if row[2] is not None))
        await pilot.press("y")
        assert copied[-1].startswith("《甲办法》 (2023年3月) — 2023报告 · 第5章")
        assert len(copied) == 3


async def test_export_over_an_existing_file_asks_first(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        app.open_node(NodeRef("section", section_id(app, "5.1")))
        await pilot.pause(0.2)
        target = tmp_path / "2023-5.1.md"
        await pilot.press("e")
        await pilot.pause(0.2)
        assert app.screen.query_one(Input).value == str(target)
        await pilot.press("enter")
        await pilot.pause(0.2)
        written = target.read_text(encoding="utf-8")
        assert "35.5" in written
        target.write_text("mine", encoding="utf-8")
        await pilot.press("e")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause(0.2)
        error = str(app.screen.query_one("#export-error").render())
        assert "覆盖" in error and "Overwrite" in error and "--force" not in error
        assert target.read_text(encoding="utf-8") == "mine"  # not yet
        await pilot.press("enter")  # yes
        await pilot.pause(0.2)
        assert target.read_text(encoding="utf-8") == written
        assert not app.screen.query("#export-error")  # the dialog closed


async def test_export_question_goes_away_when_the_name_changes(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        app.open_node(NodeRef("section", section_id(app, "5.1")))
        await pilot.pause(0.2)
        (tmp_path / "2023-5.1.md").write_text("mine", encoding="utf-8")
        await pilot.press("e")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.screen.asking is not None
        await pilot.press("end", "x")  # 2023-5.1.mdx: another name
        await pilot.pause(0.1)
        assert app.screen.asking is None
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert (tmp_path / "2023-5.1.mdx").exists()
        assert (tmp_path / "2023-5.1.md").read_text(encoding="utf-8") == "mine"


async def test_a_small_terminal_says_how_big_it_must_be(make_app):
    from kjtui.tui.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

    app = make_app()
    async with app.run_test(size=(30, 8)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if app.catalog is not None:
                break
        assert isinstance(app.screen, TooSmallScreen)
        shown = str(app.screen.query_one("#too-small-text").render())
        assert "too small" in shown and f"{MIN_WIDTH}×{MIN_HEIGHT}" in shown and "30×8" in shown
        await pilot.resize_terminal(MIN_WIDTH - 1, 30)
        await pilot.pause(0.1)
        assert f"{MIN_WIDTH - 1}×30" in str(app.screen.query_one("#too-small-text").render())
        await pilot.resize_terminal(120, 36)
        await pilot.pause(0.2)
        assert not isinstance(app.screen, TooSmallScreen)
        await ready(app, pilot)
        await pilot.press("2")  # the browser works as before
        assert app.query_one(TabbedContent).active == "metrics"


async def test_bookmarks_survive_a_rebuild_and_open_their_place(make_app, store_path, tmp_path, monkeypatch):
    from kjtui import service
    from kjtui.store import Store

    marks = tmp_path / "marks" / "bookmarks.json"
    monkeypatch.setenv("KJTUI_BOOKMARKS", str(marks))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        app.open_node(NodeRef("section", section_id(app, "5.1")))
        await pilot.pause(0.2)
        await pilot.press("b")  # the section
        app.open_node(NodeRef("section", section_id(app, "5.2")), view="metrics")
        await pilot.pause(0.2)
        table = app.query_one("#metrics-table", VirtualTable)
        table.move_cursor(next(k for k, m in enumerate(table.rows) if m.raw == "**300**人"))
        await pilot.press("b")  # the metric 300人
    saved = json.loads(marks.read_text(encoding="utf-8"))["bookmarks"]
    assert [b["kind"] for b in saved] == ["section", "metric"] and saved[1]["raw"] == "**300**人"

    # a rebuild that also moves metric ids: one more number before 300人
    aside = service.set_aside(store_path)  # what `ingest --rebuild` does first: the old store goes aside
    assert aside is not None
    Store.open(store_path).replace([
        parse_document(REPORT.replace("引进人才", "新增**9**项，引进人才"), source="r2023.txt", year=2023,
                       title="2023报告 · 第5章"),
        parse_document(OLDER, source="r2021.txt", year=2021, title="2021报告 · 3.1"),
    ])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("B")
        await pilot.pause(0.2)
        from kjtui.tui.bookmarks_screen import BookmarksScreen

        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("down", "enter")  # the metric
        await pilot.pause(0.3)
        assert app.current == NodeRef("section", section_id(app, "5.2"))
        assert app.query_one(TabbedContent).active == "reader"
        hits = app.query("#reader-body .-hit")
        assert len(hits) == 1 and "300" in hits.first().text.plain
        await pilot.press("B")
        await pilot.pause(0.2)
        await pilot.press("d")  # delete the highlighted (first) one
        await pilot.press("escape")
    assert [b["kind"] for b in json.loads(marks.read_text(encoding="utf-8"))["bookmarks"]] == ["metric"]


async def test_b_where_nothing_can_be_bookmarked_says_why(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("KJTUI_BOOKMARKS", str(tmp_path / "bm.json"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        app.open_node(NodeRef("year", "2023"))
        await pilot.pause(0.1)
        await pilot.press("b")
        assert "bookmarks a section" in app.query_one("#keys").flashed
        assert not (tmp_path / "bm.json").exists()


async def test_metrics_table_shows_whole_values_and_a_detail_panel_at_80_and_120(make_app):
    from rich.cells import cell_len

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        table = await year_table(app, pilot, settle=0.2)
        for size in ((80, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.2)
            drawn = "\n".join(table.render_line(y).text for y in range(table.size.height))
            assert "2.5万亿元" in drawn and "35.5亿元" in drawn  # whole, compact, no 2,500,000,000,000
            assert "," not in drawn.replace("，", "")
            assert all(cell_len(table.render_line(y).text) == table.scrollable_content_region.width
                       for y in range(table.size.height))
            table.move_cursor(next(k for k, m in enumerate(table.rows) if m.raw == "**2.5万亿元**"))
            await pilot.pause(0.1)
            detail = app.query_one("#metric-detail").text.plain
            metric = table.current
            assert metric.label in detail and "2.5万亿元" in detail and "全年" in detail
            assert "5 营造创新生态 › 5.1 科技金融 › 科技保险" in detail.replace("\n", "")  # the section path
            assert metric.context.replace(" ", "") in detail.replace("\n", "").replace(" ", "")
        await pilot.press("right")  # everything fits at 120: nothing to scroll, and the footer says so
        assert table.first_column == 0 and "every column" in app.query_one("#keys").flashed
        await pilot.resize_terminal(60, 24)
        await pilot.pause(0.2)
        await pilot.press("right")  # hides the label column: whole columns only
        assert table.first_column == 1 and table.render_line(0).text.lstrip().startswith("数值")
        await pilot.press("left")
        assert table.first_column == 0


async def test_a_rebound_key_shows_on_its_tab_in_help_and_in_the_footer(make_app, tmp_path):
    from textual.widgets import Tab

    from kjtui.tui.help_screen import HelpScreen

    path = tmp_path / "config" / "config.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("keymap:\n  view.metrics: m\n  export: ctrl+e\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        labels = [str(tab.label) for tab in app.query(Tab)]
        assert "m 指标" in labels and "1 阅读" in labels and "2 指标" not in labels
        footer = app.query_one("#keys").render().plain
        assert "^e 导出" in footer and " e 导出" not in footer
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {row[2]: row[0] for _, rows in app.screen.sections for row in rows}
        assert rows["view.metrics"] == "m" and rows["export"] == "^e"
        assert rows["table.down"] and rows["export.cancel"] and rows["bookmarks.delete"]  # every widget and dialog
        first = str(app.screen.query_one("#help-close").render())
        assert first.startswith("esc") and "关闭 close" in first  # how to close it comes first
        box = app.screen.query_one("#help-dialog")
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert box.scroll_y > 0  # j scrolls
        await pilot.press("k", "k", "k")
        await pilot.pause()
        assert box.scroll_y == 0


async def test_import_from_the_browser_shows_progress_and_updates_the_tree(make_app, tmp_path):
    from kjtui.tui.importing import ImportScreen, complete_path
    from kjtui.tui.tree import ChapterTree

    folder = tmp_path / "mine"
    folder.mkdir()
    for k in range(3):
        (folder / f"r{k}.md").write_text(f"# 2019年第{k}区科技工作总结\n\n一、总体情况\n\n全年新增企业**{k + 10}**家。\n",
                                          encoding="utf-8")
    assert complete_path(str(tmp_path / "mi")) == str(folder) + "/"
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        years_before = list(app.catalog.years)
        app.action_import()
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        box = screen.query_one("#import-path", Input)
        box.value = str(tmp_path / "mi")
        await pilot.press("tab")  # completes to the folder
        assert box.value == str(folder) + "/"
        await pilot.press("enter")
        for _ in range(300):
            await pilot.pause(0.05)
            if not isinstance(app.screen, ImportScreen) and 2019 in (app.catalog.years if app.catalog else ()):
                break
        assert not isinstance(app.screen, ImportScreen)
        assert screen.seen[0] == (0, 3) and screen.seen[-1] == (3, 3)  # progress reported file by file
        assert len(screen.seen) >= 4
        assert 2019 in app.catalog.years and set(years_before) < set(app.catalog.years)
        tree = app.query_one(ChapterTree)
        assert any("2019" in str(node.label) for node in tree.root.children)


async def test_import_of_a_missing_path_says_so_in_the_dialog(make_app, tmp_path):
    from kjtui.tui.importing import ImportScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        app.action_import()
        await pilot.pause(0.2)
        app.screen.query_one("#import-path", Input).value = str(tmp_path / "nothing-here")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ImportScreen)
        assert "no such file or folder" in str(app.screen.query_one("#import-error").render())
        await pilot.press("escape")
        assert not isinstance(app.screen, ImportScreen)


async def test_a_store_changed_by_another_process_is_noticed_once(make_app, store_path, tmp_path):
    from kjtui.store import Store
    from kjtui.tui.importing import watch_store

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        watch_store(app)  # remembers the store as loaded
        notes = []
        app.notify = lambda message, **kw: notes.append(message)
        watch_store(app)
        assert notes == []
        Store.open(store_path).replace([parse_document("# 1 新文档\n\n全年新增**5**家。\n", source="n.md", year=2022,
                                                        title="2022新文档")])
        watch_store(app)
        watch_store(app)
        assert len(notes) == 1 and "ctrl+r" in notes[0]
        await pilot.press("ctrl+r")
        for _ in range(200):
            await pilot.pause(0.05)
            if 2022 in app.catalog.years:
                break
        assert 2022 in app.catalog.years


async def test_reader_keeps_a_comfortable_measure_on_a_wide_terminal(make_app):
    from rich.cells import cell_len

    from kjtui.tui.reader import Block

    app = make_app()
    async with app.run_test(size=(220, 50)) as pilot:
        await ready(app, pilot)
        app.open_node(NodeRef("section", section_id(app, "5.1")), view="reader")
        await pilot.pause(0.3)
        blocks = list(app.query("#reader-body Block"))
        assert blocks
        body = app.query_one("#reader-body")
        assert body.size.width > 120  # the pane is wide …
        for block in blocks:
            assert isinstance(block, Block)
            lines = block.render().plain.split("\n")
            assert all(cell_len(line) <= 84 for line in lines)  # … the text is not


async def test_back_to_a_year_read_in_a_worker_restores_the_cursor_when_the_rows_arrive(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        table = await year_table(app, pilot, settle=0.3)
        year_rows = len(table.rows)
        await pilot.press("j", "j")
        app.open_node(NodeRef("section", section_id(app, "5.2")))
        await pilot.pause(0.2)
        app.catalog._year_metrics.clear()  # the year left the cache: going back reads it again
        assert app.catalog.needs_worker(NodeRef("year", "2023"), "metrics")
        await pilot.press("backspace")
        for _ in range(100):
            await pilot.pause(0.05)
            if len(table.rows) == year_rows:
                break
        await pilot.pause(0.1)
        assert len(table.rows) == year_rows and table.cursor == 2
        assert status_line(app).startswith(f"{year_rows} 项指标")


async def test_keys_at_the_end_of_their_range_say_why(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        last = app.catalog.neighbour(None, -1)
        app.open_node(NodeRef("section", last.id))
        await pilot.pause(0.1)
        await pilot.press("right_square_bracket")
        assert "last section" in app.query_one("#keys").flashed
        app.open_node(NodeRef("year", str(max(app.catalog.years))))
        await pilot.press("3")
        await pilot.pause(0.2)
        await pilot.press("l")  # no later year
        await pilot.pause(0.1)
        assert "No later year" in app.query_one("#keys").flashed


async def test_a_narrow_footer_keeps_help_and_quit(make_app):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        await pilot.pause(0.2)
        footer = app.query_one("#keys").render().plain
        assert "? 帮助" in footer and "q 退出" in footer and "f 筛选" in footer
        assert len(footer.rstrip()) <= 60


async def test_j_at_the_end_of_a_short_section_says_why(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        app.open_node(NodeRef("section", section_id(app, "5.2")), view="reader")
        await pilot.press("1")
        await pilot.pause(0.3)
        await pilot.press("j")
        await pilot.pause(0.1)
        assert "End of the text" in app.query_one("#keys").flashed


async def test_timeline_shows_the_highlighted_event_in_full_under_the_table(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        table = await year_table(app, pilot, "timeline", settle=0.3)
        table.move_cursor(next(k for k, row in enumerate(table.rows) if row[2] is not None))
        await pilot.pause(0.1)
        detail = app.query_one("#timeline-detail").text.plain
        assert detail.startswith("《甲办法》") and "2023年3月" in detail and "◆ 政策" in detail
        assert "5 营造创新生态" in detail and "发布《甲办法》" in detail
        table.move_cursor(0)  # an empty month: nothing to show
        await pilot.pause(0.1)
        assert app.query_one("#timeline-detail").text.plain == ""


async def test_back_to_the_timeline_restores_its_year_and_cursor(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        table = await year_table(app, pilot, "timeline", settle=0.3)
        row = next(k for k, r in enumerate(table.rows) if r[2] is not None and r[0] == 6)
        table.move_cursor(row)
        await pilot.press("enter")  # the event's source in the reader
        await pilot.pause(0.3)
        assert app.query_one(TabbedContent).active == "reader"
        await pilot.press("backspace")
        await pilot.pause(0.3)
        assert app.query_one(TabbedContent).active == "timeline"
        assert table.cursor == row and table.current[0] == 6  # not back at 1月
