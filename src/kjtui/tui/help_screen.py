"""The help screen: every key of every widget and dialog, read from their bindings
(so a key rebound in config.yaml shows here as rebound), grouped by where it works.
It opens with how to close it and scrolls with j/k like the rest of the browser."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import replace
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ._textual_private import keymap

Row = tuple[str, str, str]  # keys as shown, description, binding id

# where a class's keys work, by class name; anything else is listed under its own name
PLACES = {
    "KjtuiApp": (0, "全局 Everywhere"),
    "ChapterTree": (1, "章节树 Chapter tree"),
    "ReaderBody": (2, "阅读 Reader"),
    "MetricsPane": (3, "指标 Metrics"),
    "VirtualTable": (4, "表格 Tables (metrics, timeline)"),
    "TimelinePane": (5, "时间线 Timeline"),
    "ExportScreen": (6, "导出对话框 Export dialog"),
    "BookmarksScreen": (7, "书签列表 Bookmarks list"),
    "HelpScreen": (8, "帮助 This help"),
}
EXTRA: dict[str, list[Binding]] = {  # keys Textual handles itself, for the same groups
    "KjtuiApp": [Binding("tab", "", "下一窗格 · Next pane (focus)"), Binding("shift+tab", "", "上一窗格 · Previous pane"),
                 Binding("ctrl+p", "", "命令面板 · Command palette"), Binding("ctrl+q", "", "退出 · Quit")],
    "ChapterTree": [Binding("enter", "", "打开 · Open the node"), Binding("space", "", "展开/收起 · Toggle")],
}


def _classes(app_class: type) -> list[type]:
    """The app and every kjtui widget or screen class that declares bindings."""
    from textual.dom import DOMNode

    from .. import tui

    for module in pkgutil.iter_modules(tui.__path__):
        try:
            importlib.import_module(f"{tui.__name__}.{module.name}")
        except Exception:  # noqa: BLE001 - a module that cannot load has no keys to show
            continue
    found: list[type] = []
    seen: set[type] = set()
    pending: list[type] = [DOMNode]
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("kjtui.") and cls.__dict__.get("BINDINGS") and cls is not app_class:
            if not (isinstance(cls, type) and issubclass(cls, App)):
                found.append(cls)
    return [app_class] + sorted(found, key=lambda c: (PLACES.get(c.__name__, (50, ""))[0], c.__name__))


def shown_keys(app: App[Any], binding: Binding) -> str:
    """The binding's keys as the user must press them now (after the keymap), readable."""
    keys = keymap(app).get(binding.id, binding.key) if binding.id else binding.key
    if binding.key_display and keys == binding.key:
        return binding.key_display
    return " ".join(app.get_key_display(replace(binding, key=k.strip(), key_display=None))
                    for k in keys.split(",") if k.strip())


def help_sections(app: App[Any]) -> list[tuple[str, list[Row]]]:
    sections: list[tuple[str, list[Row]]] = []
    for cls in _classes(type(app)):
        bindings = [b for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding)]
        bindings += EXTRA.get(cls.__name__, [])
        rows: list[Row] = []
        for b in bindings:
            description = f"{b.description} · {b.tooltip}" if b.tooltip else b.description
            rows.append((shown_keys(app, b), description, b.id or ""))
        if rows:
            sections.append((PLACES.get(cls.__name__, (0, cls.__name__))[1], rows))
    return sections


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
    }

    #help-dialog {
        width: 90%;
        max-width: 110;
        height: 90%;
        padding: 0 2;
        border: thick $primary;
        border-title-color: $primary;
        background: $surface;
    }

    #help-close {
        color: $warning;
        margin-bottom: 1;
    }

    .help-heading {
        margin-top: 1;
        color: $primary;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "关闭", tooltip="Close", id="help.close"),
        Binding("j,down", "scroll('down')", "下移", show=False, tooltip="Scroll down", id="help.down"),
        Binding("k,up", "scroll('up')", "上移", show=False, tooltip="Scroll up", id="help.up"),
        Binding("space,pagedown", "scroll('page_down')", "下一页", show=False, tooltip="Page down", id="help.page_down"),
        Binding("pageup", "scroll('page_up')", "上一页", show=False, tooltip="Page up", id="help.page_up"),
        Binding("g,home", "scroll('home')", "顶部", show=False, tooltip="Top", id="help.top"),
        Binding("G,end", "scroll('end')", "底部", show=False, tooltip="Bottom", id="help.bottom"),
    ]

    def __init__(self, sections: list[tuple[str, list[Row]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog") as box:
            box.border_title = "kjtui 键盘操作 · Keys"
            closing = " / ".join(shown_keys(self.app, b) for b in self.BINDINGS[:1] if isinstance(b, Binding))
            yield Static(Text(f"{closing} 关闭 close · j/k ↑/↓ 滚动 scroll · PgUp/PgDn 翻页 page", style="bold"),
                         id="help-close")
            for title, rows in self.sections:
                table = Table(show_header=False, box=None, pad_edge=False, expand=True)
                table.add_column(style="bold", max_width=16)
                table.add_column(ratio=1, min_width=14)  # a narrow screen cuts the ids, never the meaning
                table.add_column(style="dim", max_width=22, no_wrap=True, overflow="ellipsis")
                for keys, description, binding_id in rows:
                    table.add_row(Text(keys), Text(description), Text(binding_id))
                yield Static(Text(title, style="bold underline"), classes="help-heading")
                yield Static(table)
            yield Static(Text("\n改键：在 config.yaml 的 keymap: 下按上面的 id 设置 · "
                              "Rebind any key by its id in config.yaml's keymap: section.", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#help-dialog").focus()

    def action_scroll(self, how: str) -> None:
        box = self.query_one("#help-dialog", VerticalScroll)
        {"down": box.scroll_down, "up": box.scroll_up, "page_down": box.scroll_page_down,
         "page_up": box.scroll_page_up, "home": box.scroll_home, "end": box.scroll_end}[how](animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
