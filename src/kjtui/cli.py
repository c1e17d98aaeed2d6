"""`kjtui`: the command line. With no subcommand it opens the browser.

Exit codes: 0 ok, 1 data error (a file or store cannot be used), 2 usage error.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import __version__
from .model import DOCUMENT_KINDS, Event, Metric, ParsedDocument, Section
from .sanitize import clean, clean_row

DOCUMENT_FIELDS = ("id", "title", "year", "kind", "doc_number", "date", "addressee", "publisher", "source", "meta", "notes")
SECTION_FIELDS = ("id", "document", "parent", "level", "number", "title", "line", "start", "end")
METRIC_FIELDS = ("id", "document", "section", "label", "value", "raw", "unit", "base_unit", "multiplier",
                 "normalized", "qualifier", "period", "line", "year", "context")
EVENT_FIELDS = ("id", "document", "section", "year", "month", "day", "end", "title", "kind", "text", "line")


class UsageError(Exception):
    pass


def _pick(record: Any, names: tuple[str, ...]) -> dict[str, Any]:
    # the one place records become JSON/CSV rows: document text leaves sanitized (kjtui.sanitize),
    # whatever the store holds
    data = asdict(record)
    return clean_row({k: data[k] for k in names})


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kjtui",
        description="Browse Shanghai's science-and-technology reports from the terminal. "
        "With no command, opens the browser on the store.",
    )
    p.add_argument("--version", action="version", version=f"kjtui {__version__}")
    p.add_argument("--db", type=Path, help="store file (default: the user data dir, or $KJTUI_DB)")
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

    from .cli_answers import add_parsers  # search, series, conflicts, compare (kjtui.answers)

    add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # the headless layers load per command, so the browser starts without them
    from .corpus import CorpusError
    from .export import ExportError
    from .store import StoreError

    _usable_streams()
    try:
        code = _run(args)
        sys.stdout.flush()  # a reader that went away shows here, not at interpreter exit
        return code
    except (CorpusError, StoreError, ExportError) as exc:
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


def _db(args: argparse.Namespace) -> Path:
    from .corpus import default_db_path

    return args.db.expanduser() if args.db else default_db_path()


def _run(args: argparse.Namespace) -> int:
    if args.command is None:
        from .tui.app import run_browser

        return run_browser(_db(args), theme=args.theme)
    handler = {
        "parse": cmd_parse, "ingest": cmd_ingest, "sections": cmd_sections,
        "metrics": cmd_metrics, "timeline": cmd_timeline, "export": cmd_export,
    }.get(args.command) or args.run  # commands added by other modules set `run`
    return handler(args)


def parsed_to_json(parsed: ParsedDocument) -> dict[str, Any]:
    return {
        "document": _pick(parsed.document, DOCUMENT_FIELDS),
        "sections": [_pick(s, SECTION_FIELDS) for s in parsed.sections],
        "metrics": [_pick(m, METRIC_FIELDS) for m in parsed.metrics],
        "events": [_pick(e, EVENT_FIELDS) for e in parsed.events],
    }


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_parse(args: argparse.Namespace) -> int:
    from . import corpus

    parsed = corpus.parse_entry(corpus.Entry(args.file, args.year, args.kind))
    for note in parsed.document.notes:
        _say(f"kjtui: {args.file}: note: {note}")
    for warning in parsed.warnings:
        _say(f"kjtui: {args.file}: warning: {warning}")
    if args.format == "json":
        _print_json(parsed_to_json(parsed))
        return 0
    from .render import print_parsed

    print_parsed(parsed)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from . import corpus, service
    from .render import progress_bar

    db = _db(args)
    if args.rebuild:
        store, aside = service.rebuild(db)
        if aside:
            print(f"kjtui: kept the previous store as {aside}", file=sys.stderr)
    else:
        store = service.open_store(db)
    if not args.paths and not args.manifest:
        count = len(store.documents())
        print(f"{db}: {count} documents (shipped corpus up to date)")
        return 0
    entries = corpus.entries_for(args.paths, args.manifest, allow_outside=args.allow_outside)
    with progress_bar(len(entries)) as advance:
        parsed = service.ingest(store, entries, year=args.year, progress=advance)
    for p in parsed:
        for note in p.document.notes + p.warnings:
            _say(f"kjtui: {p.document.source}: {note}")
    metrics = sum(len(p.metrics) for p in parsed)
    events = sum(len(p.events) for p in parsed)
    print(f"{db}: ingested {len(parsed)} documents ({metrics} metrics, {events} events)")
    return 0


def cmd_sections(args: argparse.Namespace) -> int:
    from . import service

    store = service.open_store(_db(args))
    rows = service.sections_in(store, args.year)
    if args.format == "json":
        _print_json([_pick(s, SECTION_FIELDS) for s in rows])
        return 0
    from .render import print_sections

    print_sections(store, rows)
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    from . import service

    store = service.open_store(_db(args))
    section = args.section
    if section and not (store.section(section) or store.document(section)):
        resolved = service.resolve_section(store, section, args.year)
        if resolved.section is None:
            raise UsageError(_unresolved(section, resolved.candidates))
        section = resolved.section.id
    rows = service.metrics_in(store, year=args.year, section=section, grep=args.grep)
    return _emit(args.format, rows, METRIC_FIELDS, "metrics")


def cmd_timeline(args: argparse.Namespace) -> int:
    from . import service

    store = service.open_store(_db(args))
    rows = service.events_in(store, year=args.year, policies=args.policies)
    return _emit(args.format, rows, EVENT_FIELDS, "timeline")


def _emit(fmt: str, rows: list[Metric] | list[Event], fields: tuple[str, ...], kind: str) -> int:
    if fmt == "json":
        _print_json([_pick(r, fields) for r in rows])
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(_pick(r, fields) for r in rows)
    else:
        from . import render

        (render.print_metrics if kind == "metrics" else render.print_timeline)(rows)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
