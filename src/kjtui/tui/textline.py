"""A line (or a few) of text in a box of fixed size.

`Static.update` asks for a layout pass, which re-arranges and repaints the
whole screen; a status line under a table changes on every key, so this one
only repaints itself. Its size comes from CSS, never from its text."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class TextLine(Widget):
    DEFAULT_CSS = """
    TextLine {
        height: 1;
        width: 1fr;
    }
    """

    def __init__(self, text: Text | None = None, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text or Text("")

    def update(self, text: Text) -> None:
        self.text = text
        self.refresh()

    def render(self) -> Text:
        return self.text


class DetailPanel(TextLine):
    """The whole of a highlighted row under a table (a metric, an event): folded to the
    pane, as tall as it needs up to a share of the pane, never cut otherwise."""

    DEFAULT_CSS = """
    DetailPanel {
        height: 4;
        padding: 0 1;
        border-top: hkey $panel;
    }
    """

    def show(self, text: Text, pane_height: int, most_share: float = 0.4) -> None:
        from .textfit import fold

        width = self.content_region.width or max(10, self.size.width - 2)
        folded = fold(text, width)
        lines = folded.plain.split("\n")
        most = max(3, int(pane_height * most_share) - 1)
        if len(lines) > most:  # a tiny pane: the rest is one Enter away, in the reader
            folded = folded[: sum(len(line) + 1 for line in lines[:most]) - 2]
            folded.append("…")
        height = min(len(lines), most) + 1  # and the rule above it
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height  # a layout pass only when the panel changes height
        self.update(folded)
