"""The one place the answers read records from: documents in order, and per
document its sections, metrics and events (a "shard"). Everything else in
kjtui.answers goes through a Source, so moving to the sharded store is an edit
here only; search reads one document at a time (`iter_shards`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Document, Event, Metric, Section


@dataclass(slots=True)
class Shard:
    document: Document
    sections: list[Section] = field(default_factory=list)  # reading order
    metrics: list[Metric] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class Source:
    """Documents (newest year first) and one shard per document."""

    def documents(self) -> list[Document]:
        raise NotImplementedError

    def shard(self, doc_id: str) -> Shard:
        raise NotImplementedError

    def iter_shards(self, doc_ids: Iterable[str] | None = None) -> Iterator[Shard]:
        ids = [d.id for d in self.documents()] if doc_ids is None else list(doc_ids)
        for doc_id in ids:
            yield self.shard(doc_id)

    def metrics(self) -> Iterator[Metric]:
        for shard in self.iter_shards():
            yield from shard.metrics

    def section(self, section_id: str) -> Section | None:
        doc_id = section_id.split("/", 1)[0]
        try:
            shard = self.shard(doc_id)
        except KeyError:
            return None
        return next((s for s in shard.sections if s.id == section_id), None)

    def events(self) -> Iterator[Event]:
        for shard in self.iter_shards():
            yield from shard.events


class GroupedSource(Source):
    """Records already in memory, grouped by document once."""

    def __init__(self, documents: list[Document], sections: Iterable[Section],
                 metrics: Iterable[Metric], events: Iterable[Event]) -> None:
        self._documents = documents
        self._shards: dict[str, Shard] = {d.id: Shard(d) for d in documents}
        grouped: dict[str, list[Any]] = defaultdict(list)
        for s in sections:
            grouped[s.document].append(s)
        for doc_id, rows in grouped.items():
            if doc_id in self._shards:
                self._shards[doc_id].sections = sorted(rows, key=lambda s: s.order)
        for m in metrics:
            shard = self._shards.get(m.document)
            if shard is not None:
                shard.metrics.append(m)
        for e in events:
            shard = self._shards.get(e.document)
            if shard is not None:
                shard.events.append(e)

    def documents(self) -> list[Document]:
        return self._documents

    def shard(self, doc_id: str) -> Shard:
        return self._shards[doc_id]


def from_store(store: Any) -> Source:
    """A Source over a kjtui Store. Today's store holds every record in memory;
    a store with `shard(doc_id)` (the sharded store) is read one document at a time."""
    if hasattr(store, "shard") and hasattr(store, "iter_shards"):
        return ShardedSource(store)
    return GroupedSource(store.documents(), store.sections(), store.metrics(), store.events())


class ShardedSource(Source):
    """The sharded store, read one document (or one year's index) at a time. Every
    record is sanitized on its way in (kjtui.sanitize): document text is untrusted and
    a store may have been written by hand."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._documents: list[Document] | None = None
        self._ids: set[str] | None = None

    def documents(self) -> list[Document]:
        if self._documents is None:
            from .. import sanitize

            self._documents = list(self.store.documents())
            sanitize.scrub(self._documents, sanitize.DOCUMENT_TEXT)
        return self._documents

    def shard(self, doc_id: str) -> Shard:
        from .. import sanitize

        try:
            s = self.store.shard(doc_id)
        except KeyError:
            # the store's small cache is shared with the browser's thread: an entry it dropped
            # between our look-up and our use is read again (a document not in the store is
            # still a KeyError)
            s = self.store.shard(doc_id)
        shard = Shard(s.document, list(s.sections), list(s.metrics), list(s.events))
        sanitize.scrub([shard.document], sanitize.DOCUMENT_TEXT)
        sanitize.scrub(shard.sections, sanitize.SECTION_TEXT)
        sanitize.scrub(shard.metrics, sanitize.METRIC_TEXT)
        sanitize.scrub(shard.events, sanitize.EVENT_TEXT)
        return shard

    def metrics(self) -> Iterator[Metric]:
        if not hasattr(self.store, "metrics_of_year"):
            yield from super().metrics()
            return
        for year in self.store.index_years("metrics"):  # the year index: no shard is opened
            yield from self.store.metrics_of_year(year)  # sanitized there

    def events(self) -> Iterator[Event]:
        if not hasattr(self.store, "events_of_year"):
            yield from super().events()
            return
        for year in self.store.index_years("events"):
            yield from self.store.events_of_year(year)  # sanitized there

    def section(self, section_id: str) -> Section | None:
        doc_id = section_id.split("/", 1)[0]
        if self._ids is None:
            self._ids = {d.id for d in self.documents()}
        if doc_id not in self._ids:
            return None
        return next((s for s in self.shard(doc_id).sections if s.id == section_id), None)


def from_catalog(catalog: Any) -> Source:
    """A Source over the browser's catalog (tui/catalog.py): its store, read one
    document at a time; an older catalog that holds every record in memory is grouped."""
    store = getattr(catalog, "store", None)
    if store is not None:
        return from_store(store)
    metrics = (m for rows in catalog.metrics_by_section.values() for m in rows)
    events = (e for rows in catalog.events_by_section.values() for e in rows)
    sections = (s for rows in catalog.sections_by_doc.values() for s in rows)
    return GroupedSource(catalog.documents, sections, metrics, events)
