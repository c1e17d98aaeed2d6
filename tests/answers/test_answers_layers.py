"""The answers core never imports Textual, and the browser does not load it (nor rapidfuzz)
before the user asks for an answer."""

import subprocess
import sys


def test_answers_core_imports_without_textual():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'textual' or name.startswith('textual.'):\n"
        "            raise ImportError('textual is blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import kjtui.answers.search, kjtui.answers.measures, kjtui.answers.calendar, kjtui.answers.index_file\n"
        "import kjtui.cli_answers\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_browser_start_loads_no_answers():
    code = (
        "import sys, kjtui.cli, kjtui.tui.app\n"
        "bad = [m for m in sys.modules if m.startswith(('kjtui.answers', 'rapidfuzz', 'kjtui.tui.search_screen',\n"
        "       'kjtui.tui.series_screen', 'kjtui.tui.calendar', 'kjtui.tui.compare_screen'))]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
