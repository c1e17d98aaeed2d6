"""Text folded for matching: NFKC (full-width → half-width), case-folded, with
white space and the conversion's marks (`**`, `$`, `\\`) removed, so `18.62亿元`
matches `$18.62$ 亿元` and `１８.６２ 亿元`. `fold` is the fast whole-string form
the search index uses; `fold_mapped` also says where each folded character came
from, for highlighting a match in the original text."""

from __future__ import annotations

import unicodedata

DROPPED = "*$\\ \t\r\n\f\v\u3000\xa0\u200b\ufeff"
_DROP = str.maketrans("", "", DROPPED)
_DROPPED = frozenset(DROPPED)
SENTENCE_ENDS = frozenset("。！？；!?;\n")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(_DROP)


def fold_mapped(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, its index in `text`."""
    out: list[str] = []
    origin: list[int] = []
    memo = _FOLDED
    for k, ch in enumerate(text):
        n = memo.get(ch)
        if n is None:
            n = memo[ch] = "" if ch in _DROPPED else unicodedata.normalize("NFKC", ch).casefold().translate(_DROP)
        if len(n) == 1:
            out.append(n)
            origin.append(k)
        else:
            for c in n:
                out.append(c)
                origin.append(k)
    return "".join(out), origin


_FOLDED: dict[str, str] = {}  # each character's folded form, worked out once


def terms_of(query: str) -> list[str]:
    """Space-separated terms, folded; duplicates and empty ones dropped."""
    terms: list[str] = []
    for raw in unicodedata.normalize("NFKC", query).split():
        term = fold(raw)
        if term and term not in terms:
            terms.append(term)
    return terms


def display(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """text[start:end] as shown to a reader (marks and line breaks dropped), and
    for each original index in that range its position in the shown text."""
    shown: list[str] = []
    where: list[int] = []
    k = start
    while k < end:
        ch = text[k]
        where.append(len(shown))
        if ch == "*" or ch == "$" or ch == "\n" or ch == "\r" or (ch == "\\" and text[k + 1:k + 2] == "%"):
            k += 1
            continue
        shown.append(ch)
        k += 1
    where.append(len(shown))
    return "".join(shown), where


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
