"""A node's text as display blocks for the reader: each section's heading, then
the body blocks the ingest layer stored with it (paragraphs, list items, month
lists, table rows), each remembering the source lines it came from. Nothing here
reads the text itself: the layout is the one the export writes too."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Section


@dataclass(slots=True)
class Block:
    kind: str  # "heading" | "para" | "item" | "month" | "row"
    text: str  # Markdown-ish: **bold** kept for numbers and emphasis; a row's cells joined by "\t"
    first: int  # source lines covered
    last: int
    level: int = 0
    section: str = ""


def section_blocks(sections: list[Section], top_level: int) -> list[Block]:
    """`sections`: in reading order, with their stored blocks."""
    blocks: list[Block] = []
    for section in sections:
        marker = f"{section.marker} " if section.marker else ""
        if not (section.number is None and section.id.endswith("/lead")):  # the lead is the document's own text
            blocks.append(Block("heading", marker + section.label, section.line, section.body_line - 1,
                                section.level - top_level + 1, section.id))
        blocks.extend(Block(b.kind, b.text, b.first, b.last, section=section.id) for b in section.blocks)
    return blocks
