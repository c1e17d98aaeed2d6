"""Issue 8 end to end: a document that tries to retitle the terminal (OSC 2), write the
clipboard (OSC 52) and clear the screen, opened in the real browser under tmux, leaves the
pane's title as it was. The store is written without the reading path's sanitizer (as an
older kjtui or a hand would), so this is the browser's own protection at work."""

import subprocess

from kjtui.ingest import parse_document
from kjtui.store import Store

from .test_tmux import Terminal, pytestmark  # noqa: F401 - the same skips (tmux, an installed kjtui)

EVIL = ("# 1 \x1b]2;PWNED\x07标题\n\n新增\x1b[2J科技企业12家,\u202e授信\x1b]52;c;cHduZWQ=\x07额5亿元。\n\n"
        "3月,发布《\x1b[31m测试办法\x1b[0m》。\n\n## 1.1 小节\x1b]0;PWNED\x1b\\\n\n服务企业**48**家\x9d2;PWNED\x9c。\n")


def pane_title(term: Terminal) -> str:
    return subprocess.run(["tmux", "display-message", "-p", "-t", term.name, "#{pane_title}"],
                          capture_output=True, text=True).stdout.strip()


def test_a_document_cannot_retitle_the_terminal(tmp_path):
    store = Store.open(tmp_path / "store.json")  # the path Terminal gives the browser
    store.replace([parse_document(EVIL, source="evil.md", year=2031, title="报告\x1b]2;PWNED\x07")])
    term = Terminal(tmp_path, width=120, height=36)
    try:
        term.wait_for(r"2031年")
        before = pane_title(term)
        assert "PWNED" not in before
        term.keys("]", settle=0.8)  # the first section in reading order: the newest document's
        screen = term.wait_for("科技企业")
        assert "PWNED" not in screen
        term.keys("2", settle=0.7)  # its metrics, its timeline, back to the reader
        term.keys("3", settle=0.7)
        term.keys("1", settle=0.7)
        term.keys("]", settle=0.8)  # the subsection
        assert "PWNED" not in term.wait_for("48")
        assert pane_title(term) == before
        term.keys("q", settle=1.0)
        assert not term.alive()
    finally:
        term.close()
