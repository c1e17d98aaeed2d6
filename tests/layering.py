"""Import checks run in a fresh interpreter, so what a module pulls in is seen whole."""

import subprocess
import sys

BLOCK_TEXTUAL = (
    "import sys\n"
    "class Block:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name == 'textual' or name.startswith('textual.'):\n"
    "            raise ImportError('textual is blocked')\n"
    "sys.meta_path.insert(0, Block())\n"
)


def run_fresh(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def imports_without_textual(*modules: str) -> subprocess.CompletedProcess:
    """Import `modules` with Textual made unimportable; also assert none of it was loaded."""
    return run_fresh(
        BLOCK_TEXTUAL + f"import {', '.join(modules)}\n"
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules)\n"
    )
