"""A corpus of small hostile files, generated here (nothing committed), that every command
and the browser open without a traceback, printing nothing that could act on the terminal;
and parsing that stays linear in the size of the file (a 10 MB one-line file)."""

import json
import os
import time
from pathlib import Path

import pytest

from kjtui import sanitize
from kjtui.cli import main

ESC = "\x1b]2;PWNED\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[31m\x9b2J\u202e\u2066"
FILLER = "全市科技创新体系建设稳步推进，各项工作取得积极成效。" * 40 + "\n"


def _files() -> dict[str, bytes]:
    utf8 = lambda s: s.encode("utf-8")  # noqa: E731
    deep_headings = "".join(f"{'#' * min(k, 6)} {'.'.join(['1'] * k)} 第{k}层\n\n新增企业{k}家。\n\n" for k in range(1, 120))
    deep_list = "".join(f"{'  ' * k}- 第{k}项 投入{k}亿元\n" for k in range(300))
    return {
        "escapes.md": utf8(f"# 1 标题{ESC}\n\n新增{ESC}科技企业12家,授信额5亿元。\n\n3月,发布《测试{ESC}办法》。\n\n" + FILLER),
        "bidi.md": utf8("# 1 \u202e标题\u202c\n\n新增\u2067企业\u2069 12家，\u202a授信\u202c 5亿元。\n"),
        "nul.md": utf8("# 1 标题\n\n" + FILLER * 3) + b"\x00" + utf8(FILLER),
        "deep-headings.md": utf8(deep_headings),
        "deep-list.md": utf8("# 1 列表\n\n" + deep_list),
        "deep-brackets.md": utf8("# 1 括号\n\n" + "《" * 5000 + "测试" + "》" * 5000 + "新增12家。\n" + "（" * 3000 + "\n"),
        "huge-numbers.md": utf8("# 1 数字\n\n投入" + "9" * 5000 + "亿元，增长1e308%，达到"
                                "99999999999999999999999999万亿元，占比0.000000000000000000001%，"
                                "共" + "1," * 2000 + "1家。\n$" + "9" * 400 + "$ 万户\n"),
        "invalid-utf8.md": b"# 1 \xe6\xa0\x87\xff\xfe \xc3\x28 \xa0\xa1 \xf0\x28\x8c\xbc\n",
        "mixed-encodings.md": utf8("# 1 标题\n\n新增企业12家。\n") + "新增企业13家。\n".encode("gbk") + utf8("结束。\n"),
        "gbk.md": "# 1 标题\n\n新增企业12家，授信额5亿元。\n".encode("gbk"),
        "utf16.md": b"\xff\xfe" + "# 1 标题\n\n新增企业12家。\n".encode("utf-16-le"),
        "empty.md": b"",
        "blank.md": b" \n\n\t\n   \n",
        "only-headings.md": utf8("".join(f"# {k} 标题{k}\n" for k in range(1, 300))),
        "long-line-no-punctuation.md": utf8("科技" * 50_000 + "\n"),
        "pipes.md": utf8("|" * 5000 + "\n" + "| a | b |\n" * 500),
        "latex.md": utf8("# 1 公式\n\n" + "$" * 3001 + "12$亿元\n" + "\\%" * 2000 + "\n"),
        "html.md": utf8("# 1 表格\n\n" + "<table><tr><td>" * 2000 + "新增企业12家" + "</td></tr></table>" * 2000 + "\n"),
        "crlf-cr.md": utf8("# 1 标题\r\n\r\n新增企业12家。\r3月，发布《办法》。\r\n"),
    }


# files that are not text: refused with one line (exit 1), never a traceback
REFUSED = {"nul.md", "invalid-utf8.md", "mixed-encodings.md"}  # one line naming the byte


def unsafe_in(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in text if c in sanitize.UNSAFE_CHARACTERS})


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("adversarial")
    for name, data in _files().items():
        (folder / name).write_bytes(data)
    return folder


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert not unsafe_in(out) and not unsafe_in(err), (argv, unsafe_in(out), unsafe_in(err))
    if code != 0:
        assert code == 1 and len(err.strip().splitlines()) == 1, (argv, err)
    return code, out, err


@pytest.mark.parametrize("name", sorted(_files()))
def test_parse_every_hostile_file(capsys, corpus, name):
    for fmt in ("json", "text"):
        start = time.monotonic()
        code, out, err = run(capsys, "parse", corpus / name, "--year", "2030", "--format", fmt)
        assert time.monotonic() - start < 30
        assert code == (1 if name in REFUSED else 0), err
        if code == 0 and fmt == "json":
            data = json.loads(out)
            assert data["document"]["source"] == name and "PWNED" not in out


@pytest.fixture(scope="module")
def hostile_store(corpus, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("adv-store") / "kjtui.json"
    for name in sorted(_files()):
        code = main(["--db", str(db), "ingest", str(corpus / name), "--year", "2030"])
        assert code == (1 if name in REFUSED else 0), name
    return db


@pytest.mark.parametrize("argv", [
    ["sections"], ["sections", "--format", "json"], ["metrics", "--year", "2030"],
    ["metrics", "--year", "2030", "--format", "csv"], ["metrics", "--year", "2030", "--format", "json"],
    ["timeline", "--year", "2030"], ["timeline", "--year", "2030", "--format", "csv"],
    ["timeline", "--year", "2030", "--format", "json"],
], ids=lambda a: " ".join(a))
def test_every_listing_over_the_hostile_store(capsys, hostile_store, argv):
    code, out, _ = run(capsys, "--db", hostile_store, *argv)
    assert code == 0 and out


def test_every_hostile_section_exports(capsys, hostile_store, tmp_path):
    code, out, _ = run(capsys, "--db", hostile_store, "sections", "--format", "json")
    ids = [s["id"] for s in json.loads(out) if s["id"].startswith("2030-")]
    assert len(ids) > 20
    for k, sid in enumerate(ids[:: max(1, len(ids) // 40)]):
        target = tmp_path / f"{k}.md"
        code, _, err = run(capsys, "--db", hostile_store, "export", sid, "-o", target)
        assert code == 0, err
        assert not unsafe_in(target.read_text(encoding="utf-8"))


async def test_the_browser_opens_every_hostile_document(hostile_store, tmp_path, monkeypatch):
    from kjtui.tui import config as config_mod
    from kjtui.tui.app import KjtuiApp
    from kjtui.tui.catalog import NodeRef

    from ..tui.conftest import ready

    monkeypatch.setenv("KJTUI_CONFIG", str(tmp_path / "config.yaml"))
    monkeypatch.chdir(tmp_path)
    app = KjtuiApp(hostile_store, config=config_mod.load(tmp_path / "config.yaml"), shipped=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        docs = [d for d in app.catalog.documents if d.year == 2030]
        assert len(docs) == len(_files()) - len(REFUSED)
        for doc in docs:
            sections = app.catalog.sections_for(NodeRef("document", doc.id))
            visits = [(NodeRef("document", doc.id), "reader"), (NodeRef("document", doc.id), "metrics"),
                      (NodeRef("document", doc.id), "timeline")]
            visits += [(NodeRef("section", s.id), "reader") for s in sections[:2]]
            for node, view in visits:
                app.open_node(node, view=view)
                await pilot.pause(0.02)
                assert app.is_running, (doc.source, node, view)
            assert not unsafe_in(app.export_screenshot()), doc.source
        app.open_node(NodeRef("year", "2030"), view="metrics")
        await pilot.pause(0.1)
        assert app.is_running and not unsafe_in(app.export_screenshot())


# -- linear time -----------------------------------------------------------------------

SENTENCE = "新增科技企业12家,授信额5亿元。3月,发布《测试办法》。5日,召开会议。"


def _parse_cpu(path: Path, size: int) -> float:
    from kjtui import corpus

    path.write_text(SENTENCE * (size // len(SENTENCE.encode())), encoding="utf-8")  # ONE line
    start = time.process_time()
    parsed = corpus.parse_entry(corpus.Entry(path, 2024))
    took = time.process_time() - start
    assert parsed.metrics and parsed.events
    return took


def test_a_one_line_file_parses_in_linear_time(tmp_path):
    small = _parse_cpu(tmp_path / "small.md", 250_000)
    big = _parse_cpu(tmp_path / "big.md", 1_000_000)
    # 4x the text: linear work is ~4x; the quadratic scan of dates this guards against was ~16x
    assert big < max(small, 0.02) * 7, (small, big)


def _compiled() -> bool:
    from kjtui.ingest import events

    return not events.__file__.endswith(".py")


@pytest.mark.skipif(not _compiled() and not os.environ.get("KJTUI_SLOW"),
                    reason="the < 5 s budget is for the mypyc-compiled parser (pip install .); KJTUI_SLOW=1 forces it")
def test_a_10mb_one_line_file_parses_in_under_5_seconds(tmp_path):
    """Real report text (the shipped documents) with every line break removed, as a page
    saved without them would be, repeated to 10 MB on ONE line."""
    from kjtui import corpus

    entries, _ = corpus.shipped_entries()
    line = " ".join(corpus.read_document_text(e.path)[0].replace("\n", " ") for e in entries)
    data = line.encode("utf-8")
    path = tmp_path / "ten.md"
    path.write_bytes((data * (10_000_000 // len(data) + 1))[:10_000_000].decode("utf-8", "ignore").encode("utf-8"))
    start = time.process_time()
    parsed = corpus.parse_entry(corpus.Entry(path, 2024))
    took = time.process_time() - start
    assert parsed.metrics and took < 5.0, took


def _row_cpu(path: Path, cells: int) -> tuple[float, int]:
    from kjtui import corpus

    path.write_text("| 指标 | " + " | ".join(f"{k}家" for k in range(cells)) + " |\n", encoding="utf-8")
    start = time.process_time()
    parsed = corpus.parse_entry(corpus.Entry(path, 2024))
    took = time.process_time() - start
    assert len(parsed.metrics) > cells // 2
    return took, sum(len(m.context) for m in parsed.metrics)


def test_a_long_table_row_parses_in_linear_time(tmp_path):
    (small, small_text), (big, big_text) = _row_cpu(tmp_path / "s.md", 1000), _row_cpu(tmp_path / "b.md", 4000)
    assert big < max(small, 0.02) * 7, (small, big)
    assert big_text < max(small_text, 1) * 7, "each metric's context must not hold the whole row"
