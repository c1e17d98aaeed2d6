"""Lines → a tree of sections.

Hierarchy comes from the *form* of a heading, never from its `#` count alone:
numbered headings (7, 7.1, 7.1.2) rank by how many parts the number has;
everything unnumbered sits below the numbered heading it follows, ranked by
a strength where a smaller number is a higher level:

    一、 10   （一） 20   1. 30   （1） 40   (Chinese enumerations: same form, same level)
    # headings 100 + 10 × #count (markers » ◆ ■ included), a bare marker 115
    bare short lines 200 after a wide gap (2+ blank lines), 210 after a narrow one
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Final

from ..model import Section
from .clean import has_sentence_punctuation, plain

CN_NUM = "一二三四五六七八九十百零〇两"
MARKERS = "»◆■▶●◇▪►"
MAX_HEADING = 40  # characters; longer bare lines are prose
SPLIT_PIECE = 8  # a heading broken by the PDF conversion comes in pieces this short

_HASHES: Final = re.compile(r"^(#{1,6})\s*(.*)$")
_NUMBERED: Final = re.compile(r"^(?:[—–]+\s*)?(\d{1,2}(?:\s*[.．]\s*\d{1,2}){0,4})(?:\s+|$)(.*)$")
_CHAPTER: Final = re.compile(r"^第\s*([0-9" + CN_NUM + r"]{1,4})\s*(?P<kind>章|篇|部分)\s*(.*)$")
_ENUMS = (
    (re.compile(r"^([" + CN_NUM + r"]{1,3})\s*[、.．]\s*(.+)$"), 10, "{}、"),
    (re.compile(r"^[（(]\s*([" + CN_NUM + r"]{1,3})\s*[）)]\s*(.+)$"), 20, "（{}）"),
    (re.compile(r"^(\d{1,2})\s*[、.．](?![\d.．])\s*(.+)$"), 30, "{}."),
    (re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*(.+)$"), 40, "（{}）"),
)
_MARKER: Final = re.compile(r"^([" + MARKERS + r"])\s*(.+)$")
MONTH_LINE: Final = re.compile(r"^\s*(?:#+\s*)?\**\s*(\d{1,2})\s*月\s*\**\s*$")
_WORDLIKE: Final = re.compile(r"[^\W\d_]")  # a letter of any script (CJK included)
_BRACKETED: Final = re.compile(r"[（(\[【].*[）)\]】]")
_BOLD_NUMBER: Final = re.compile(r"\*\*[^*]*\d|\$[^$]*\d")


@dataclass(slots=True)
class Heading:
    line: int  # 1-based
    last_line: int  # last line the heading text occupies (joined/split headings)
    title: str
    number: str | None
    numbered_depth: int  # 0 when unnumbered
    strength: int  # for unnumbered headings
    marker: str | None = None
    hashes: int = 0


def _is_blank(line: str) -> bool:
    return not line.strip()


def _gap_before(lines: list[str], idx: int) -> int:
    gap = 0
    k = idx - 1
    while k >= 0 and _is_blank(lines[k]):
        gap += 1
        k -= 1
    return gap if k >= 0 else 1  # the top of a file is no visual gap


def _is_prose_like(text: str) -> bool:
    return (
        has_sentence_punctuation(text)
        or text.endswith(("。", "；", "…"))
        or len(text) > MAX_HEADING
        or _WORDLIKE.search(text) is None
    )


def _wholly_bracketed(text: str) -> bool:
    return bool(_BRACKETED.fullmatch(text))


_LONGEST_PREFIX = 14  # characters a numbering (7.1.2.3.4, 第十二章, （十二）) takes before its title


def _surely_prose(text: str) -> bool:
    """Too long to be a heading's title whatever markup and numbering it carries:
    a cheap test that spares most paragraphs the full classification."""
    if "<" in text:
        return False
    removable = sum(text.count(ch) for ch in "*$\\ \t\u3000—–")
    return len(text) - removable - _LONGEST_PREFIX > MAX_HEADING


def _classify(text: str, hashes: int, isolated: bool) -> Heading | None:
    """A heading found in one line's text (hashes already stripped), or None."""
    if not hashes and _surely_prose(text):
        return None
    m = _NUMBERED.match(text)
    if m:
        number = re.sub(r"\s|．", lambda x: "" if x.group().isspace() else ".", m.group(1))
        title = plain(m.group(2))
        if not title or (not _is_prose_like(title) and not title[0].isdigit()):
            if title or hashes or isolated:
                depth = number.count(".") + 1
                return Heading(0, 0, title, number, depth, 0)
    m = _CHAPTER.match(text)
    if m and (hashes or isolated) and not _is_prose_like(plain(m.group(3)) or "章"):
        return Heading(0, 0, plain(m.group(3)), f"第{m.group(1)}{m.group('kind')}", 1, 0)
    for pattern, strength, shape in _ENUMS:
        m = pattern.match(text)
        if m:
            title = plain(m.group(2))
            if hashes or (isolated and not _is_prose_like(title.rstrip("。"))):
                return Heading(0, 0, title, shape.format(m.group(1)), 0, strength)
            return None
    m = _MARKER.match(text)
    if m:
        title = plain(m.group(2))
        if hashes or not _is_prose_like(title):
            strength = 100 + 10 * hashes if hashes else 115
            return Heading(0, 0, title, None, 0, strength, marker=m.group(1))
        return None
    title = plain(text)
    if hashes and title:
        return Heading(0, 0, title, None, 0, 100 + 10 * hashes)
    if isolated and title and not _is_prose_like(title) and not _wholly_bracketed(title):
        return Heading(0, 0, title, None, 0, 0)  # strength set from the gap
    return None


# list items, table rows and month lines in one anchored pattern: one try per line
_CONTENT_START: Final = re.compile(
    r"\s*(?:[-*+•·]\s|□|☐|√|\d{1,2}[)）]\s|\||<t[rdh]|<table"
    r"|(?:#+\s*)?\**\s*\d{1,2}\s*月\s*\**\s*$)"
)


def _is_content_line(line: str) -> bool:
    return "\t" in line or _CONTENT_START.match(line) is not None


def find_headings(lines: list[str], meta_lines: set[int]) -> list[Heading]:
    headings: list[Heading] = []
    n = len(lines)
    idx = 0
    while idx < n:
        raw = lines[idx]
        if _is_blank(raw) or (idx + 1) in meta_lines or _is_content_line(raw):
            idx += 1
            continue
        # a block: consecutive non-blank lines
        end = idx
        while end + 1 < n and not _is_blank(lines[end + 1]) and (end + 2) not in meta_lines:
            end += 1
        block = [lines[k].strip() for k in range(idx, end + 1)]
        gap = _gap_before(lines, idx)
        heading = None
        if len(block) == 1:
            m = _HASHES.match(block[0])
            hashes, text = (len(m.group(1)), m.group(2).strip()) if m else (0, block[0])
            if not _BOLD_NUMBER.search(text) or hashes:
                heading = _classify(text, hashes, isolated=True)
                if heading is not None:
                    heading.hashes = hashes
        elif all(
            len(piece) <= SPLIT_PIECE and not has_sentence_punctuation(piece)
            and not _is_content_line(piece) and not piece.startswith("#")
            for piece in block
        ):
            joined = "".join(plain(p) for p in block)
            if not _is_prose_like(joined):
                heading = Heading(0, 0, joined, None, 0, 0)
        else:
            # a # heading line may open a block of prose (no blank line after it)
            m = _HASHES.match(block[0])
            if m:
                heading = _classify(m.group(2).strip(), len(m.group(1)), isolated=True)
                end = idx
        if heading is not None:
            heading.line = idx + 1
            heading.last_line = end + 1
            if heading.numbered_depth == 0 and heading.strength == 0:
                heading.strength = 200 if gap >= 2 else 210
            headings.append(heading)
        idx = end + 1
    return _merge_bare_numbers(lines, headings)


def _merge_bare_numbers(lines: list[str], headings: list[Heading]) -> list[Heading]:
    """`# 7` followed by `## 营造…`: one heading, number from the first, title from the second."""
    merged: list[Heading] = []
    k = 0
    while k < len(headings):
        h = headings[k]
        if h.number and not h.title and k + 1 < len(headings):
            nxt = headings[k + 1]
            between = lines[h.last_line : nxt.line - 1]
            if nxt.number is None and nxt.marker is None and all(_is_blank(x) for x in between):
                h.title = nxt.title
                h.last_line = nxt.last_line
                merged.append(h)
                k += 2
                continue
        if h.number and not h.title and not h.hashes:
            k += 1  # a lone number with no title: a page number, not a heading
            continue
        merged.append(h)
        k += 1
    return merged


def _component(h: Heading) -> str:
    if h.number:
        return h.number
    digest = hashlib.sha1(h.title.encode("utf-8")).hexdigest()[:6]
    return f"t{digest}"


def build_sections(
    lines: list[str], meta_lines: set[int], doc_id: str, doc_title: str
) -> list[Section]:
    headings = find_headings(lines, meta_lines)
    sections: list[Section] = []
    used_ids: set[str] = set()

    def make_id(parent: Section | None, comp: str) -> str:
        base = f"{parent.id}/{comp}" if parent else f"{doc_id}/{comp}"
        sid, k = base, 2
        while sid in used_ids:
            sid = f"{base}~{k}"
            k += 1
        used_ids.add(sid)
        return sid

    first_heading = headings[0].line if headings else len(lines) + 1
    has_lead = any(
        not _is_blank(lines[k]) and (k + 1) not in meta_lines for k in range(first_heading - 1)
    )
    # A document that starts inside a chapter: what comes before its first numbered
    # heading belongs to the previous chapter, so it is kept under the lead.
    first_numbered = next((h for h in headings if h.numbered_depth), None)
    lead_adopts = first_numbered is not None and headings[0] is not first_numbered
    has_lead = has_lead or lead_adopts
    if has_lead or not headings:
        sections.append(
            Section(
                id=make_id(None, "lead"), document=doc_id, parent=None, level=1,
                number=None, title="前文" if headings else (doc_title or "正文"),
                line=1, start=1, end=first_heading - 1, order=0,
            )
        )

    stack: list[tuple[Heading, Section]] = []
    if lead_adopts:
        stack.append((Heading(1, 1, "", None, 0, 0), sections[0]))
    for h in headings:
        if h.numbered_depth:
            while stack and (
                stack[-1][0].numbered_depth == 0 or stack[-1][0].numbered_depth >= h.numbered_depth
            ):
                stack.pop()
        else:
            while stack and stack[-1][0].numbered_depth == 0 and stack[-1][0].strength >= h.strength:
                stack.pop()
        parent = stack[-1][1] if stack else None
        section = Section(
            id=make_id(parent, _component(h)), document=doc_id,
            parent=parent.id if parent else None, level=len(stack) + 1,
            number=h.number, title=h.title or (h.number or ""), line=h.line,
            start=h.line, end=h.line, order=len(sections), marker=h.marker,
        )
        section.body_line = h.last_line + 1
        sections.append(section)
        stack.append((h, section))

    if sections and not has_lead and headings:
        sections[0].start = 1  # blank or meta lines above the first heading
    for k, section in enumerate(sections):
        section.end = sections[k + 1].start - 1 if k + 1 < len(sections) else len(lines)
        if section.number is None and section.id.endswith("/lead"):
            section.body_line = section.start
        first, last = section.body_line, section.end
        body = [
            "" if (no in meta_lines) else lines[no - 1] for no in range(first, last + 1)
        ]
        section.body = "\n".join(body)
    return sections
