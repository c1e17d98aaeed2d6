"""Bookmarks in the browser: `b` toggles one on the highlighted metric (metrics
view) or the current section; `B` (or the palette) lists them, Enter opens one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .. import bookmarks as core
from .catalog import NodeRef


def _metrics_in(catalog, section_id: str):
    doc = catalog.doc(section_id.split("/", 1)[0]) if hasattr(catalog, "doc") else catalog
    return doc.metrics_by_section.get(section_id, ()) if doc is not None else ()


def _resolve(catalog, bookmark: core.Bookmark):
    return core.resolve(bookmark, catalog.section_by_id, lambda doc_id: catalog.sections_by_doc.get(doc_id) or (),
                        lambda section_id: _metrics_in(catalog, section_id))


def here(app) -> core.Bookmark | None:
    """A bookmark on what the user is looking at: the highlighted metric in the
    metrics view, else the current section."""
    catalog = app.catalog
    if catalog is None:
        return None
    if app.query("#views-root") and app.views.active == "metrics":
        from .vtable import VirtualTable

        metric = app.views.query_one("#metrics-table", VirtualTable).current
        if metric is not None:
            doc = catalog.document_by_id.get(metric.document)
            return core.for_metric(metric, catalog.section_by_id.get(metric.section), doc.title if doc else "")
    if app.current_section and app.current_section in catalog.section_by_id:
        section = catalog.section_by_id[app.current_section]
        doc = catalog.document_by_id.get(section.document)
        return core.for_section(section, doc.title if doc else "", doc.year if doc else None)
    return None


def toggle_here(app) -> None:
    mark = here(app)
    if mark is None:
        app.status("b 在章节或指标上加书签 · b bookmarks a section (tree/reader) or a metric (metrics view)")
        return
    try:
        added = core.toggle(mark)
    except core.BookmarkError as exc:
        app.notify(str(exc), title="Bookmarks", severity="error", timeout=10)
        return
    verb = "已加书签 Bookmarked" if added else "已删除书签 Removed bookmark"
    app.notify(Text(f"{verb}: {mark.title}").plain, title="Bookmarks", timeout=3)


def open_list(app) -> None:
    try:
        marks = core.load()
    except core.BookmarkError as exc:
        app.notify(str(exc), title="Bookmarks", severity="error", timeout=10)
        return

    def chosen(mark: core.Bookmark | None) -> None:
        if mark is not None:
            go_to(app, mark)

    app.push_screen(BookmarksScreen(marks, app.catalog), chosen)


def go_to(app, mark: core.Bookmark) -> bool:
    catalog = app.catalog
    found = _resolve(catalog, mark) if catalog is not None else None
    if found is None:
        app.status(f"书签的位置已不在库中 · This bookmark's place is no longer in the store: {mark.title}")
        return False
    section, metric = found
    if metric is None:
        app.open_node(NodeRef("section", section.id), view="reader")
    else:
        app.open_node(NodeRef("section", section.id), line=metric.line, sentence=metric.context or None,
                      view="reader")
    app.views.focus_view()
    return True


class BookmarksScreen(ModalScreen[core.Bookmark | None]):
    DEFAULT_CSS = """
    BookmarksScreen {
        align: center middle;
        background: $background 60%;
    }
    #bookmarks-dialog {
        width: 90%;
        max-width: 110;
        height: 80%;
        padding: 0 1;
        border: thick $primary;
        border-title-color: $primary;
        background: $surface;
    }
    #bookmarks-list {
        height: 1fr;
    }
    #bookmarks-keys {
        height: 1;
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape,q", "close", "关闭", tooltip="Close", id="bookmarks.close"),
        Binding("d,delete", "delete", "删除", tooltip="Delete the highlighted bookmark", id="bookmarks.delete"),
    ]

    def __init__(self, marks: list[core.Bookmark], catalog) -> None:
        super().__init__()
        self.marks = list(marks)
        self.catalog = catalog

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmarks-dialog") as box:
            box.border_title = "书签 Bookmarks"
            yield Static(Text("Enter 打开 open · d 删除 delete · Esc 关闭 close", style="dim"), id="bookmarks-keys")
            yield OptionList(*self._options(), id="bookmarks-list")

    def _options(self) -> list[Option]:
        if not self.marks:
            return [Option(Text("还没有书签：在章节或指标上按 b · No bookmarks yet: press b on a section or a metric",
                                style="dim italic"), disabled=True)]
        options = []
        for k, mark in enumerate(self.marks):
            found = _resolve(self.catalog, mark) if self.catalog is not None else None
            line = Text("◆ " if mark.kind == "metric" else "▤ ", style="dim")
            line.append(mark.title or mark.anchor, style="bold" if found else "dim strike")
            line.append(f"\n  {mark.year or ''} {mark.document}" + ("" if found else " · 已不在库中 not in the store"),
                        style="dim")
            options.append(Option(line, id=str(k)))
        return options

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.marks[int(event.option.id)])

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or not self.marks:
            return
        mark = self.marks[index]
        try:
            core.toggle(mark)  # on a marked place: removes it
        except core.BookmarkError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        del self.marks[index]
        options.clear_options()
        options.add_options(self._options())
        if self.marks:
            options.highlighted = min(index, len(self.marks) - 1)

    def action_close(self) -> None:
        self.dismiss(None)
