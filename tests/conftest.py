import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_yaml_cache(tmp_path, monkeypatch) -> None:
    """Each test its own YAML cache, never the user's."""
    monkeypatch.setenv("KJTUI_CACHE", str(tmp_path / "yaml-cache.json"))


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """A fresh store path; KJTUI_DB points at it so no test touches the user's store."""
    path = tmp_path / "store" / "kjtui.json"
    monkeypatch.setenv("KJTUI_DB", str(path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return path


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    """A tiny hand-written corpus with a manifest."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "2.1 科技金融\n\n截至年底，高企贷授信**120**家，金额**35.5亿元**。\n\n"
        "3月\n\n- 发布《甲办法》\n\n2.2 人才\n\n10月21日,《乙意见》发布。\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text("一、总体\n\n全年支持试点园区 300 家。\n", encoding="utf-8")
    (folder / "manifest.yaml").write_text(
        "documents:\n  - file: a.txt\n    year: 2022\n    kind: report\n    title: 2022报告 · 2.1\n"
        "  - file: b.txt\n    year: 2021\n    kind: reply\n    title: 答复\n",
        encoding="utf-8",
    )
    return folder


os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
