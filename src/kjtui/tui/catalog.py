"""The browser's index over the store, a thin layer over `kjtui.readmodel`.

It reads only what is shown: the store's catalog (documents and their counts) at
start; one document's shard when the document is opened, previewed or expanded
(a few milliseconds whatever the store's size); a year's metrics or events from
the store's per-year index when a year's metrics view or timeline is shown (the
browser does that in a worker, see `needs_worker`). Plain Python (no Textual),
so it is tested and benchmarked on its own.

Every record enters the browser here and is sanitized here (kjtui.sanitize): no
escape sequence, control character or bidi override from a document or a store
reaches the screen.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:  # the browser imports the model and store only once it loads data
    from ..model import Document, Event, Metric, Section
    from ..store import Store


NodeKind = Literal["year", "document", "section"]


class NodeRef(NamedTuple):  # a tuple, not a dataclass: a third of the cost to define at start-up
    kind: NodeKind
    key: str  # the year as text, a document id, or a section id


def year_of_key(key: str) -> int | None:
    return int(key) if key.isdigit() else None


class DocIndex:
    """One document's shard, indexed for the tree and the views."""

    __slots__ = ("document", "sections", "section_by_id", "children", "metrics_by_section",
                 "events_by_section", "metric_total", "event_total", "position")

    def __init__(self, document: Document, sections: list[Section], metrics: list[Metric],
                 events: list[Event]) -> None:
        self.document = document
        self.sections = sections  # reading order
        self.section_by_id = {s.id: s for s in sections}
        self.position = {s.id: k for k, s in enumerate(sections)}
        self.children: dict[str, list[Section]] = {}  # parent section id (or the document id) → sections
        for section in sections:
            self.children.setdefault(section.parent or document.id, []).append(section)
        self.metrics_by_section: dict[str, list[Metric]] = {}
        for metric in sorted(metrics, key=lambda m: (self.position.get(m.section, 0), m.line)):
            self.metrics_by_section.setdefault(metric.section, []).append(metric)
        self.events_by_section: dict[str, list[Event]] = {}
        for event in events:
            self.events_by_section.setdefault(event.section, []).append(event)
        # a node's counts with everything below it; children come after parents in reading order
        self.metric_total: dict[str, int] = {document.id: 0}
        self.event_total: dict[str, int] = {document.id: 0}
        for section in reversed(sections):
            m = self.metric_total.get(section.id, 0) + len(self.metrics_by_section.get(section.id, ()))
            e = self.event_total.get(section.id, 0) + len(self.events_by_section.get(section.id, ()))
            self.metric_total[section.id], self.event_total[section.id] = m, e
            up = section.parent or document.id
            self.metric_total[up] = self.metric_total.get(up, 0) + m
            self.event_total[up] = self.event_total.get(up, 0) + e

    def metrics_below(self, section_id: str) -> list[Metric]:
        from ..readmodel import descendants

        return [m for s in descendants(self.sections, section_id) for m in self.metrics_by_section.get(s.id, ())]


class _Lazy:
    """A read-only mapping over the catalog that loads a document's shard on demand,
    so code written for a dict (`.get`, `[]`, `in`) keeps working."""

    def __init__(self, lookup: Callable[[str], Any]) -> None:
        self._lookup = lookup

    def get(self, key: str | None, default: Any = None) -> Any:
        if not key:
            return default
        found = self._lookup(key)
        return default if found is None else found

    def __getitem__(self, key: str) -> Any:
        found = self._lookup(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._lookup(key) is not None


class Catalog:
    SHARDS_KEPT = 64  # documents kept indexed; a shard is read again in a few ms
    YEARS_KEPT = 3  # years whose metrics and events are kept

    def __init__(self, store: Store) -> None:
        self.store = store
        # Document records are made (and sanitized) a year at a time, when that year is shown:
        # the first frame of a store of 5000 documents needs one year's.
        self.document_ids: list[str] = []  # newest year first, natural title order
        self._ids_by_year: dict[int | None, list[str]] = {}
        for row in store.rows():
            self.document_ids.append(row["id"])
            self._ids_by_year.setdefault(row.get("year"), []).append(row["id"])
        self._doc_position = {doc_id: k for k, doc_id in enumerate(self.document_ids)}
        self._by_year: dict[int | None, list[Document]] = {}
        self._document_by_id: dict[str, Document] = {}
        self._all: list[Document] | None = None
        self.document_by_id = _Lazy(self._document)
        # years with documents or dated events, newest first (readmodel.years, without
        # making every document record)
        dated = {y for y in self._ids_by_year if y is not None}
        self.years: list[int] = sorted(dated | {y for y in store.index_years("events") if y is not None},
                                       reverse=True)
        self._docs: OrderedDict[str, DocIndex] = OrderedDict()
        self._year_metrics: OrderedDict[int | None, Sequence[Metric]] = OrderedDict()
        self._year_events: OrderedDict[int | None, list[Event]] = OrderedDict()
        # dict-like views kept for the widgets: each loads the shard it needs
        self.section_by_id = _Lazy(self.section)
        self.sections_by_doc = _Lazy(lambda doc_id: self._sections_of(doc_id))
        self.children = _Lazy(self._children_of)
        self.metric_total = _Lazy(lambda key: self._total(key, metrics=True))
        self.event_total = _Lazy(lambda key: self._total(key, metrics=False))
        # sort key "reading order" for metrics: (document's place, then the metric's line)
        self.position = _Lazy(lambda section_id: self._doc_position.get(section_id.split("/", 1)[0]))

    # -- documents -------------------------------------------------------------------------------
    @property
    def documents(self) -> list[Document]:
        """Every document, in catalog order (makes every record: the palette, answers)."""
        if self._all is None:
            years = list(dict.fromkeys(self._ids_by_year))  # in catalog order
            self._all = [d for y in years for d in self.documents_in(y)]
        return self._all

    def documents_in(self, year: int | None) -> list[Document]:
        docs = self._by_year.get(year)
        if docs is None:
            from .. import sanitize
            from ..store import document_from

            docs = []
            for doc_id in self._ids_by_year.get(year, ()):
                row = self.store.info(doc_id)
                if row is not None:
                    docs.append(document_from(row))
            sanitize.scrub(docs, sanitize.DOCUMENT_TEXT)
            self._document_by_id.update((d.id, d) for d in docs)
            self._by_year[year] = docs
        return docs

    def has_documents(self, year: int | None) -> bool:
        return bool(self._ids_by_year.get(year))

    def _document(self, doc_id: str) -> Document | None:
        found = self._document_by_id.get(doc_id)
        if found is None:
            row = self.store.info(doc_id)
            if row is None:
                return None
            self.documents_in(row.get("year"))
            found = self._document_by_id.get(doc_id)
        return found

    # -- shards ----------------------------------------------------------------------------------
    def doc(self, doc_id: str) -> DocIndex | None:
        """A document's index, from its shard (read and sanitized the first time)."""
        index = self._docs.get(doc_id)
        if index is not None:
            self._docs.move_to_end(doc_id)
            return index
        document = self.document_by_id.get(doc_id)
        if document is None:
            return None
        from .. import sanitize

        shard = self.store.shard(doc_id)
        sanitize.scrub(shard.sections, sanitize.SECTION_TEXT)
        sanitize.scrub(shard.metrics, sanitize.METRIC_TEXT)
        sanitize.scrub(shard.events, sanitize.EVENT_TEXT)
        index = DocIndex(document, shard.sections, shard.metrics, shard.events)
        self._docs[doc_id] = index
        if len(self._docs) > self.SHARDS_KEPT:
            self._docs.popitem(last=False)
        return index

    def is_loaded(self, doc_id: str) -> bool:
        return doc_id in self._docs

    def section_count(self, doc_id: str) -> int:
        """How many sections the document has, from the catalog (no shard read)."""
        info = self.store.info(doc_id)
        return int(info.get("sections", 0)) if info else 0

    def section(self, section_id: str) -> Section | None:
        from ..readmodel import document_of

        index = self.doc(document_of(section_id))
        return index.section_by_id.get(section_id) if index else None

    def _sections_of(self, doc_id: str) -> list[Section] | None:
        index = self.doc(doc_id)
        return index.sections if index else None

    def _children_of(self, key: str) -> list[Section] | None:
        from ..readmodel import document_of

        index = self.doc(document_of(key))
        return index.children.get(key) if index else None

    def _total(self, key: str, *, metrics: bool) -> int:
        """A node's count with everything below it: a document's from the catalog, a section's from its shard."""
        from ..readmodel import document_of

        if key in self._doc_position and key not in self._docs:
            return self.store.counts(key)[0 if metrics else 1]
        index = self.doc(document_of(key))
        if index is None:
            return 0
        return (index.metric_total if metrics else index.event_total).get(key, 0)

    # -- tree -----------------------------------------------------------------------------------
    @staticmethod
    def short_title(doc: Document) -> str:
        """The tree already shows the year: drop the report's name before " · "."""
        if doc.kind == "reply" and doc.doc_number:
            return f"答复 {doc.doc_number}"
        head, sep, tail = doc.title.partition(" · ")
        return tail if sep and tail else doc.title

    def year_totals(self, year: int | None) -> tuple[int, int]:
        """The counts of the year's documents (what the tree shows beside the year), from the catalog."""
        metrics = events = 0
        for doc_id in self._ids_by_year.get(year, ()):
            m, e = self.store.counts(doc_id)
            metrics += m
            events += e
        return metrics, events

    # -- scopes ---------------------------------------------------------------------------------
    def needs_worker(self, node: NodeRef | None, view: str) -> bool:
        """True when showing `view` for `node` reads a whole year (metrics or timeline)
        that is not loaded yet: the browser reads it in a worker, with a loading line."""
        if view == "timeline":
            year = self.year_of(node)
            return year is not None and year not in self._year_events
        if view == "metrics" and node is not None and node.kind == "year":
            return year_of_key(node.key) not in self._year_metrics
        return False

    def metrics_for(self, node: NodeRef | None, cancelled: Callable[[], bool] | None = None) -> Sequence[Metric]:
        """The node's metrics and its descendants', in reading order (document, section, line).
        A year's come from the store's per-year index (a worker calls this; `cancelled` lets
        it stop early when the user has moved on)."""
        if node is None:
            return []
        if node.kind == "year":
            return self.year_metrics(year_of_key(node.key), cancelled)
        if node.kind == "document":
            index = self.doc(node.key)
            return [m for s in index.sections for m in index.metrics_by_section.get(s.id, ())] if index else []
        from ..readmodel import document_of

        index = self.doc(document_of(node.key))
        return index.metrics_below(node.key) if index else []

    def year_metrics(self, year: int | None, cancelled: Callable[[], bool] | None = None) -> Sequence[Metric]:
        cached = self._year_metrics.get(year)
        if cached is not None:
            return cached
        found: Sequence[Metric]
        if year is None:  # undated documents: no index year of their own, read their shards
            found = [m for d in self.documents_in(None) for m in self.metrics_for(NodeRef("document", d.id))]
        else:
            from ..readmodel import metrics_of_year

            collected = metrics_of_year(self.store, year, cancelled)
            if collected is None:
                return []
            found = collected
        _remember(self._year_metrics, year, found, self.YEARS_KEPT)
        return found

    def events_of_year(self, year: int | None, cancelled: Callable[[], bool] | None = None) -> list[Event]:
        """The year's events (the timeline), from the store's per-year index, by date."""
        if year is None:
            return []
        cached = self._year_events.get(year)
        if cached is not None:
            return cached
        from ..readmodel import events_of_year

        found = events_of_year(self.store, year, cancelled)
        if found is None:
            return []
        _remember(self._year_events, year, found, self.YEARS_KEPT)
        return found

    def sections_for(self, node: NodeRef) -> list[Section]:
        """The sections a node shows in the reader (a year shows a list of documents instead)."""
        if node.kind == "year":
            return []
        if node.kind == "document":
            return self._sections_of(node.key) or []
        from ..readmodel import descendants, document_of

        index = self.doc(document_of(node.key))
        return descendants(index.sections, node.key) if index else []

    def document_of(self, node: NodeRef) -> Document | None:
        if node.kind == "document":
            return self.document_by_id.get(node.key)
        if node.kind == "section":
            from ..readmodel import document_of

            return self.document_by_id.get(document_of(node.key))
        return None

    def year_of(self, node: NodeRef | None) -> int | None:
        if node is None:
            return self.years[0] if self.years else None
        if node.kind == "year":
            return year_of_key(node.key)
        doc = self.document_of(node)
        return doc.year if doc else None

    # -- navigation -----------------------------------------------------------------------------
    def neighbour(self, section_id: str | None, step: int) -> Section | None:
        """The previous/next section in reading order, across chapters and documents
        (the next document's shard is read when the walk crosses into it)."""
        from ..readmodel import document_of

        if section_id is not None:
            index = self.doc(document_of(section_id))
            if index is not None and section_id in index.position:
                k = index.position[section_id] + step
                if 0 <= k < len(index.sections):
                    return index.sections[k]
                return self._first_section(self._doc_position[index.document.id] + step, step)
        return self._first_section(0 if step > 0 else len(self.document_ids) - 1, step)

    def _first_section(self, start: int, step: int) -> Section | None:
        k = start
        while 0 <= k < len(self.document_ids):
            index = self.doc(self.document_ids[k])
            if index is not None and index.sections:
                return index.sections[0 if step > 0 else -1]
            k += step
        return None

    def ancestors(self, section: Section) -> list[Section]:
        from ..readmodel import ancestors

        index = self.doc(section.document)
        return ancestors(section, index.section_by_id) if index else []

    def breadcrumb(self, node: NodeRef) -> list[str]:
        if node.kind == "year":
            return [f"{node.key}年" if node.key else "未标年份"]
        from ..readmodel import breadcrumb

        doc = self.document_of(node)
        section = self.section(node.key) if node.kind == "section" else None
        index = self.doc(doc.id) if doc and section else None
        return breadcrumb(doc, section, index.section_by_id if index else {})

    def section_for_line(self, document: str, line: int) -> Section | None:
        from ..readmodel import section_for_line

        index = self.doc(document)
        return section_for_line(index.sections, line) if index else None

    def loaded_sections(self) -> Iterator[Section]:
        """Sections of the documents read so far, in catalog order (the palette offers these)."""
        for doc_id in self.document_ids:
            index = self._docs.get(doc_id)
            if index is not None:
                yield from index.sections


def _remember(cache: OrderedDict, key: Any, value: Any, keep: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > keep:
        cache.popitem(last=False)
