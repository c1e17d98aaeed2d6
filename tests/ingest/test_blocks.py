"""The section body's layout: made once by the ingest layer, stored with each
section, rendered by the reader and the export alike."""

from kjtui import export
from kjtui.ingest import parse_document
from kjtui.ingest.blocks import layout
from kjtui.model import Block, Section

TEXT = """# 1 总体

第一段的前半句写到这里还没有结束，因为版面转换把它断成了
两行，后半句在这里结束。

这一句也被转换从中间断开，断在一个空行之前而且这一行已经足够长所以不是标题

后半句在空行之后才结束。

- 授信金额**376.55亿元**，惠及企业 4800 余家
- 第二项

3月

- 发布《甲办法》

5月\t<ul><li>修定《乙细则》</li><li>举办论坛</li></ul>

指标\t数值
<tr><td>孵化器</td><td>**47**个</td></tr>
"""


def _section():
    doc = parse_document(TEXT, source="t.txt", year=2024)
    return doc, doc.sections[0]


def test_layout_joins_broken_lines_and_keeps_lists_months_and_rows_apart():
    _, section = _section()
    kinds = [(b.kind, b.text) for b in section.blocks]
    assert kinds[0] == ("para", "第一段的前半句写到这里还没有结束，因为版面转换把它断成了两行，后半句在这里结束。")
    assert kinds[1] == ("para", "这一句也被转换从中间断开，断在一个空行之前而且这一行已经足够长所以不是标题后半句在空行之后才结束。")
    assert ("item", "授信金额**376.55**亿元，惠及企业 **4800**余家") in kinds  # numbers in one bold form
    assert kinds[3] == ("item", "第二项")
    assert kinds[4:7] == [("month", "3月"), ("item", "发布《甲办法》"), ("month", "5月")]
    assert kinds[7:9] == [("item", "修定《乙细则》"), ("item", "举办论坛")]
    assert kinds[9:] == [("row", "指标\t数值"), ("row", "孵化器\t**47**个")]


def test_blocks_remember_their_source_lines():
    _, section = _section()
    first = section.blocks[0]
    assert (first.first, first.last) == (3, 4)
    assert all(section.start <= b.first <= b.last <= section.end for b in section.blocks)


def test_layout_is_empty_for_an_empty_body_and_ignores_blank_lines():
    assert layout("", 1, {}) == []
    assert [b.kind for b in layout("\n\n甲。\n\n\n乙。\n", 10, {})] == ["para", "para"]


def test_blocks_survive_the_stored_form():
    _, section = _section()
    again = Section.from_dict(section.to_dict())
    assert again.blocks == section.blocks
    assert Block.from_row({"kind": "para", "text": "x", "first": 1, "last": 2}) == Block("para", "x", 1, 2)


def test_export_writes_the_blocks_the_reader_shows():
    from kjtui.tui.blocks import section_blocks

    doc, section = _section()
    text = export.to_markdown(doc.document, section, doc.sections)
    shown = [b for b in section_blocks([section], section.level) if b.kind != "heading"]
    for block in shown:
        written = f"- {block.text}" if block.kind == "item" else block.text
        assert f"\n{written}\n" in text
    again = parse_document(text, source="out.md")
    assert [(b.kind, b.text) for b in again.sections[0].blocks] == [(b.kind, b.text) for b in section.blocks]


def test_layout_can_be_left_out_without_changing_anything_else():
    text = "# 1 总体\n\n全年新增企业12家。\n\n- 3月，发布《某办法》；\n"
    full = parse_document(text, year=2024)
    bare = parse_document(text, year=2024, layout=False)
    assert any(s.blocks for s in full.sections)
    assert not any(s.blocks for s in bare.sections)
    assert [m.to_dict() for m in bare.metrics] == [m.to_dict() for m in full.metrics]
    assert [e.to_dict() for e in bare.events] == [e.to_dict() for e in full.events]
