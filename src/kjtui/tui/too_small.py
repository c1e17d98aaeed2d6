"""Below a minimum size the layout cannot show what a user needs to read (dialogs
are cut, the footer loses its keys): say so, and how big the terminal must be."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 15


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    DEFAULT_CSS = """
    TooSmallScreen {
        align: center middle;
        background: $background;
    }
    TooSmallScreen > Static {
        width: 100%;
        height: auto;
        text-align: center;
        color: $warning;
    }
    """

    BINDINGS = [Binding("q,ctrl+q", "app.quit", "退出", tooltip="Quit", id="too_small.quit")]

    def compose(self) -> ComposeResult:
        yield Static(id="too-small-text")

    def on_mount(self) -> None:
        self.show_size(self.app.size.width, self.app.size.height)

    def show_size(self, width: int, height: int) -> None:
        text = Text(f"终端太小 Terminal too small\n需要 needs {MIN_WIDTH}×{MIN_HEIGHT}, 现在 now {width}×{height}\n"
                    "放大窗口 enlarge it · q 退出 quit")
        self.query_one("#too-small-text", Static).update(text)
