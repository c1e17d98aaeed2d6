import subprocess
import sys


def test_headless_layers_import_without_textual():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'textual' or name.startswith('textual.'):\n"
        "            raise ImportError('textual is blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import kjtui.ingest, kjtui.store, kjtui.export, kjtui.service, kjtui.cli\n"
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_parser_imports_neither_textual_nor_tinydb():
    code = (
        "import sys, kjtui.ingest\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'tinydb')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
