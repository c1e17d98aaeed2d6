"""The browser: chapter tree on the left, reader / metrics / timeline on the right."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Header, Static, Tree

from . import config as config_mod
from .catalog import Catalog, NodeRef
from .keybar import KeyBar
from .themes import load_themes, theme_dirs
from .tree import ChapterTree

def _kjtui_commands():
    """The palette's commands, imported when the palette first opens."""
    from .commands import KjtuiCommands

    return KjtuiCommands


PREVIEW_DELAY = 0.12  # seconds the cursor rests on a tree node before the views follow it


class KjtuiApp(App[int]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "kjtui"
    SUB_TITLE = "上海科技进步报告"
    COMMANDS = App.COMMANDS | {_kjtui_commands}
    BINDINGS = [
        # the tabs show their keys (1 2 3), so the footer need not
        Binding("1", "view('reader')", "阅读", show=False, tooltip="Reader view", id="view.reader"),
        Binding("2", "view('metrics')", "指标", show=False, tooltip="Metrics view", id="view.metrics"),
        Binding("3", "view('timeline')", "时间线", show=False, tooltip="Timeline view", id="view.timeline"),
        Binding("left_square_bracket", "section(-1)", "上一节", key_display="[", tooltip="Previous section", id="section.prev"),
        Binding("right_square_bracket", "section(1)", "下一节", key_display="]", tooltip="Next section", id="section.next"),
        Binding("e", "export", "导出", tooltip="Export section", id="export"),
        Binding("y", "copy", "复制", tooltip="Copy (section text, or the metric/event as a citation)", id="copy"),
        Binding("b", "bookmark", "书签", tooltip="Bookmark this section or metric (again: remove)", id="bookmark"),
        Binding("B", "bookmarks", "书签列表", show=False, tooltip="List bookmarks", id="bookmarks"),
        Binding("ctrl+r", "reload", "重新载入", show=False, tooltip="Reload the store (after an ingest elsewhere)", id="reload"),
        Binding("alt+left,backspace", "history_back", "后退", show=False, tooltip="Back", id="history.back"),
        Binding("alt+right", "history_forward", "前进", show=False, tooltip="Forward", id="history.forward"),
        Binding("slash", "search", "搜索", key_display="/", tooltip="Search every document", id="search"),
        Binding("n", "match(1)", "下一处", show=False, tooltip="Next search match", id="search.next_match"),
        Binding("N", "match(-1)", "上一处", show=False, tooltip="Previous search match", id="search.prev_match"),
        Binding("t", "series", "历年", show=False, tooltip="This metric across years (series, chart, conflicts)", id="series"),
        Binding("c", "calendar", "日历", show=False, tooltip="Timeline as a calendar", id="calendar"),
        Binding("question_mark", "help", "帮助", key_display="?", tooltip="Help", id="help"),
        Binding("q", "quit", "退出", tooltip="Quit", id="quit"),
    ]

    def __init__(self, db_path: Path, *, theme: str | None = None,
                 config: config_mod.Config | None = None, extra_theme_dirs: list[Path] | None = None,
                 shipped: bool = True) -> None:
        super().__init__()
        self.db_path = db_path
        self.shipped = shipped  # False: browse the store as it is (tests, custom corpora)
        self.requested_theme = theme
        self.config = config or config_mod.load()
        self.extra_theme_dirs = extra_theme_dirs or []
        self.catalog: Catalog | None = None
        self.current: NodeRef | None = None
        self.current_section: str | None = None
        self._preview: Timer | None = None
        self._jumped_at = 0.0
        self.failure: str | None = None
        self._theme_messages: list[str] = []
        from .history import History

        self.history = History()
        # before the stylesheet is built: choosing a theme later re-styles the whole screen
        self._install_themes()

    # -- layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield ChapterTree(id="tree")  # the views join it after the first paint
            # the first frame shows the newest document's card here; the views replace it
            yield Static(id="start-card")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        for message in self._theme_messages:
            self.notify(message, title="Themes", severity="warning", timeout=10)
        if self.config.keymap:
            self._apply_keymap()
        for problem in self.config.problems:
            self.notify(problem, severity="warning", timeout=8)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        tree = self.query_one(ChapterTree)
        tree.root.add_leaf(Text("正在载入… loading", style="dim"))
        tree.focus()
        self._check_size(self.size.width, self.size.height)
        # An existing store opens here, before the first frame: only its catalog is read
        # (documents and their counts), so the first frame shows the tree and the newest
        # document. A store still to be built or migrated opens in a thread after the first
        # frame, under the loading line. The views join after the first frame either way.
        if self._store_is_ready():
            self._open_catalog_now()
        self.call_after_refresh(self._after_first_paint)

    async def _after_first_paint(self) -> None:
        from .views import Views

        main = self.query("#main")
        if not main or not main.first().is_attached or self.query("#views-root"):
            return  # quitting before the views arrived
        views = Views(id="views-root")
        views.display = False  # swapped in for the start card in one frame
        await main.first().mount(views)
        if not main.first().is_attached:
            return
        if self.catalog is not None:
            views.attach(self.catalog)
            if self.current is not None:
                views.show(self.current)
        for card in self.query("#start-card"):
            card.remove()
        views.display = True
        from .importing import STORE_CHECK_EVERY  # not before the first frame: it imports dialogs

        self.set_interval(STORE_CHECK_EVERY, self._watch_store)  # another kjtui ingested: offer a reload
        if self.catalog is None and self.failure is None:
            self.load_catalog()
        elif self.catalog is not None:
            self.refresh_shipped()

    @property
    def views(self):
        return self.query_one("#views-root")

    def _install_themes(self) -> None:
        user_dir = config_mod.config_path().parent / "themes"
        themes, problems = load_themes(theme_dirs([user_dir, *self.extra_theme_dirs]))
        for theme in themes:
            self.register_theme(theme)
        if problems:
            self._theme_messages.append("Skipped theme files:\n" + "\n".join(problems))
        wanted = self.requested_theme or self.config.theme
        if wanted in self.available_themes:
            self._start_with_theme(wanted)
            if wanted != self.config.theme:
                try:
                    self.config.save_theme(wanted)  # an unreadable config.yaml is never written
                except OSError as exc:
                    self._theme_messages.append(f"Could not save the theme choice: {exc.strerror}")
        else:
            fallback = config_mod.DEFAULT_THEME if config_mod.DEFAULT_THEME in self.available_themes else "textual-dark"
            self._start_with_theme(fallback)
            self._theme_messages.append(f"Theme {wanted!r} is not available (missing, or skipped above); "
                                        f"using {fallback}. Themes: ctrl+p → Theme")

    def _start_with_theme(self, name: str) -> None:
        """Choose the theme before the first stylesheet is built. Assigning `theme`
        would also schedule a full CSS re-parse just after start (~13 ms of first paint)."""
        self.set_reactive(App.theme, name)
        dark = self.current_theme.dark
        self.set_class(dark, "-dark-mode", update=False)
        self.set_class(not dark, "-light-mode", update=False)
        self.set_class(True, f"-theme-{name}", update=False)
        from ._textual_private import refresh_truecolor_filter

        refresh_truecolor_filter(self, self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())  # nothing is parsed yet: no re-parse
        self._good_theme = name  # what refresh_css rolls back to if a switch fails

    def _remember_theme(self, theme) -> None:
        # a theme rolled back (refresh_css) is no longer the app's: not remembered
        if theme.name != self.config.theme and theme.name in self.available_themes and theme.name == self.theme:
            try:
                self.config.save_theme(theme.name)
            except OSError as exc:
                self.notify(f"Could not save the theme choice: {exc.strerror}", severity="warning")

    def refresh_css(self, animate: bool = True) -> None:
        """A theme that fails when it is switched on (a value no check foresaw) is rolled
        back to the last one that worked, with a notification, instead of a crash."""
        try:
            super().refresh_css(animate)
        except Exception as exc:  # noqa: BLE001 - Textual's CSS errors have several types
            failed, good = self.theme, getattr(self, "_good_theme", None)
            if good is None or good == failed:
                raise
            self.notify(f"Theme {failed!r} could not be applied ({exc.__class__.__name__}); "
                        f"back to {good}", title="Themes", severity="warning", timeout=10)
            self.theme = good
            return
        self._good_theme = self.theme

    def _apply_keymap(self) -> None:
        """The config's keymap, without entries that name no binding or would leave no
        key to quit or open help; one notification lists what was ignored."""
        accepted, ignored = config_mod.check_keymap(self.config.keymap, _binding_keys(type(self)))
        if accepted:
            self.set_keymap(accepted)
        if ignored:
            self.notify("Ignored in config.yaml keymap:\n" + "\n".join(ignored), title="Keymap",
                        severity="warning", timeout=12)

    def set_theme(self, name: str) -> None:
        self.theme = name

    # -- loading --------------------------------------------------------------
    def _store_is_ready(self) -> bool:
        """A store of the current layout exists (its catalog is read in a few ms)."""
        from ..store import CATALOG

        try:
            return (Path(self.db_path).expanduser() / CATALOG).is_file()
        except OSError:
            return False

    def _open_catalog(self) -> Catalog:
        from .. import service

        store = service.open_store(self.db_path, build=self.shipped)
        return Catalog(store)

    def _open_catalog_now(self) -> None:
        """The store's catalog as it is; whether the shipped corpus needs refreshing (which
        imports the parser) is checked after the first frame (refresh_shipped)."""
        from ..store import Store, StoreError

        try:
            catalog = Catalog(Store.open(self.db_path, migrate=False))
        except StoreError as exc:
            self.failure = f"kjtui: {exc}"  # printed by run_browser once the screen is restored
            self.exit(1, 1)
            return
        self._loaded(catalog)

    @work(thread=True, exclusive=True, group="load")
    def refresh_shipped(self) -> None:
        """After the first frame: refresh the shipped documents if the corpus or the parser
        changed since the store was written (rare); the tree then shows the new catalog."""
        from .. import service
        from ..corpus import CorpusError
        from ..store import StoreError

        catalog = self.catalog
        if catalog is None or not self.shipped:
            return
        before = catalog.store.stamp()
        try:
            store = service.open_store(self.db_path, build=True)
        except (StoreError, CorpusError) as exc:
            self.call_from_thread(self.notify, f"kjtui: {exc}", severity="error", timeout=10)
            return
        if store.stamp() != before:
            self.call_from_thread(self._reloaded, Catalog(store))

    def _reloaded(self, catalog: Catalog) -> None:
        self.catalog = catalog
        if self.query("#views-root"):
            self.views.attach(catalog)
        self.query_one(ChapterTree).load(catalog)
        current = self.current if self.current and catalog.document_of(self.current) else self.start_node(catalog)
        if current is not None:
            self.open_node(current, record=False)

    @work(thread=True, exclusive=True, group="load")
    def load_catalog(self) -> None:
        from ..corpus import CorpusError
        from ..store import StoreError

        try:
            catalog = self._open_catalog()
        except (StoreError, CorpusError) as exc:
            self.failure = f"kjtui: {exc}"  # printed by run_browser once the screen is restored
            self.call_from_thread(self.exit, 1, 1)
            return
        self.call_from_thread(self._loaded, catalog)

    def _loaded(self, catalog: Catalog) -> None:
        self.catalog = catalog
        # Records read later live as long as the app. Without this, every full collection
        # walks all of them: a pause of about 100 ms, landing on a key press.
        gc.freeze()
        if self.query("#views-root"):
            self.views.attach(catalog)
        tree = self.query_one(ChapterTree)
        tree.load(catalog)
        start = self.start_node(catalog)
        if start is None:
            self.notify("The store has no documents yet: add some with `kjtui ingest PATH`.", timeout=10)
            return
        self.open_node(start, reveal=False, record=False)
        tree.put_cursor(start)
        # its chapters in view after the first frame: j walks into the document, e exports its first one
        self.call_after_refresh(tree.expand_ref, start)

    @staticmethod
    def start_node(catalog: Catalog) -> NodeRef | None:
        """Where the browser opens: the newest document (newest year, first title in natural
        order: a base title before its copies （2） … （10）), its card and its text in the reader."""
        return NodeRef("document", catalog.document_ids[0]) if catalog.document_ids else None

    def _show_start_card(self, node: NodeRef) -> None:
        """Before the views arrive (the first frame): the document's card, from the catalog."""
        cards = self.query("#start-card")
        catalog = self.catalog
        doc = catalog.document_of(node) if catalog else None
        if not cards or catalog is None or doc is None:
            return
        from .reader import document_card

        card = Text(catalog.short_title(doc) + "\n\n", style="dim")
        card.append_text(document_card(doc, catalog.metric_total[doc.id], catalog.event_total[doc.id]))
        cards.first(Static).update(card)

    # -- showing a node ---------------------------------------------------------
    def open_node(self, node: NodeRef, *, line: int | None = None, sentence: str | None = None,
                  view: str | None = None, reveal: bool = True, record: bool = True) -> None:
        if self.catalog is None:
            return
        if record and self.current is not None and self.query("#views-root"):
            self.history.jumped_from(self._place())  # back comes here
        if self._preview is not None:
            self._preview.stop()  # an explicit jump wins over a pending cursor preview
            self._preview = None
        self._jumped_at = Message().time  # the messages' own clock: older highlights are stale
        self.current = node
        self.current_section = node.key if node.kind == "section" else None
        doc = self.catalog.document_of(node)
        self.sub_title = doc.title if doc else (f"{node.key}年" if node.kind == "year" else "")
        if reveal:
            self.query_one(ChapterTree).reveal(node)
        if self.query("#views-root"):
            self.views.show(node, view=view, line=line, sentence=sentence)
        else:
            self._show_start_card(node)

    def on_tabbed_content_tab_activated(self, event) -> None:  # TabbedContent.TabActivated (not
        # imported: the views, and their widgets, load after the first paint)
        if event.tabbed_content.id != "views":
            return
        # a table needs the width more than the tree does: the tree narrows while one is shown.
        # The class goes on the tree, not the screen: a screen's class restyles every widget
        # (~30 ms a view switch), the tree's only the tree
        self.query_one(ChapterTree).set_class(event.pane.id in ("metrics", "timeline"), "-tables")

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        if event.node.data is None:
            return
        if self._preview is not None:
            self._preview.stop()
        ref, moved_at = event.node.data, event.time
        self._preview = self.set_timer(PREVIEW_DELAY, lambda: self._preview_node(ref, moved_at))

    def _preview_node(self, ref: NodeRef, moved_at: float) -> None:
        trees = self.query(ChapterTree)
        # closing; or a jump (palette, [ ], a metric) came after the move and must not be undone
        if not trees or moved_at < self._jumped_at:
            return
        cursor = trees.first().cursor_node
        # only follow the cursor if it is still there (a jump may have moved it on)
        if cursor is not None and cursor.data == ref and ref != self.current:
            self.open_node(ref, reveal=False)

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeRef]) -> None:
        if event.node.data is not None and event.node.data != self.current:
            self.open_node(event.node.data, reveal=False)

    def on_open_source(self, message) -> None:  # metrics_pane.OpenSource, from a metric or an event
        self.open_node(NodeRef("section", message.section), line=message.line,
                       sentence=message.sentence, view="reader")
        self.views.focus_reader()

    # -- size -------------------------------------------------------------------
    def on_resize(self, event) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        from .too_small import TooSmallScreen, too_small

        showing = isinstance(self.screen, TooSmallScreen)
        if too_small(width, height):
            if isinstance(self.screen, TooSmallScreen):
                self.screen.show_size(width, height)
            else:
                self.push_screen(TooSmallScreen())
        elif showing:
            self.pop_screen()

    # -- history ----------------------------------------------------------------
    def _place(self):
        from .history import Place

        assert self.current is not None
        return Place(self.current, self.views.active, self.views.snapshot())

    def action_history_back(self) -> None:  # not action_back: Textual's pops a screen
        self._go(self.history.go_back(self._place()) if self.current else None, "没有可后退的位置 · Nothing to go back to")

    def action_history_forward(self) -> None:
        self._go(self.history.go_forward(self._place()) if self.current else None, "没有可前进的位置 · Nothing to go forward to")

    def _go(self, place, why: str) -> None:
        if place is None:
            self.status(why)
            return
        self.open_node(place.node, view=place.view, record=False)
        self.views.restore(place.state)
        self.views.focus_view()

    def status(self, text: str) -> None:
        """One line in the footer for a moment, e.g. why a key did nothing."""
        bars = self.query(KeyBar)
        if bars:
            bars.first().flash(text)

    def on_status(self, message) -> None:  # messages.Status
        self.status(message.text)

    def on_virtual_table_cannot_act(self, message) -> None:
        self.status(message.why)

    # -- actions ----------------------------------------------------------------
    def action_import(self) -> None:
        from .importing import open_import

        open_import(self)

    def action_reload(self) -> None:
        from .importing import reload_store

        if self.catalog is None:
            self.status("还在载入 · Still loading")
            return
        reload_store(self)

    def _watch_store(self) -> None:
        from .importing import watch_store

        watch_store(self)

    def action_bookmark(self) -> None:
        from .bookmarks_screen import toggle_here

        toggle_here(self)

    def action_bookmarks(self) -> None:
        from .bookmarks_screen import open_list

        open_list(self)

    def action_copy(self) -> None:
        from .copying import copy_text

        if self.catalog is None or not self.query("#views-root"):
            self.status("还没有可复制的内容 · Nothing to copy yet")
            return
        what, text = copy_text(self.catalog, self.views)
        if not text:
            self.status("这里没有可复制的内容 · Nothing to copy here")
            return
        self.copy_to_clipboard(text)
        self.notify(f"已复制{what} · Copied {len(text)} characters (OSC 52)", title="Copy", timeout=3)

    # answers across documents (tui/search_screen.py, series_screen.py, calendar.py)
    def action_search(self) -> None:
        from .search_screen import open_search

        open_search(self)

    def action_match(self, step: int) -> None:
        from .search_screen import step_match

        step_match(self, step)

    def action_series(self) -> None:
        from .series_screen import open_series

        open_series(self)

    def action_calendar(self) -> None:
        from .calendar import open_calendar

        open_calendar(self)

    def action_view(self, name: str) -> None:
        if self.query("#views-root"):
            self.views.switch(name)

    def action_section(self, step: int) -> None:
        if self.catalog is None:
            return
        section = self.catalog.neighbour(self.current_section, step)
        if section is None:
            self.status("已是最后一节 · This is the last section" if step > 0 else "已是第一节 · This is the first section")
            return
        self.open_node(NodeRef("section", section.id))

    def action_export(self) -> None:
        from .. import export

        catalog = self.catalog
        current = self.current
        if catalog is not None and current is not None and current.kind == "document" \
                and current.key in catalog.document_by_id:
            document = catalog.document_by_id[current.key]  # the whole document
            markdown = export.document_to_markdown(document, catalog.sections_by_doc[document.id])
            default = Path.cwd() / export.document_filename(document)
            title = document.title
        elif catalog is None or self.current_section is None:
            self.status("选择一个章节或文档再导出 · Select a section or a document in the tree to export it")
            return
        else:
            section = catalog.section_by_id[self.current_section]
            document = catalog.document_by_id[section.document]
            markdown = export.to_markdown(document, section, catalog.sections_by_doc[document.id])
            default = Path.cwd() / export.default_filename(document, section)
            title = section.label

        from .dialogs import ExportScreen

        def done(path: Path | None) -> None:
            if path is not None:
                from ..formatting import short_path

                self.notify(f"已导出 Wrote {short_path(path)}", title="Export")

        self.push_screen(ExportScreen(title, default, markdown), done)

    def action_help(self) -> None:
        from .help_screen import HelpScreen, help_sections

        self.push_screen(HelpScreen(help_sections(self)))


def _binding_keys(app_class: type) -> dict[str, str]:
    """Every binding id of the browser's widgets and screens → its default keys."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    from .. import tui

    for module in pkgutil.iter_modules(tui.__path__):
        try:
            importlib.import_module(f"{tui.__name__}.{module.name}")
        except Exception:  # noqa: BLE001 - a module that cannot load has no bindings to check
            continue
    found: dict[str, str] = {}
    seen: set[type] = set()
    pending: list[type] = [DOMNode, app_class]
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        if cls is app_class or cls.__module__.startswith("kjtui."):
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    found.setdefault(binding.id, binding.key)
    return found


def run_browser(db_path: Path, *, theme: str | None = None) -> int:
    app = KjtuiApp(db_path, theme=theme)
    app.run()
    if app.failure:
        print(app.failure, file=sys.stderr)
    return app.return_code or 0
