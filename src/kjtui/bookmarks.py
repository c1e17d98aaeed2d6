"""Bookmarks on sections and metrics, kept in the user data dir (no Textual here).

A bookmark names its place by the section's stable id (document id plus heading
path, the same across `ingest --rebuild`) and a text anchor: the section's label,
or the metric's label and its text as written. Metric ids are positions in a
document and may change when the parser does, so a metric is found again by its
anchor inside its section, and only then by id.

The file is JSON, written atomically. A file that cannot be read is never
rewritten or replaced: adding a bookmark then fails with a message naming it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from . import atomic, locations
from .model import Metric, Section

BookmarkKind = Literal["section", "metric"]
VERSION = 1
FIELDS = ("kind", "section", "anchor", "raw", "metric", "document", "title", "year", "added")


class BookmarkError(Exception):
    """The bookmarks file cannot be used; one line for the user, naming the file."""


@dataclass
class Bookmark:
    kind: BookmarkKind
    section: str  # stable section id
    anchor: str  # the section's label, or the metric's label
    raw: str | None = None  # a metric's text as written (**47**个)
    metric: str | None = None  # the metric's id when it was made (a hint only)
    document: str = ""  # the document's title, for listing
    title: str = ""  # what a list shows
    year: int | None = None
    added: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Two bookmarks on the same place have the same key."""
        return (self.kind, self.section, self.anchor, self.raw or "")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: data[k] for k in FIELDS}


def for_section(section: Section, document_title: str, year: int | None) -> Bookmark:
    return Bookmark("section", section.id, section.label, document=document_title,
                    title=section.label, year=year)


def for_metric(metric: Metric, section: Section | None, document_title: str) -> Bookmark:
    from .formatting import written

    where = f" · {section.label}" if section is not None else ""
    return Bookmark("metric", metric.section, metric.label, raw=metric.raw, metric=metric.id,
                    document=document_title, title=f"{metric.label} {written(metric)}{where}", year=metric.year)


def load(path: Path | None = None) -> list[Bookmark]:
    """The bookmarks in `path` (default: the user's); none when there is no file.
    Raises BookmarkError for a file that is not a bookmarks file: it is left alone."""
    path = path or locations.bookmarks_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise BookmarkError(f"{path}: cannot read ({exc.strerror}); check its permissions") from None
    try:
        parsed = json.loads(data.decode("utf-8"))
        items = parsed["bookmarks"] if isinstance(parsed, dict) else None
        if not isinstance(items, list):
            raise ValueError("no bookmarks list")
        out = []
        for item in items:
            kind = item.get("kind")
            if kind not in ("section", "metric") or not isinstance(item.get("section"), str):
                raise ValueError("a bookmark without a kind or section")
            out.append(Bookmark(**{k: item[k] for k in FIELDS if k in item}))
        return out
    except (ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError) as exc:
        raise BookmarkError(f"{path}: not a kjtui bookmarks file ({exc}); kjtui leaves it as it is — "
                            "fix it or move it aside") from None


def save(bookmarks: list[Bookmark], path: Path | None = None) -> None:
    path = path or locations.bookmarks_path()
    text = json.dumps({"version": VERSION, "bookmarks": [b.to_json() for b in bookmarks]},
                      ensure_ascii=False, indent=2)
    try:
        atomic.write_text(path, text + "\n")
    except OSError as exc:
        raise BookmarkError(f"{path}: cannot write ({exc.strerror}); check the folder's permissions") from None


def toggle(bookmark: Bookmark, path: Path | None = None) -> bool:
    """Add the bookmark, or remove the one on the same place. True when added.
    An unreadable file raises BookmarkError before anything is written."""
    current = load(path)
    kept = [b for b in current if b.key != bookmark.key]
    added = len(kept) == len(current)
    save(kept + [bookmark] if added else kept, path)
    return added


def is_marked(bookmark: Bookmark, bookmarks: Iterable[Bookmark]) -> bool:
    return any(b.key == bookmark.key for b in bookmarks)


def resolve(bookmark: Bookmark, section_by_id: Mapping[str, Section], sections_of: Callable[[str], Iterable[Section]],
            metrics_in: Callable[[str], Iterable[Metric]]) -> tuple[Section, Metric | None] | None:
    """Where a bookmark points now: its section by id, else the section with its label
    in the same document (document ids are stable: file name and year); for a metric,
    the one in that section with the same label and text, else the same id. None when
    it is gone. `sections_of(document_id)` and `metrics_in(section_id)` read the store."""
    section = section_by_id.get(bookmark.section)
    document = bookmark.section.split("/", 1)[0]
    if section is None and bookmark.kind == "section":
        section = next((s for s in sections_of(document) if s.label == bookmark.anchor), None)
    if section is None and bookmark.kind == "metric":
        section = next((s for s in sections_of(document)
                        if any(m.label == bookmark.anchor and m.raw == bookmark.raw for m in metrics_in(s.id))), None)
    if section is None:
        return None
    if bookmark.kind == "section":
        return section, None
    metrics = list(metrics_in(section.id))
    metric = next((m for m in metrics if m.label == bookmark.anchor and m.raw == bookmark.raw), None)
    if metric is None:
        metric = next((m for m in metrics if m.id == bookmark.metric), None)
    return (section, metric) if metric is not None else None
