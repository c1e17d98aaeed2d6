"""The footer: the keys that apply where focus is, in one line of text.

Textual's Footer rebuilds itself from a dozen widgets whenever focus moves,
which costs a layout pass of the whole screen on every view switch; this one
redraws a single line. Keys are clickable (and show their English meaning
on hover), like the Footer's.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from ._textual_private import bindings_updated_signal


class KeyBar(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keybar--key", "keybar--description", "keybar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        & > .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keybar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keybar--disabled {
            color: $text-disabled;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # (first cell, last cell + 1, binding, enabled) of each key drawn, for clicks and hovers
        self._spans: list[tuple[int, int, Binding, bool]] = []
        self._shown: list[tuple[Binding, bool, str]] = []
        self._drawn: tuple[int, Text] | None = None  # (width, line): redrawn only when either changes

    _watched: Screen | None = None

    def on_mount(self) -> None:
        self._watch(self.screen)
        # a dialog on top: its keys, not the main screen's
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def on_unmount(self) -> None:
        if self._watched is not None:
            bindings_updated_signal(self._watched).unsubscribe(self)
        self.app.screen_change_signal.unsubscribe(self)

    def _watch(self, screen: Screen) -> None:
        if self._watched is not None and self._watched is not screen:
            bindings_updated_signal(self._watched).unsubscribe(self)
        self._watched = screen
        bindings_updated_signal(screen).subscribe(self, self._bindings_changed)

    def _screen_changed(self, screen: Screen) -> None:
        if self.is_attached:
            self._watch(self.app.screen)
            self._bindings_changed(self.app.screen)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.app.screen:
            self._shown = self._collect()
            self._drawn = None
            self.refresh()

    def _collect(self) -> list[tuple[Binding, bool, str]]:
        """The keys that act where focus is. In a text box only its own keys: the
        others would type letters. Tab (to the next pane) is shown wherever it moves focus."""
        from textual.widgets import Input

        focused = self.app.focused
        own_only = isinstance(focused, Input)
        dialog = self.app.screen if self.app.screen is not self.screen else None  # its keys count too
        seen: set[str] = set()
        shown = []
        active = self.app.screen.active_bindings
        for node, binding, enabled, tooltip in active.values():
            if own_only and node is not focused and node is not dialog:
                continue
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append((binding, enabled, tooltip or binding.tooltip))
        tab = active.get("tab")
        if tab is not None and tab.binding.action.endswith("focus_next") and len(self.app.screen.focus_chain) > 1:
            shown.append((Binding("tab", tab.binding.action, "切换窗格", tooltip="Next pane (shift+tab: previous)"),
                          tab.enabled, "Next pane"))
        return shown

    def _palette(self) -> Binding | None:
        if not self.app.ENABLE_COMMAND_PALETTE:
            return None
        active = self.app.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return active.binding if active else None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn = None

    _flash: Text | None = None
    _flash_timer = None

    def flash(self, message: str, seconds: float = 3.0) -> None:
        """Show a line in place of the keys for a moment: why a key cannot act here."""
        self._flash = Text(f" {message}", style=self.get_component_rich_style("keybar--key"), no_wrap=True,
                           overflow="ellipsis", end="")
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(seconds, self._unflash)
        self.refresh()

    def _unflash(self) -> None:
        self._flash = None
        self.refresh()

    @property
    def flashed(self) -> str:
        return self._flash.plain.strip() if self._flash is not None else ""

    def render(self) -> Text:
        if self._flash is not None:
            return self._flash
        if self._drawn is None or self._drawn[0] != self.size.width:
            self._drawn = (self.size.width, self._draw())
        return self._drawn[1]

    def _draw(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        disabled_style = self.get_component_rich_style("keybar--disabled")
        line = Text(" ", no_wrap=True, overflow="crop", end="")
        self._spans = []
        for binding, enabled, _tooltip in self._fitting(self._shown):
            start = line.cell_len
            line.append(self.app.get_key_display(binding), key_style if enabled else disabled_style)
            line.append(f" {binding.description}", description_style if enabled else disabled_style)
            self._spans.append((start, line.cell_len, binding, enabled))
            line.append(" ")
        palette = self._palette()
        if palette is not None:
            tail = Text.assemble(("▏", "dim"), (f"{self.app.get_key_display(palette)}", key_style), " palette ")
            room = self.size.width - tail.cell_len
            if room > line.cell_len:
                line.append(" " * (room - line.cell_len))
                self._spans.append((room, room + tail.cell_len, palette, True))
                line.append_text(tail)
        return line

    KEEP = ("help", "quit")  # always shown: a narrow footer drops other keys first

    def _fitting(self, shown: list[tuple[Binding, bool, str]]) -> list[tuple[Binding, bool, str]]:
        """The keys that fit the width, keeping help and quit: the others are dropped from
        the right (they are all in help)."""
        def width(item: tuple[Binding, bool, str]) -> int:
            return len(self.app.get_key_display(item[0])) + 2 + cell_len(item[0].description)

        room = self.size.width - 1
        if sum(width(i) for i in shown) <= room:
            return shown
        keep = [i for i in shown if i[0].id in self.KEEP]
        used = sum(width(i) for i in keep)
        chosen = []
        for item in shown:
            if item in keep:
                continue
            if used + width(item) > room:
                break
            chosen.append(item)
            used += width(item)
        return [i for i in shown if i in chosen or i in keep]

    def _binding_at(self, x: int) -> tuple[Binding, bool] | None:
        for start, end, binding, enabled in self._spans:
            if start <= x < end:
                return binding, enabled
        return None

    def on_click(self, event: events.Click) -> None:
        hit = self._binding_at(event.x)
        if hit is None:
            return
        binding, enabled = hit
        if enabled:
            self.app.simulate_key(binding.key.split(",")[0])
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hit = self._binding_at(event.x)
        tip = (hit[0].tooltip or hit[0].description) if hit else None
        if tip != self.tooltip:
            self.tooltip = tip
