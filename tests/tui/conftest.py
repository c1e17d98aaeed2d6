from pathlib import Path

import pytest

from kjtui.ingest import parse_document
from kjtui.store import Store
from kjtui.tui import config as config_mod
from kjtui.tui.app import KjtuiApp

REPORT = """# 5

## 营造创新生态

导语。

3月

- 发布《甲办法》

6月

- 《乙方案》发布
- 科技节成功举办

# 5.1 科技金融

截至年底，高企贷授信企业**120**家，授信金额**35.5亿元**，同比增长**12%**。

◆ 科技保险

全年承保风险**2.5万亿元**，服务孵化器**48**家。

5.2 人才建设

引进人才**300**人。标记[bold]粗体[/bold]与 [/oops] 原样显示。
"""

OLDER = """3.1 创新资源

全年支持企业**80**家。

10月21日,《丙意见》发布。
"""


@pytest.fixture
def store_path(tmp_path) -> Path:
    path = tmp_path / "kjtui.json"
    store = Store.open(path)
    store.replace([
        parse_document(REPORT, source="r2023.txt", year=2023, title="2023报告 · 第5章"),
        parse_document(OLDER, source="r2021.txt", year=2021, title="2021报告 · 3.1"),
    ])
    return path


@pytest.fixture
def make_app(store_path, tmp_path, monkeypatch):
    monkeypatch.setenv("KJTUI_CONFIG", str(tmp_path / "config" / "config.yaml"))
    monkeypatch.chdir(tmp_path)

    def make(**kwargs) -> KjtuiApp:
        cfg = config_mod.load(tmp_path / "config" / "config.yaml")
        return KjtuiApp(store_path, config=cfg, shipped=False, **kwargs)

    return make


async def ready(app, pilot):
    """Wait for the store to load in its worker (started after first paint) and the first view to draw."""
    for _ in range(500):
        if app.catalog is not None:
            break
        await pilot.pause(0.01)
    assert app.catalog is not None, "the store never loaded"
    await pilot.pause()
    await pilot.pause(0.05)


@pytest.fixture
def answers_app(tmp_path, monkeypatch):
    """An app over three made-up documents (two years, a report and a reply) for the answers."""
    from tests.answers.test_answers_core import REPLY_A, REPORT_A, REPORT_B

    path = tmp_path / "kjtui.json"
    Store.open(path).replace([
        parse_document(REPORT_B, source="b.txt", year=2024, title="2024报告"),
        parse_document(REPORT_A, source="a.txt", year=2023, title="2023报告"),
        parse_document(REPLY_A, source="r.txt", year=2023, title="2023答复", kind="reply"),
    ])
    monkeypatch.setenv("KJTUI_CONFIG", str(tmp_path / "config" / "config.yaml"))
    monkeypatch.setenv("KJTUI_SEARCH_CACHE", str(tmp_path / "search-cache"))
    monkeypatch.chdir(tmp_path)
    return lambda: KjtuiApp(path, config=config_mod.load(tmp_path / "config" / "config.yaml"), shipped=False)
