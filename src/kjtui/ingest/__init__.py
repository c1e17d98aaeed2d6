"""Text → model. Pure functions: no Textual, no TinyDB, no file writes."""

from __future__ import annotations

import bisect
import gc
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Final, TypeVar

from ..model import Document, Event, Metric, ParsedDocument, Section
from . import events as _events
from .blocks import Unit, build_units, layout_sections
from .clean import DecodeError, decode
from .letter import LetterInfo, find_letter_parts
from .metrics import find_in_unit
from .sections import MONTH_LINE, Heading, Layout, build_sections, find_headings, split_layout

__all__ = ["DecodeError", "decode", "parse_document", "make_doc_id", "PARSER_VERSION"]

# Bump when parsing changes what comes out: stores built by an older parser rebuild.
PARSER_VERSION = 4  # 2: sections carry their layout (blocks); 3: metric labels and units of issue 7;
# 4: a sender above the title is the publisher, events note restatements (also), carried years

_T = TypeVar("_T")
# run two calls, perhaps at once, and return both results (parse_document's `both`)
Both = Callable[[Callable[[], _T], Callable[[], _T]], tuple[_T, _T]]

_YEAR_IN_TITLE: Final = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d|21\d\d)(?!\d)")


_HAS_QUANTITY: Final = re.compile(r"\d[\d.]*\s*(?:万|亿|千)?(?:%|％|家|个|项|名|所|件|元|人|台|套|次|倍|场|篇|条|户|笔|亿|万)")


def make_doc_id(source: str, year: int | None) -> str:
    stem = Path(source).stem or "doc"
    digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:6]
    return f"{year or 'x'}-{digest}"


def _guess_year(title: str | None, lines: list[str]) -> int | None:
    if title:
        m = _YEAR_IN_TITLE.search(title)
        if m:
            return int(m.group(1))
    return None


def parse_document(
    text: str,
    *,
    source: str = "<text>",
    year: int | None = None,
    kind: str | None = None,
    title: str | None = None,
    doc_id: str | None = None,
    origin: str = "user",
    publisher: str | None = None,
    outline: bool = False,
    layout: bool = True,
    both: Both | None = None,
) -> ParsedDocument:
    """`outline`: the document and its sections only (no metrics, events or body layout), enough
    for `dating.infer_year`; the full parse then runs once, with the year. `layout=False` leaves
    the sections' `blocks` empty, for callers that never show a body (`kjtui parse`: ~15 %).
    `both(first, second)`: runs two calls and returns their results, perhaps at once (a forked
    process: kjtui.forked); given, a long text's metrics and events are found in two halves.

    The cyclic garbage collector is paused while it runs: a parse builds tens of thousands of
    records and leaves no cycles behind, and the collector's passes over them cost ~10 % of it."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _parse(text, source, year, kind, title, doc_id, origin, publisher, outline, layout, both)
    finally:
        if paused:
            gc.enable()


@dataclass(slots=True)
class _Outline:
    """What a document's outline takes that neither its year nor its id changes: furniture,
    logical lines (cut at headings inside a line), their meta lines and the headings."""

    text: str
    letter: LetterInfo
    layout: Layout
    cut: bool  # logical lines differ from the source lines
    meta_lines: set[int]  # 1-based logical lines of furniture
    headings: list[Heading]
    # the sections the outline built, for the full parse that follows it; they differ from
    # that parse's only in the document id (the year is part of it), renamed by _renamed
    sections: list[Section] | None = None
    sections_of: tuple[str, str, str] = ("", "", "")  # (doc id, title given, source) they were built for


# the last outline (parse_document(..., outline=True)), kept for the full parse of the same text
# that follows it (a year inferred from the outline): one entry, taken by the next parse
_outlined: list[_Outline] = []


def _outline_of(text: str) -> _Outline:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # a final newline ends the last line; it is not a line of its own
    letter = find_letter_parts(lines)
    # logical lines: a line cut where a heading starts inside it; mapped back to source lines later
    layout = split_layout(lines, letter.meta_lines)
    cut = len(layout.lines) != len(lines)
    meta_lines = (
        {k + 1 for k, no in enumerate(layout.origin) if no in letter.meta_lines} if cut else letter.meta_lines
    )
    headings = find_headings(layout.lines, meta_lines, layout.forced)
    return _Outline(text, letter, layout, cut, meta_lines, headings)


def _parse(
    text: str, source: str, year: int | None, kind: str | None, title: str | None, doc_id: str | None,
    origin: str, publisher: str | None, outline: bool, with_layout: bool = True, both: Both | None = None,
) -> ParsedDocument:
    found = _outlined.pop() if _outlined else None
    if found is None or found.text is not text:
        found = _outline_of(text)
    if outline:
        _outlined.append(found)  # the full parse of the same text (with its year) starts from here
    letter, layout, cut, meta_lines = found.letter, found.layout, found.cut, found.meta_lines
    lines = layout.lines
    title = title or letter.title
    year = year or letter.year or _guess_year(title, lines)
    kind = kind or letter.kind or "report"
    doc_id = doc_id or make_doc_id(source, year)

    built = found.sections
    if built is not None and not cut and found.sections_of[1:] == (title or "", source):
        sections = _renamed(built, found.sections_of[0], doc_id)  # the outline's, not built twice
        found.sections = None
    else:
        sections = build_sections(
            lines, meta_lines, doc_id, title or Path(source).stem, layout.forced, found.headings,
        )
    if outline and not cut:  # (with cut lines, _to_source below moves the outline's to source lines)
        found.sections, found.sections_of = sections, (doc_id, title or "", source)
    if not title:
        named = next(
            (s for s in sections if not (s.number or "").endswith("是") and (s.number or not s.id.endswith("/lead"))),
            None,
        )
        title = named.label if named else Path(source).stem
        for s in sections:
            if s.id.endswith("/lead"):
                s.title = title
    document = Document(
        id=doc_id, title=title, year=year, kind=kind, source=Path(source).name,
        doc_number=letter.doc_number, date=letter.date, addressee=letter.addressee,
        publisher=publisher or letter.publisher, meta=dict(letter.meta), origin=origin,
    )
    if outline:
        if cut:
            _to_source(layout.origin, sections, [], [])
        return ParsedDocument(document, sections, [], [], [])
    # a run-in title is part of its paragraph's sentence, and a heading that states a figure
    # (3.研发投入占比达2.3%) keeps it as a metric: only the other heading lines are left out
    heading_lines = {
        no for s in sections if not s.id.endswith("/lead") and not _HAS_QUANTITY.search(s.title)
        for no in range(s.line, s.body_line)
    } - layout.run_in
    skip = meta_lines | heading_lines

    starts = [s.start for s in sections]
    section_ids = [s.id for s in sections] or [""]
    # a number whose sentence names nothing is labelled with its section's title
    fallbacks = [title if s.id.endswith("/lead") else s.title for s in sections] or [title]

    month_events, month_lines = _events.from_month_lists(lines, skip, year)
    units = build_units(lines, skip | month_lines, MONTH_LINE.match)

    def scan(first: int, last: int) -> tuple[list[_FoundMetric], list[_events.FoundEvent]]:
        return _scan(units[first:last], lines, starts, fallbacks, year)

    cut_at = _halfway(units) if both is not None and len(text) >= SPLIT_AT else 0
    if cut_at and both is not None:  # the two halves at once (see parse_document's `both`)
        (found_first, events_first), (found_second, events_second) = both(
            lambda: scan(0, cut_at), lambda: scan(cut_at, len(units)))
        found_metrics = found_first + found_second
        found_events = month_events + events_first + events_second
    else:
        found_metrics, found_events = scan(0, len(units))
        found_events[:0] = month_events
    # positional arguments: Metric and Event are built tens of thousands of times
    metrics: list[Metric] = []
    for line, label, value, raw, unit_name, base_unit, multiplier, qualifier, period, context in found_metrics:
        section = section_ids[max(bisect.bisect_right(starts, line) - 1, 0)]
        metrics.append(Metric(
            f"{doc_id}#m{len(metrics) + 1}", doc_id, section, label, value, raw, unit_name,
            base_unit, multiplier, value * multiplier, qualifier, period, line, context, year,
        ))
    found_events.sort(key=lambda e: e.line)
    found_events = _events.dedupe(found_events)
    events = [
        Event(
            f"{doc_id}#e{k + 1}", doc_id, section_ids[max(bisect.bisect_right(starts, e.line) - 1, 0)], e.year,
            e.month, e.day, e.end, e.title, e.kind, e.text, e.line, e.also,
        )
        for k, e in enumerate(found_events)
    ]
    if with_layout:
        layout_sections(sections, metrics)  # the body's layout, stored with each section
    if cut:
        _to_source(layout.origin, sections, metrics, events)
    warnings = []
    if not any(line.strip() for line in lines):
        warnings.append("the document is empty")
    return ParsedDocument(document, sections, metrics, events, warnings)


# a metric as found: line, label, value, raw, unit, base unit, multiplier, qualifier, period, context
# (plain tuples: they cross a process boundary when a parse runs in two halves)
_FoundMetric = tuple[int, str, float, str, str, str, float, str | None, str | None, str]
SPLIT_AT = 1 << 20  # characters: a shorter text is not worth a second process


def _scan(units: list[Unit], lines: list[str], starts: list[int], fallbacks: list[str],
          year: int | None) -> tuple[list[_FoundMetric], list[_events.FoundEvent]]:
    """The metrics and events of a run of units (independent of every other unit)."""
    found: list[_FoundMetric] = []
    events: list[_events.FoundEvent] = []
    for unit in units:
        fallback = fallbacks[max(bisect.bisect_right(starts, unit.first_line) - 1, 0)]
        for f in find_in_unit(unit, lines, fallback):
            found.append((f.line, f.label, f.value, f.raw, f.unit, f.base_unit, f.multiplier, f.qualifier,
                          f.period, f.context))
        if unit.kind != "row":
            events.extend(_events.from_unit(unit, year))
    return found, events


def _halfway(units: list[Unit]) -> int:
    """The unit where half of the units' text lies before it."""
    total = sum(len(u.clean.text) for u in units)
    seen = 0
    for k, unit in enumerate(units):
        seen += len(unit.clean.text)
        if seen * 2 >= total:
            return k + 1 if k + 1 < len(units) else 0
    return 0


def _renamed(sections: list[Section], old: str, new: str) -> list[Section]:
    """Sections built under document id `old`, now under `new` (ids start with the document's)."""
    if old == new:
        return sections
    cut = len(old)
    for s in sections:
        s.id = new + s.id[cut:]
        s.document = new
        if s.parent is not None:
            s.parent = new + s.parent[cut:]
    return sections


def _to_source(origin: list[int], sections: list[Section], metrics: list[Metric],
               events: list[Event]) -> None:
    """Logical line numbers → source line numbers (several logical lines may share one)."""
    last = len(origin)

    def src(no: int) -> int:
        return origin[min(max(no, 1), last) - 1] if last else no

    for s in sections:
        s.line, s.start, s.end, s.body_line = src(s.line), src(s.start), src(s.end), src(s.body_line)
        for b in s.blocks:
            b.first, b.last = src(b.first), src(b.last)
    for m in metrics:
        m.line = src(m.line)
    for e in events:
        e.line = src(e.line)
        if e.also:  # lines of one source line collapse; the first statement's own line is not repeated
            also: list[int] = []
            for no in e.also:
                line = src(no)
                if line != e.line and line not in also:
                    also.append(line)
            e.also = also


def section_lines(section: Section) -> list[tuple[int, str]]:
    """(source line number, text) for each line of a section's body."""
    return [(section.body_line + k, line) for k, line in enumerate(section.body.split("\n"))] if section.body else []
