"""Shortening text to a number of terminal cells, Chinese characters counted two."""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text

ELLIPSIS = "…"


def ellipsize(text: Text, width: int) -> Text:
    """`text` cut to at most `width` cells, ending in … when cut. Rich's own
    truncate pads a half-filled wide cell with a space before the …; this keeps
    the … straight after the last whole character."""
    if text.cell_len <= width:
        return text
    if width <= 0:
        return Text("")
    used = kept = 0
    for ch in text.plain:
        size = get_character_cell_size(ch)
        if used + size > width - 1:
            break
        used += size
        kept += 1
    short = text[:kept]
    short.append(ELLIPSIS)
    return short


NO_LINE_START = set("，。、；：！？）》」』”’,.;:!?)]%")


NO_LINE_END = frozenset("（(〔《“‘【[")
_IN_WORD = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,%-_")
LONGEST_UNBROKEN = 16  # a longer run of Latin letters or digits may be broken anywhere


_DIGITS = frozenset("0123456789")
# characters of a unit written after a number (14.29亿元, 2.99万户, 47个): never folded away from it
UNIT_CHARS = frozenset("十百千万亿元个家项件人次户位批笔场支篇款天倍成台套所条种名座份只辆年月日%‰")


def _word_start(plain: str, cut: int, line_start: int) -> int:
    """Move a break that falls inside a number or Latin word (2024, EDA), or between a
    number and its unit (14.29亿 / 元), to the number's start."""
    if not (0 < cut < len(plain)):
        return cut
    if plain[cut] in UNIT_CHARS and plain[cut] not in _IN_WORD:
        back = cut
        while back > line_start and cut - back < 3 and plain[back - 1] in UNIT_CHARS:
            back -= 1
        if back > line_start and plain[back - 1] in _DIGITS:
            cut = back  # the break now falls just after the number's last digit
        else:
            return cut
        start = cut
        while start > line_start and plain[start - 1] in _IN_WORD:
            start -= 1
        return start if start > line_start and cut - start <= LONGEST_UNBROKEN else cut
    if plain[cut] not in _IN_WORD or plain[cut - 1] not in _IN_WORD:
        return cut
    start = cut
    while start > line_start and plain[start - 1] in _IN_WORD:
        start -= 1
    return start if start > line_start and cut - start <= LONGEST_UNBROKEN else cut


def fold(text: Text, width: int) -> Text:
    """Break lines between any two characters, as Chinese is set.

    Rich wraps at spaces, so one space inside a long Chinese paragraph pushes
    the whole rest of it to a new line and leaves a half-empty line behind."""
    if width <= 0:
        return text
    plain = text.plain
    offsets: list[int] = []
    used = 0
    line_start = 0
    for k, ch in enumerate(plain):
        if ch == "\n":
            used, line_start = 0, k + 1
            continue
        w = cell_len(ch)
        if used + w > width and used:
            cut = k
            if ch in NO_LINE_START and k - 1 > line_start:
                cut = k - 1  # carry the last character down with the punctuation
            cut = _word_start(plain, cut, line_start)
            if cut - 1 > line_start and plain[cut - 1] in NO_LINE_END:
                cut -= 1  # an opening bracket goes down with what it opens
            offsets.append(cut)
            line_start = cut
            used = cell_len(plain[cut:k])
        used += w
    if not offsets:
        return text
    lines = text.divide(offsets)
    for line in lines:
        line.rstrip()  # in place: a break's trailing space goes
    folded = Text("\n").join(lines)
    folded.no_wrap = True
    return folded
