"""`kjtui search / series / conflicts / compare` in every format, on a store of made-up documents."""

import csv
import io
import json

import pytest

from kjtui.cli import main
from tests.answers.test_answers_core import REPLY_A, REPORT_A, REPORT_B


@pytest.fixture
def answers_db(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (folder / "r.txt").write_text(REPLY_A, encoding="utf-8")
    (folder / "b.txt").write_text(REPORT_B, encoding="utf-8")
    (folder / "manifest.yaml").write_text(
        "documents:\n"
        "  - {file: b.txt, year: 2024, kind: report, title: 2024报告}\n"
        "  - {file: a.txt, year: 2023, kind: report, title: 2023报告}\n"
        "  - {file: r.txt, year: 2023, kind: reply, title: 2023答复}\n", encoding="utf-8")
    db = tmp_path / "store.json"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KJTUI_SEARCH_CACHE", str(tmp_path / "search-cache"))
    assert main(["--db", str(db), "ingest", "--rebuild", str(folder)]) == 0
    capsys.readouterr()
    return db


def run(capsys, db, *argv):
    code = main(["--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def mine(rows, key="title"):
    return [r for r in rows if r[key] in {"2023报告", "2023答复", "2024报告"}]


def test_search_json_finds_every_year_and_folds_marks(capsys, answers_db):
    code, out, _ = run(capsys, answers_db, "search", "甲乙贷", "--format", "json")
    rows = mine(json.loads(out))
    assert code == 0 and {r["year"] for r in rows} == {2023, 2024}
    assert {"year", "document", "title", "section", "section_title", "path", "line", "text", "matches"} <= set(rows[0])
    code, out, _ = run(capsys, answers_db, "search", "35.50亿元", "--format", "json")
    rows = mine(json.loads(out))
    assert len(rows) == 1 and rows[0]["title"] == "2023报告"
    s, e = rows[0]["matches"][0]
    assert rows[0]["text"][s:e].replace(" ", "") == "35.50亿元"


def test_search_two_terms_and_year(capsys, answers_db):
    _, out, _ = run(capsys, answers_db, "search", "引进人才", "甲乙贷", "--format", "json")
    assert [r["section_title"] for r in mine(json.loads(out))] == ["2.2 人才建设"]
    _, out, _ = run(capsys, answers_db, "search", "甲乙贷", "--year", "2024", "--format", "json")
    assert {r["year"] for r in json.loads(out)} == {2024}


def test_search_table_shows_text_not_markup(capsys, answers_db):
    code, out, err = run(capsys, answers_db, "search", "甲乙贷")
    assert code == 0 and "2023报告" in out and "甲乙贷" in out and "matches" in err


def test_search_without_text_is_a_usage_error(capsys, answers_db):
    code, _, err = run(capsys, answers_db, "search", " ")
    assert code == 2 and "kjtui search" in err


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_series_every_format(capsys, answers_db, fmt):
    code, out, _ = run(capsys, answers_db, "series", "丙丁专利授权量", "--format", fmt)
    assert code == 0
    if fmt == "json":
        rows = json.loads(out)
        assert {r["year"] for r in rows} == {2023, 2024}
        assert [r["change_pct"] for r in rows if r["year"] == 2024] == [19.05]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {r["year"] for r in rows} == {"2023", "2024"} and rows[0]["base_unit"] == "件"
    else:
        assert "2023" in out and "2024" in out and "+19." in out


def test_series_unknown_label(capsys, answers_db):
    code, out, err = run(capsys, answers_db, "series", "完全无关的名称", "--format", "json")
    assert code == 0 and json.loads(out) == []
    code, out, err = run(capsys, answers_db, "series", "完全无关的名称")
    assert code == 0 and "no measure" in err


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_conflicts_every_format(capsys, answers_db, fmt):
    code, out, err = run(capsys, answers_db, "conflicts", "--format", fmt)
    assert code == 0
    if fmt == "json":
        found = [c for c in json.loads(out) if "报告" in c["a"]["title"] + c["b"]["title"]
                 and c["a"]["document"][:4] == c["b"]["document"][:4]
                 and {c["a"]["title"], c["b"]["title"]} <= {"2023报告", "2023答复", "2024报告"}]
        assert len(found) == 1
        assert sorted([found[0]["a"]["value"], found[0]["b"]["value"]]) == [35.5, 35.9]
        assert {found[0]["a"]["title"], found[0]["b"]["title"]} == {"2023报告", "2023答复"}
    elif fmt == "csv":
        rows = [r for r in csv.DictReader(io.StringIO(out)) if {r["value_a"], r["value_b"]} == {"35.5", "35.9"}]
        assert len(rows) == 1 and rows[0]["year"] == "2023"
    else:
        assert "35.5" in out and "35.9" in out and "甲乙贷" in out and "conflicts" in err


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_compare_every_format(capsys, answers_db, fmt):
    code, out, _ = run(capsys, answers_db, "compare", "2023", "2024", "--format", fmt)
    assert code == 0
    if fmt == "json":
        data = json.loads(out)
        pair = next(p for p in data["both"] if p["label"] == "丙丁专利授权量")
        assert (pair["a"]["value"], pair["b"]["value"], pair["change_pct"]) == (4.2, 5.0, 19.05)
        assert any(p["label"] == "引进人才" for p in data["only_a"])
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {"both", "only_a"} <= {r["status"] for r in rows}
    else:
        assert "丙丁专利授权量" in out and "+19.0%" in out and "only in 2023" in out


def test_compare_unknown_year_is_a_usage_error(capsys, answers_db):
    code, _, err = run(capsys, answers_db, "compare", "2023", "1999")
    assert code == 2 and "1999" in err and "2023" in err
