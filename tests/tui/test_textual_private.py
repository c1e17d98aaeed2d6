"""Pins each private Textual API kjtui uses (all of them go through tui/_textual_private.py)."""

import inspect
from pathlib import Path

from rich.style import Style
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import Tree

from kjtui.tui import _textual_private as private


def test_only_the_private_module_touches_textual_privates():
    folder = Path(private.__file__).parent
    names = ("._keymap", "._refresh_truecolor_filter", "._render_line(", ".bindings_updated_signal")
    for path in folder.glob("*.py"):
        if path.name == "_textual_private.py":
            continue
        text = path.read_text(encoding="utf-8")
        for name in names:
            assert name not in text, f"{path.name} uses {name}: go through _textual_private"


def test_refresh_truecolor_filter_takes_a_theme():
    params = list(inspect.signature(App._refresh_truecolor_filter).parameters)
    assert params[:2] == ["self", "theme"]


def test_tree_render_line_takes_y_x1_x2_and_a_style():
    params = list(inspect.signature(Tree._render_line).parameters)
    assert params[:5] == ["self", "y", "x1", "x2", "base_style"]


async def test_keymap_reflects_set_and_update_keymap_and_signal_exists():
    class Tiny(App):
        def compose(self) -> ComposeResult:
            yield Tree("root", id="t")

    app = Tiny()
    async with app.run_test() as pilot:
        assert private.keymap(app) == {}
        app.set_keymap({"some.id": "m"})
        assert private.keymap(app) == {"some.id": "m"}
        app.update_keymap({"other.id": "ctrl+e"})
        assert private.keymap(app) == {"some.id": "m", "other.id": "ctrl+e"}
        seen = []
        private.bindings_updated_signal(app.screen).subscribe(app.screen, lambda screen: seen.append(screen))
        app.query_one(Tree).focus()
        await pilot.pause()
        assert seen and seen[-1] is app.screen
        tree = app.query_one(Tree)
        strip = private.tree_render_line(tree, 0, 0, tree.size.width, Style())
        assert isinstance(strip, Strip) and "root" in strip.text
        private.refresh_truecolor_filter(app, app.ansi_theme)  # accepts the theme and returns
