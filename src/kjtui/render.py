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


WHOLE = {"year", "value", "normalized", "qualifier", "line", "date", "kind"}  # never cut: numbers, dates


def _table(*columns: str, **kw) -> Table:
    """A table that fits the terminal: text columns (labels, titles, ids) end in … when
    there is no room, one line per row; numbers and dates are never cut. The full text
    is in --format csv|json."""
    table = Table(show_edge=False, pad_edge=False, header_style="bold", **kw)
    for col in columns:
        if col in WHOLE:
            table.add_column(col, no_wrap=True, overflow="ignore")
        else:
            table.add_column(col, no_wrap=True, overflow="ellipsis")
    return table


def _fit(table: Table, width: int | None = None) -> Table:
    """Never-cut columns get the width of their widest cell; the text columns share what
    is left of the terminal in proportion to their content (each at least a few cells)."""
    from rich.cells import cell_len

    width = width or console.width
    needed = []
    for column in table.columns:
        cells = [cell_len(c.plain if isinstance(c, Text) else str(c)) for c in column.cells]
        needed.append(max([cell_len(str(column.header)), *cells]))
    separators = 3 * (len(table.columns) - 1)
    whole = sum(n for n, c in zip(needed, table.columns) if c.header in WHOLE)
    text = [k for k, c in enumerate(table.columns) if c.header not in WHOLE]
    room = width - separators - whole
    wanted = sum(needed[k] for k in text)
    for k, column in enumerate(table.columns):
        if column.header in WHOLE:
            column.width = needed[k]
    if wanted <= room or not text:
        return table
    # water-filling: a column that needs less than its share gets what it needs, the
    # rest is shared again; labels and titles count double
    weight = {k: 2 if table.columns[k].header in ("label", "title", "section") and
              table.columns[k].header != "section" else 1 for k in text}
    pending, left = sorted(text, key=lambda k: needed[k] / weight[k]), max(room, 0)
    while pending:
        total = sum(weight[k] for k in pending)
        k = pending[0]
        share = left * weight[k] // total
        if needed[k] <= share:
            table.columns[k].width = needed[k]
            left -= needed[k]
            pending.pop(0)
            continue
        for k in pending:
            table.columns[k].width = max(6, left * weight[k] // total)
        break
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
        console.print(_fit(table))
    if parsed.events:
        console.print(Text(f"\nEvents ({len(parsed.events)})", style="bold"))
        print_timeline(parsed.events)


def print_sections(store: Store, rows: list[Section]) -> None:
    docs = {d.id: d for d in store.documents()}
    table = _table("id", "year", "section", "line")
    for s in rows:
        doc = docs.get(s.document)
        table.add_row(Text(s.id, style="dim"), str(doc.year if doc else ""), Text("  " * (s.level - 1) + s.label), str(s.line))
    console.print(_fit(table))


class PlainTable:
    """Rows written as plain aligned lines, in batches, under one header: the look of the
    Rich tables above (same widths, … where text is cut, numbers and dates never cut) at a
    small fraction of the cost — a Rich table lays out every cell (~0.35 ms a row; 11 000
    grep hits took 4 s). Later batches keep the first batch's columns, widening a never-cut
    one when a value needs it. Every line is sanitized on its way out."""

    def __init__(self, *columns: str) -> None:
        self.columns = columns
        self.widths: list[int] | None = None

    def write(self, rows: list[tuple[str, ...]]) -> None:
        from rich.cells import cell_len, set_cell_size

        if not rows:
            return
        if self.widths is None:
            table = _table(*self.columns)
            for row in rows:
                table.add_row(*row)
            _fit(table)
            self.widths = [c.width if c.width is not None else
                           max([cell_len(str(c.header)), *(cell_len(r[k]) for r in rows)])
                           for k, c in enumerate(table.columns)]
            head = " ┃ ".join(set_cell_size(h, w) for h, w in zip(self.columns, self.widths))
            console.print(Text(head.rstrip(), style="bold"), soft_wrap=True)
            console.print("━╇━".join("━" * w for w in self.widths), soft_wrap=True)
        widths = self.widths
        for k, name in enumerate(self.columns):
            if name in WHOLE:
                widths[k] = max(widths[k], max(cell_len(r[k]) for r in rows))

        def cell(text: str, width: int) -> str:
            if cell_len(text) > width:
                return set_cell_size(text, width - 1) + "…" if width > 1 else "…"
            return set_cell_size(text, width)

        out = "\n".join(" │ ".join(cell(t, w) for t, w in zip(row, widths)).rstrip() for row in rows)
        # the batch written as it is, sanitized here: Rich's layout of each cell, then of each
        # line (a Text split into lines and stripped of controls), is what cost
        console.file.write(clean(out) + "\n")


def print_metrics(rows: list[Metric], *, count: bool = True, table: PlainTable | None = None) -> None:
    # the qualifier is part of the value as written (超190亿元); csv/json have it apart
    table = table or PlainTable("year", "label", "value", "normalized", "period", "section")
    table.write([
        (str(m.year or ""), m.label, formatting.written(m), formatting.normalized(m), m.period or "", m.section)
        for m in rows
    ])
    if count:  # the command line streams batches and says the total itself
        err_console.print(Text(f"{len(rows)} metrics", style="dim"))


def print_timeline(rows: list[Event], table: PlainTable | None = None) -> None:
    table = table or PlainTable("year", "date", "kind", "title")
    table.write([(str(e.year or ""), formatting.event_date(e), e.kind, e.title) for e in rows])


def print_bookmarks(rows) -> None:  # list[bookmarks.Bookmark]
    table = _table("kind", "year", "bookmark", "document", "section id")
    for b in rows:
        table.add_row(b.kind, str(b.year or ""), Text(b.title or b.anchor), Text(b.document), Text(b.section))
    console.print(_fit(table))


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
