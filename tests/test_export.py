import os

import pytest

from kjtui import export
from kjtui.ingest import parse_document
from kjtui.model import Document

SOURCE = """# 7

## 营造创新生态

导语。

# 7.1 科技金融

截至年底，科技型企业贷款存量户数 $2.99$ 万户,比上年增长 $49.99\\%$ 。

## » 科技信贷

- 授信金额**376.55亿元**，惠及企业 4800 余家
- 撬动社会资本**千**亿元，占比近九成

3月\t<ul><li>发布《甲办法》</li><li>修定《乙细则》</li></ul>

### 小标题

7月3日至10月29日,上海国际创客大赛举行。

在知识产权方面，2023 年专利商标质押融资登

记 1370 笔、登记金额 227.6 亿元。

7.2 下一节

企业**9**家。
"""


def _export(number="7.1"):
    doc = parse_document(SOURCE, source="src.txt", year=2023, title="2023报告 · 第7章")
    section = next(s for s in doc.sections if s.number == number)
    return doc, section, export.to_markdown(doc.document, section, doc.sections)


def test_export_front_matter_and_rebased_headings():
    doc, section, text = _export()
    assert text.startswith("---\ntitle: 7.1 科技金融\nnumber: '7.1'\n")
    assert "year: 2023" in text and "source: src.txt" in text
    assert "- 7 营造创新生态\n- 7.1 科技金融" in text
    assert "\n# 7.1 科技金融\n" in text and "\n## » 科技信贷\n" in text and "\n### 小标题\n" in text
    assert "7.2" not in text.split("---", 2)[2]


def test_export_text_is_clean_with_numbers_in_bold():
    _, _, text = _export()
    assert "$" not in text and "<" not in text and "\\%" not in text
    assert "**2.99**万户" in text and "**49.99**%" in text and "**376.55**亿元" in text
    assert "3月\n\n- 发布《甲办法》\n- 修定《乙细则》" in text
    assert "质押融资登记 **1370**笔" in text  # the split word is put back together


def test_export_round_trip_keeps_metrics_and_events():
    doc, section, text = _export()
    scope = {s.id for s in doc.sections if s.id == section.id or s.id.startswith(section.id + "/")}
    before_m = sorted((m.value, m.unit, m.qualifier) for m in doc.metrics if m.section in scope)
    before_e = sorted((e.year, e.month, e.day, e.end, e.title) for e in doc.events if e.section in scope)
    again = parse_document(text, source="out.md")
    assert sorted((m.value, m.unit, m.qualifier) for m in again.metrics) == before_m
    assert sorted((e.year, e.month, e.day, e.end, e.title) for e in again.events) == before_e
    assert again.document.year == 2023


@pytest.mark.parametrize("number, title, expected", [
    ("7.1", "x", "2023-7.1.md"),
    (None, '推动"沪科"/出台 落地', "2023-推动-沪科-出台-落地.md"),
    ("一、", "总体", "2023-一.md"),
])
def test_default_filename_uses_safe_characters(number, title, expected):
    from kjtui.model import Section

    doc = Document(id="d", title="t", year=2023, kind="report", source="s")
    section = Section(id="d/x", document="d", parent=None, level=1, number=number, title=title, line=1, start=1, end=1, order=0)
    assert export.default_filename(doc, section) == expected


def test_write_never_overwrites_without_force(tmp_path):
    target = tmp_path / "out.md"
    export.write(target, "one")
    with pytest.raises(export.ExportError, match="exists"):
        export.write(target, "two")
    assert target.read_text(encoding="utf-8") == "one"
    export.write(target, "two", force=True)
    assert target.read_text(encoding="utf-8") == "two"


def test_write_under_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(export.ExportError, match="cannot write|not a directory"):
        export.write(blocker / "x.md", "text")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores folder permissions")
def test_write_into_unwritable_folder_is_a_clear_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(export.ExportError, match="permission denied"):
            export.write(folder / "x.md", "text")
    finally:
        folder.chmod(0o700)


def test_enumerated_section_exports_and_parses_back():
    text = "## 一、加强支持\n\n全年支持企业 120 家。\n\n## 二、下一步\n\n继续推进。\n"
    doc = parse_document(text, source="r.txt", year=2024)
    section = doc.sections[0]
    assert section.label == "一、加强支持"
    out = export.to_markdown(doc.document, section, doc.sections)
    assert "\n# 一、加强支持\n" in out and "二、" not in out.split("---", 2)[2]
    again = parse_document(out, source="out.md")
    assert [(s.number, s.title) for s in again.sections] == [("一、", "加强支持")]
    assert [(m.value, m.unit) for m in again.metrics] == [(120, "家")]
