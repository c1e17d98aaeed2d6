"""Command palette entries that depend on what is loaded and selected."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .catalog import NodeRef


class KjtuiCommands(Provider):
    def _commands(self):
        app = self.app
        catalog = getattr(app, "catalog", None)
        yield ("阅读 Reader view", "Show the reader", partial(app.action_view, "reader"))
        yield ("指标 Metrics view", "Show the metrics table", partial(app.action_view, "metrics"))
        yield ("时间线 Timeline view", "Show monthly releases", partial(app.action_view, "timeline"))
        yield ("书签 Bookmarks", "List bookmarks (b adds one)", app.action_bookmarks)
        yield ("导入 Import documents…", "Add files or a folder to the store (as kjtui ingest)", app.action_import)
        yield ("重新载入 Reload store", "Read the store again (ctrl+r)", app.action_reload)
        if getattr(app, "current_section", None):
            yield ("导出本节 Export section", "Write the selected section as Markdown", app.action_export)
        # every theme: kjtui's and the user's own first, then Textual's
        from textual.theme import BUILTIN_THEMES

        builtin = set(BUILTIN_THEMES)
        for name in sorted(app.available_themes, key=lambda n: (n in builtin, not n.startswith("kjtui-"), n)):
            yield (f"主题 Theme: {name}", "Switch to this theme", partial(app.set_theme, name))
        from .compare_screen import palette_entries  # answers: search, calendar, series, compare, conflicts

        yield from palette_entries(app)
        if catalog is None:
            return
        for year in catalog.years:
            yield (f"年份 Year {year}", "Jump to this year", partial(app.open_node, NodeRef("year", str(year))))
        for doc in catalog.documents:
            yield (f"文档 {doc.title}", f"{doc.year or ''}", partial(app.open_node, NodeRef("document", doc.id)))
        for section in catalog.loaded_sections():  # sections of the documents read so far
            doc = catalog.document_by_id.get(section.document)
            where = f"{doc.year} · {doc.title}" if doc else ""
            yield (f"章节 {section.label}", where, partial(app.open_node, NodeRef("section", section.id)))

    async def discover(self) -> Hits:
        for name, help_text, command in list(self._commands())[:40]:
            yield DiscoveryHit(Text(name), command, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)
