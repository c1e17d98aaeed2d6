"""The browser: chapter tree on the left, reader / metrics / timeline on the right."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Footer, Header, TabbedContent, TabPane, Tree

from .. import export, service
from ..corpus import CorpusError
from ..store import StoreError
from . import config as config_mod
from .catalog import Catalog, NodeRef
from .commands import KjtuiCommands
from .dialogs import ExportScreen, HelpScreen
from .metrics_pane import MetricsPane, OpenSource, VimTable
from .reader import Reader, ReaderBody
from .themes import load_themes, theme_dirs
from .timeline import TimelinePane
from .tree import ChapterTree

VIEWS = ("reader", "metrics", "timeline")
PREVIEW_DELAY = 0.12  # seconds the cursor rests on a tree node before the views follow it


class KjtuiApp(App[int]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "kjtui"
    SUB_TITLE = "上海科技进步报告"
    COMMANDS = App.COMMANDS | {KjtuiCommands}
    BINDINGS = [
        # the tabs show their keys (1 2 3), so the footer need not
        Binding("1", "view('reader')", "阅读 Reader", show=False, id="view.reader"),
        Binding("2", "view('metrics')", "指标 Metrics", show=False, id="view.metrics"),
        Binding("3", "view('timeline')", "时间线 Timeline", show=False, id="view.timeline"),
        Binding("left_square_bracket", "section(-1)", "上一节", key_display="[", id="section.prev"),
        Binding("right_square_bracket", "section(1)", "下一节", key_display="]", id="section.next"),
        Binding("e", "export", "导出", id="export"),
        Binding("question_mark", "help", "帮助", key_display="?", id="help"),
        Binding("q", "quit", "退出", id="quit"),
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
        self._dirty: set[str] = set()
        self._preview: Timer | None = None
        self.failure: str | None = None

    # -- layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield ChapterTree(id="tree")
            with TabbedContent(id="views", initial="reader"):
                with TabPane("1 阅读 Reader", id="reader"):
                    yield Reader(id="reader-pane")
                with TabPane("2 指标 Metrics", id="metrics"):
                    yield MetricsPane(id="metrics-pane")
                with TabPane("3 时间线 Timeline", id="timeline"):
                    yield TimelinePane(id="timeline-pane")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._install_themes()
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        for problem in self.config.problems:
            self.notify(problem, severity="warning", timeout=8)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        tree = self.query_one(ChapterTree)
        tree.root.add_leaf(Text("正在载入… loading", style="dim"))
        tree.focus()
        self.load_catalog()

    def _install_themes(self) -> None:
        user_dir = config_mod.config_path().parent / "themes"
        themes, problems = load_themes(theme_dirs([user_dir, *self.extra_theme_dirs]))
        for theme in themes:
            self.register_theme(theme)
        if problems:
            self.notify("Skipped theme files:\n" + "\n".join(problems), title="Themes", severity="warning", timeout=10)
        wanted = self.requested_theme or self.config.theme
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            fallback = config_mod.DEFAULT_THEME if config_mod.DEFAULT_THEME in self.available_themes else "textual-dark"
            self.theme = fallback
            self.notify(f"No theme named {wanted!r}; using {fallback}. Themes: ctrl+p → Theme",
                        severity="warning", timeout=8)

    def _remember_theme(self, theme) -> None:
        if theme.name != self.config.theme and theme.name in self.available_themes:
            try:
                self.config.save_theme(theme.name)
            except OSError as exc:
                self.notify(f"Could not save the theme choice: {exc.strerror}", severity="warning")

    def set_theme(self, name: str) -> None:
        self.theme = name

    # -- loading --------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load_catalog(self) -> None:
        try:
            store = service.open_store(self.db_path, build=self.shipped)
            catalog = Catalog(store)
        except (StoreError, CorpusError) as exc:
            self.failure = f"kjtui: {exc}"  # printed by run_browser once the screen is restored
            self.call_from_thread(self.exit, 1, 1)
            return
        self.call_from_thread(self._loaded, catalog)

    def _loaded(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.query_one(Reader).catalog = catalog
        tree = self.query_one(ChapterTree)
        tree.load(catalog)
        if catalog.years:
            first = NodeRef("year", str(catalog.years[0]))
            self.open_node(first, reveal=False)
            tree.move_cursor(tree.root.children[0] if tree.root.children else None)
        else:
            self.notify("The store has no documents yet: add some with `kjtui ingest PATH`.", timeout=10)

    # -- showing a node ---------------------------------------------------------
    def open_node(self, node: NodeRef, *, line: int | None = None, sentence: str | None = None,
                  view: str | None = None, reveal: bool = True) -> None:
        if self.catalog is None:
            return
        if self._preview is not None:
            self._preview.stop()  # an explicit jump wins over a pending cursor preview
            self._preview = None
        self.current = node
        self.current_section = node.key if node.kind == "section" else None
        doc = self.catalog.document_of(node)
        self.sub_title = doc.title if doc else (f"{node.key}年" if node.kind == "year" else "")
        self._dirty = set(VIEWS)
        if reveal:
            self.query_one(ChapterTree).reveal(node)
        tabs = self.query_one(TabbedContent)
        if view:
            tabs.active = view
        self._refresh_view(tabs.active, line=line, sentence=sentence)

    def _refresh_view(self, view: str, *, line: int | None = None, sentence: str | None = None) -> None:
        if self.catalog is None or self.current is None or view not in self._dirty:
            return
        self._dirty.discard(view)
        if view == "reader":
            self.query_one(Reader).show(self.current, line=line, sentence=sentence)
        elif view == "metrics":
            self.query_one(MetricsPane).show(self.catalog, self.catalog.metrics_for(self.current))
        else:
            self.query_one(TimelinePane).show(self.catalog, self.catalog.year_of(self.current))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._refresh_view(event.pane.id or "reader")

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        if event.node.data is None:
            return
        if self._preview is not None:
            self._preview.stop()
        ref = event.node.data
        self._preview = self.set_timer(PREVIEW_DELAY, lambda: self._preview_node(ref))

    def _preview_node(self, ref: NodeRef) -> None:
        cursor = self.query_one(ChapterTree).cursor_node
        # only follow the cursor if it is still there (a jump may have moved it on)
        if cursor is not None and cursor.data == ref and ref != self.current:
            self.open_node(ref, reveal=False)

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeRef]) -> None:
        if event.node.data is not None and event.node.data != self.current:
            self.open_node(event.node.data, reveal=False)

    def on_open_source(self, message: OpenSource) -> None:
        self.open_node(NodeRef("section", message.section), line=message.line,
                       sentence=message.sentence, view="reader")
        self.query_one(ReaderBody).focus()

    # -- actions ----------------------------------------------------------------
    def action_view(self, name: str) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = name
        self._refresh_view(name)
        if name == "reader":
            self.query_one(ReaderBody).focus()
        elif name == "metrics":
            self.query_one("#metrics-table", VimTable).focus()
        else:
            self.query_one("#timeline-table", VimTable).focus()

    def action_section(self, step: int) -> None:
        if self.catalog is None:
            return
        section = self.catalog.neighbour(self.current_section, step)
        if section is None:
            self.bell()
            return
        self.open_node(NodeRef("section", section.id))

    def action_export(self) -> None:
        catalog = self.catalog
        if catalog is None or self.current_section is None:
            self.notify("选择一个章节再导出 · Select a section in the tree to export it.", severity="warning")
            return
        section = catalog.section_by_id[self.current_section]
        document = catalog.document_by_id[section.document]
        sections = catalog.sections_by_doc[document.id]
        metrics = [m for s in sections for m in catalog.metrics_by_section.get(s.id, ())]
        markdown = export.to_markdown(document, section, sections, metrics)
        default = Path.cwd() / export.default_filename(document, section)

        def done(path: Path | None) -> None:
            if path is not None:
                self.notify(f"已导出 Wrote {path}", title="Export")

        self.push_screen(ExportScreen(section.label, default, markdown), done)

    def action_help(self) -> None:
        groups = [
            ("全局 Everywhere", self.BINDINGS + [Binding("tab", "", "下一窗格 Next pane"),
                                               Binding("shift+tab", "", "上一窗格 Previous pane"),
                                               Binding("ctrl+p", "", "命令面板 Command palette"),
                                               Binding("ctrl+q", "", "退出 Quit")]),
            ("章节树 Chapter tree", ChapterTree.BINDINGS + [Binding("enter", "", "打开 Open")]),
            ("阅读 Reader", ReaderBody.BINDINGS),
            ("指标 Metrics", MetricsPane.BINDINGS + VimTable.BINDINGS + [Binding("enter", "", "打开原文 Open source sentence")]),
            ("时间线 Timeline", TimelinePane.BINDINGS + [Binding("enter", "", "打开原文 Open source section")]),
        ]
        keymap = getattr(self, "_keymap", {}) or {}
        sections = []
        for title, bindings in groups:
            rows = []
            for b in bindings:
                keys = keymap.get(b.id, None) if b.id else None
                shown = b.key_display or keys or b.key
                rows.append((shown.replace("left_square_bracket", "[").replace("right_square_bracket", "]")
                             .replace("question_mark", "?"), b.description, b.id or ""))
            sections.append((title, rows))
        self.push_screen(HelpScreen(sections))


def run_browser(db_path: Path, *, theme: str | None = None) -> int:
    app = KjtuiApp(db_path, theme=theme)
    app.run()
    if app.failure:
        print(app.failure, file=sys.stderr)
    return app.return_code or 0
