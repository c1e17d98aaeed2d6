"""The one read model over the store, used by the command line and the browser.

Scopes: "a section and everything below it" is `within()`, the only place that test lives
(section ids are paths: `2024-53c3c8/7.1/t47dbfc`). Queries stream: they read the catalog,
then one shard or one year's index file at a time, so memory stays flat in the store's size.
Core module: no Textual, no Rich.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, overload

import orjson

from .model import Document, Event, Metric, Section
from .store import Store, event_from, metric_from, record_from_line


# -- scopes -------------------------------------------------------------------------------

def within(section_id: str, scope_id: str) -> bool:
    """True when section_id is scope_id or below it (a document id is a scope too)."""
    return section_id == scope_id or section_id.startswith(scope_id + "/")


def document_of(section_id: str) -> str:
    return section_id.split("/", 1)[0]


def descendants(sections: Iterable[Section], section_id: str) -> list[Section]:
    """The section and everything below it, in the order given (reading order for a shard)."""
    return [s for s in sections if within(s.id, section_id)]


def ancestors(section: Section, by_id: dict[str, Section]) -> list[Section]:
    """The sections above this one, outermost first."""
    chain: list[Section] = []
    node = by_id.get(section.parent) if section.parent else None
    while node is not None and len(chain) < 64:
        chain.append(node)
        node = by_id.get(node.parent) if node.parent else None
    chain.reverse()
    return chain


def breadcrumb(document: Document | None, section: Section | None, by_id: dict[str, Section]) -> list[str]:
    """Document title, then the section labels down to this one."""
    crumbs = [document.title] if document else []
    if section is not None:
        # the lead (text before the first heading) is the document's own section: named once
        crumbs += [a.label for a in [*ancestors(section, by_id), section] if not _is_lead(a)]
    return crumbs


def _is_lead(section: Section) -> bool:
    return section.number is None and section.id.endswith("/lead")


def section_for_line(sections: Iterable[Section], line: int) -> Section | None:
    """The section a source line belongs to (sections in reading order)."""
    found = None
    for section in sections:
        if section.start <= line:
            found = section
    return found


# -- sections ---------------------------------------------------------------------------------

def sections_in(store: Store, year: int | None = None) -> Iterator[Section]:
    """Every section (of a year's documents), document by document in catalog order."""
    docs = store.documents() if year is None else store.documents_in(year)
    for shard in store.iter_shards(d.id for d in docs):
        yield from shard.sections


@dataclass(slots=True)
class Resolved:
    section: Section | None
    candidates: list[Section]


def resolve_section(store: Store, key: str, year: int | None = None) -> Resolved:
    """A full section id, or a heading number / title that picks one section (within a year)."""
    exact = store.section(key)
    if exact:
        return Resolved(exact, [exact])
    tests = (
        lambda s: s.number == key,
        lambda s: s.id.endswith("/" + key),
        lambda s: s.title == key,
        lambda s: key in s.title,
    )
    found: list[list[Section]] = [[] for _ in tests]
    for section in sections_in(store, year):
        for k, test in enumerate(tests):
            if test(section):
                found[k].append(section)
                break
    for hits in found:
        if hits:
            return Resolved(hits[0] if len(hits) == 1 else None, hits)
    return Resolved(None, [])


# -- metrics -------------------------------------------------------------------------------------

def metric_json(store: Store, *, year: int | None = None, section: str | None = None,
                grep: str | None = None, all_years: bool = False) -> Iterator[bytes]:
    """Metrics as compact JSON objects (the command line's field order), streamed.
    `section` is a section id (that section and everything below it) or a document id."""
    match = _matcher(grep)
    if section:
        doc_id = document_of(section)
        if store.info(doc_id) is None:
            return
        for m in store.shard(doc_id).metrics:
            if within(m.section, section) and (year is None or m.year == year) and (match is None or match(m)):
                yield _metric_bytes(m)
        return
    years: list[int | None] = [year] if year is not None else store.index_years("metrics")
    if grep is None:
        for y in years:
            yield from store.metric_json(y)
        return
    yield from _grep(store, "metrics", years, grep)


def metrics_in(store: Store, *, year: int | None = None, section: str | None = None,
               grep: str | None = None) -> Iterator[Metric]:
    """The same as metric_json, as Metric records."""
    if section:
        match = _matcher(grep)
        doc_id = document_of(section)
        if store.info(doc_id) is None:
            return
        for m in store.shard(doc_id).metrics:
            if within(m.section, section) and (year is None or m.year == year) and (match is None or match(m)):
                yield m
        return
    for js in metric_json(store, year=year, grep=grep):
        yield metric_from(orjson.loads(js))


R = TypeVar("R")


class LazyRecords(Sequence[R]):
    """A year's records, each parsed from its index line when first read: the browser's table
    of 30 000 metrics opens having parsed the rows it draws and measures, not all of them.
    Iterating (a sort, a filter) parses the rest once. A record whose line holds anything a
    sanitizer would remove is scrubbed as it is made (a fast bytes check per line)."""

    def __init__(self, lines: list[bytes], make: Callable[[dict[str, Any]], R], names: tuple[str, ...]) -> None:
        self._lines = lines
        self._made: list[R | None] = [None] * len(lines)
        self._make = make
        self._names = names

    def __len__(self) -> int:
        return len(self._lines)

    def _one(self, k: int) -> R:
        record = self._made[k]
        if record is None:
            record = self._made[k] = record_from_line(self._lines[k], self._make, self._names)
        return record

    @overload
    def __getitem__(self, k: int) -> R: ...

    @overload
    def __getitem__(self, k: slice) -> list[R]: ...

    def __getitem__(self, k: int | slice) -> R | list[R]:
        if isinstance(k, slice):
            return [self._one(i) for i in range(*k.indices(len(self._lines)))]
        return self._one(k)

    def __iter__(self) -> Iterator[R]:
        one = self._one
        for k in range(len(self._lines)):
            yield one(k)


def metrics_of_year(store: Store, year: int, cancelled: Callable[[], bool] | None = None) -> LazyRecords[Metric] | None:
    """A year's metrics (the browser's table), in reading order, sanitized, parsed as they are
    read (LazyRecords); None if `cancelled` said the user moved on."""
    from .sanitize import METRIC_TEXT

    lines = store.index_records("metrics", year)
    if cancelled is not None and cancelled():
        return None
    return LazyRecords(lines, Metric.from_dict, METRIC_TEXT)


def events_of_year(store: Store, year: int, cancelled: Callable[[], bool] | None = None) -> list[Event] | None:
    """A year's events at once, by date (the timeline), sanitized; None if `cancelled`."""
    from .sanitize import EVENT_TEXT

    lines = store.index_records("events", year)
    if cancelled is not None and cancelled():
        return None
    return list(LazyRecords(lines, Event.from_dict, EVENT_TEXT))


def events_json(store: Store, *, year: int | None = None, policies: bool = False,
                grep: str | None = None) -> Iterator[bytes]:
    """Events as compact JSON objects, by date (years oldest first, undated first), streamed."""
    years: list[int | None] = (
        [year] if year is not None else sorted(store.index_years("events"), key=lambda y: (y is not None, y or 0))
    )
    source = _grep(store, "events", years, grep) if grep else (js for y in years for js in store.event_json(y))
    for js in source:
        if policies and b'"kind":"policy"' not in js:
            continue
        yield js


def events_in(store: Store, *, year: int | None = None, policies: bool = False,
              grep: str | None = None) -> Iterator[Event]:
    for js in events_json(store, year=year, policies=policies, grep=grep):
        yield event_from(orjson.loads(js))


def years(store: Store) -> list[int]:
    """Years with documents or dated events, newest first."""
    found = set(store.years()) | {y for y in store.index_years("events") if y is not None}
    return sorted(found, reverse=True)


# -- text search over the index -----------------------------------------------------------------

# characters whose casefold contains an ASCII letter (ß → ss, K (Kelvin) → k, ﬁ → fi …)
_FOLDS_TO_ASCII = "ßİŉſǰẖẗẘẙẚẞKﬀﬁﬂﬃﬄﬅﬆ"
_FOLDS_TO_ASCII_RE = re.compile(b"|".join(re.escape(c.encode("utf-8")) for c in _FOLDS_TO_ASCII))


def _metric_text(m: Metric) -> str:
    return f"{m.label}\n{m.context}\n{m.raw}"


def _event_text(e: Event) -> str:
    return f"{e.title}\n{e.text}"


def _matcher(grep: str | None):
    if not grep:
        return None
    needle = grep.casefold()
    return lambda m: needle in _metric_text(m).casefold()


def _search_mode(needle: str) -> str:
    """"exact": a byte search finds every match (no character of the needle has case);
    "ascii": ASCII letters, found by a lower-cased byte search; "slow": other cased letters."""
    mode = "exact"
    for c in needle:
        if c.isascii():
            if c.isalpha():
                mode = "ascii"
        elif not (ord(c) >= 0x2E80 and c.upper() == c and c.lower() == c):
            return "slow"
    return mode


def _grep(store: Store, kind: str, years: list[int | None], grep: str) -> Iterator[bytes]:
    """Records of `kind` whose text (metric: label, sentence, raw; event: title, text) contains
    grep, case-insensitively: a byte search over the index, each candidate checked."""
    needle = grep.casefold()
    text_of: Callable[[Any], str] = _metric_text if kind == "metrics" else _event_text
    make: Callable[[dict[str, Any]], Any] = metric_from if kind == "metrics" else event_from

    def ok(js: bytes) -> bool:
        try:
            return needle in text_of(make(orjson.loads(js))).casefold()
        except (ValueError, KeyError, TypeError):
            return False

    mode = _search_mode(needle)
    probe = orjson.dumps(needle)[1:-1]  # as it appears inside a JSON string
    wide = probe.decode("utf-8")
    for chunk in store.index_chunks(kind, years):
        if mode == "exact" or (mode == "ascii" and not _FOLDS_TO_ASCII_RE.search(chunk)):
            hay = chunk if mode == "exact" else chunk.lower()
            pos = hay.find(probe)
            while pos >= 0:
                start = hay.rfind(b"\n", 0, pos) + 1
                end = hay.find(b"\n", pos)
                js = chunk[start:end].split(b"\t", 2)[2]
                if ok(js):
                    yield js
                pos = hay.find(probe, end)
        else:
            for line in chunk.splitlines():
                js = line.split(b"\t", 2)[2]
                if wide in js.decode("utf-8", "replace").casefold() and ok(js):
                    yield js


def _metric_bytes(m: Metric) -> bytes:
    from .store import _metric_json

    return _metric_json(m)


def event_bytes(e: Event) -> bytes:
    from .store import _event_json

    return _event_json(e)


def as_dict(js: bytes) -> dict[str, Any]:
    return orjson.loads(js)
