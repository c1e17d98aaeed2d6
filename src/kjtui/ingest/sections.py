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

import bisect
import hashlib
import re
from dataclasses import dataclass
from typing import Final

from ..model import Section
from .clean import has_sentence_punctuation, outside_brackets, plain

CN_NUM: Final = "一二三四五六七八九十百零〇两"
MARKERS: Final = "»◆■▶●◇▪►"
MAX_HEADING: Final = 40  # characters; longer bare lines are prose
SPLIT_PIECE: Final = 8  # a heading broken by the PDF conversion comes in pieces this short

_HASHES: Final = re.compile(r"^(#{1,6})\s*(.*)$")
_NUMBERED: Final = re.compile(r"^(?:[—–]+\s*)?(\d{1,2}(?:\s*[.．]\s*\d{1,2}){0,4})(?:\s+|$)(.*)$")
_CHAPTER: Final = re.compile(r"^第\s*([0-9" + CN_NUM + r"]{1,4})\s*(?P<kind>章|篇|部分)\s*(.*)$")
_ENUMS: Final = (
    (re.compile(r"^([" + CN_NUM + r"]{1,3})\s*[、.．]\s*(.+)$"), 10, "{}、"),
    (re.compile(r"^[（(]\s*([" + CN_NUM + r"]{1,3})\s*[）)]\s*(.+)$"), 20, "（{}）"),
    (re.compile(r"^(\d{1,2})\s*[、.．](?![\d.．])\s*(.+)$"), 30, "{}."),
    (re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*(.+)$"), 40, "（{}）"),
)
_ENUM_FIRST: Final = CN_NUM + "（("  # what an enumeration opens with, besides a digit
_MARKER: Final = re.compile(r"^([" + MARKERS + r"])\s*(.+)$")
MONTH_LINE: Final = re.compile(r"^\s*+(?:#+\s*+)?\**+\s*+(\d{1,2})\s*+月\s*+\**+\s*+$")
_WORDLIKE: Final = re.compile(r"[^\W\d_]")  # a letter of any script (CJK included)
_BRACKETED: Final = re.compile(r"[（(\[【].*[）)\]】]")
_BOLD_NUMBER: Final = re.compile(r"\*\*[^*]*\d|\$[^$]*\d")


class Heading:
    """A plain class, not a dataclass: compiled, its constructor is native (a dataclass's
    generated __init__ stays interpreted), and one is built per candidate line."""

    __slots__ = ("line", "last_line", "title", "number", "numbered_depth", "strength", "marker", "hashes",
                 "unmarked", "bare_strength")

    def __init__(
        self, line: int, last_line: int, title: str, number: str | None, numbered_depth: int, strength: int,
        marker: str | None = None, hashes: int = 0, unmarked: int = 0, bare_strength: int = 0,
    ) -> None:
        self.line = line  # 1-based
        self.last_line = last_line  # last line the heading text occupies (joined/split headings)
        self.title = title
        self.number = number
        self.numbered_depth = numbered_depth  # 0 when unnumbered
        self.strength = strength  # for unnumbered headings
        self.marker = marker
        self.hashes = hashes
        self.unmarked = unmarked  # 二重点任务: a Chinese numbering that lost its 、 (its value; kept only in sequence)
        self.bare_strength = bare_strength  # for an unmarked one on a line of its own: its strength as a bare heading

    def __repr__(self) -> str:
        return (f"Heading(line={self.line!r}, last_line={self.last_line!r}, title={self.title!r}, "
                f"number={self.number!r}, numbered_depth={self.numbered_depth!r}, strength={self.strength!r}, "
                f"marker={self.marker!r}, hashes={self.hashes!r}, unmarked={self.unmarked!r}, "
                f"bare_strength={self.bare_strength!r})")


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
    return (  # the cheap tests first
        len(text) > MAX_HEADING
        or text.endswith(("。", "；", "…"))
        or has_sentence_punctuation(text)
        or _WORDLIKE.search(text) is None
    )


def _wholly_bracketed(text: str) -> bool:
    return bool(_BRACKETED.fullmatch(text))


_LONGEST_PREFIX: Final = 14  # characters a numbering (7.1.2.3.4, 第十二章, （十二）) takes before its title


def _surely_prose(text: str) -> bool:
    """Too long to be a heading's title whatever markup and numbering it carries:
    a cheap test that spares most paragraphs the full classification."""
    size = len(text)
    if size - _LONGEST_PREFIX <= MAX_HEADING or "<" in text:
        return False
    removable = (
        text.count("*") + text.count("$") + text.count("\\") + text.count(" ") + text.count("\t")
        + text.count("\u3000") + text.count("—") + text.count("–")
    )
    return size - removable - _LONGEST_PREFIX > MAX_HEADING


_WHITE: Final = re.compile(r"\s")


def _classify(text: str, hashes: int, isolated: bool) -> Heading | None:
    """A heading found in one line's text (hashes already stripped), or None."""
    if not hashes and _surely_prose(text):
        return None
    first = text[0] if text else ""  # each form below opens with its own kind of character
    digit = first.isdigit()
    m = _NUMBERED.match(text) if digit or first in "—–" else None
    if m:
        number = _WHITE.sub("", m.group(1)).replace("．", ".")  # 7 ．1 → 7.1
        title = plain(m.group(2))
        if not title or (not _is_prose_like(title) and not title[0].isdigit()):
            if title or hashes or isolated:
                depth = number.count(".") + 1
                return Heading(0, 0, title, number, depth, 0)
    m = _CHAPTER.match(text) if first == "第" else None
    if m and (hashes or isolated) and not _is_prose_like(plain(m.group(3)) or "章"):
        return Heading(0, 0, plain(m.group(3)), f"第{m.group(1)}{m.group('kind')}", 1, 0)
    for pattern, strength, shape in _ENUMS if first and (digit or first in _ENUM_FIRST) else ():
        m = pattern.match(text)
        if m:
            title = plain(m.group(2))
            if hashes or (isolated and not _is_prose_like(title.rstrip("。"))):
                return Heading(0, 0, title, shape.format(m.group(1)), 0, strength)
            return None
    m = _MARKER.match(text) if first in MARKERS and first else None
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


# -- enumerations inside blocks, run-in headings, headings inside a line ---------------------

MAX_RUN_IN: Final = 36  # characters of a run-in heading's title (一、强化基础研究。全年投入…)
MAX_LEAD_CLAUSE: Final = 15  # characters of a lead clause that ends in a comma ((二)优化创新生态，……)
ONE_LINE_PAGE: Final = 300  # characters: a line this long is a page flattened to one line
MIN_LEAD_LINE: Final = 50  # a lead clause is a heading only when a long paragraph follows it
_CN_DIGITS: Final = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN: Final = "一二三四五六七八九十"
_FORM_FIRST: Final = _CN + "（(0123456789"  # what a numbering starts with
# (form, strength, shape): 一、 （一） 1. （1） 一是; "shi" opens a paragraph with its lead sentence
_FORMS: Final = (
    ("cn", re.compile(r"([" + _CN + r"]{1,3})\s*[、.．]\s*"), 10, "{}、"),
    ("pcn", re.compile(r"[（(]\s*([" + _CN + r"]{1,3})\s*[）)]\s*"), 20, "（{}）"),
    ("ar", re.compile(r"(\d{1,2})\s*[、.．](?![\d.．])\s*"), 30, "{}."),
    ("par", re.compile(r"[（(]\s*(\d{1,2})\s*[）)]\s*"), 40, "（{}）"),
    ("shi", re.compile(r"([" + _CN + r"]{1,2})是(?![否的])"), 50, "{}是"),
)
_FORMS_CN: Final = (_FORMS[0], _FORMS[4])  # what a numbering opening with 一…十 can be
_FORMS_PAREN: Final = (_FORMS[1], _FORMS[3])
_FORMS_DIGIT: Final = (_FORMS[2],)
# a numbering inside a line: after a sentence end or a space (the match holds that character:
# a pattern that opens with a character class lets the regex engine skip ahead, a lookbehind does not)
# The characters \s matches (those str.isspace() accepts), written out: in a class beside other
# characters, \s is a category the regex engine tests for every character it skips (~35 % slower
# scans). tests/ingest/test_speed_forms_whitespace.py holds them to str.isspace().
WHITE_SPACE_CLASS: Final = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INLINE_MARK: Final = re.compile(
    r"[。！？；;!?" + WHITE_SPACE_CLASS + r"][ \t\u3000]*(?=[（(]?\s*(?:[" + _CN + r"]{1,3}|\d{1,2})\s*(?:[、.．）)]|是))"
)
_UNMARKED_CN: Final = re.compile(
    r"^([" + _CN + r"]{1,2})(?![" + _CN + r"是大个项年类种条级流批期次线中带区化维体点网份位季倍月日号轮届环链些半部])"
    r"([\u4e00-\u9fff][^，,。；;：:！？!?、（）()]{1,18})$"
)
_QUANTITY_START: Final = re.compile(r"^\**\d+(?:\.\d+)?\**\s*(?:万|亿|千)?(?:家|个|项|名|所|件|元|人|台|套|次|%|％|亿|万)")
_SPLIT_CLAUSE: Final = re.compile(r"[，,]")
_COLON: Final = re.compile(r"[：:]")
_INNER_SPACE: Final = re.compile(r"(?<=\S)[ \t\u3000]+(?=\S)")
_NOT_TITLE_PUNCT: Final = re.compile(r"[。；;：:！？!?]")


def cn_number(text: str) -> int:
    """一 … 九十九 (or Arabic digits) → int; 0 when it is not a number."""
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return 10 if text == "十" else _CN_DIGITS.get(text, 0)
    if len(text) == 2 and text[0] == "十":
        return 10 + _CN_DIGITS.get(text[1], 0) if text[1] in _CN_DIGITS else 0
    if len(text) == 2 and text[1] == "十":
        return 10 * _CN_DIGITS.get(text[0], 0)
    if len(text) == 3 and text[1] == "十" and text[0] in _CN_DIGITS and text[2] in _CN_DIGITS:
        return 10 * _CN_DIGITS[text[0]] + _CN_DIGITS[text[2]]
    return 0


def _match_form(line: str, pos: int) -> tuple[str, int, str, int, int] | None:
    """(form, strength, number shape, value, end of the numbering) of a numbering at `pos`."""
    if pos >= len(line):
        return None
    first = line[pos]  # only the forms that can start with this character are tried
    forms = _FORMS_CN if first in _CN else _FORMS_PAREN if first in "（(" else _FORMS_DIGIT
    for form, pattern, strength, shape in forms:
        m = pattern.match(line, pos)
        if m:
            value = cn_number(m.group(1))
            if value:
                return form, strength, shape.format(m.group(1)), value, m.end()
    return None


def _title_ok(title: str) -> bool:
    return 2 <= len(title) <= MAX_RUN_IN and not has_sentence_punctuation(title) and _WORDLIKE.search(title) is not None


def _spaced_title(line: str, q: int, stop: int) -> tuple[str, int] | None:
    """On a page flattened to one line a space ends a title: `（一）创新主体不断壮大 全年新认定…`."""
    m = _INNER_SPACE.search(line, q, min(stop, q + MAX_RUN_IN + 2))
    if m is None or m.start() <= q:
        return None
    title = plain(line[q:m.start()])
    return (title, m.end()) if _spaced_ok(title) and m.end() < stop else None


def _spaced_ok(title: str) -> bool:
    """A title ended by a space may hold commas (创新平台提质增效，载体建设取得新突破), no sentence end."""
    return (
        2 <= len(title) <= MAX_HEADING and _WORDLIKE.search(title) is not None
        and _NOT_TITLE_PUNCT.search(outside_brackets(title)) is None
    )


def _run_in(line: str, q: int, stop: int) -> tuple[str, int] | None:
    """A heading title that opens the text at `q` (up to `stop`) and the column where its body starts.

    `一、强化基础研究。全年投入…`: the title runs to the first 。; `（二）优化创新生态，…` on a long
    line: a short lead clause ending in a comma."""
    dot = line.find("。", q, min(stop, q + MAX_RUN_IN + 4))
    colon = _COLON.search(line, q, min(stop, q + MAX_RUN_IN + 4))
    if colon is not None and (dot == -1 or colon.start() < dot):
        dot = colon.start()  # 1.科技创新方面：全年…
    if dot != -1:
        raw = line[q:dot]
        space = _INNER_SPACE.search(raw)
        if space is not None:  # 一、工作成效 全年新增…。: on a one-line page a space ends the title
            title = plain(raw[:space.start()])
            return (title, q + space.end()) if _spaced_ok(title) else None
        title = plain(raw)
        if _title_ok(title):
            return title, dot + 1
    return None


def _lead_clause(line: str, q: int, stop: int, min_line: int = MIN_LEAD_LINE) -> tuple[str, int] | None:
    if stop - q < min_line:
        return None
    m = _SPLIT_CLAUSE.search(line, q, min(stop, q + MAX_LEAD_CLAUSE + 2))
    if m is None:
        return None
    title = plain(line[q:m.start()])
    return (title, m.end()) if len(title) >= 2 and _title_ok(title) else None


def _enum_line(text: str) -> Heading | None:
    """A whole line that is a numbered heading (一、 （一） 1. （1）) or a lead `一是…。`."""
    if not text or text[0] not in _FORM_FIRST or len(text) > MAX_HEADING + _LONGEST_PREFIX or _BOLD_NUMBER.search(text):
        return None
    found = _match_form(text, 0)
    if found is None:
        m = _UNMARKED_CN.match(text)
        value = cn_number(m.group(1)) if m else 0
        if m is None or not value:
            return None
        return Heading(0, 0, plain(m.group(2)), f"{m.group(1)}、", 0, 10, unmarked=value)
    form, strength, shape, _value, q = found
    rest = text[q:].strip()
    if rest.endswith(("：", ":")) and len(rest) > 2:
        rest = rest[:-1]  # 一、主要做法：
    if rest.endswith("。"):
        title = plain(rest[:-1])  # 一是加大财政支持。 / 一、强化基础研究。
        if not _title_ok(title):
            return None
    elif form == "shi":
        return None
    else:
        title = plain(rest)  # （一）集聚创新要素，创新生态加快构建: commas, no sentence end
        if (
            not title or len(title) > MAX_HEADING or _WORDLIKE.search(title) is None
            or _NOT_TITLE_PUNCT.search(outside_brackets(title)) is not None or _wholly_bracketed(title)
        ):
            return None
    return Heading(0, 0, title, shape, 0, strength)


def _form_at(text: str) -> str:
    found = _match_form(text, 0) if text and text[0] in _FORM_FIRST else None
    return found[0] if found is not None else ""


def _in_a_list(lines: list[str], idx: int, form: str) -> bool:
    """A numbered line that is one item of a list, not a heading: the next line is its sibling
    (1.举办宣讲会8场。 / 2.走访企业120家。) or the previous sibling ends like a list item (…；)."""
    k = idx + 1
    while k < len(lines) and k < idx + 3 and not lines[k].strip():
        k += 1
    if k < len(lines) and _form_at(lines[k].strip()) == form:
        return True
    k = idx - 1
    while k >= 0 and k > idx - 3 and not lines[k].strip():
        k -= 1
    if k >= 0:
        prev = lines[k].strip()
        one_sentence = prev.endswith("。") and prev.count("。") == 1
        return _form_at(prev) == form and (prev.endswith(("；", ";")) or one_sentence)
    return False


def _unbold_numbering(text: str) -> str:
    """`**1. 国家重点实验室**`, `**（一）基础研究**`: a numbered heading set in bold is that heading."""
    if len(text) > 4 and text.startswith("**") and text.endswith("**") and text.count("**") == 2:
        inner = text[2:-2].strip()
        if inner and (_form_at(inner) or _CHAPTER.match(inner)):
            return inner
    return text


def _block_line(text: str) -> Heading | None:
    """A line inside a block of text lines that is a heading of its own: a numbered one
    (一、 （一） 1. （1） 一是…。) or a chapter (第一部分 工作回顾)."""
    text = _unbold_numbering(text)
    found = _enum_line(text)
    if found is None and text.startswith("第") and _CHAPTER.match(text):
        found = _classify(text, 0, isolated=True)
    return found


@dataclass(slots=True)
class Layout:
    """Logical lines: the source lines, with a line cut where a heading starts inside it or a
    run-in heading's title ends. `origin[k]` is the 1-based source line of logical line k + 1."""

    lines: list[str]
    origin: list[int]
    forced: dict[int, Heading]  # 1-based logical line → the heading it holds
    run_in: set[int]  # 1-based logical lines holding a run-in title cut from its paragraph


@dataclass(slots=True)
class _Mark:
    line: int  # 0-based source line
    pos: int  # column of the numbering
    form: str
    value: int
    heading: Heading | None
    body_col: int  # where the heading's body starts in the line (-1: the title runs to the next mark)
    by_clause: bool = False  # its title is a lead clause ending in a comma
    alt: Heading | None = None  # a lead clause on a line too short to be a heading by itself
    alt_col: int = -1
    whole: bool = False  # the whole line is a heading (found again by find_headings)


def _siblings_of_lead_clauses(marks: list[_Mark]) -> None:
    """（一）优化产品设计，…(a long paragraph) then （二）强化政策协同，…(a short one): the second
    is a heading too, because its sibling is."""
    if not any(m.alt is not None for m in marks):
        return
    previous: dict[str, _Mark] = {}
    for mark in marks:
        prev = previous.get(mark.form)
        if mark.alt is not None and prev is not None and (prev.by_clause or prev.whole) and prev.value == mark.value - 1:
            mark.heading, mark.body_col, mark.by_clause = mark.alt, mark.alt_col, True
        previous[mark.form] = mark
    following: dict[str, _Mark] = {}
    for mark in reversed(marks):
        nxt = following.get(mark.form)
        if (
            mark.alt is not None and mark.heading is None and nxt is not None
            and (nxt.by_clause or nxt.whole) and nxt.value == mark.value + 1
        ):
            mark.heading, mark.body_col, mark.by_clause = mark.alt, mark.alt_col, True
        following[mark.form] = mark


def split_layout(lines: list[str], meta_lines: set[int]) -> Layout:
    """Cut lines at run-in headings and at numberings inside a line (a single-line layout).

    A numbering inside a line counts only when its title has a heading's shape and the
    numbering continues a sequence (二 after 一, or a 一 followed by a 二), so prose such as
    `……。二是在…方面更加务实，如…` stays whole. Linear in the text's length."""
    marks: list[_Mark] = []
    for idx, line in enumerate(lines):
        size = len(line)
        lead = size - len(line.lstrip())
        if lead == size or (idx + 1) in meta_lines:
            continue  # blank, or furniture
        opening = _match_form(line, lead) if line[lead] in _FORM_FIRST else None
        if opening is None and size <= MAX_RUN_IN:
            continue  # a short line with no numbering: nothing to cut
        starts: list[int] = []
        if opening is not None:
            starts.append(lead)
        if size > MAX_RUN_IN:
            for m in _INLINE_MARK.finditer(line, lead):
                if m.end() > lead and (not starts or m.end() > starts[-1]):
                    starts.append(m.end())
        for k, pos in enumerate(starts):
            found = opening if pos == lead else _match_form(line, pos)
            if found is None:
                continue
            form, strength, shape, value, q = found
            stop = starts[k + 1] if k + 1 < len(starts) else len(line)
            got = _run_in(line, q, stop)
            if got is not None and pos == lead and not line[got[1]:].strip() and _in_a_list(lines, idx, form):
                got = None  # a list of short sentences, not headings
            if got is None and form != "shi" and (pos != lead or len(line) > ONE_LINE_PAGE):
                got = _spaced_title(line, q, stop)
            alt: tuple[str, int] | None = None
            if got is None and form in ("cn", "pcn") and pos == lead:
                got = _lead_clause(line, q, stop)
                if got is None:
                    alt = _lead_clause(line, q, stop, 0)  # a heading if its siblings are
            body_col = -1
            title = ""
            if got is not None:
                title, body_col = got
            elif pos != lead and form != "shi":
                piece = plain(line[q:stop])
                if piece and _spaced_ok(piece) and stop < len(line):
                    title = piece  # 二、主要做法 （一）…: a title that runs to the next numbering
            if not title:
                mark = _Mark(idx, pos, form, value, None, -1)
                mark.whole = pos == lead and _enum_line(line.strip()) is not None
                if alt is not None and not mark.whole:
                    mark.alt = Heading(0, 0, alt[0], shape, 0, strength)
                    mark.alt_col = alt[1]
                marks.append(mark)
                continue
            if form == "shi" and got is None:
                continue
            mark = _Mark(idx, pos, form, value, Heading(0, 0, title, shape, 0, strength), body_col)
            mark.by_clause = got is not None and body_col > 0 and line[body_col - 1] in "，,"
            marks.append(mark)
    _siblings_of_lead_clauses(marks)
    # a numbering inside a line must continue a sequence of its form
    later_two: dict[str, int] = {}
    for k, mark in enumerate(marks):
        if mark.value == 2 and mark.heading is not None:
            later_two[mark.form] = k
    accepted: list[_Mark] = []
    last: dict[str, int] = {}
    for k, mark in enumerate(marks):
        inside = mark.pos != len(lines[mark.line]) - len(lines[mark.line].lstrip())
        ok = mark.heading is not None
        if ok and inside:
            parent = accepted[-1].heading if accepted else None
            ok = (
                (mark.value == 1 and later_two.get(mark.form, -1) > k)
                or last.get(mark.form, 0) == mark.value - 1 > 0
                # 三、工作思路 （一）…: the first child right after its parent heading
                or (mark.value == 1 and parent is not None and mark.heading is not None
                    and parent.strength < mark.heading.strength and accepted[-1].line == mark.line)
            )
        if mark.heading is not None or not inside:
            last[mark.form] = mark.value
        if ok and (inside or mark.body_col != -1):
            accepted.append(mark)
    out: list[str] = []
    origin: list[int] = []
    forced: dict[int, Heading] = {}
    run_in: set[int] = set()
    a = 0
    after = 0  # the first source line not yet copied
    while a < len(accepted):
        idx = accepted[a].line
        out.extend(lines[after:idx])  # the lines between cut ones, as they are
        origin.extend(range(after + 1, idx + 1))
        after = idx + 1
        line = lines[idx]
        cursor = 0
        while a < len(accepted) and accepted[a].line == idx:
            mark = accepted[a]
            a += 1
            if mark.pos > cursor and line[cursor:mark.pos].strip():
                out.append(line[cursor:mark.pos])
                origin.append(idx + 1)
            heading = mark.heading
            assert heading is not None
            nxt = accepted[a].pos if a < len(accepted) and accepted[a].line == idx else len(line)
            end = mark.body_col if mark.body_col != -1 else nxt
            out.append(line[mark.pos:end])
            origin.append(idx + 1)
            forced[len(out)] = heading
            if mark.body_col != -1:
                run_in.add(len(out))
            cursor = end
        if cursor < len(line) and line[cursor:].strip():
            out.append(line[cursor:])
            origin.append(idx + 1)
    out.extend(lines[after:])
    origin.extend(range(after + 1, len(lines) + 1))
    return Layout(out, origin, forced, run_in)


# list items, table rows and month lines in one anchored pattern: one try per line
_CONTENT_START: Final = re.compile(
    r"\s*+(?:[-*+•·]\s|□|☐|√|\d{1,2}[)）]\s|\||<t[rdh]|<table"
    r"|(?:#+\s*+)?\**+\s*+\d{1,2}\s*+月\s*+\**+\s*+$)"
)


# what _CONTENT_START can find first after the white space (or else a digit): most lines start
# with none of these and are answered without a call into the regex engine
_CONTENT_FIRST: Final = frozenset("-*+•·□☐√|<#")


def _is_content_line(line: str) -> bool:
    if "\t" in line:
        return True
    if not line:
        return False
    first = line[0]  # str.isspace and str.isdecimal are what \s and \d go by
    if first not in _CONTENT_FIRST and not first.isspace() and not first.isdecimal():
        return False
    return _CONTENT_START.match(line) is not None


def _next_text(lines: list[str], idx: int) -> str:
    """The next non-blank line after `idx` (0-based), stripped; "" at the end."""
    k = idx + 1
    while k < len(lines) and k < idx + 4:
        if lines[k].strip():
            return lines[k].strip()
        k += 1
    return ""


def find_headings(
    lines: list[str], meta_lines: set[int], forced: dict[int, Heading] | None = None
) -> list[Heading]:
    """`forced`: 1-based lines that `split_layout` already found to hold a heading."""
    forced = forced or {}
    headings: list[Heading] = []
    n = len(lines)
    stripped = [line.strip() for line in lines]  # once: a blank line is an empty one here
    idx = 0
    while idx < n:
        first = stripped[idx]
        if not first or (idx + 1) in meta_lines or ((idx + 1) not in forced and _is_content_line(lines[idx])):
            idx += 1
            continue
        # a block: consecutive non-blank lines
        end = idx
        while end + 1 < n and stripped[end + 1] and (end + 2) not in meta_lines:
            end += 1
        heading = None
        if end == idx and (idx + 1) in forced:
            heading = forced[idx + 1]
        elif end == idx:
            m = _HASHES.match(first) if first[0] == "#" else None
            hashes, text = (len(m.group(1)), m.group(2).strip()) if m else (0, first)
            text = _unbold_numbering(text)
            if hashes or (("*" not in text and "$" not in text) or not _BOLD_NUMBER.search(text)):
                heading = _classify(text, hashes, isolated=True)
                if heading is not None:
                    heading.hashes = hashes
                    if not hashes and heading.strength == 0 and heading.number is None and heading.marker is None:
                        unmarked = _enum_line(text)
                        if unmarked is not None and unmarked.unmarked:
                            unmarked.bare_strength = 200 if _gap_before(stripped, idx) >= 2 else 210
                            heading = unmarked
                elif not hashes:
                    heading = _enum_line(text)
            if (
                heading is not None and heading.numbered_depth == 0 and heading.strength == 0
                and _QUANTITY_START.match(_next_text(stripped, idx))
            ):
                heading = None  # 全市新增企业 / 36家，…: one sentence broken by a blank line
        else:
            # a single-newline layout: numbered lines inside a block are headings of their own
            found_at = [forced.get(k + 1) or _block_line(stripped[k]) for k in range(idx, end + 1)]
            if any(found is not None for found in found_at):
                for k in range(idx, end + 1):
                    found = found_at[k - idx]
                    if (
                        found is not None and (k + 1) not in forced and lines[k].rstrip().endswith("。")
                        and _in_a_list(lines, k, _form_at(stripped[k]))
                    ):
                        found = None
                    if found is None and k == idx:
                        m = _HASHES.match(first)
                        if m:
                            found = _classify(m.group(2).strip(), len(m.group(1)), isolated=True)
                            if found is not None:
                                found.hashes = len(m.group(1))
                    if found is not None:
                        found.line = found.last_line = k + 1
                        headings.append(found)
                idx = end + 1
                continue
            if all(
                len(piece) <= SPLIT_PIECE and not has_sentence_punctuation(piece)
                and not _is_content_line(piece) and not piece.startswith("#")
                for piece in stripped[idx:end + 1]
            ):
                joined = "".join(plain(p) for p in stripped[idx:end + 1])
                if not _is_prose_like(joined):
                    heading = Heading(0, 0, joined, None, 0, 0)
            else:
                # a # heading line may open a block of prose (no blank line after it)
                m = _HASHES.match(first) if first[0] == "#" else None
                if m:
                    heading = _classify(m.group(2).strip(), len(m.group(1)), isolated=True)
                    end = idx
        if heading is not None:
            heading.line = idx + 1
            heading.last_line = end + 1
            if heading.numbered_depth == 0 and heading.strength == 0:
                heading.strength = 200 if _gap_before(stripped, idx) >= 2 else 210
            headings.append(heading)
        idx = end + 1
    return _merge_bare_numbers(lines, _keep_unmarked_in_sequence(headings))


def _keep_unmarked_in_sequence(headings: list[Heading]) -> list[Heading]:
    """`二重点任务` is the heading 二、重点任务 only next to a 一、 or 三、 of the same document."""
    if not any(h.unmarked for h in headings):
        return headings
    marked = {cn_number(h.number[:-1]) for h in headings if h.number and h.number.endswith("、") and not h.unmarked}
    kept: list[Heading] = []
    for h in headings:
        if h.unmarked and not ({h.unmarked - 1, h.unmarked + 1} & marked):
            if not h.bare_strength:
                continue  # not a numbering after all
            h.title, h.number, h.strength = (h.number or "")[:-1] + h.title, None, h.bare_strength
        kept.append(h)
    return kept


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
    lines: list[str], meta_lines: set[int], doc_id: str, doc_title: str,
    forced: dict[int, Heading] | None = None, headings: list[Heading] | None = None,
) -> list[Section]:
    """The lead (text before the first heading) is the document's own section: its title
    is the document's title, and its id ends in `/lead`. `headings`: find_headings' answer
    for these lines when the caller has it already (read, never changed here)."""
    if headings is None:
        headings = find_headings(lines, meta_lines, forced)
    sections: list[Section] = []
    used_ids: set[str] = set()
    next_suffix: dict[str, int] = {}  # base id → the next ~k to try (linear for many repeats)

    def make_id(parent: Section | None, comp: str) -> str:
        base = f"{parent.id}/{comp}" if parent else f"{doc_id}/{comp}"
        sid, k = base, next_suffix.get(base, 2)
        while sid in used_ids:
            sid = f"{base}~{k}"
            k += 1
        next_suffix[base] = k
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
                number=None, title=doc_title or "正文",
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
        # positional (id, document, parent, level, number, title, line, start, end, order, body,
        # body_line, marker): one per heading, and keywords cost more to pass
        section = Section(
            make_id(parent, _component(h)), doc_id, parent.id if parent else None, len(stack) + 1,
            h.number, h.title or (h.number or ""), h.line, h.line, h.line, len(sections), "",
            h.last_line + 1, h.marker,
        )
        sections.append(section)
        stack.append((h, section))

    if sections and not has_lead and headings:
        sections[0].start = 1  # blank or meta lines above the first heading
    metas = sorted(meta_lines)
    for k, section in enumerate(sections):
        section.end = sections[k + 1].start - 1 if k + 1 < len(sections) else len(lines)
        if section.number is None and section.id.endswith("/lead"):
            section.body_line = section.start
        first, last = section.body_line, section.end
        if first < 1:
            body = ["" if (no in meta_lines) else lines[no - 1] for no in range(first, last + 1)]
        else:
            body = lines[first - 1:last]
            # meta lines inside the body are left blank (found by bisection: linear overall)
            for j in range(bisect.bisect_left(metas, first), bisect.bisect_right(metas, last)):
                body[metas[j] - first] = ""
        section.body = "\n".join(body)
    return sections
