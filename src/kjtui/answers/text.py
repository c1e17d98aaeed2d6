"""Text folded for matching: NFKC (full-width → half-width), case-folded, with
white space and the conversion's marks (`**`, `$`, `\\`) removed, so `18.62亿元`
matches `$18.62$ 亿元` and `１８.６２ 亿元`. `fold` is the fast whole-string form
the search index uses; `fold_mapped` also says where each folded character came
from, for highlighting a match in the original text."""

from __future__ import annotations

import unicodedata
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import accumulate

DROPPED = "*$\\ \t\r\n\f\v\u3000\xa0\u200b\ufeff"
_DROP = str.maketrans("", "", DROPPED)
_DROPPED = frozenset(DROPPED)
SENTENCE_ENDS = frozenset("。！？；!?;\n")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(_DROP)


def fold_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text and the running length of it after each character of `text`:
    the character behind folded position f is text[bisect_right(ends, f)]. Built by
    C-level joins and sums over a per-character memo, not a Python loop per character."""
    memo = _FOLDED
    try:
        parts = [memo[ch] for ch in text]
    except KeyError:
        for ch in set(text):
            if ch not in memo:
                memo[ch] = "" if ch in _DROPPED else unicodedata.normalize("NFKC", ch).casefold().translate(_DROP)
        parts = [memo[ch] for ch in text]
    return "".join(parts), list(accumulate(map(len, parts)))


def fold_mapped(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, its index in `text`."""
    folded, ends = fold_offsets(text)
    return folded, [bisect_right(ends, f) for f in range(len(folded))]


_FOLDED: dict[str, str] = {}  # each character's folded form, worked out once


def terms_of(query: str) -> list[str]:
    """Space-separated terms, folded; duplicates and empty ones dropped."""
    terms: list[str] = []
    for raw in unicodedata.normalize("NFKC", query).split():
        term = fold(raw)
        if term and term not in terms:
            terms.append(term)
    return terms


_HIDDEN = re.compile(r"[*$\r\n]|\\(?=%)")  # marks and line breaks a reader does not see


def display(text: str, start: int, end: int) -> tuple[str, Callable[[int], int]]:
    """text[start:end] as shown to a reader (marks and line breaks dropped), and a
    function from an index in `text` (start..end) to its position in the shown text."""
    segment = text[start:end]
    gone = [m.start() for m in _HIDDEN.finditer(segment)]
    if not gone:
        return segment, lambda k: k - start
    return _HIDDEN.sub("", segment), lambda k: k - start - bisect_left(gone, k - start)


def sentence_bounds(text: str, start: int, end: int, reach: int = 60) -> tuple[int, int]:
    """The sentence around text[start:end] (cut at most `reach` characters either side)."""
    lo = start
    while lo > 0 and text[lo - 1] not in SENTENCE_ENDS and start - lo < reach:
        lo -= 1
    hi = end
    while hi < len(text) and text[hi - 1:hi] not in SENTENCE_ENDS and hi - end < reach:
        hi += 1
    while lo < hi and text[lo] in " \t\u3000":
        lo += 1
    return lo, hi
