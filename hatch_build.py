"""Wheel build hook: the parser (kjtui.ingest, kjtui.model) compiled to C with mypyc.

The code stays plain typed Python; compiled it parses ~1.5x faster. Editable
installs are left pure, so that edits to the .py files take effect, and the
modules mypyc builds in place are removed once the wheel holds them, so a
checkout never keeps stale compiled copies. Without a C compiler, or with
KJTUI_PURE_PYTHON=1, the wheel is pure Python and only slower.
"""

from __future__ import annotations

import os
import sys

from hatch_mypyc.plugin import MypycBuildHook


class ParserCompileHook(MypycBuildHook):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if version == "editable" or os.environ.get("KJTUI_PURE_PYTHON"):
            return
        try:
            super().initialize(version, build_data)
        except Exception as exc:  # no compiler, no headers: still a working (slower) install
            self.clean([version])
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            print(f"kjtui: parser not compiled ({first}); installing it as pure Python", file=sys.stderr)

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if version != "editable" and not build_data.get("pure_python", True):
            self.clean([version])


def get_build_hook() -> type[ParserCompileHook]:
    """hatchling finds MypycBuildHook here too; this names the one to use."""
    return ParserCompileHook
