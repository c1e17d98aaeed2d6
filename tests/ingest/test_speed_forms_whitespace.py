"""Patterns written for speed must keep their meaning: the white space written out for the
regex engine is exactly what \\s matches (str.isspace), for every character."""

import re
import sys

from kjtui.ingest import sections


def test_white_space_class_is_what_backslash_s_matches() -> None:
    written = re.compile("[" + sections.WHITE_SPACE_CLASS + "]")
    category = re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        assert (written.match(ch) is not None) == (category.match(ch) is not None) == ch.isspace(), hex(code)


def test_inline_mark_finds_numberings_after_any_white_space() -> None:
    for space in (" ", "\u3000", "\t", "\u2003", "\xa0", "\u205f"):
        text = f"总体情况{space}二、主要做法"
        assert [m.span() for m in sections._INLINE_MARK.finditer(text)] == [(4, 5)], repr(space)
