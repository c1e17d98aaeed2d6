"""A node's text as display blocks for the reader: headings, paragraphs, list
items and month lists, each remembering the source lines it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..export import LIST_ITEMS, markdown_line, plain_keep_bold
from ..ingest.blocks import continues_sentence
from ..ingest.events import MONTH_ROW
from ..model import Metric, Section

_LIST = re.compile(r"^\s*(?:[-*+•·]\s+|□\s*|☐\s*)")


@dataclass(slots=True)
class Block:
    kind: str  # "heading" | "para" | "item" | "month"
    text: str  # Markdown-ish: **bold** kept for numbers and emphasis
    first: int  # source lines covered
    last: int
    level: int = 0
    section: str = ""


def section_blocks(sections: list[Section], metrics: list[Metric], top_level: int) -> list[Block]:
    by_line: dict[int, list[Metric]] = {}
    for metric in sorted(metrics, key=lambda m: (m.line, int(m.id.rsplit("m", 1)[-1] or 0))):
        by_line.setdefault(metric.line, []).append(metric)
    blocks: list[Block] = []
    for section in sections:
        marker = f"{section.marker} " if section.marker else ""
        blocks.append(Block("heading", marker + section.label, section.line, section.body_line - 1,
                            section.level - top_level + 1, section.id))
        blocks.extend(_body(section, by_line))
    return blocks


def _body(section: Section, by_line: dict[int, list[Metric]]) -> list[Block]:
    out: list[Block] = []
    if not section.body:
        return out
    open_para: Block | None = None
    blank_run = 0
    for k, line in enumerate(section.body.split("\n")):
        no = section.body_line + k
        if not line.strip():
            blank_run += 1
            continue
        row = MONTH_ROW.match(line)
        if row:
            out.append(Block("month", f"{int(row.group(1))}月", no, no, section=section.id))
            items = LIST_ITEMS.findall(row.group(2)) or [row.group(2)]
            out.extend(Block("item", plain_keep_bold(i).strip(), no, no, section=section.id) for i in items)
            open_para = None
            blank_run = 0
            continue
        text = markdown_line(line, by_line.get(no, [])).strip()
        if _LIST.match(line):
            out.append(Block("item", _LIST.sub("", text, count=1), no, no, section=section.id))
            open_para = None
        elif re.fullmatch(r"\d{1,2}\s*月", text):
            out.append(Block("month", text.replace(" ", ""), no, no, section=section.id))
            open_para = None
        elif blank_run == 0 and out and out[-1].kind in {"para", "item"} and out[-1].last == no - 1:
            out[-1].text += text  # a soft line break inside a paragraph or list item
            out[-1].last = no
        elif open_para is not None and blank_run == 1 and continues_sentence(_plain(open_para.text), _plain(text)):
            open_para.text += text  # a sentence the conversion broke across a blank line
            open_para.last = no
        else:
            open_para = Block("para", text, no, no, section=section.id)
            out.append(open_para)
        blank_run = 0
    return out


def _plain(text: str) -> str:
    return text.replace("**", "")
