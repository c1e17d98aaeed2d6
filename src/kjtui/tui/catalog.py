"""Indexes over the store for the browser: the tree, counts, reading order,
and a node's metrics and events. Plain Python (no Textual), so it is tested
and benchmarked on its own."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the browser imports the model and store only once it loads data, after first paint
    from ..model import Document, Event, Metric, Section
    from ..store import Store


class NodeRef(NamedTuple):  # a tuple, not a dataclass: a third of the cost to define at start-up
    kind: str  # "year" | "document" | "section"
    key: str  # the year as text, a document id, or a section id


class Catalog:
    def __init__(self, store: Store) -> None:
        from .. import sanitize

        # the browser's one door for records: whatever the store holds (written by hand or
        # by an older kjtui), no escape sequence, control or bidi override gets past here
        self.documents: list[Document] = store.documents()
        sanitize.scrub(self.documents, sanitize.DOCUMENT_TEXT)
        self.document_by_id = {d.id: d for d in self.documents}
        self.section_by_id: dict[str, Section] = {}
        self.children: dict[str, list[Section]] = defaultdict(list)  # parent section id or document id
        self.sections_by_doc: dict[str, list[Section]] = defaultdict(list)
        all_sections = store.sections()
        sanitize.scrub(all_sections, sanitize.SECTION_TEXT)
        for section in sorted(all_sections, key=lambda s: s.order):
            self.section_by_id[section.id] = section
            self.sections_by_doc[section.document].append(section)
            self.children[section.parent or section.document].append(section)
        self.metrics_by_section: dict[str, list[Metric]] = defaultdict(list)
        all_metrics = store.metrics()
        sanitize.scrub(all_metrics, sanitize.METRIC_TEXT)
        for metric in all_metrics:
            self.metrics_by_section[metric.section].append(metric)
        self.events_by_section: dict[str, list[Event]] = defaultdict(list)
        self.events_by_year: dict[int, list[Event]] = defaultdict(list)
        all_events = store.events()
        sanitize.scrub(all_events, sanitize.EVENT_TEXT)
        for event in all_events:
            self.events_by_section[event.section].append(event)
            if event.year:
                self.events_by_year[event.year].append(event)
        self.metric_total: dict[str, int] = defaultdict(int)
        self.event_total: dict[str, int] = defaultdict(int)
        for doc_id, sections in self.sections_by_doc.items():
            for section in reversed(sections):  # children come after parents in reading order
                self.metric_total[section.id] += len(self.metrics_by_section.get(section.id, ()))
                self.event_total[section.id] += len(self.events_by_section.get(section.id, ()))
                up = section.parent or doc_id
                self.metric_total[up] += self.metric_total[section.id]
                self.event_total[up] += self.event_total[section.id]
        self.years: list[int] = sorted({d.year for d in self.documents if d.year} | set(self.events_by_year), reverse=True)
        self.reading_order: list[Section] = [s for d in self.documents for s in self.sections_by_doc.get(d.id, [])]
        self.position = {s.id: k for k, s in enumerate(self.reading_order)}  # section id → place in reading order

    # -- tree ---------------------------------------------------------------
    @staticmethod
    def short_title(doc: Document) -> str:
        """The tree already shows the year: drop the report's name before " · "."""
        if doc.kind == "reply" and doc.doc_number:
            return f"答复 {doc.doc_number}"
        head, sep, tail = doc.title.partition(" · ")
        return tail if sep and tail else doc.title

    def documents_in(self, year: int | None) -> list[Document]:
        return [d for d in self.documents if d.year == year]

    def year_totals(self, year: int | None) -> tuple[int, int]:
        docs = self.documents_in(year)
        return sum(self.metric_total[d.id] for d in docs), sum(self.event_total[d.id] for d in docs)

    # -- scopes -------------------------------------------------------------
    def metrics_for(self, node: NodeRef | None) -> list[Metric]:
        """The node's metrics and its descendants', in reading order (section, then line)."""
        if node is None:
            return [m for s in self.reading_order for m in self.metrics_by_section.get(s.id, ())]
        return [m for s in self._sections_for(node) for m in self.metrics_by_section.get(s.id, ())]

    def _sections_for(self, node: NodeRef) -> list[Section]:
        if node.kind == "year":
            year = int(node.key) if node.key.isdigit() else None
            return [s for d in self.documents_in(year) for s in self.sections_by_doc.get(d.id, [])]
        if node.kind == "document":
            return self.sections_by_doc.get(node.key, [])
        section = self.section_by_id.get(node.key)
        if section is None:
            return []
        prefix = section.id + "/"
        return [s for s in self.sections_by_doc[section.document] if s.id == section.id or s.id.startswith(prefix)]

    def sections_for(self, node: NodeRef) -> list[Section]:
        return self._sections_for(node)

    def document_of(self, node: NodeRef) -> Document | None:
        if node.kind == "document":
            return self.document_by_id.get(node.key)
        if node.kind == "section":
            section = self.section_by_id.get(node.key)
            return self.document_by_id.get(section.document) if section else None
        return None

    def year_of(self, node: NodeRef | None) -> int | None:
        if node is None:
            return self.years[0] if self.years else None
        if node.kind == "year":
            return int(node.key) if node.key.isdigit() else None
        doc = self.document_of(node)
        return doc.year if doc else None

    # -- navigation ---------------------------------------------------------
    def neighbour(self, section_id: str | None, step: int) -> Section | None:
        """The previous/next section in reading order, across chapters and documents."""
        if not self.reading_order:
            return None
        if section_id is None or section_id not in self.position:
            return self.reading_order[0 if step > 0 else -1]
        k = self.position[section_id] + step
        return self.reading_order[k] if 0 <= k < len(self.reading_order) else None

    def ancestors(self, section: Section) -> list[Section]:
        chain: list[Section] = []
        node = self.section_by_id.get(section.parent) if section.parent else None
        while node is not None:
            chain.append(node)
            node = self.section_by_id.get(node.parent) if node.parent else None
        return list(reversed(chain))

    def breadcrumb(self, node: NodeRef) -> list[str]:
        if node.kind == "year":
            return [f"{node.key}年"]
        doc = self.document_of(node)
        crumbs = [doc.title] if doc else []
        if node.kind == "section" and node.key in self.section_by_id:
            section = self.section_by_id[node.key]
            crumbs += [a.label for a in self.ancestors(section)] + [section.label]
        return crumbs

    def section_for_line(self, document: str, line: int) -> Section | None:
        found = None
        for section in self.sections_by_doc.get(document, []):
            if section.start <= line:
                found = section
        return found
