"""`kjtui search`, `series`, `conflicts`, `compare`: answers across documents.
Registered by cli.py; the core lives in kjtui.answers and loads per command."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

SEARCH_LEAD = 12  # characters of a sentence shown before its first match
SERIES_FIELDS = ("year", "label", "value", "unit", "normalized", "base_unit", "qualifier", "period",
                 "change_pct", "chosen", "conflict", "score", "document", "title", "section",
                 "section_title", "line", "context", "metric")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("search", help="full-text search over every document (Chinese substrings)")
    s.add_argument("text", nargs="+", metavar="TEXT", help="one or more terms; all must occur in one section")
    s.add_argument("--year", type=int)
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.set_defaults(run=cmd_search)

    s = sub.add_parser("series", help="one measure across years and documents")
    s.add_argument("label", metavar="LABEL", help="the measure's label, e.g. 发明专利授权量")
    s.add_argument("--unit", metavar="U", help="keep this unit (万件 and 件 are the same base unit)")
    s.add_argument("--format", choices=("table", "csv", "json"), default="table")
    s.set_defaults(run=cmd_series)

    s = sub.add_parser("conflicts", help="the same measure and year given different values by two documents")
    s.add_argument("--year", type=int)
    s.add_argument("--format", choices=("table", "csv", "json"), default="table")
    s.set_defaults(run=cmd_conflicts)

    s = sub.add_parser("compare", help="the measures of two years side by side")
    s.add_argument("year_a", type=int, metavar="Y1")
    s.add_argument("year_b", type=int, metavar="Y2")
    s.add_argument("--format", choices=("table", "csv", "json"), default="table")
    s.set_defaults(run=cmd_compare)


def _usage(message: str) -> Exception:
    from .cli import UsageError

    return UsageError(message)


def _source(args: argparse.Namespace):
    from . import service
    from .answers.source import from_store
    from .cli import _db

    return from_store(service.open_store(_db(args)))


def _clean(data: Any) -> Any:
    """Document text is untrusted: escape sequences and controls go (kjtui.sanitize)."""
    from .sanitize import clean

    if isinstance(data, dict):
        return {k: _clean(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_clean(v) for v in data]
    return clean(data) if isinstance(data, str) else data


def _json(data: Any) -> None:
    json.dump(_clean(data), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _csv(rows: list[dict[str, Any]], fields: tuple[str, ...]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(_clean(rows))


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 or value == int(value) else f"{value:,.4g}"


def _short(title: str) -> str:
    head, sep, tail = title.partition(" · ")
    return (head if sep else title)[:24]


def _pct(pct: float | None) -> str:
    return "" if pct is None else f"{pct:+.1f}%"


# -- search -------------------------------------------------------------------------------

def cmd_search(args: argparse.Namespace) -> int:
    from .answers.search import flatten, search_source

    query = " ".join(args.text).strip()
    if not query:
        raise _usage("give some text to search for, e.g. `kjtui search 履约贷`")
    results = search_source(_source(args), query, year=args.year)
    rows = [
        {"year": hit.document.year, "document": hit.document.id, "title": hit.document.title,
         "kind": hit.document.kind, "section": hit.section.id, "section_title": hit.section.label,
         "path": hit.path, "line": match.line, "text": match.text, "matches": [list(s) for s in match.spans],
         "score": hit.score}
        for hit, match in flatten(results)
    ]
    if args.format == "json":
        _json(rows)
        return 0
    from rich.table import Table
    from rich.text import Text

    from .render import console, err_console

    from .render import _fit, _table

    # one line per match, as the other listings: the sentence is cut before its first
    # match so the match stays in sight (the whole sentence is in --format json)
    table = _table("year", "section", "line", "text")
    last_doc = None
    for hit, match in flatten(results):
        if hit.document.id != last_doc:
            last_doc = hit.document.id
            table.add_row(str(hit.document.year or ""), Text(hit.document.title, style="bold"), "", "")
        text = Text(match.text)
        for s, e in match.spans:
            text.stylize("bold reverse", s, e)
        lead = match.spans[0][0] - SEARCH_LEAD if match.spans else 0
        if lead > 0:
            text = Text("…").append_text(text[lead + 1:])
        table.add_row("", Text(hit.path.rsplit(" › ", 1)[-1], style="dim"), str(match.line), text)
    if rows:
        # the sentence is what was asked for: the section column gets at most a fifth
        fitted = _fit(table)
        section, text_col = fitted.columns[1], fitted.columns[3]
        room = console.width - 3 * 3 - (fitted.columns[0].width or 4) - (fitted.columns[2].width or 4)
        if section.width is not None and text_col.width is not None and section.width > room // 5:
            section.width = max(8, room // 5)
            text_col.width = max(8, room - section.width)
        console.print(fitted)
    more = " (stopped early: narrow the search)" if results.truncated else ""
    err_console.print(Text(f"{len(rows)} matches in {len(results.hits)} sections of {results.documents} "
                           f"documents{more}", style="dim"))
    return 0


# -- series ---------------------------------------------------------------------------------

def cmd_series(args: argparse.Namespace) -> int:
    from .answers import measures

    label = args.label.strip()
    if not label:
        raise _usage("give a measure's label, e.g. `kjtui series 发明专利授权量`")
    result = measures.series(measures.points(_source(args)), label, args.unit)
    chosen = {row.point.metric.id for _, row in result.by_year()}
    change = {year: pct for year, _, pct in result.changes()}
    rows = []
    for row in result.rows:
        d = row.point.to_dict()
        picked = row.point.metric.id in chosen
        pct = change.get(row.point.year) if picked and row.point.year is not None else None
        d.update(chosen=picked, conflict=row.conflict, score=round(row.score, 1),
                 change_pct=None if pct is None else round(pct, 2))
        rows.append(d)
    if args.format == "json":
        _json(rows)
        return 0
    if args.format == "csv":
        _csv(rows, SERIES_FIELDS)
        return 0
    from rich.table import Table
    from rich.text import Text

    from .formatting import written
    from .render import console, err_console

    if not rows:
        err_console.print(Text(f"no measure like {label!r}; list labels with `kjtui metrics --grep TEXT`"))
        return 0
    from .render import _fit, _table

    console.print(Text(f"{label} · {result.base_unit}", style="bold"))
    table = _table("year", "value", "normalized", "change", "period", "label", "title")
    for row, d in zip(result.rows, rows):
        m = row.point.metric
        source = Text("≠ ", style="bold red") if row.conflict else Text("")
        source.append(m.label, style="" if d["chosen"] else "dim")
        table.add_row(str(d["year"] or ""), Text(written(m)), Text(_number(m.normalized)),
                      Text(_pct(d["change_pct"])), Text(m.period or ""), source,
                      Text(row.point.document.title, style="dim"))
    console.print(_fit(table))
    return 0


# -- conflicts --------------------------------------------------------------------------------

CONFLICT_FIELDS = ("year", "base_unit", "similarity", "label_a", "value_a", "unit_a", "period_a", "document_a",
                   "section_a", "line_a", "label_b", "value_b", "unit_b", "period_b", "document_b", "section_b",
                   "line_b")


def cmd_conflicts(args: argparse.Namespace) -> int:
    from .answers import measures

    found = measures.conflicts(measures.points(_source(args)))
    if args.year is not None:
        found = [c for c in found if c.year == args.year]
    if args.format == "json":
        _json([c.to_dict() for c in found])
        return 0
    if args.format == "csv":
        flat = []
        for c in found:
            row: dict[str, Any] = {"year": c.year, "base_unit": c.base_unit, "similarity": round(c.similarity, 1)}
            for side, p in (("a", c.a), ("b", c.b)):
                m = p.metric
                row.update({f"label_{side}": m.label, f"value_{side}": m.value, f"unit_{side}": m.unit,
                            f"period_{side}": m.period, f"document_{side}": m.document,
                            f"section_{side}": m.section, f"line_{side}": m.line})
            flat.append(row)
        _csv(flat, CONFLICT_FIELDS)
        return 0
    from rich.table import Table
    from rich.text import Text

    from .formatting import written
    from .render import console, err_console

    table = Table(show_edge=False, pad_edge=False, header_style="bold", show_lines=True)
    for col in ("year", "one document says", "another says"):
        table.add_column(col, overflow="fold", ratio=None if col == "year" else 1)
    for c in found:
        cells = []
        for p in (c.a, c.b):
            m = p.metric
            cell = Text(written(m), style="bold")
            cell.append(f"  {m.label}")
            cell.append(f"\n{p.document.title} · {p.section.label if p.section else m.section} · L{m.line}", style="dim")
            cell.append(f"\n{m.context}")
            cells.append(cell)
        table.add_row(str(c.year), *cells)
    if found:
        console.print(table)
    err_console.print(Text(f"{len(found)} conflicts", style="dim"))
    return 0


# -- compare ------------------------------------------------------------------------------------

COMPARE_FIELDS = ("status", "label", "value_a", "unit_a", "value_b", "unit_b", "normalized_a", "normalized_b",
                  "change", "change_pct", "period_a", "period_b", "document_a", "document_b")


def cmd_compare(args: argparse.Namespace) -> int:
    from .answers import measures

    pts = measures.points(_source(args))
    years = sorted({p.year for p in pts if p.year is not None})
    for year in (args.year_a, args.year_b):
        if year not in years:
            shown = ", ".join(str(y) for y in years) or "none"
            raise _usage(f"no metrics for {year}; years with metrics: {shown}")
    result = measures.compare(pts, args.year_a, args.year_b)
    if args.format == "json":
        _json({"year_a": result.year_a, "year_b": result.year_b,
               "both": [p.to_dict() for p in result.both],
               "only_a": [p.to_dict() for p in result.only_a],
               "only_b": [p.to_dict() for p in result.only_b]})
        return 0
    if args.format == "csv":
        flat: list[dict[str, Any]] = []
        for pair in result.both:
            a, b = pair.a.metric, pair.b.metric
            pct = pair.change_pct
            flat.append({"status": "both", "label": a.label, "value_a": a.value, "unit_a": a.unit, "value_b": b.value,
                         "unit_b": b.unit, "normalized_a": a.normalized, "normalized_b": b.normalized,
                         "change": pair.change, "change_pct": None if pct is None else round(pct, 2),
                         "period_a": a.period, "period_b": b.period, "document_a": a.document, "document_b": b.document})
        for status, side in (("only_a", result.only_a), ("only_b", result.only_b)):
            for p in side:
                m = p.metric
                ab = "a" if status == "only_a" else "b"
                flat.append({"status": status, "label": m.label, f"value_{ab}": m.value, f"unit_{ab}": m.unit,
                             f"normalized_{ab}": m.normalized, f"period_{ab}": m.period, f"document_{ab}": m.document})
        _csv(flat, COMPARE_FIELDS)
        return 0
    from rich.table import Table
    from rich.text import Text

    from .formatting import written
    from .render import console

    ya, yb = args.year_a, args.year_b
    table = Table(show_edge=False, pad_edge=False, header_style="bold", title=Text(f"{ya} → {yb}: in both years"))
    for col in ("measure", str(ya), str(yb), "change"):
        table.add_column(col, overflow="fold", justify="left" if col == "measure" else "right")
    for pair in result.both:
        a, b = pair.a.metric, pair.b.metric
        pct = pair.change_pct
        table.add_row(Text(measures.shown_label(pair.a)), Text(written(a)), Text(written(b)),
                      Text(_pct(pct), style="green" if (pct or 0) > 0 else "red" if (pct or 0) < 0 else ""))
    console.print(table)
    for year, side in ((ya, result.only_a), (yb, result.only_b)):
        console.print(Text(f"\nonly in {year}: {len(side)} measures", style="bold"))
        for p in side:
            line = Text(f"  {measures.shown_label(p)}  ")
            line.append(written(p.metric), style="bold")
            console.print(line)
    return 0
