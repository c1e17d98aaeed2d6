"""Full-text search over every section of every document.

Chinese substring semantics: a query of one or more characters matches wherever
it occurs (no word segmentation); several space-separated terms must all occur
in one section. The index is one string: every section's title and body folded
(see text.fold) and joined by a separator no term contains, so a query is a few
`str.find`/`str.count` calls in C. A hit knows only its section; the sentences and
the highlighted spans are worked out (fold_offsets) for the hits actually shown.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .source import Shard, Source
from .text import display, fold, fold_offsets, sentence_bounds, terms_of

if TYPE_CHECKING:
    from ..model import Document, Section

SEP = "\n"  # folding removes every line break, so no term can span two sections
TITLE_WEIGHT = 5  # a term in a section's heading counts as much as five in its body
MAX_SECTIONS = 10000  # sections examined per query at most (a one-character query on a huge store)


@dataclass(slots=True)
class Match:
    """One sentence holding one or more occurrences of the query's terms."""

    line: int  # source line of the first occurrence
    text: str  # the sentence as shown (marks removed)
    spans: list[tuple[int, int]]  # occurrences in `text`
    needle: str  # the first occurrence as shown, for the reader's highlight


@dataclass(slots=True)
class Hit:
    """A section where every term occurs."""

    document: Document
    number: int  # the section's place in the index
    path: str  # heading path, " › "-joined
    score: int
    terms: list[str]
    index: SearchIndex = field(repr=False)
    _section: SectionRef | None = field(default=None, repr=False)
    _matches: list[Match] | None = field(default=None, repr=False)

    @property
    def section(self) -> SectionRef:
        if self._section is None:
            self._section = SectionRef(self.index, self.number)
        return self._section

    @property
    def matches(self) -> list[Match]:
        if self._matches is None:
            self._matches = section_matches(self.section, self.terms)
        return self._matches


@dataclass(slots=True)
class Results:
    query: str
    terms: list[str]
    hits: list[Hit]  # grouped by document (most relevant document first), reading order inside
    truncated: bool = False  # stopped after MAX_SECTIONS sections
    total: int | None = None  # sections found (hits may hold only the first `keep` of them)
    document_count: int | None = None

    @property
    def sections(self) -> int:
        return len(self.hits) if self.total is None else self.total

    @property
    def documents(self) -> int:
        if self.document_count is not None:
            return self.document_count
        return len({h.document.id for h in self.hits})


def _original(section: Section | SectionRef) -> str:
    """The text a section is searched in: its heading, a line break, its body."""
    return f"{section.label}\n{section.body}"


def _line_at(section: Section | SectionRef, offset: int) -> int:
    head = len(section.label) + 1
    if offset < head:
        return section.line
    return (section.body_line or section.line) + section.body.count("\n", 0, offset - head)


def section_matches(section: Section | SectionRef, terms: list[str]) -> list[Match]:
    """Every sentence of the section holding a term, in order, spans highlighted."""
    original = _original(section)
    folded, ends = fold_offsets(original)
    spans: list[tuple[int, int]] = []
    for term in terms:
        at = folded.find(term)
        while at != -1:
            spans.append((bisect_right(ends, at), bisect_right(ends, at + len(term) - 1) + 1))
            at = folded.find(term, at + len(term))
    spans.sort()
    out: list[Match] = []
    k = 0
    while k < len(spans):
        lo, hi = sentence_bounds(original, spans[k][0], spans[k][1])
        group = []
        while k < len(spans) and spans[k][0] < hi:
            s, e = spans[k]
            if e > hi:  # an occurrence running past the sentence end extends it
                hi = e
            group.append((s, e))
            k += 1
        shown, where = display(original, lo, hi)
        marks = [(where(s), where(e)) for s, e in group]
        first = marks[0]
        out.append(Match(_line_at(section, group[0][0]), shown, marks, shown[first[0]:first[1]]))
    return out


def _score(hay: str, terms: list[str], start: int, end: int, title_end: int, score: int) -> int:
    """`score` plus each term's count in hay[start:end] (a term in the heading counts more);
    0 when a term is missing: every term must be in the section."""
    for t in terms:
        n = hay.count(t, start, end)
        if n == 0:
            return 0
        score += n + (TITLE_WEIGHT if hay.find(t, start, title_end) != -1 else 0)
    return score


class SectionRef:
    """A section as the index remembers it (ids, heading, lines); its text is read
    from the index file only when a hit in it is shown."""

    __slots__ = ("id", "document", "label", "title", "line", "body_line", "_index", "_k")

    def __init__(self, index: SearchIndex, k: int) -> None:
        self._index, self._k = index, k
        self.id = index._ids[k]
        self.document = index.documents[index._doc_of[k]].id
        self.label = index._labels[k]
        self.title = index._titles[k]
        self.line = index._lines[k]
        self.body_line = index._body_lines[k]

    @property
    def body(self) -> str:
        return self._index.original(self._k)[len(self.label) + 1:]


class SearchIndex:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self._starts: list[int] = []  # offset of each section's text in the haystack
        self._title_ends: list[int] = []
        self._ids: list[str] = []
        self._labels: list[str] = []
        self._titles: list[str] = []
        self._lines: list[int] = []
        self._body_lines: list[int] = []
        self._paths: list[str] = []
        self._doc_of: list[int] = []  # index into self.documents
        self._originals: list[str] | None = []  # heading + body of each section (None: in the index file)
        self._read_original: Any = None  # k → that text, for an index loaded from its file
        self.documents: list[Document] = []
        self._year_span: dict[int | None, tuple[int, int]] = {}  # first and last+1 section of a year
        self._previous: tuple[list[str], int | None, list[int], bool] | None = None  # the last query's sections
        self._size = 0
        self.haystack = ""

    @classmethod
    def build(cls, source: Source, progress: Callable[[int, int], None] | None = None) -> SearchIndex:
        """Every document's sections, read one document at a time; `progress(done, total)`
        is called every hundred documents."""
        index = cls()
        total = len(source.documents())
        for done, shard in enumerate(source.iter_shards(), 1):
            index.add(shard)
            if progress is not None and done % 100 == 0:
                progress(done, total)
        index.finish()
        return index

    def add(self, shard: Shard) -> None:
        doc_no = len(self.documents)
        self.documents.append(shard.document)
        by_id = {s.id: s for s in shard.sections}
        first = len(self._ids)
        for section in shard.sections:
            title = fold(section.label)
            text = title + fold(section.body)
            self._starts.append(self._size)
            self._title_ends.append(self._size + len(title))
            self._parts.append(text)
            self._size += len(text) + len(SEP)
            self._ids.append(section.id)
            self._labels.append(section.label)
            self._titles.append(section.title)
            self._lines.append(section.line)
            self._body_lines.append(section.body_line or section.line)
            assert self._originals is not None
            self._originals.append(_original(section))
            self._doc_of.append(doc_no)
            chain = [section.label]
            up = by_id.get(section.parent) if section.parent else None
            while up is not None and len(chain) < 12:
                chain.append(up.label)
                up = by_id.get(up.parent) if up.parent else None
            self._paths.append(" › ".join(reversed(chain)))
        year = shard.document.year
        lo, hi = self._year_span.get(year, (first, len(self._ids)))
        self._year_span[year] = (min(lo, first), len(self._ids))

    def finish(self) -> None:
        self.haystack = SEP.join(self._parts) + SEP
        self._parts = []

    def __len__(self) -> int:
        return len(self._ids)

    def original(self, k: int) -> str:
        if self._originals is not None:
            return self._originals[k]
        return self._read_original(k)

    def section(self, k: int) -> SectionRef:
        return SectionRef(self, k)

    def search(self, query: str, *, year: int | None = None, limit: int = MAX_SECTIONS,
               keep: int | None = None) -> Results:
        """Sections holding every term, most relevant document first; `keep`: make hits
        for the first this many only (a screen), the counts still cover them all."""
        terms = terms_of(query)
        if not terms or not self._ids:
            return Results(query, terms, [])
        hay = self.haystack
        lo_sec, hi_sec = 0, len(self._ids)
        if year is not None:
            if year not in self._year_span:
                return Results(query, terms, [])
            lo_sec, hi_sec = self._year_span[year]
        lo = self._starts[lo_sec]
        hi = self._starts[hi_sec] if hi_sec < len(self._starts) else len(hay)
        # scan for the longest term (the rarest, as a rule), test the others section by section
        driver = max(terms, key=len)
        others = [t for t in terms if t != driver]
        starts, title_ends, docs, documents = self._starts, self._title_ends, self._doc_of, self.documents
        last = len(starts) - 1
        scores: list[tuple[int, int]] = []  # (section number, score), in reading order
        truncated = False
        previous = self._previous
        if (previous is not None and previous[1] == year and not previous[3]
                and all(any(o in t for t in terms) for o in previous[0])):
            # typing on: every earlier term is inside a term now, so the sections that hold
            # the new query are among those that held the last one
            for k in previous[2]:
                score = _score(hay, terms, starts[k], starts[k + 1] if k < last else len(hay), title_ends[k], 0)
                if score:
                    scores.append((k, score))
        else:
            found: dict[int, int] = {}  # section number → score of the driving term
            end = -1
            k = -1
            skip = False  # the section is another year's (documents of a year need not be contiguous)
            # every occurrence by one compiled pattern, in C; a section is looked up once
            for m in re.compile(re.escape(driver)).finditer(hay, lo, hi):
                at = m.start()
                if at < end:
                    if not skip:
                        found[k] += 1
                    continue
                k = bisect_right(starts, at) - 1
                end = starts[k + 1] if k < last else len(hay)
                skip = year is not None and documents[docs[k]].year != year
                if skip:
                    continue
                if len(found) >= limit:
                    truncated = True
                    break
                found[k] = 1 + (TITLE_WEIGHT if at < title_ends[k] else 0)
            for k, score in found.items():
                score = _score(hay, others, starts[k], starts[k + 1] if k < last else len(hay), title_ends[k], score)
                if score:
                    scores.append((k, score))
        self._previous = (terms, year, [k for k, _ in scores], truncated)
        by_doc: dict[int, int] = {}
        for k, score in scores:
            by_doc[docs[k]] = by_doc.get(docs[k], 0) + score
        # stable: documents by score, and in reading order (as scanned) within a score and a document
        scores.sort(key=lambda ks: -by_doc[docs[ks[0]]])
        paths = self._paths
        shown = scores if keep is None else scores[:keep]
        hits = [Hit(documents[docs[k]], k, paths[k], score, terms, self) for k, score in shown]
        return Results(query, terms, hits, truncated, len(scores), len(by_doc))


def search_source(source: Source, query: str, *, year: int | None = None) -> Results:
    """One query (the CLI): through the index file when the store has one (see
    index_file), else reading only the documents of `year`."""
    if getattr(source, "store", None) is not None and hasattr(source.store, "stamp"):  # type: ignore[attr-defined]
        from .index_file import open_index

        return open_index(source).search(query, year=year)
    index = SearchIndex()
    docs = [d.id for d in source.documents() if year is None or d.year == year]
    for shard in source.iter_shards(docs):
        index.add(shard)
    index.finish()
    return index.search(query, year=year)


def flatten(results: Results) -> Iterable[tuple[Hit, Match]]:
    for hit in results.hits:
        for match in hit.matches:
            yield hit, match
