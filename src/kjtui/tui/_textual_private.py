"""Every use of a Textual API that is not public, in one place.

Each function names the private attribute it relies on; tests/tui/test_textual_private.py
pins each assumption (the attribute exists and takes these arguments), so a Textual
upgrade that changes one fails there, with the name, instead of somewhere in the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.style import Style
    from textual.app import App
    from textual.screen import Screen
    from textual.strip import Strip
    from textual.widgets import Tree

TEXTUAL_TESTED = "8.2"  # the Textual version these were checked against


def keymap(app: App[Any]) -> dict[str, str]:
    """`App._keymap`: binding id → keys, as `set_keymap`/`update_keymap` left it (no public getter)."""
    return dict(getattr(app, "_keymap", {}) or {})


def refresh_truecolor_filter(app: App[Any], theme: Any) -> None:
    """`App._refresh_truecolor_filter(theme)`: what assigning `App.theme` does for ANSI colours,
    without the CSS re-parse the assignment schedules (used to choose a theme before the first paint)."""
    app._refresh_truecolor_filter(theme)  # noqa: SLF001


def tree_render_line(tree: Tree[Any], y: int, x1: int, x2: int, base_style: Style) -> Strip:
    """`Tree._render_line(y, x1, x2, base_style)`: one line of a tree, for a subclass that keeps
    its own style instead of asking for `rich_style` per line."""
    return tree._render_line(y, x1, x2, base_style)  # noqa: SLF001


def bindings_updated_signal(screen: Screen[Any]) -> Any:
    """`Screen.bindings_updated_signal`: fires when the active bindings change (focus moved,
    a binding was enabled); undocumented, it is what Textual's own Footer listens to."""
    return screen.bindings_updated_signal
