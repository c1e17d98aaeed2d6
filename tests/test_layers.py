from .layering import imports_without_textual, run_fresh


def test_headless_layers_import_without_textual():
    result = imports_without_textual("kjtui.ingest", "kjtui.store", "kjtui.export", "kjtui.service", "kjtui.cli",
                                     "kjtui.readmodel", "kjtui.sanitize", "kjtui.bookmarks")
    assert result.returncode == 0, result.stderr


def test_parser_imports_neither_textual_nor_tinydb():
    result = run_fresh(
        "import sys, kjtui.ingest\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'tinydb')]\n"
        "assert not bad, bad\n"
    )
    assert result.returncode == 0, result.stderr
