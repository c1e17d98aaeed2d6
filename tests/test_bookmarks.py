"""Bookmarks (core): toggled by place, found again after a rebuild by id or anchor,
and an unreadable file is never rewritten."""

import json

import pytest

from kjtui import bookmarks, locations
from kjtui.cli import main
from kjtui.ingest import parse_document

TEXT = """# 5.1 科技金融

截至年底，授信企业**120**家，授信金额**35.5亿元**。

# 5.2 人才建设

引进人才**300**人。
"""


@pytest.fixture
def marks_path(tmp_path, monkeypatch):
    path = tmp_path / "data" / "bookmarks.json"
    monkeypatch.setenv("KJTUI_BOOKMARKS", str(path))
    return path


def _index(parsed):
    by_id = {s.id: s for s in parsed.sections}
    metrics: dict[str, list] = {}
    for m in parsed.metrics:
        metrics.setdefault(m.section, []).append(m)
    return by_id, (lambda doc: [s for s in parsed.sections if s.document == doc]), (lambda sid: metrics.get(sid, []))


def test_the_default_path_is_in_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("KJTUI_BOOKMARKS", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    path = locations.bookmarks_path()
    assert path.name == "bookmarks.json" and path.parent == locations.user_dir("data")
    assert str(path).startswith(str(tmp_path))


def test_toggle_adds_then_removes_the_same_place(marks_path):
    parsed = parse_document(TEXT, source="r.md", year=2023, title="报告")
    section = next(s for s in parsed.sections if s.number == "5.1")
    mark = bookmarks.for_section(section, "报告", 2023)
    assert bookmarks.toggle(mark) is True
    assert [b.section for b in bookmarks.load()] == [section.id]
    metric = next(m for m in parsed.metrics if m.raw == "**35.5亿元**")
    assert bookmarks.toggle(bookmarks.for_metric(metric, section, "报告")) is True
    assert len(bookmarks.load()) == 2
    again = bookmarks.for_section(section, "报告", 2023)  # a new object on the same place
    assert bookmarks.toggle(again) is False
    assert [b.kind for b in bookmarks.load()] == ["metric"]
    saved = json.loads(marks_path.read_text(encoding="utf-8"))
    assert saved["version"] == 1 and saved["bookmarks"][0]["raw"] == "**35.5亿元**"


def test_a_bookmark_is_found_again_after_reparsing_even_when_metric_ids_move(marks_path):
    parsed = parse_document(TEXT, source="r.md", year=2023, title="报告")
    section = next(s for s in parsed.sections if s.number == "5.2")
    metric = next(m for m in parsed.metrics if m.raw == "**300**人")
    mark = bookmarks.for_metric(metric, section, "报告")
    # the text grows a metric in front: ids are positions, so the old id now names another metric
    grown = parse_document(TEXT.replace("授信企业**120**家，", "授信企业**120**家，新增**7**家，"),
                           source="r.md", year=2023, title="报告")
    by_id, sections_of, metrics_in = _index(grown)
    moved = next(m for m in grown.metrics if m.raw == "**300**人")
    assert moved.id != metric.id
    found = bookmarks.resolve(mark, by_id, sections_of, metrics_in)
    assert found is not None and found[1].id == moved.id and found[0].id == section.id
    gone = parse_document("# 9 别的\n\n没有数字。\n", source="r.md", year=2023, title="报告")
    assert bookmarks.resolve(mark, *_index(gone)) is None


def test_an_unreadable_bookmarks_file_is_left_alone(marks_path, capsys):
    marks_path.parent.mkdir(parents=True)
    marks_path.write_text("{not json", encoding="utf-8")
    parsed = parse_document(TEXT, source="r.md", year=2023, title="报告")
    mark = bookmarks.for_section(parsed.sections[0], "报告", 2023)
    with pytest.raises(bookmarks.BookmarkError) as err:
        bookmarks.toggle(mark)
    assert str(marks_path) in str(err.value) and "move it aside" in str(err.value)
    assert marks_path.read_text(encoding="utf-8") == "{not json"
    assert main(["bookmarks", "--format", "json"]) == 1
    assert str(marks_path) in capsys.readouterr().err
    assert marks_path.read_text(encoding="utf-8") == "{not json"


def test_cli_lists_bookmarks_as_json_and_as_a_table(marks_path, capsys):
    assert main(["bookmarks", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    parsed = parse_document(TEXT, source="r.md", year=2023, title="报告")
    bookmarks.toggle(bookmarks.for_section(parsed.sections[0], "报告", 2023))
    assert main(["bookmarks", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["kind"] for b in listed] == ["section"] and listed[0]["section"] == parsed.sections[0].id
    assert main(["bookmarks"]) == 0
    assert "5.1 科技金融" in capsys.readouterr().out
