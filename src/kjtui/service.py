"""The headless core the CLI and the browser share: open the store (building it
from the shipped corpus when needed), ingest files, and answer queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import corpus
from .model import Event, Metric, ParsedDocument, Section
from .store import Store, StoreError, set_aside

Progress = Callable[[int, int, str], None]


def open_store(path: Path, *, build: bool = True) -> Store:
    """Open the store; build it from the shipped corpus on first use, and refresh
    the shipped documents when the corpus (or the parser) has changed."""
    store = Store.open(path)
    if not build:
        return store
    entries, manifest = corpus.shipped_entries()
    stamp = corpus.fingerprint(entries, manifest)
    if store.meta.get("shipped") != stamp:
        parsed = [corpus.parse_entry(e, origin="shipped") for e in entries]
        store.replace(parsed, drop_origin="shipped", meta={"shipped": stamp})
    return store


def rebuild(path: Path) -> tuple[Store, Path | None]:
    """Start over: a bad or old store is renamed aside, never deleted."""
    aside = None
    try:
        Store.open(path)
    except StoreError:
        aside = set_aside(path)
    else:
        if path.exists():
            aside = set_aside(path)
    return open_store(path), aside


def ingest(store: Store, entries: list[corpus.Entry], *, year: int | None = None,
           progress: Progress | None = None) -> list[ParsedDocument]:
    parsed: list[ParsedDocument] = []
    for k, entry in enumerate(entries):
        if progress:
            progress(k, len(entries), entry.path.name)
        parsed.append(corpus.parse_entry(entry, year=year))
    if progress:
        progress(len(entries), len(entries), "")
    store.replace(parsed)
    return parsed


# -- queries ------------------------------------------------------------------

def sections_in(store: Store, year: int | None = None) -> list[Section]:
    docs = {d.id: d for d in store.documents()}
    rows = [s for s in store.sections() if year is None or docs.get(s.document) and docs[s.document].year == year]
    order = {d.id: k for k, d in enumerate(store.documents())}
    return sorted(rows, key=lambda s: (order.get(s.document, 0), s.order))


def metrics_in(store: Store, *, year: int | None = None, section: str | None = None,
               grep: str | None = None) -> list[Metric]:
    scope = store.descendants(section) if section else None
    doc_scope = section if section and store.document(section) else None
    needle = grep.casefold() if grep else None
    out = []
    for m in store.metrics():
        if year is not None and m.year != year:
            continue
        if doc_scope is not None:
            if m.document != doc_scope:
                continue
        elif scope is not None and m.section not in scope:
            continue
        if needle and needle not in f"{m.label}\n{m.context}\n{m.raw}".casefold():
            continue
        out.append(m)
    return out


def events_in(store: Store, *, year: int | None = None, policies: bool = False) -> list[Event]:
    rows = [
        e for e in store.events()
        if (year is None or e.year == year) and (not policies or e.kind == "policy")
    ]
    return sorted(rows, key=lambda e: (e.year or 0, e.month, e.day or 0, e.line))


def years(store: Store) -> list[int]:
    found = {d.year for d in store.documents() if d.year} | {e.year for e in store.events() if e.year}
    return sorted(found, reverse=True)


@dataclass(slots=True)
class Resolved:
    section: Section | None
    candidates: list[Section]


def resolve_section(store: Store, key: str, year: int | None = None) -> Resolved:
    """A full section id, or a heading number / title that picks one section."""
    exact = store.section(key)
    if exact:
        return Resolved(exact, [exact])
    docs = {d.id: d for d in store.documents()}
    pool = [s for s in store.sections() if year is None or (docs.get(s.document) and docs[s.document].year == year)]
    for test in (
        lambda s: s.number == key,
        lambda s: s.id.endswith("/" + key),
        lambda s: s.title == key,
        lambda s: key in s.title,
    ):
        found = [s for s in pool if test(s)]
        if found:
            return Resolved(found[0] if len(found) == 1 else None, found)
    return Resolved(None, [])
