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

    @property
    def label(self) -> str:
        if not self.number:
            return self.title
        joiner = "" if self.number.endswith(("、", "）", ")")) else " "  # 一、总体 but 7.1 科技
        return f"{self.number}{joiner}{self.title}"

    def to_dict(self) -> dict[str, Any]:
        return _shallow(self)


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
        return _shallow(self)


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

    @property
    def date(self) -> str:
        year = f"{self.year:04d}" if self.year else "????"
        day = f"-{self.day:02d}" if self.day else ""
        return f"{year}-{self.month:02d}{day}"

    def to_dict(self) -> dict[str, Any]:
        return _shallow(self)


@dataclass(slots=True)
class ParsedDocument:
    document: Document
    sections: list[Section]
    metrics: list[Metric]
    events: list[Event]
    warnings: list[str] = field(default_factory=list)
