"""The reader: a node's clean text under a breadcrumb, one widget per block so
a jump can scroll to (and highlight) the sentence it came from."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from .catalog import Catalog, NodeRef

HIGHLIGHT = "reverse"


def styled(text: str, highlight: str | None = None) -> Text:
    """Markdown-ish `**bold**` → a Rich Text; never parsed as markup."""
    parts = text.split("**")
    if len(parts) % 2 == 0:  # unbalanced: show the marks as they are
        parts = [text]
    out = Text()
    for k, part in enumerate(parts):
        out.append(part, style="bold" if k % 2 else "")
    if highlight:
        span = find_loose(out.plain, highlight)
        if span is None:
            out.stylize(HIGHLIGHT)
        else:
            out.stylize(HIGHLIGHT, *span)
    return out


# folding lives with the other text fitting, shared with the metrics detail panel
from .textfit import LONGEST_UNBROKEN, NO_LINE_END, NO_LINE_START, fold  # noqa: E402,F401


class Block(Static):
    """One paragraph, item or heading of the reader, folded to the pane's width."""

    def __init__(self, text: Text, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = text

    def render(self) -> Text:
        return fold(self.text, self.content_region.width or self.size.width)


def find_loose(text: str, needle: str) -> tuple[int, int] | None:
    """Where `needle` stands in `text`, ignoring white space (the reader and the
    parser space numbers differently)."""
    keep = [k for k, ch in enumerate(text) if not ch.isspace()]
    squeezed = "".join(text[k] for k in keep)
    target = "".join(needle.split())
    at = squeezed.find(target) if target else -1
    if at == -1:
        return None
    return keep[at], keep[at + len(target) - 1] + 1


class ReaderBody(VerticalScroll, can_focus=True):
    BINDINGS = [
        Binding("j,down", "scroll_down", "下移", show=False, tooltip="Down", id="reader.down"),
        Binding("k,up", "scroll_up", "上移", show=False, tooltip="Up", id="reader.up"),
        Binding("g,home", "scroll_home", "顶部", show=False, tooltip="Top", id="reader.top"),
        Binding("G,end", "scroll_end", "底部", show=False, tooltip="Bottom", id="reader.bottom"),
        Binding("space,pagedown", "page_down", "下一页", show=True, tooltip="Page down", id="reader.page_down"),
        Binding("pageup", "page_up", "上一页", show=False, tooltip="Page up", id="reader.page_up"),  # b: bookmark
    ]

    def _at_edge(self, down: bool) -> bool:
        """At the end (or top) already: say so, since moving would show nothing."""
        if (self.scroll_y >= self.max_scroll_y) if down else (self.scroll_y <= 0):
            from .messages import Status

            self.post_message(Status("已到本节末尾 · End of the text: ] 下一节 next section" if down
                                     else "已在开头 · Top of the text: [ 上一节 previous section"))
            return True
        return False

    def action_scroll_down(self) -> None:
        if not self._at_edge(True):
            super().action_scroll_down()

    def action_scroll_up(self) -> None:
        if not self._at_edge(False):
            super().action_scroll_up()

    def action_page_down(self) -> None:
        if not self._at_edge(True):
            super().action_page_down()


class Reader(Vertical):
    DEFAULT_CSS = """
    Reader {
        height: 1fr;
    }

    #breadcrumb {
        height: auto;
        max-height: 3;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }

    ReaderBody {
        height: 1fr;
        padding: 0 2 1 1;
        scrollbar-size-vertical: 1;
    }

    ReaderBody {
        border-left: outer $surface;
    }

    ReaderBody:focus {
        background: $background;
        border-left: outer $accent;
    }

    ReaderBody > Static {
        width: 1fr;
        max-width: 84;  /* a comfortable measure: about 40 Chinese characters a line */
        height: auto;
    }

    ReaderBody > .heading {
        margin-top: 1;
        text-style: bold;
        color: $primary;
    }

    ReaderBody > .h1 {
        color: $accent;
        text-style: bold underline;
    }

    ReaderBody > .h3, ReaderBody > .h4 {
        color: $secondary;
    }

    ReaderBody > .para {
        margin-top: 1;
    }

    ReaderBody > .item {
        padding-left: 2;
    }

    ReaderBody > .month {
        margin-top: 1;
        color: $accent;
        text-style: bold;
    }

    ReaderBody > .card {
        margin-top: 1;
        padding: 0 1;
        border: round $panel;
    }

    ReaderBody > .-hit {
        background: $warning 20%;
        border-left: thick $warning;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalog: Catalog | None = None
        self.showing: NodeRef | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("选择左侧的章节开始阅读 · Select a section on the left", style="dim"), id="breadcrumb")
        yield ReaderBody(id="reader-body")

    def show(self, node: NodeRef, *, line: int | None = None, sentence: str | None = None) -> None:
        if self.catalog is None:
            return
        self.showing = node
        crumb = Text(" › ".join(self.catalog.breadcrumb(node)))
        self.query_one("#breadcrumb", Static).update(crumb)
        body = self.query_one(ReaderBody)
        with self.app.batch_update():
            body.remove_children()
            widgets, target = self._widgets(node, line, sentence)
            body.mount_all(widgets)
        if target is not None:
            self.call_after_refresh(body.scroll_to_widget, target, animate=False, top=True)
        else:
            body.scroll_home(animate=False)

    def _widgets(self, node: NodeRef, line: int | None, sentence: str | None) -> tuple[list[Static], Static | None]:  # noqa: E501
        catalog = self.catalog
        assert catalog is not None
        widgets: list[Static] = []
        if node.kind == "year":
            # one widget for the whole list: a year may hold hundreds of documents
            year = int(node.key) if node.key.isdigit() else None
            listing = Text()
            for listed in catalog.documents_in(year):
                listing.append(listed.title, style="bold")
                listing.append(f"\n{'答复' if listed.kind == 'reply' else '报告'} · {catalog.metric_total[listed.id]} 项指标 · "
                               f"{catalog.event_total[listed.id]} 个事件 · {listed.source}\n\n", style="dim")
            listing.append("j/k 移动 · Enter 打开 · 2 本年全部指标 · 3 时间线 · ? 帮助\n"
                           "j/k move · Enter open · 2 all metrics of the year · 3 timeline · ? help", style="dim italic")
            widgets.append(Block(listing, classes="para"))
            return widgets, None
        doc = catalog.document_of(node)
        if node.kind == "document" and doc is not None:
            card = document_card(doc, catalog.metric_total[doc.id], catalog.event_total[doc.id])
            widgets.append(Block(card, classes="card"))
        sections = catalog.sections_for(node)
        if not sections:
            return widgets, None
        from .blocks import (
            section_blocks,  # the text layer loads with the first section shown
        )

        blocks = section_blocks(sections, sections[0].level)
        target = None
        for block in blocks:
            hit = line is not None and block.first <= line <= block.last and block.kind != "heading"
            shown = block.text
            if block.kind == "item":
                shown = "• " + shown
            elif block.kind == "row":
                shown = shown.replace("\t", " │ ")
            widget = Block(styled(shown, sentence if hit else None), classes=_classes(block, hit))
            if hit and target is None:
                target = widget
            widgets.append(widget)
        return widgets, target



def document_card(doc, metrics: int, events: int) -> Text:
    """A document's card: title, what it holds, its facts. From the catalog alone, so
    the first frame can show it before the document's text is read."""
    card = Text(doc.title, style="bold")
    kind = "答复" if doc.kind == "reply" else "报告"
    card.append(f"\n{kind} · {metrics} 项指标 · {events} 个事件", style="dim")
    facts = [("年份", str(doc.year or "")), ("文号", doc.doc_number or ""), ("日期", doc.date or ""),
             ("收件人", doc.addressee or ""), ("发文机关", doc.publisher or ""), ("来源", doc.source)]
    facts += list(doc.meta.items())
    for key, value in facts:
        if value:
            card.append(f"\n{key}：", style="dim")
            card.append(str(value))
    return card


def _classes(block, hit: bool) -> str:
    names = [block.kind]
    if block.kind == "heading":
        names.append(f"h{min(block.level, 4)}")
    if hit:
        names.append("-hit")
    return " ".join(names)
