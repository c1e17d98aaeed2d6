"""The browser's structure: views talk through messages (tui/messages.py), never by
importing one another; the app and Views compose them."""

import ast
from pathlib import Path

import kjtui.tui as tui

VIEWS = {"reader", "metrics_pane", "timeline", "tree"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_view_imports_another_view():
    folder = Path(tui.__file__).parent
    for view in VIEWS:
        others = _imports(folder / f"{view}.py") & (VIEWS - {view})
        assert not others, f"{view}.py imports {others}: post a message from tui/messages.py instead"


def test_the_messages_views_send_live_in_messages_py():
    from kjtui.tui import messages, metrics_pane, timeline

    assert metrics_pane.OpenSource is messages.OpenSource and timeline.OpenSource is messages.OpenSource
