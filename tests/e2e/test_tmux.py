"""Drive the installed `kjtui` in a real terminal (tmux) as a user would."""

import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

KJTUI = Path(sys.executable).parent / "kjtui"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"),
    pytest.mark.skipif(not KJTUI.exists(), reason="kjtui is not installed in this environment"),
]


class Terminal:
    def __init__(self, tmp: Path, width=100, height=30):
        self.name = f"kjtui-e2e-{uuid.uuid4().hex[:8]}"
        env = {
            "KJTUI_DB": str(tmp / "store.json"), "KJTUI_CONFIG": str(tmp / "config.yaml"),
            "HOME": str(tmp), "KJTUI_CACHE": str(tmp / "cache.json"), "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none",
        }
        command = " ".join(f"{k}={v}" for k, v in env.items()) + f" {KJTUI}"
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                        "-c", str(tmp), f"env {command}"], check=True)

    def screen(self) -> str:
        result = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return result.stdout

    def keys(self, *keys: str, settle: float = 0.4) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.08)
        time.sleep(settle)

    def wait_for(self, pattern: str, timeout: float = 20, joined: bool = False) -> str:
        """Poll, because a capture can land between two halves of a redraw."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if re.search(pattern, text.replace("\n", "") if joined else text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"{pattern!r} never appeared; the screen was:\n{self.screen()}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def term(tmp_path):
    t = Terminal(tmp_path)
    yield t
    t.close()


def test_a_user_walks_the_tree_views_and_exports(term, tmp_path):
    first = term.wait_for(r"\d{4}年")
    years = [int(y) for y in re.findall(r"^[▼▶] (\d{4})年", first, re.M)]
    assert years and years == sorted(years, reverse=True), first
    assert "项指标" in first  # the first frame: the newest document's card, with its counts
    views = term.wait_for("1 阅读")  # the views join it right after
    assert "2 指标" in views and "3 时间线" in views
    assert "帮助" in views and "导出" in views  # keys in the footer

    opened = term.wait_for(r"[└├] ▼ ")  # the newest document starts open (the cursor on it)
    assert "年份：" in opened  # the document card in the reader

    term.keys("j", settle=0.8)  # rest on its first section: the views follow
    reader = term.screen()
    assert " › " in reader  # breadcrumb document › section

    term.keys("2")
    metrics = term.wait_for("指标 Label")
    assert re.search(r"\d+ 项指标 metrics", metrics)

    term.keys("3")
    timeline = term.wait_for("◀")
    assert all(f"{m}月" in timeline for m in (1, 6, 12))

    term.keys("1", "e")
    dialog = term.wait_for("导出 Export")
    assert ".md" in dialog
    term.keys("Enter", settle=1.0)
    written = list(tmp_path.glob("*.md"))
    assert len(written) == 1
    text = written[0].read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: ") and "\nyear: " in text
    term.wait_for(r"已导出 Wrote ~/20\d\d-", joined=True)  # HOME is tmp_path; a long path may wrap

    term.keys("q", settle=1.0)
    assert not term.alive()


def test_cjk_is_not_cut_at_80_columns(tmp_path):
    t = Terminal(tmp_path, width=80, height=24)
    try:
        screen = t.wait_for(r"\d{4}年")
        for line in screen.splitlines():
            # a wide character cut in half shows as a lone replacement or overflows the width
            assert "\ufffd" not in line
            width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)
            assert width <= 80, line
    finally:
        t.close()
