"""Shortening text to a number of terminal cells, Chinese characters counted two."""

from __future__ import annotations

from rich.cells import get_character_cell_size
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
