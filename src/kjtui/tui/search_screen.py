"""`/`: full-text search over every document, results as you type.

The index (answers.search) is built in a worker the first time `/` is pressed,
never at start-up; each query runs in a worker too, and a stale answer (the user
typed on) is dropped. `Enter` opens the reader at the match, highlighted; `n`/`N`
(here and after closing) step through the matches across sections."""

from __future__ import annotations

import time
import weakref
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input

from .messages import OpenSource
from .textline import TextLine
from .vtable import TableColumn, VirtualTable

if TYPE_CHECKING:
    from ..answers.search import Hit, Results, SearchIndex

KEEP = 1000  # result rows made per query (the status line counts them all)
SCREENFUL = 30  # hits whose sentences are worked out before showing them (a screenful)
LEAD = 12  # characters of a sentence shown before its first match
MATCH_STYLE = "bold reverse"

_indexes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # catalog → SearchIndex
_screens: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # app → its SearchScreen


def index_for(catalog: Any, progress: Any = None) -> SearchIndex:
    """The catalog's search index, built on first use (call it from a worker)."""
    index = _indexes.get(catalog)
    if index is None:
        from ..answers.index_file import open_index
        from ..answers.source import from_catalog

        index = _indexes[catalog] = open_index(from_catalog(catalog), progress)
    return index


def highlighted(text: str, spans: list[tuple[int, int]]) -> Text:
    out = Text(text)  # document text: never markup
    for s, e in spans:
        out.stylize(MATCH_STYLE, s, e)
    return out


class SearchScreen(Screen):
    DEFAULT_CSS = """
    SearchScreen {
        background: $background;
    }
    #search-box {
        height: 3;
    }
    #search-status {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    #search-results {
        height: 1fr;
    }
    #search-help {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape,q", "close", "关闭", tooltip="Close search", id="search.close"),  # q in the box is a letter
        Binding("down", "focus_results", "结果", show=False, tooltip="Go to the results", id="search.results"),
        Binding("n", "step(1)", "下一处", tooltip="Next match", id="search.next"),
        Binding("N", "step(-1)", "上一处", tooltip="Previous match", id="search.prev"),
    ]

    def __init__(self, catalog: Any) -> None:
        super().__init__()
        self.catalog = catalog
        self.results: Results | None = None
        self.rows: list[tuple[str, Any]] = []  # ("doc", Document) or ("hit", Hit)
        self.position: tuple[int, int] | None = None  # (hit number, match number) last opened
        self.query_text = ""
        self.elapsed_ms = 0.0
        self._busy = False  # a query is running in the worker

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(placeholder="搜索 Search: 履约贷 · 空格分隔的词须同在一节 all terms in one section",
                        id="search-box")
            yield TextLine(Text("输入即搜索 · type to search", style="dim"), id="search-status")
            yield VirtualTable([TableColumn("where", "位置 Where", 26, min_width=12),
                                TableColumn("text", "原文 Text", None)],
                               id="search-results", zebra=False, empty="没有结果 · No matches")
            yield TextLine(Text("Enter 打开 open · n/N 下一处/上一处 next/previous · ↓ 结果 results · Esc 关闭 close",
                                style="dim"), id="search-help")

    def on_mount(self) -> None:
        self.query_one("#search-box", Input).focus()
        if self.catalog not in _indexes:
            self.query_one("#search-status", TextLine).update(Text("正在建立索引… indexing", style="dim"))
            self._start("")

    def on_screen_resume(self) -> None:
        self.query_one("#search-box", Input).focus()

    # -- querying ---------------------------------------------------------------
    # The debounce: at most one query runs at a time. Until the index is ready, queries
    # wait for it in a worker; a key pressed while one runs only notes the new text, and
    # when the running one ends the latest text runs (a burst of keys costs one query
    # more, not one per key); results for text the user has since changed are never shown.
    # Once the index is there a query takes a few ms (tens on a 5000-document store), so
    # it runs on the spot: a worker's thread and its hand-back would add to every key.
    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self._busy:
            return
        index = _indexes.get(self.catalog)
        if index is None:
            self._start(self.query_text)
            return
        started = time.thread_time()
        results = self._search(index, self.query_text)
        self._show(results, (time.thread_time() - started) * 1000)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the box opens the first match when the results are those of its text;
        otherwise (still searching) it moves to the results, where Enter opens one."""
        if self.results is not None and self.results.query == self.query_text and self._hits():
            self.dismiss_to_reader(lambda: self.open_match(0, 0))
            return
        if not self._busy and (self.results is None or self.results.query != self.query_text):
            self._start(self.query_text)
        self.action_focus_results()

    def _start(self, query: str) -> None:
        self._busy = True
        self._run(query)

    @staticmethod
    def _search(index: SearchIndex, query: str) -> Results | None:
        results = index.search(query, keep=KEEP) if query.strip() else None
        if results is not None:
            for hit in results.hits[:SCREENFUL]:
                hit.matches  # the sentences of the first screen, before drawing
        return results

    @work(thread=True, exclusive=True, group="search")
    def _run(self, query: str) -> None:
        from ..corpus import CorpusError
        from ..store import StoreError

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self.query_one("#search-status", TextLine).update,
                                      Text(f"正在建立索引 indexing… {done}/{total} 篇 documents", style="dim"))

        try:
            index = index_for(self.catalog, progress)
        except (StoreError, CorpusError, OSError) as exc:  # the store changed or broke under us
            self.app.call_from_thread(self._failed, str(exc))
            return
        started = time.thread_time()  # the query's own CPU time, whatever else the machine runs
        results = self._search(index, query)
        self.app.call_from_thread(self._done, query, results, (time.thread_time() - started) * 1000)

    def _failed(self, message: str) -> None:
        self._busy = False
        self.query_one("#search-status", TextLine).update(Text(f"无法建立索引 · cannot index: {message}", style="bold red"))

    def _done(self, query: str, results: Results | None, elapsed_ms: float) -> None:
        self._busy = False
        if query != self.query_text:
            self._start(self.query_text)  # typed on meanwhile: the latest text, now
            return
        self._show(results, elapsed_ms)

    def _show(self, results: Results | None, elapsed_ms: float) -> None:
        self.results = results
        self.elapsed_ms = elapsed_ms
        self.position = None
        rows: list[tuple[str, Any]] = []
        status = self.query_one("#search-status", TextLine)
        if results is None:
            status.update(Text("输入即搜索 · type to search", style="dim"))
        else:
            last = None
            for hit in results.hits:
                if hit.document.id != last:
                    last = hit.document.id
                    rows.append(("doc", hit.document))
                rows.append(("hit", hit))
            more = " · 结果过多，请输入更多字 too many, type more" if results.truncated else ""
            shown = f" (前 first {len(results.hits)})" if len(results.hits) < results.sections else ""
            status.update(Text(f"{results.sections} 节 sections{shown} · {results.documents} 篇 documents · "
                               f"{elapsed_ms:.0f} ms{more}"))
        self.rows = rows
        table = self.query_one(VirtualTable)
        table.set_rows(rows, self._cells, cursor=1 if len(rows) > 1 else 0)

    def _cells(self, row: tuple[str, Any]) -> list[Text]:
        kind, item = row
        if kind == "doc":
            return [Text(f"{item.year or ''}年", style="bold"), Text(item.title, style="bold")]
        hit: Hit = item
        matches = hit.matches
        if not matches:
            return [Text(hit.path, style="dim"), Text("")]
        first = matches[0]
        text = highlighted(first.text, first.spans)
        lead = first.spans[0][0] - LEAD
        if lead > 0:  # keep the match in sight in a narrow column: cut the sentence's start
            text = Text("…").append_text(text[lead + 1:])
        if len(matches) > 1:
            text.append(f"  +{len(matches) - 1}", style="dim")
        return [Text(hit.path.rsplit(" › ", 1)[-1], style="dim"), text]

    # -- opening ----------------------------------------------------------------
    def _hits(self) -> list[Hit]:
        return self.results.hits if self.results else []

    def open_match(self, hit_no: int, match_no: int) -> bool:
        hits = self._hits()
        if not (0 <= hit_no < len(hits)):
            return False
        hit = hits[hit_no]
        matches = hit.matches
        if not matches:
            return False
        match_no = max(0, min(match_no, len(matches) - 1))
        match = matches[match_no]
        self.position = (hit_no, match_no)
        self.app.post_message(OpenSource(hit.section.id, match.line, match.needle))
        return True

    def step(self, step: int) -> bool:
        """Open the next (or previous) match after the one opened last, across sections."""
        hits = self._hits()
        if not hits:
            return False
        if self.position is None:
            return self.open_match(0 if step > 0 else len(hits) - 1, 0 if step > 0 else 10**9)
        h, m = self.position
        m += step
        if m < 0:
            h -= 1
            if h < 0:
                return False
            m = len(hits[h].matches) - 1
        elif m >= len(hits[h].matches):
            h, m = h + 1, 0
            if h >= len(hits):
                return False
        return self.open_match(h, m)

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        kind, item = event.row
        hits = self._hits()
        if kind == "doc":
            number = next((k for k, h in enumerate(hits) if h.document.id == item.id), None)
        else:
            number = hits.index(item)
        if number is not None:
            self.dismiss_to_reader(lambda: self.open_match(number, 0))

    def dismiss_to_reader(self, opener) -> None:
        if self.app.screen is self:
            self.app.pop_screen()
        opener()

    # -- actions ----------------------------------------------------------------
    def action_close(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()

    def action_focus_results(self) -> None:
        self.query_one(VirtualTable).focus()

    def action_step(self, step: int) -> None:
        if isinstance(self.focused, Input):
            return
        if not self.step(step):
            self.app.bell()
        else:
            self.action_close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step" and isinstance(self.focused, Input):
            return False  # typing n in the box is a letter, not a jump
        return True


def open_search(app: Any) -> None:
    """`/` from anywhere: the search screen (kept between openings, with its results)."""
    catalog = getattr(app, "catalog", None)
    if catalog is None:
        app.notify("正在载入… The store is still loading.", severity="warning")
        return
    screen = _screens.get(app)
    if screen is None or screen.catalog is not catalog:
        screen = _screens[app] = SearchScreen(catalog)
    if app.screen is not screen:
        app.push_screen(screen)
    else:
        screen.query_one("#search-box", Input).focus()  # `/` in the results: back to the query


def step_match(app: Any, step: int) -> None:
    """`n`/`N` in the browser: the next/previous match of the last search."""
    screen = _screens.get(app)
    if screen is None or not screen.step(step):
        app.bell()
