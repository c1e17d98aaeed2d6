import yaml
from rich.style import Style
from rich.text import Text
from textual.widgets import Input, Static, TabbedContent

from kjtui.tui.app import KjtuiApp
from kjtui.tui.catalog import NodeRef
from kjtui.tui.dialogs import ExportScreen, HelpScreen
from kjtui.tui.keybar import KeyBar
from kjtui.tui.metrics_pane import MetricsPane
from kjtui.tui.reader import ReaderBody
from kjtui.tui.timeline import TimelinePane
from kjtui.tui.tree import ChapterTree
from kjtui.tui.vtable import VirtualTable

from .conftest import ready


def reader_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.query_one(ReaderBody).query(Static))


def section_id(app, number):
    catalog = app.catalog
    return next(s.id for d in catalog.documents for s in catalog.sections_by_doc[d.id] if s.number == number)


async def test_tree_lists_years_newest_first_and_opens_sections(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        tree = app.query_one(ChapterTree)
        years = [str(n.label).split()[0] for n in tree.root.children]
        assert years == ["2023年", "2021年"]
        # it opens on the newest document: cursor on it, its card (with its counts) in the reader
        newest = app.catalog.documents[0]
        assert newest.year == 2023 and app.current == NodeRef("document", newest.id)
        assert tree.cursor_node.data == app.current
        n = len(app.catalog.store.shard(newest.id).metrics)
        assert "2023报告 · 第5章" in reader_text(app) and f"{n} 项指标 · 3 个事件" in reader_text(app)
        assert "导语。" in reader_text(app)  # and its text below the card
        await pilot.pause(0.1)  # it opens expanded after the first frame: its chapters in view
        assert tree.cursor_node.is_expanded and tree.cursor_node.children
        await pilot.press("j", "enter", "j", "enter")  # chapter 5, then 5.1
        await pilot.pause(0.2)
        assert app.current == NodeRef("section", section_id(app, "5.1"))
        text = reader_text(app)
        assert "高企贷授信企业120家" in text
        crumb = str(app.query_one("#breadcrumb", Static).render())
        assert "2023报告 · 第5章 › 5 营造创新生态 › 5.1 科技金融" in crumb


async def test_tree_shows_counts_and_collapses_with_h(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        tree = app.query_one(ChapterTree)
        shown = tree.render_label(tree.root.children[0], Style(), Style()).plain
        assert "2023年" in shown and "项" in shown and "事" in shown
        await pilot.press("k", "h")  # from the newest document up to its year, then collapse it
        assert not tree.root.children[0].is_expanded
        await pilot.press("l")
        assert tree.root.children[0].is_expanded


async def test_views_switch_with_number_keys(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        tabs = app.query_one(TabbedContent)
        tree = app.query_one("#tree")
        wide = tree.size.width
        for key, view in (("2", "metrics"), ("3", "timeline"), ("1", "reader")):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == view
            # the tree narrows while a table is shown (the class on the tree, not the screen)
            assert tree.has_class("-tables") == (view != "reader") and not app.screen.has_class("-tables")
            assert (tree.size.width < wide) == (view != "reader"), (view, tree.size.width, wide)


async def test_metrics_sort_filter_and_jump_to_sentence(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        app.open_node(NodeRef("document", app.catalog.documents[0].id))
        await pilot.press("2")
        pane = app.query_one(MetricsPane)
        table = app.query_one("#metrics-table", VirtualTable)
        assert len(table.rows) == 6
        assert pane._visible == sorted(pane._visible, key=pane._sort_key())  # shown unsorted: already in order
        pane.sort_by("normalized")
        values = [(m.base_unit, m.normalized) for m in pane._visible]
        assert values == sorted(values)  # within a base unit: 万亿元 above 亿元, 家 apart from 元 and %
        units = [u for u, _ in values]
        assert all(units.index(u) + units.count(u) - 1 == len(units) - 1 - units[::-1].index(u) for u in units)
        await pilot.press("S")
        assert [(m.base_unit, m.normalized) for m in pane._visible] == sorted(values, reverse=True)
        await pilot.press("s")
        assert pane.sort_key != "normalized"
        await pilot.press("f")
        assert app.focused is app.query_one("#metric-filter", Input)
        await pilot.press(*"引进")
        await pilot.pause(0.4)  # the filter runs once typing pauses
        assert [m.raw for m in pane._visible] == ["**300**人"] and len(table.rows) == 1
        await pilot.press("escape")  # clears the filter
        await pilot.pause(0.4)
        assert len(table.rows) == 6
        await pilot.press("enter")  # back to the table
        table.move_cursor([m.raw for m in pane._visible].index("**35.5亿元**"))
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.query_one(TabbedContent).active == "reader"
        hits = app.query_one(ReaderBody).query(".-hit")
        assert len(hits) == 1 and "35.5亿元" in str(hits.first().render())


async def test_header_click_sorts(make_app):
    app = make_app()
    async with app.run_test(size=(160, 36)) as pilot:
        await ready(app, pilot)
        app.open_node(NodeRef("document", app.catalog.documents[0].id))
        await pilot.press("2")
        pane = app.query_one(MetricsPane)
        table = app.query_one("#metrics-table", VirtualTable)
        x = table.region.x + next(left for (left, _), c in zip(table._spans, table.columns) if c.key == "year")
        await pilot.click(offset=(x, table.region.y))  # the header line
        assert pane.sort_key == "year" and not pane.reverse
        assert "↑" in next(c.title for c in table.columns if c.key == "year")
        await pilot.click(offset=(x, table.region.y))
        assert pane.sort_key == "year" and pane.reverse


async def test_timeline_months_year_change_policies_and_jump(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("3")
        pane = app.query_one(TimelinePane)
        table = app.query_one("#timeline-table", VirtualTable)
        assert pane.year == 2023
        months = [month for month, first, _ in table.rows if first]
        assert months == list(range(1, 13))
        assert len(table.rows) == 13  # June has two events
        await pilot.press("p")
        assert len(table.rows) == 12 and pane.policies_only
        await pilot.press("p", "left")
        assert pane.year == 2021
        await pilot.press("right")
        assert pane.year == 2023
        table.move_cursor(2)  # 3月 《甲办法》
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.query_one(TabbedContent).active == "reader"
        assert app.current == NodeRef("section", section_id(app, "5"))
        assert "甲办法" in str(app.query_one(ReaderBody).query(".-hit").first().render())


async def test_brackets_walk_sections_in_reading_order(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("right_square_bracket")
        first = app.current_section
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        assert app.catalog.section_by_id[app.current_section].number == "5.2"
        await pilot.press("right_square_bracket")  # on into the next document
        assert app.catalog.section_by_id[app.current_section].number == "3.1"
        for _ in range(4):
            await pilot.press("left_square_bracket")
        assert app.current_section == first


async def test_export_dialog_writes_file_and_reports_errors(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        app.open_node(NodeRef("section", section_id(app, "5.1")))
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        box = app.screen.query_one(Input)
        assert box.value.endswith("2023-5.1.md")
        await pilot.press("enter")
        await pilot.pause()
        written = tmp_path / "2023-5.1.md"
        text = written.read_text(encoding="utf-8")
        assert "title: 5.1 科技金融" in text and "**35.5**亿元" in text
        assert "\n# 5.1 科技金融\n" in text and "\n## ◆ 科技保险\n" in text  # rebased under the section
        assert not isinstance(app.screen, ExportScreen)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # the same file again
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "existing" in str(app.screen.query_one("#export-error", Static).render())  # asks to overwrite
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen)


async def test_export_needs_a_section(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("k")  # a year: neither a section nor a document
        await pilot.pause(0.3)
        assert app.current == NodeRef("year", "2023")
        await pilot.press("e")
        assert not isinstance(app.screen, ExportScreen)


async def test_help_screen_lists_every_binding(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = {row[2] for _, rows in app.screen.sections for row in rows}
        for binding in KjtuiApp.BINDINGS:
            assert binding.id in listed
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_footer_follows_focus_and_its_keys_are_clickable(make_app):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(app, pilot)
        bar = app.query_one(KeyBar)
        assert "帮助" in bar.render().plain and "筛选" not in bar.render().plain
        await pilot.press("2")
        await pilot.pause()
        assert "筛选" in bar.render().plain  # the metrics table's keys, now that it has focus
        x = next(start for start, _, binding, _ in bar._spans if binding.id == "help")
        await pilot.click(KeyBar, offset=(x, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_theme_switch_is_remembered(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        assert app.theme == "kjtui-ink"
        app.set_theme("kjtui-paper")
        await pilot.pause()
    saved = yaml.safe_load((tmp_path / "config" / "config.yaml").read_text(encoding="utf-8"))
    assert saved["theme"] == "kjtui-paper"
    again = make_app()
    async with again.run_test(size=(120, 36)) as pilot:
        await ready(again, pilot)
        assert again.theme == "kjtui-paper"


async def test_cli_theme_option_is_used_and_remembered(make_app, tmp_path):
    app = make_app(theme="kjtui-contrast")
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        assert app.theme == "kjtui-contrast"
    saved = yaml.safe_load((tmp_path / "config" / "config.yaml").read_text(encoding="utf-8"))
    assert saved["theme"] == "kjtui-contrast"


async def test_unknown_theme_falls_back_with_a_warning(make_app):
    app = make_app(theme="no-such-theme")
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        assert app.theme == "kjtui-ink"
        assert any("no-such-theme" in n.message for n in app._notifications)


async def test_broken_theme_file_is_skipped_with_a_warning(make_app, tmp_path):
    folder = tmp_path / "mythemes"
    folder.mkdir()
    (folder / "bad.yaml").write_text("name: bad\nprimary: notacolour\n", encoding="utf-8")
    (folder / "worse.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    (folder / "good.yaml").write_text("name: mine\nprimary: '#336699'\n", encoding="utf-8")
    app = make_app(extra_theme_dirs=[folder])
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        assert "mine" in app.available_themes and "bad" not in app.available_themes
        messages = [n.message for n in app._notifications]
        assert any("bad.yaml" in m and "worse.yaml" in m for m in messages)
        app.set_theme("mine")
        await pilot.pause()


async def test_document_markup_is_shown_as_text(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        app.open_node(NodeRef("section", section_id(app, "5.2")))
        await pilot.pause()
        assert "[bold]粗体[/bold]" in reader_text(app) and "[/oops]" in reader_text(app)
        await pilot.press("2")
        await pilot.pause()


async def test_keymap_from_config_rebinds_keys(make_app, tmp_path):
    path = tmp_path / "config" / "config.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("theme: kjtui-ink\nkeymap:\n  view.metrics: m\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await pilot.press("m")
        assert app.query_one(TabbedContent).active == "metrics"


async def test_palette_commands_include_sections_years_and_themes(make_app):
    from kjtui.tui.commands import KjtuiCommands

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        provider = KjtuiCommands(app.screen)
        names = [name for name, _, _ in provider._commands()]
        assert "章节 5.1 科技金融" in names and "年份 Year 2021" in names
        assert any(n.startswith("主题 Theme: kjtui-paper") for n in names)
        command = next(cmd for name, _, cmd in provider._commands() if name == "章节 5.2 人才建设")
        command()
        await pilot.pause()
        assert app.catalog.section_by_id[app.current_section].number == "5.2"


async def test_no_crash_at_any_size(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await ready(app, pilot)
        for size in ((80, 24), (300, 100), (40, 12), (120, 36)):
            await pilot.resize_terminal(*size)
            await pilot.press("j", "enter", "2", "3", "1")
            await pilot.pause()


async def test_corrupt_store_exits_with_message(tmp_path, monkeypatch):
    monkeypatch.setenv("KJTUI_CONFIG", str(tmp_path / "c.yaml"))
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    app = KjtuiApp(bad, shipped=False)
    async with app.run_test() as pilot:
        await pilot.pause(0.5)
    assert app.return_code == 1
    assert str(bad) in app.failure and "kjtui ingest --rebuild" in app.failure
    assert bad.read_text(encoding="utf-8") == "{nope"


async def test_metrics_table_keys_and_clicks_move_the_cursor(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        app.open_node(NodeRef("document", app.catalog.documents[0].id))
        await pilot.press("2")
        table = app.query_one("#metrics-table", VirtualTable)
        assert app.focused is table
        await pilot.press("G")
        assert table.cursor == 5
        await pilot.press("k", "k")
        assert table.cursor == 3
        await pilot.press("g")
        assert table.cursor == 0
        detail = app.query_one("#metric-detail").text.plain
        assert table.current.context[:6] in detail  # the highlighted row's sentence below the table
        await pilot.click(offset=(table.region.x + 3, table.region.y + 3))  # the third row
        await pilot.pause(0.2)
        assert table.cursor == 2
        assert app.query_one(TabbedContent).active == "reader"  # a click opens the source


async def test_long_tree_titles_end_in_an_ellipsis_and_keep_their_counts(make_app):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(app, pilot)
        tree = app.query_one(ChapterTree)
        tree.reveal(NodeRef("section", section_id(app, "5.1")))
        await pilot.pause()
        doc_node = tree.root.children[0].children[0]
        doc_node.set_label(Text("一个非常非常非常非常非常非常非常长的文档标题"))
        shown = tree.render_label(doc_node, Style(), Style()).plain
        assert "…" in shown and shown.rstrip().endswith("事")
        assert len(shown) < 40


def test_fold_breaks_between_characters_and_keeps_punctuation_off_line_starts():
    from kjtui.tui.reader import fold, styled

    text = styled("贯彻落实《加快构建科技金融体制 有力支撑高水平**科技**自立自强》，以投早为导向")
    lines = fold(text, 40).plain.split("\n")
    assert all(sum(2 if ord(c) > 0x2E80 else 1 for c in line) <= 40 for line in lines)
    assert lines[0].startswith("贯彻落实《加快构建科技金融体制 有力")  # the space is no line break
    assert not any(line.startswith(("，", "》")) for line in lines)
    assert "".join(lines) == text.plain.replace("\n", "")
    assert any(span.style == "bold" for span in fold(text, 40).spans)
    narrow = fold(styled("一二三四五六七八九，十一"), 18).plain.split("\n")
    assert narrow == ["一二三四五六七八", "九，十一"]  # the comma takes its character down with it


def test_fold_keeps_numbers_and_latin_words_whole_and_brackets_with_what_they_open():
    from kjtui.tui.reader import fold

    lines = fold(Text("答复沪科建复〔2024〕36号"), 14).plain.split("\n")
    assert lines == ["答复沪科建复", "〔2024〕36号"]  # not "…〔2" / "024〕…"
    eda = fold(Text("一二三四五EDA工具"), 12).plain.split("\n")
    assert eda == ["一二三四五", "EDA工具"]
    long_digits = fold(Text("1" * 30), 10).plain.split("\n")
    assert long_digits == ["1" * 10] * 3  # too long to keep whole: broken anywhere


async def test_a_cursor_preview_queued_before_a_jump_does_not_undo_it(make_app):
    from textual.message import Message

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        year = NodeRef("year", str(app.catalog.years[0]))
        moved_at = Message().time  # the tree cursor rested on the year here …
        app.open_node(NodeRef("section", section_id(app, "5.2")))  # … then the palette jumped
        app._preview_node(year, moved_at)  # the preview timer's callback, already queued
        await pilot.pause()
        assert app.current == NodeRef("section", section_id(app, "5.2"))
