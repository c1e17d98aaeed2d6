"""The one sanitizer for text that comes from documents (or a store, or a file name).

A document is untrusted: a web page saved as text or a PDF conversion can hold
terminal escape sequences (`ESC ] 2 ; title BEL` retitles the terminal,
`ESC ] 52 ; c ; … BEL` writes the clipboard, `ESC [ 2 J` clears the screen),
C1 controls that some terminals obey (U+009B is CSI), bidi overrides that make
text read differently from what it is (U+202E), and NUL. `clean` removes all of
them in one regular-expression pass (linear in the text's length):

* an escape sequence goes whole: CSI (`ESC [` … final byte), OSC / DCS / SOS /
  PM / APC strings up to their terminator (BEL, `ESC \\` or ST) or the end of
  the line, and two-character escapes; their C1 forms (U+009B, U+009D …) too;
* every other C0 control except newline and tab, DEL, and every C1 control;
* the bidi embeddings/overrides U+202A–U+202E and isolates U+2066–U+2069.

It is applied where text enters (the file reading path, before parsing) and
where it leaves (the command line's table/CSV/JSON writers, exports and the
browser's records), so a store written by an older version or by hand is safe too.
Core module: no Textual, no Rich.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import Any, Final

# One alternation, tried left to right at each unsafe character; every branch is
# a run of one character class (no nested quantifiers), so a match costs its length.
_UNSAFE: Final = re.compile(
    "(?:\x1b\\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # CSI … final byte
    "|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\\\|\x9c)?"  # OSC/DCS/SOS/PM/APC strings
    "|\x1b[\x20-\x2f]*[\x30-\x7e]?"  # other escapes (ESC 7, ESC ( B …), or a lone ESC
    "|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+"  # other controls, bidi overrides
)
# the escape sequences alone (the first three branches above): text that is mostly escape
# codes (a saved terminal log) is still text, not binary
_SEQUENCES: Final = re.compile(
    "(?:\x1b\\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    "|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\\\|\x9c)?"
    "|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)
# the characters that can start anything above: a string without them is returned as is
_FIRST: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# what a test (or a caller) can look for in output: none of these may remain
UNSAFE_CHARACTERS: Final = "".join(
    [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)] + [chr(c) for c in range(0x7F, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
)


# what can hold an unsafe character in JSON bytes: the UTF-8 of C1 controls and of bidi overrides,
# DEL, \b \f \r, and any \uXXXX escape (orjson writes one only for a control, but a store edited by
# hand may escape anything: \u202e, \u009b). A false alarm only costs a re-check. Separate
# patterns, each led by one literal byte the engine can skip ahead to: a 14 MB year's index is
# examined in ~15 ms, three times faster than with one alternation.
_C1_UTF8: Final = re.compile(rb"\xc2[\x80-\x9f]")
_BIDI_UTF8: Final = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")
_ESCAPED: Final = re.compile(rb"\\[bfru]")


def json_may_be_unsafe(js: bytes) -> bool:
    """False when JSON bytes certainly hold no character `clean` removes."""
    return (b"\x7f" in js or _ESCAPED.search(js) is not None or _C1_UTF8.search(js) is not None
            or _BIDI_UTF8.search(js) is not None)


def clean(text: str) -> str:
    """`text` without escape sequences, controls (but newline and tab) and bidi overrides."""
    if _FIRST.search(text) is None:
        return text
    return _UNSAFE.sub("", text)


def without_sequences(text: str) -> str:
    """`text` with its escape sequences removed and nothing else (to count what is left)."""
    return _SEQUENCES.sub("", text) if "\x1b" in text or _FIRST.search(text) else text


def is_clean(text: str) -> bool:
    return _FIRST.search(text) is None


def clean_line(text: str) -> str:
    """For one-line places (a tree label, a title, a message): newlines and tabs become spaces too."""
    text = clean(text)
    if "\n" in text or "\t" in text:
        text = text.replace("\r", "").replace("\n", " ").replace("\t", " ")
    return text


def clean_value(value: Any) -> Any:
    """A JSON-like value with every string in it cleaned (dicts, lists, tuples walked)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(k) if isinstance(k, str) else k: clean_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_value(v) for v in value]
    return value


def clean_row(row: dict[str, Any]) -> dict[str, Any]:
    """A record's dict (JSON/CSV row) with its text cleaned; the row itself when it is
    already clean (one search over its text values joined: the common case is cheap)."""
    texts = []
    for value in row.values():
        if value.__class__ is str:
            texts.append(value)
        elif isinstance(value, (dict, list, tuple)):
            return clean_value(row)
    if _FIRST.search("\t".join(texts)) is None:
        return row
    return clean_value(row)


def clean_record(record: Any, names: tuple[str, ...]) -> Any:
    """Clean the named text fields of a record in place (a store written by hand or
    by an older version may hold anything); returns the record."""
    for name in names:
        value = getattr(record, name, None)
        if isinstance(value, str):
            if _FIRST.search(value) is not None:
                setattr(record, name, _UNSAFE.sub("", value))
        elif isinstance(value, (dict, list)):
            setattr(record, name, clean_value(value))
    return record


def _flat(values: Iterable[Any]) -> list[Any]:
    """Field values one level down (a dict's keys and values, a list's items), unchecked."""
    out: list[Any] = []
    for value in values:
        if not value:
            continue
        if value.__class__ is dict:
            out.extend(value)
            out.extend(value.values())
        elif value.__class__ is list:
            out.extend(value)
        else:
            out.append(value)
    return out


def _strings(values: Iterable[Any]) -> Iterator[str]:
    """Every string in a JSON-like value (dict keys and values, list items), walked."""
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    yield key
                yield from _strings((item,))
        elif isinstance(value, (list, tuple)):
            yield from _strings(value)


def scrub(records: Iterable[Any], names: tuple[str, ...]) -> int:
    """clean_record for many records, cheaply: one search over each record's text
    fields joined, and the slow path only for a record that needs it. Returns how
    many records were changed."""
    get = attrgetter(*names)
    search = _FIRST.search
    changed = 0
    for record in records:
        values = get(record)
        try:
            joined = "\t".join(filter(None, values))  # text fields are str or None
        except TypeError:  # a dict or list (a document's meta, notes): its strings too
            try:  # the usual shape: str → str mappings and lists of str
                joined = "\t".join(_flat(values))
            except TypeError:
                joined = "\t".join(_strings(values))
        if search(joined) is not None:
            clean_record(record, names)
            changed += 1
        # a section's body layout (kjtui.model.Block: kind, text, ...), which the reader shows
        for block in getattr(record, "blocks", None) or ():
            text = getattr(block, "text", None)
            if isinstance(text, str) and search(text) is not None:
                block.text = _UNSAFE.sub("", text)
                changed += 1
    return changed


# the text fields of each record kind (kjtui.model), for clean_record
DOCUMENT_TEXT: Final = ("id", "title", "source", "doc_number", "date", "addressee", "publisher", "meta", "notes", "kind")
SECTION_TEXT: Final = ("id", "document", "parent", "number", "title", "body", "marker")
METRIC_TEXT: Final = ("id", "document", "section", "label", "raw", "unit", "base_unit", "qualifier", "period", "context")
EVENT_TEXT: Final = ("id", "document", "section", "end", "title", "kind", "text")
