"""A section and its subsections → clean Markdown with YAML front matter.

The text comes from the blocks the ingest layer stored with each section (the
same ones the reader shows): paragraphs, list items, month lists, table rows,
metric numbers already in one canonical bold form. Parsing the written file
gives back the section's metrics and events; the front matter carries the year
the events need.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from . import atomic
from .sanitize import clean
from .model import Block, Document, Section

_SAFE = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff._-]+")  # for file names, not document text


class ExportError(Exception):
    """The file cannot be written; the message is one line for the user."""


class FileExists(ExportError):
    """The file is there already and `force` was not given: the browser asks instead."""


def default_filename(document: Document, section: Section) -> str:
    name = section.number or section.title
    slug = _SAFE.sub("-", name).strip("-.") or "section"
    year = document.year or "x"
    return f"{year}-{slug[:60]}.md"


def body_markdown(blocks: list[Block]) -> list[str]:
    """A section's blocks as Markdown lines: a blank line between blocks, none inside
    a run of list items or table rows, month lists as `3月` then `- …` items."""
    out: list[str] = []
    previous = ""
    for block in blocks:
        together = block.kind == previous and block.kind in ("item", "row")
        if out and not together:
            out.append("")
        if block.kind == "item":
            out.append(f"- {block.text}")
        else:
            out.append(block.text)
        previous = block.kind
    return out


def section_path(section: Section, by_id: dict[str, Section]) -> list[str]:
    path: list[str] = []
    node: Section | None = section
    while node is not None:
        path.append(node.label)
        node = by_id.get(node.parent) if node.parent else None
    return list(reversed(path))


def to_markdown(document: Document, section: Section, sections: list[Section]) -> str:
    """`sections`: the document's sections (any order), with their blocks."""
    from .readmodel import descendants  # the one "section and everything below it" test

    by_id = {s.id: s for s in sections}
    tree = sorted(descendants(sections, section.id), key=lambda s: s.order)
    front = {
        "title": section.label,
        "number": section.number,
        "document": document.title,
        "year": document.year,
        "kind": document.kind,
        "source": document.source,
        "section": section.id,
        "path": section_path(section, by_id),
    }
    if document.doc_number:
        front["doc_number"] = document.doc_number
    lines = ["---", yaml.safe_dump(front, allow_unicode=True, sort_keys=False).rstrip(), "---"]
    for node in tree:
        depth = node.level - section.level + 1
        marker = f"{node.marker} " if node.marker else ""
        lines += ["", f"{'#' * min(depth, 6)} {marker}{node.label}"]
        body = body_markdown(node.blocks)
        if body:
            lines.append("")
            lines += body
    return "\n".join(lines) + "\n"


def document_to_markdown(document: Document, sections: list[Section]) -> str:
    """A whole document: its front matter, then every section as `section_markdown` writes it."""
    ordered = sorted(sections, key=lambda s: s.order)
    top = min((s.level for s in ordered), default=1)
    front = {"title": document.title, "document": document.title, "year": document.year,
             "kind": document.kind, "source": document.source}
    if document.doc_number:
        front["doc_number"] = document.doc_number
    lines = ["---", yaml.safe_dump(front, allow_unicode=True, sort_keys=False).rstrip(), "---"]
    for node in ordered:
        marker = f"{node.marker} " if node.marker else ""
        lines += ["", f"{'#' * min(node.level - top + 1, 6)} {marker}{node.label}"]
        body = body_markdown(node.blocks)
        if body:
            lines.append("")
            lines += body
    return "\n".join(lines) + "\n"


def document_filename(document: Document) -> str:
    title = document.title.partition(" · ")[2] or document.title
    slug = _SAFE.sub("-", document.doc_number or title).strip("-.") or "document"
    return f"{document.year or 'x'}-{slug[:60]}.md"


def write(path: Path, text: str, *, force: bool = False) -> Path:
    path = Path(path).expanduser()
    if path.parent.exists() and not path.parent.is_dir():
        raise ExportError(f"{path}: {path.parent} is not a directory; choose another path")
    if path.is_dir():
        raise ExportError(f"{path}: is a directory; give a file name")
    if path.exists() and not force:
        raise FileExists(f"{path}: exists; choose another name or use --force to overwrite")
    try:
        # document text leaves sanitized whatever the store held; a device, FIFO or
        # read-only file is refused by atomic (never replaced), a symlink keeps its link
        atomic.write_text(path, clean(text))
    except PermissionError as exc:
        if "read-only" in (exc.strerror or ""):
            raise ExportError(f"{path}: {exc.strerror}") from None
        raise ExportError(f"{path}: permission denied; choose a folder you can write to") from None
    except atomic.NotARegularFile as exc:
        raise ExportError(f"{path}: {exc.strerror}; choose another path") from None
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror}); choose another path") from None
    return path
