"""The whole package type-checks (mypy), as the compiled parser must: mypyc refuses what
mypy rejects, and a wheel built from ill-typed code silently falls back to pure Python."""

import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "kjtui"


def test_mypy_finds_no_errors(tmp_path):
    pytest.importorskip("mypy", reason="mypy comes with the [test] extra")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--ignore-missing-imports", "--cache-dir", str(tmp_path / "cache"), str(SRC)],
        capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "Success" in run.stdout
