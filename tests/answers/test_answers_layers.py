"""The answers core never imports Textual, and the browser does not load it (nor rapidfuzz)
before the user asks for an answer."""

from ..layering import imports_without_textual, run_fresh


def test_answers_core_imports_without_textual():
    result = imports_without_textual("kjtui.answers.search", "kjtui.answers.measures", "kjtui.answers.calendar",
                                     "kjtui.answers.index_file", "kjtui.cli_answers")
    assert result.returncode == 0, result.stderr


def test_browser_start_loads_no_answers():
    code = (
        "import sys, kjtui.cli, kjtui.tui.app\n"
        "bad = [m for m in sys.modules if m.startswith(('kjtui.answers', 'rapidfuzz', 'kjtui.tui.search_screen',\n"
        "       'kjtui.tui.series_screen', 'kjtui.tui.calendar', 'kjtui.tui.compare_screen'))]\n"
        "assert not bad, bad\n"
    )
    result = run_fresh(code)
    assert result.returncode == 0, result.stderr
