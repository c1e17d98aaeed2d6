"""Rich output for the command line. Document text is always passed as Text,
never as markup, so `[bold]` in a report prints as `[bold]`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.console import Console
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from . import formatting
from .model import Event, Metric, ParsedDocument, Section
from .sanitize import clean, is_clean
from .store import Store



class SafeConsole(Console):
    """The choke point of the command line's Rich output: every segment of text is
    sanitized (kjtui.sanitize) on its way out, whatever record it came from, so a
    store written by hand or by an older version cannot act on the terminal. A
    reader that goes away (`kjtui metrics | head`) ends the command quietly."""

    def render(self, renderable, options=None):  # type: ignore[override]
        for segment in super().render(renderable, options):
            if segment.control is None and not is_clean(segment.text):
                segment = Segment(clean(segment.text), segment.style, segment.control)
            yield segment

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError  # main() points stdout at /dev/null and exits 0


console = SafeConsole(markup=False, highlight=False, emoji=False)
err_console = SafeConsole(stderr=True, markup=False, highlight=False)


def _table(*columns: str, **kw) -> Table:
    table = Table(show_edge=False, pad_edge=False, header_style="bold", **kw)
    for col in columns:
        table.add_column(col, overflow="fold")
    return table


def print_parsed(parsed: ParsedDocument) -> None:
    d = parsed.document
    head = Text(d.title, style="bold")
    head.append(f"  ({d.year or '?'} · {d.kind})", style="dim")
    console.print(head)
    for key in ("doc_number", "date", "addressee", "publisher"):
        value = getattr(d, key)
        if value:
            console.print(Text(f"  {key}: {value}", style="dim"))
    console.print(Text(f"\nSections ({len(parsed.sections)})", style="bold"))
    for s in parsed.sections:
        line = Text("  " * s.level)
        line.append(s.label)
        line.append(f"  L{s.line}", style="dim")
        console.print(line)
    if parsed.metrics:
        table = _table("line", "label", "value", "period")
        for m in parsed.metrics:
            table.add_row(str(m.line), Text(m.label), Text(formatting.written(m)), Text(m.period or ""))
        console.print(Text(f"\nMetrics ({len(parsed.metrics)})", style="bold"))
        console.print(table)
    if parsed.events:
        console.print(Text(f"\nEvents ({len(parsed.events)})", style="bold"))
        print_timeline(parsed.events)


def print_sections(store: Store, rows: list[Section]) -> None:
    docs = {d.id: d for d in store.documents()}
    table = _table("id", "year", "section", "line")
    for s in rows:
        doc = docs.get(s.document)
        table.add_row(Text(s.id, style="dim"), str(doc.year if doc else ""), Text("  " * (s.level - 1) + s.label), str(s.line))
    console.print(table)


def print_metrics(rows: list[Metric], *, count: bool = True) -> None:
    table = _table("year", "label", "value", "normalized", "qualifier", "period", "section")
    for m in rows:
        table.add_row(
            str(m.year or ""), Text(m.label), Text(formatting.written(m)), Text(formatting.normalized(m)),
            Text(m.qualifier or ""), Text(m.period or ""), Text(m.section, style="dim"),
        )
    console.print(table)
    if count:  # the command line streams batches and says the total itself
        err_console.print(Text(f"{len(rows)} metrics", style="dim"))


def print_timeline(rows: list[Event]) -> None:
    table = _table("year", "date", "kind", "title")
    for e in rows:
        table.add_row(str(e.year or ""), Text(formatting.event_date(e)), Text(e.kind), Text(e.title))
    console.print(table)


def print_bookmarks(rows) -> None:  # list[bookmarks.Bookmark]
    table = _table("kind", "year", "bookmark", "document", "section id")
    for b in rows:
        table.add_row(b.kind, str(b.year or ""), Text(b.title or b.anchor), Text(b.document), Text(b.section))
    console.print(table)


@contextlib.contextmanager
def progress_bar(total: int) -> Iterator:
    """A progress bar on stderr for many files; silent for a few or when piped."""
    if total < 3 or not err_console.is_terminal:
        yield lambda done, total, name: None
        return
    from rich.progress import Progress

    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task("parsing", total=total)

        def advance(done: int, total: int, name: str) -> None:
            progress.update(task, completed=done, description=f"parsing {name}"[:40])

        yield advance
