"""The timeline as a calendar: years × 12 months, the policy releases and events
in each cell. One release named twice in one document (a chapter's month list and
its text) is one entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .text import fold

if TYPE_CHECKING:
    from ..model import Event


@dataclass(slots=True)
class Entry:
    event: Event  # the first mention, in reading order
    mentions: list[Event] = field(default_factory=list)

    @property
    def is_policy(self) -> bool:
        return any(e.kind == "policy" for e in self.mentions)


@dataclass(slots=True)
class Cell:
    year: int
    month: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def policies(self) -> int:
        return sum(1 for e in self.entries if e.is_policy)

    @property
    def count(self) -> int:
        return len(self.entries)


@dataclass(slots=True)
class Calendar:
    years: list[int]  # newest first
    cells: dict[tuple[int, int], Cell]

    def cell(self, year: int, month: int) -> Cell:
        return self.cells.get((year, month)) or Cell(year, month)


def build(events: Iterable[Event]) -> Calendar:
    cells: dict[tuple[int, int], Cell] = {}
    seen: dict[tuple, Entry] = {}
    for e in sorted((e for e in events if e.year and 1 <= e.month <= 12),
                    key=lambda e: (e.year, e.month, e.day or 0, e.document, e.line)):
        year = e.year or 0  # undated events were left out above
        key = (e.document, year, e.month, fold(e.title))
        entry = seen.get(key)
        if entry is not None:
            entry.mentions.append(e)
            continue
        entry = seen[key] = Entry(e, [e])
        cell = cells.get((year, e.month))
        if cell is None:
            cell = cells[(year, e.month)] = Cell(year, e.month)
        cell.entries.append(entry)
    years = sorted({y for y, _ in cells}, reverse=True)
    return Calendar(years, cells)
