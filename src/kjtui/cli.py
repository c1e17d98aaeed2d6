"""`kjtui`: the command line. With no subcommand it opens the browser.

Exit codes: 0 ok, 1 data error (a file or store cannot be used), 2 usage error.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Iterator, Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any

from . import __version__
from .model import DOCUMENT_KINDS, Event, Metric, ParsedDocument, Section
from .sanitize import clean, clean_line, clean_row, clean_value, json_may_be_unsafe

DOCUMENT_FIELDS = ("id", "title", "year", "kind", "doc_number", "date", "addressee", "publisher", "source", "meta", "notes")
SECTION_FIELDS = ("id", "document", "parent", "level", "number", "title", "line", "start", "end")
METRIC_FIELDS = ("id", "document", "section", "label", "value", "raw", "unit", "base_unit", "multiplier",
                 "normalized", "qualifier", "period", "line", "year", "context")
EVENT_FIELDS = ("id", "document", "section", "year", "month", "day", "end", "title", "kind", "text", "line")


class UsageError(Exception):
    pass


def _pick(record: Any, names: tuple[str, ...]) -> dict[str, Any]:
    # the one place records become JSON/CSV rows: document text leaves sanitized (kjtui.sanitize),
    # whatever the store holds (getattr, not asdict: asdict deep-copies every field)
    return clean_row({k: getattr(record, k) for k in names})


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kjtui",
        description="Browse Shanghai's science-and-technology reports from the terminal. "
        "With no command, opens the browser on the store.",
    )
    p.add_argument("--version", action="version", version=f"kjtui {__version__}")
    p.add_argument("--db", type=Path, help="the store, a folder whatever its name (default: the user data dir, or $KJTUI_DB)")
    p.add_argument("--theme", help="colour theme for the browser (e.g. kjtui-paper, kjtui-ink)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("parse", help="parse one file and print its structure (touches no store)")
    s.add_argument("file", type=Path)
    s.add_argument("--year", type=int, help="the year the figures describe")
    s.add_argument("--kind", choices=DOCUMENT_KINDS)
    s.add_argument("--format", choices=("json", "text"), default="text")

    s = sub.add_parser("ingest", help="add files to the store (default: the shipped corpus)")
    s.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="text files or folders")
    s.add_argument("--manifest", type=Path, help="a manifest.yaml listing files with year/kind/title")
    s.add_argument("--year", type=int, help="year for files the manifest does not date")
    s.add_argument("--rebuild", action="store_true", help="start a new store (the old file is kept aside)")
    s.add_argument("--allow-outside", action="store_true",
                   help="let a manifest name files outside its own folder (after resolving symlinks)")
    s.add_argument("--jobs", type=int, metavar="N", help="parse N files at once (default: the number of cores)")
    s.add_argument("--wait", type=float, default=60.0, metavar="SECONDS",
                   help="how long to wait for another ingest to finish (default 60)")

    s = sub.add_parser("remove", help="remove documents from the store (ids from `kjtui documents`)")
    s.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    s.add_argument("--wait", type=float, default=60.0, metavar="SECONDS",
                   help="how long to wait for another ingest to finish (default 60)")

    s = sub.add_parser("documents", help="list the documents in the store")
    s.add_argument("--year", type=int)
    s.add_argument("--format", choices=("table", "json"), default="table")

    s = sub.add_parser("sections", help="list sections")
    s.add_argument("--year", type=int)
    s.add_argument("--format", choices=("table", "json"), default="table")

    s = sub.add_parser("metrics", help="list metrics")
    s.add_argument("--year", type=int)
    s.add_argument("--section", metavar="ID", help="a section (and all below it) or a document id")
    s.add_argument("--grep", metavar="TEXT", help="keep metrics whose label or sentence contains TEXT")
    s.add_argument("--format", choices=("table", "csv", "json"), default="table")

    s = sub.add_parser("timeline", help="list dated events and policy releases")
    s.add_argument("--year", type=int)
    s.add_argument("--policies", action="store_true", help="policy releases only")
    s.add_argument("--format", choices=("table", "csv", "json"), default="table")

    s = sub.add_parser("export", help="write a section and its subsections as Markdown")
    s.add_argument("section", metavar="SECTION_ID", help="a section id, or a heading number such as 7.1")
    s.add_argument("--year", type=int, help="pick among sections with the same number")
    s.add_argument("-o", "--output", type=Path, help="file to write (default: <year>-<number>.md)")
    s.add_argument("--force", action="store_true", help="overwrite an existing file")

    s = sub.add_parser("bookmarks", help="list the bookmarks made in the browser (b on a section or metric)")
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.set_defaults(run=cmd_bookmarks)

    from .cli_answers import add_parsers  # search, series, conflicts, compare (kjtui.answers)

    add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _usable_streams()
    try:
        code = _run(args)
        sys.stdout.flush()  # a reader that went away shows here, not at interpreter exit
        return code
    except _user_errors() as exc:  # evaluated only when something was raised
        _say(f"kjtui: {exc}")
        return 1
    except UsageError as exc:
        _say(f"kjtui: {exc}")
        return 2
    except BrokenPipeError:
        _quiet_stdout()  # `kjtui metrics | head` is not an error
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # an unwritable HOME, a --db whose parent is a file, a full disk …
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"kjtui: {where}{exc.strerror or exc}; check the path and its permissions")
        return 1


def _say(message: str) -> None:
    """One line on stderr; a file name or document text in it cannot act on the terminal."""
    try:
        print(clean(message), file=sys.stderr)
    except (OSError, ValueError):
        pass  # stderr closed too: nothing more to say


def _usable_streams() -> None:
    """A closed stdout/stderr (`kjtui parse f >&-`) becomes /dev/null; a file name that is
    not UTF-8 prints as \\xNN instead of failing."""
    import os

    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process
        elif hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (OSError, ValueError):
                pass


def _quiet_stdout() -> None:
    """The reader of stdout is gone: point stdout at /dev/null so the interpreter's
    final flush has nowhere to fail (the recipe in Python's signal docs)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _user_errors() -> tuple[type[Exception], ...]:
    """The errors that are a user's to fix (one line, exit 1). Imported only when an error
    is raised: the headless layers load per command, so the browser starts without the
    parser (`corpus` imports it), which is a fifth of a bare Textual app's start-up."""
    from .corpus import CorpusError
    from .export import ExportError
    from .store import StoreError

    return (CorpusError, StoreError, ExportError)


def _db(args: argparse.Namespace) -> Path:
    from .locations import db_path  # as corpus.default_db_path, without importing the parser

    return args.db.expanduser() if args.db else db_path()


def _run(args: argparse.Namespace) -> int:
    if args.command is None:
        from .tui.app import run_browser

        return run_browser(_db(args), theme=args.theme)
    handler = {
        "parse": cmd_parse, "ingest": cmd_ingest, "sections": cmd_sections,
        "metrics": cmd_metrics, "timeline": cmd_timeline, "export": cmd_export,
        "remove": cmd_remove, "documents": cmd_documents,
    }.get(args.command) or args.run  # commands added by other modules set `run`
    return handler(args)


def _parsed_rows(parsed: ParsedDocument) -> dict[str, Any]:
    # not cleaned here: `parse` writes these rows as JSON bytes and examines the bytes once
    # (_safe_json), which is much cheaper than a search per record of a big file
    def rows(records: list[Any], names: tuple[str, ...]) -> list[dict[str, Any]]:
        get = attrgetter(*names)
        return [dict(zip(names, get(r))) for r in records]

    return {
        "document": {k: getattr(parsed.document, k) for k in DOCUMENT_FIELDS},
        "sections": rows(parsed.sections, SECTION_FIELDS),
        "metrics": rows(parsed.metrics, METRIC_FIELDS),
        "events": rows(parsed.events, (*EVENT_FIELDS, "also")),  # also: lines restating it
    }


def _print_json(data: Any) -> None:
    import orjson

    sys.stdout.flush()
    sys.stdout.buffer.write(orjson.dumps(data) + b"\n")


def _safe_json(js: bytes) -> bytes:
    if not json_may_be_unsafe(js):
        return js
    import orjson

    return orjson.dumps(clean_row(orjson.loads(js)))


def _stream_json(items: Iterator[bytes]) -> int:
    """A JSON array written as it is read: one compact object per line, memory flat."""
    out = sys.stdout.buffer
    sys.stdout.flush()
    buf: list[bytes] = []
    size = 0
    sep = b"[\n"
    count = 0
    for js in items:
        buf.append(sep)
        buf.append(_safe_json(js))
        sep = b",\n"
        size += len(js)
        count += 1
        if size > (64 << 10):  # small writes of the pieces: no big joined buffer to fragment the heap
            out.writelines(buf)
            buf.clear()
            size = 0
    buf.append(b"[]\n" if count == 0 else b"\n]\n")
    out.writelines(buf)
    out.flush()
    return count


def _stream_csv(items: Iterator[bytes], fields: tuple[str, ...]) -> int:
    import orjson

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(fields)
    count = 0
    for js in items:
        row = clean_row(orjson.loads(js))
        writer.writerow(["" if row.get(f) is None else row.get(f) for f in fields])
        count += 1
    return count


def cmd_parse(args: argparse.Namespace) -> int:
    import gc

    from . import corpus

    gc.disable()  # a short-lived process building ~10 records per line of input: no cycles to find

    from .forked import both

    # no bodies shown; a long text's metrics found in two halves at once (on two cores)
    parsed = corpus.parse_entry(corpus.Entry(args.file, args.year, args.kind), layout=False, both=both)
    for note in parsed.document.notes:
        _say(f"kjtui: {args.file}: note: {note}")
    for warning in parsed.warnings:
        if warning.startswith("no --year given"):
            continue  # parse files nothing and its output shows the year: that warning is for ingest
        _say(f"kjtui: {args.file}: warning: {warning}")
    if args.format == "json":
        import orjson

        rows = _parsed_rows(parsed)
        # the text was sanitized as it was read (corpus.read_document_text) and everything but
        # the document record (a file name, decoding notes) comes from it: only that is cleaned
        rows["document"] = clean_value(rows["document"])
        sys.stdout.flush()
        sys.stdout.buffer.write(orjson.dumps(rows) + b"\n")
        return 0
    _print_parsed_text(parsed)
    return 0


def _print_parsed_text(parsed: ParsedDocument) -> None:
    """`parse --format text`: plain aligned columns written in one go (a Rich table of
    thousands of rows renders at well under 1 MB/s). Document text leaves sanitized."""
    from rich.cells import cell_len

    from . import formatting

    def width(cell: str) -> int:
        return len(cell) if cell.isascii() else cell_len(cell)

    def table(head: tuple[str, ...], rows: Sequence[tuple[str, ...]], least: int, most: int) -> list[str]:
        # each cell measured once (widths from the same lengths); the last column is not padded
        cols = range(len(head) - 1)
        lens = [[width(row[k]) for k in cols] for row in rows]
        widths = [max(least, min(most, max((n[k] for n in lens), default=0))) for k in cols]
        lines = ["  ".join(h + " " * max(0, widths[k] - cell_len(h)) for k, h in enumerate(head[:-1]))
                 + "  " + head[-1]]
        lines.extend(
            "  ".join(row[k] + " " * max(0, widths[k] - n[k]) for k in cols) + "  " + row[-1]
            for row, n in zip(rows, lens)
        )
        return lines

    d = parsed.document
    out = [f"{clean_line(d.title)}  ({d.year or '?'} · {d.kind})"]
    for key in ("doc_number", "date", "addressee", "publisher"):
        value = getattr(d, key)
        if value:
            out.append(f"  {key}: {clean_line(value)}")
    out.append(f"\nSections ({len(parsed.sections)})")
    out.extend(f"{'  ' * s.level}{clean_line(s.label)}  L{s.line}" for s in parsed.sections)
    if parsed.metrics:
        rows = [(str(m.line), clean_line(m.label), clean_line(formatting.written(m)), clean_line(m.period or ""))
                for m in parsed.metrics]
        out.append(f"\nMetrics ({len(rows)})")
        out.extend(table(("line", "label", "value", "period"), rows, 0, 40))
    if parsed.events:
        rows = [(str(e.year or ""), clean_line(formatting.event_date(e)), e.kind, clean_line(e.title)) for e in parsed.events]
        out.append(f"\nEvents ({len(rows)})")
        out.extend(table(("year", "date", "kind", "title"), rows, 4, 10**6))
    out.append("")
    sys.stdout.write("\n".join(out))


def cmd_ingest(args: argparse.Namespace) -> int:
    from . import corpus, service
    from .render import progress_bar

    db = _db(args)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs takes a number of processes, 1 or more")
    paths = _manifest_paths(args)

    def read_entries() -> list[corpus.Entry]:
        return corpus.entries_for(paths, args.manifest, allow_outside=args.allow_outside) \
            if (paths or args.manifest) else []

    def open_store() -> Any:
        if args.rebuild:
            store, aside = service.rebuild(db, wait=args.wait, notify=_say)
            if aside:
                _say(f"kjtui: kept the previous store as {aside}")
            return store
        return service.open_store(db, wait=args.wait, notify=_say)

    if _big_manifest(args.manifest, paths):
        # thousands of entries take ~0.5 s of YAML: read in a forked child while the store
        # opens (on a new store, while the shipped corpus goes in); a bad manifest is still
        # reported, once the store is open
        from .forked import both

        store, entries = both(open_store, read_entries)
    else:  # a small manifest is read first: a mistake in it is reported before the store is touched
        entries = read_entries()
        store = open_store()
    if not entries:
        count = len(store.documents())
        print(f"{db}: {count} documents (shipped corpus up to date)")
        return 0
    with progress_bar(len(entries)) as advance:
        done = service.ingest(store, entries, year=args.year, jobs=args.jobs, progress=advance,
                              wait=args.wait, notify=_say)
    for item in done:
        for note in item.notes:
            _say(f"kjtui: {item.document.source}: {note}")
    metrics = sum(item.metrics for item in done)
    events = sum(item.events for item in done)
    print(f"{db}: ingested {len(done)} documents ({metrics} metrics, {events} events)")
    return 0


BIG_MANIFEST = 256 << 10  # bytes (~1500 entries)


def _big_manifest(manifest: Path | None, paths: list[Path]) -> bool:
    candidates = [manifest] if manifest else []
    candidates += [p / "manifest.yaml" for p in paths]
    for path in candidates:
        try:
            if path.stat().st_size > BIG_MANIFEST:
                return True
        except OSError:
            continue
    return False


def _manifest_paths(args: argparse.Namespace) -> list[Path]:
    """A positional manifest.yaml (or any .yaml/.yml) is read as a manifest, not ingested as text."""
    paths = []
    for path in args.paths:
        if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
            if args.manifest is not None:
                raise UsageError(f"{path}: one manifest at a time (--manifest {args.manifest} is given too)")
            args.manifest = path
        else:
            paths.append(path)
    return paths


def cmd_remove(args: argparse.Namespace) -> int:
    from . import service

    db = _db(args)
    store = service.open_store(db, wait=args.wait, notify=_say)
    missing = [d for d in args.doc_ids if store.info(d) is None]
    if missing:
        raise UsageError(f"no document {missing[0]!r} in {db}; list them with `kjtui documents`")
    removed = service.remove(store, args.doc_ids, wait=args.wait, notify=_say)
    print(f"{db}: removed {len(removed)} document{'s' if len(removed) != 1 else ''} ({', '.join(removed)})")
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    from . import service

    store = service.open_store(_db(args))
    docs = store.documents() if args.year is None else store.documents_in(args.year)
    if args.format == "json":
        rows = []
        for d in docs:
            row = _pick(d, DOCUMENT_FIELDS)
            info = store.info(d.id) or {}
            row.update({k: info.get(k) for k in ("sections", "metrics", "events", "path")})
            rows.append(row)
        _print_json(rows)
        return 0
    from .render import console
    from rich.text import Text

    for d in docs:
        n_metrics, n_events = store.counts(d.id)
        line = Text(f"{d.id}  ", style="dim")
        line.append(f"{d.year or '—'}  ")
        line.append(d.title)
        line.append(f"  {n_metrics}项 {n_events}事", style="dim")
        console.print(line)
    return 0


def cmd_sections(args: argparse.Namespace) -> int:
    from . import readmodel, service

    store = service.open_store(_db(args))
    rows = readmodel.sections_in(store, args.year)
    if args.format == "json":
        import orjson

        _stream_json(orjson.dumps(_pick(s, SECTION_FIELDS)) for s in rows)
        return 0
    from .render import print_sections

    for batch in _batches(rows):
        print_sections(store, batch)
    return 0


def _batches(rows: Iterator[Any], size: int = 500) -> Iterator[list[Any]]:
    """Tables print a few hundred rows at a time, so memory stays flat however many there are."""
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def cmd_metrics(args: argparse.Namespace) -> int:
    from . import readmodel, service

    store = service.open_store(_db(args))
    section = args.section
    if section and not (store.document(section) or store.section(section)):
        resolved = readmodel.resolve_section(store, section, args.year)
        if resolved.section is None:
            raise UsageError(_unresolved(section, resolved.candidates))
        section = resolved.section.id
    rows = readmodel.metric_json(store, year=args.year, section=section, grep=args.grep)
    return _emit(args.format, rows, METRIC_FIELDS, "metrics")


def cmd_timeline(args: argparse.Namespace) -> int:
    from . import readmodel, service

    store = service.open_store(_db(args))
    rows = readmodel.events_json(store, year=args.year, policies=args.policies)
    return _emit(args.format, rows, EVENT_FIELDS, "timeline")


def _emit(fmt: str, rows: Iterator[bytes], fields: tuple[str, ...], kind: str) -> int:
    """Write records as they are read: JSON (an array, one object a line), CSV, or a table."""
    if fmt == "json":
        _stream_json(rows)
    elif fmt == "csv":
        _stream_csv(rows, fields)
    else:
        import orjson

        from . import render
        from .store import event_from, metric_from

        total = 0
        table = render.PlainTable(*(("year", "label", "value", "normalized", "period", "section")
                                    if kind == "metrics" else ("year", "date", "kind", "title")))
        for batch in _batches(rows):
            total += len(batch)
            if kind == "metrics":
                render.print_metrics([metric_from(orjson.loads(js)) for js in batch], count=False, table=table)
            else:
                render.print_timeline([event_from(orjson.loads(js)) for js in batch], table=table)
        if kind == "metrics":
            render.err_console.print(f"{total} metrics", style="dim")
    return 0


def _unresolved(key: str, candidates: list[Section]) -> str:
    if not candidates:
        return f"no section matches {key!r}; list them with `kjtui sections`"
    shown = ", ".join(c.id for c in candidates[:5])
    return f"{key!r} matches {len(candidates)} sections ({shown}); pass a full id or --year"


def cmd_export(args: argparse.Namespace) -> int:
    from . import export, service

    store = service.open_store(_db(args))
    resolved = service.resolve_section(store, args.section, args.year)
    if resolved.section is None:
        raise UsageError(_unresolved(args.section, resolved.candidates))
    section = resolved.section
    document = store.document(section.document)
    assert document is not None
    text = export.to_markdown(document, section, store.sections(document.id))
    target = args.output or Path(export.default_filename(document, section))
    written = export.write(target, text, force=args.force)
    print(f"wrote {written}")
    return 0


def cmd_bookmarks(args: argparse.Namespace) -> int:
    from . import bookmarks, locations

    try:
        marks = bookmarks.load()
    except bookmarks.BookmarkError as exc:
        print(f"kjtui: {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        _print_json([b.to_json() for b in marks])
        return 0
    if not marks:
        print(f"no bookmarks yet ({locations.bookmarks_path()}); press b on a section or metric in the browser")
        return 0
    from .render import print_bookmarks

    print_bookmarks(marks)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
