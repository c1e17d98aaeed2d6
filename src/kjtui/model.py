"""Plain data records shared by every layer. No I/O, no parsing, no UI."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

DOCUMENT_KINDS = ("report", "reply", "document")


def _shallow(record: Any) -> dict[str, Any]:
    """A record as a dict; asdict() would deep-copy every field, which ingest cannot afford."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


@dataclass(slots=True)
class Document:
    id: str
    title: str
    year: int | None
    kind: str  # "report" | "reply" | "document"
    source: str  # file name the text came from
    doc_number: str | None = None
    date: str | None = None  # ISO date of a reply letter's signature
    addressee: str | None = None
    publisher: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # 办理结果, 公开属性, 联系人 …
    notes: list[str] = field(default_factory=list)  # decoding notes, warnings
    origin: str = "user"  # "shipped" for the bundled corpus

    def to_dict(self) -> dict[str, Any]:
        return _shallow(self)


# The to_dict() of the records made by the thousand are written out field by field: compiled
# (mypyc), a dict display is several times faster than a walk over fields(); a test checks that
# each names every field, in order.


@dataclass(slots=True)
class Block:
    """One unit of a section body's layout, made by the ingest layer and stored with
    the section, so the reader and the export show the same paragraphs, lists and
    month lists without parsing text again."""

    kind: str  # "para" | "item" | "month" (a month heading of a month list) | "row" (a table row)
    text: str  # clean text, metric numbers in canonical **bold**; a row's cells joined by "\t"
    first: int  # 1-based source lines the block covers
    last: int

    def to_row(self) -> list[Any]:
        return [self.kind, self.text, self.first, self.last]

    @staticmethod
    def from_row(row: Any) -> Block:
        """From the compact stored row [kind, text, first, last] (or a dict of the fields)."""
        if isinstance(row, dict):
            return Block(str(row["kind"]), str(row["text"]), int(row["first"]), int(row["last"]))
        return Block(str(row[0]), str(row[1]), int(row[2]), int(row[3]))


@dataclass(slots=True)
class Section:
    id: str
    document: str
    parent: str | None
    level: int  # 1 = top of the document's tree
    number: str | None  # "7.1", "一", "（二）" … or None
    title: str
    line: int  # 1-based line of the heading (of the first body line for a lead)
    start: int  # first line that belongs to this section
    end: int  # last line that belongs to this section (inclusive)
    order: int  # position in reading order within the document
    body: str = ""  # the section's own lines, one per source line (meta lines blanked)
    body_line: int = 0  # 1-based source line of the first line in `body`
    marker: str | None = None  # "»", "◆", "■" for marker headings
    blocks: list[Block] = field(default_factory=list)  # the body's layout (ingest.blocks.layout)

    @property
    def label(self) -> str:
        if not self.number:
            return self.title
        joiner = "" if self.number.endswith(("、", "）", ")")) else " "  # 一、总体 but 7.1 科技
        return f"{self.number}{joiner}{self.title}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "document": self.document, "parent": self.parent, "level": self.level,
            "number": self.number, "title": self.title, "line": self.line, "start": self.start,
            "end": self.end, "order": self.order, "body": self.body, "body_line": self.body_line,
            "marker": self.marker, "blocks": [b.to_row() for b in self.blocks],
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Section:
        """A stored section back as a record; unknown keys are ignored, blocks rebuilt."""
        return Section(
            data["id"], data["document"], data.get("parent"), data["level"], data.get("number"),
            data["title"], data["line"], data["start"], data["end"], data.get("order", 0),
            data.get("body", ""), data.get("body_line", 0), data.get("marker"),
            [Block.from_row(r) for r in data.get("blocks") or ()],
        )


@dataclass(slots=True)
class Metric:
    id: str
    document: str
    section: str
    label: str
    value: float
    raw: str
    unit: str
    base_unit: str
    multiplier: float
    normalized: float
    qualifier: str | None
    period: str | None
    line: int
    context: str = ""  # the sentence the number stands in, cleaned
    year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "document": self.document, "section": self.section, "label": self.label,
            "value": self.value, "raw": self.raw, "unit": self.unit, "base_unit": self.base_unit,
            "multiplier": self.multiplier, "normalized": self.normalized, "qualifier": self.qualifier,
            "period": self.period, "line": self.line, "context": self.context, "year": self.year,
        }

    def to_stored(self) -> dict[str, Any]:
        """The row the store and the command line write: year before context (the order
        the CLI has always printed), built compiled for the tens of thousands of an ingest."""
        return {
            "id": self.id, "document": self.document, "section": self.section, "label": self.label,
            "value": self.value, "raw": self.raw, "unit": self.unit, "base_unit": self.base_unit,
            "multiplier": self.multiplier, "normalized": self.normalized, "qualifier": self.qualifier,
            "period": self.period, "line": self.line, "year": self.year, "context": self.context,
        }

    @staticmethod
    def from_dict(row: dict[str, Any]) -> Metric:
        """A stored metric back as a record (compiled: a year of tens of thousands is read at once)."""
        return Metric(
            row["id"], row["document"], row["section"], row["label"], row["value"], row["raw"], row["unit"],
            row["base_unit"], row["multiplier"], row["normalized"], row["qualifier"], row["period"], row["line"],
            row.get("context", ""), row.get("year"),
        )


@dataclass(slots=True)
class Event:
    id: str
    document: str
    section: str
    year: int | None
    month: int
    day: int | None
    end: str | None  # ISO date (or YYYY-MM) where the event spans a range
    title: str
    kind: str  # "policy" | "event"
    text: str
    line: int
    also: list[int] = field(default_factory=list)  # source lines that state the same event again

    @property
    def date(self) -> str:
        year = f"{self.year:04d}" if self.year else "????"
        day = f"-{self.day:02d}" if self.day else ""
        return f"{year}-{self.month:02d}{day}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "document": self.document, "section": self.section, "year": self.year,
            "month": self.month, "day": self.day, "end": self.end, "title": self.title, "kind": self.kind,
            "text": self.text, "line": self.line, "also": self.also,
        }

    @staticmethod
    def from_dict(row: dict[str, Any]) -> Event:
        """A stored event back as a record; `also` absent in older stores, kept only as ints."""
        also = row.get("also")
        return Event(
            row["id"], row["document"], row["section"], row["year"], row["month"], row["day"], row["end"],
            row["title"], row["kind"], row["text"], row["line"],
            [no for no in also if type(no) is int] if type(also) is list else [],
        )


@dataclass(slots=True)
class ParsedDocument:
    document: Document
    sections: list[Section]
    metrics: list[Metric]
    events: list[Event]
    warnings: list[str] = field(default_factory=list)
