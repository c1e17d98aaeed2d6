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
