"""Messages the views send to the app. Views never import one another: they post one
of these, and the app (which composes them) routes it."""

from __future__ import annotations

from textual.message import Message


class OpenSource(Message):
    """Open a document line in the reader (from a metric or an event)."""

    def __init__(self, section: str, line: int, sentence: str | None) -> None:
        super().__init__()
        self.section, self.line, self.sentence = section, line, sentence


class Status(Message):
    """A line for the status bar, e.g. why a key cannot act here."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
