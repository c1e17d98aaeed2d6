import csv
import io
import json
import subprocess
import sys

import pytest

from kjtui.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and "kjtui" in capsys.readouterr().out


def test_parse_json_contract(capsys, corpus_dir):
    code, out, _ = run(capsys, "parse", str(corpus_dir / "a.txt"), "--year", "2022", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"document", "sections", "metrics", "events"}
    assert {"title", "year", "kind", "doc_number", "date"} <= set(data["document"])
    assert {"id", "parent", "level", "number", "title", "line"} <= set(data["sections"][0])
    assert {"id", "section", "label", "value", "raw", "unit", "base_unit", "multiplier", "normalized",
            "qualifier", "period", "line"} <= set(data["metrics"][0])
    assert {"id", "section", "year", "month", "day", "end", "title", "kind", "text", "line"} <= set(data["events"][0])
    first = data["metrics"][0]
    assert (first["value"], first["unit"], first["period"]) == (120, "家", "截至年底")
    assert [e["title"] for e in data["events"]] == ["甲办法", "乙意见"]


def test_parse_text_shows_markup_as_text(capsys, tmp_path):
    f = tmp_path / "m.txt"
    f.write_text("1.1 标题[bold]x[/bold]\n\n企业**5**家 [/oops]。\n", encoding="utf-8")
    code, out, _ = run(capsys, "parse", str(f))
    assert code == 0 and "[bold]x[/bold]" in out


def test_parse_touches_no_store(capsys, corpus_dir, db):
    run(capsys, "parse", str(corpus_dir / "a.txt"))
    assert not db.exists()


def _file(name, data):
    def make(folder):
        path = folder / name
        path.write_bytes(data)
        return path
    return make


@pytest.mark.parametrize("make, message", [
    (lambda p: p / "missing.txt", "no such file"),
    (lambda p: p, "is a directory"),
    (_file("bin.dat", b"\x89PNG\x00\x00\x01"), "binary"),
    (_file("bad.txt", b"\xff\xfe\xfd\x80\x81" * 10), "neither UTF-8 nor GB18030"),
])
def test_parse_bad_files_one_line_and_exit_1(capsys, tmp_path, make, message):
    path = make(tmp_path)
    code, out, err = run(capsys, "parse", str(path))
    assert code == 1 and message in err and str(path) in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_parse_gbk_file_is_decoded_with_a_note(capsys, tmp_path):
    f = tmp_path / "gbk.txt"
    f.write_bytes("1.1 科技金融\n\n支持企业**5**家。\n".encode("gbk"))
    code, out, err = run(capsys, "parse", str(f), "--format", "json")
    assert code == 0 and "GB18030" in err
    assert json.loads(out)["metrics"][0]["value"] == 5


def test_parse_empty_file_gives_empty_document_and_warning(capsys, tmp_path):
    f = tmp_path / "empty.txt"
    f.write_text("", encoding="utf-8")
    code, out, err = run(capsys, "parse", str(f), "--format", "json")
    assert code == 0 and "empty" in err
    assert json.loads(out)["metrics"] == []


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["metrics", "--format", "xml"])
    assert exc.value.code == 2


def test_ingest_manifest_and_listing_commands(capsys, corpus_dir, db):
    code, out, _ = run(capsys, "ingest", str(corpus_dir))
    assert code == 0 and "ingested 2 documents" in out
    code, out, _ = run(capsys, "sections", "--year", "2022", "--format", "json")
    assert [s["title"] for s in json.loads(out)] == ["科技金融", "人才"]
    code, out, _ = run(capsys, "metrics", "--grep", "高企贷", "--year", "2022", "--format", "json")
    assert [(m["value"], m["unit"]) for m in json.loads(out)] == [(120, "家"), (35.5, "亿元")]
    code, out, _ = run(capsys, "metrics", "--year", "2021", "--grep", "试点园区", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["value"], r["unit"]) for r in rows] == [("300.0", "家")]
    code, out, _ = run(capsys, "timeline", "--year", "2022", "--policies", "--format", "json")
    assert [(e["month"], e["day"], e["title"]) for e in json.loads(out)] == [(3, None, "甲办法"), (10, 21, "乙意见")]
    code, out, _ = run(capsys, "metrics", "--year", "2022")
    assert code == 0 and "高企贷" in out


def test_metrics_section_means_section_and_descendants(capsys, tmp_path, db):
    f = tmp_path / "d.txt"
    f.write_text("1.1 甲\n\n企业**1**家。\n\n◆ 乙\n\n企业**2**家。\n\n1.2 丙\n\n企业**3**家。\n", encoding="utf-8")
    run(capsys, "ingest", str(f), "--year", "2030")
    sections = json.loads(run(capsys, "sections", "--year", "2030", "--format", "json")[1])
    top = sections[0]["id"]
    code, out, _ = run(capsys, "metrics", "--section", top, "--format", "json")
    assert [m["value"] for m in json.loads(out)] == [1, 2]
    code, out, _ = run(capsys, "metrics", "--section", "1.2", "--year", "2030", "--format", "json")
    assert [m["value"] for m in json.loads(out)] == [3]


def test_export_by_number_and_no_overwrite(capsys, corpus_dir, db, tmp_path, monkeypatch):
    run(capsys, "ingest", str(corpus_dir))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "export", "2.1", "--year", "2022")
    assert code == 0 and (tmp_path / "2022-2.1.md").is_file()
    code, _, err = run(capsys, "export", "2.1", "--year", "2022")
    assert code == 1 and "exists" in err and "--force" in err
    code, _, _ = run(capsys, "export", "2.1", "--year", "2022", "--force")
    assert code == 0
    code, _, err = run(capsys, "export", "9.9")
    assert code == 2 and "no section matches" in err


def test_broken_manifest_names_file_and_line(capsys, tmp_path, db):
    m = tmp_path / "manifest.yaml"
    m.write_text("documents:\n  - file: a.txt\n    year: [oops\n", encoding="utf-8")
    code, _, err = run(capsys, "ingest", "--manifest", str(m))
    assert code == 1 and str(m) in err and "line" in err and "Traceback" not in err


def test_manifest_with_bad_year(capsys, tmp_path, db):
    m = tmp_path / "manifest.yaml"
    m.write_text("documents:\n  - file: a.txt\n    year: twenty\n", encoding="utf-8")
    code, _, err = run(capsys, "ingest", "--manifest", str(m))
    assert code == 1 and "four-digit year" in err


def test_corrupt_store_one_line_exit_1_and_rebuild_keeps_it(capsys, db):
    db.parent.mkdir(parents=True)
    db.write_text("{corrupt", encoding="utf-8")
    code, _, err = run(capsys, "metrics")
    assert code == 1 and str(db) in err and "kjtui ingest --rebuild" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "ingest", "--rebuild")
    assert code == 0 and "kept the previous store" in err
    kept = [p for p in db.parent.iterdir() if ".bad-" in p.name]
    assert kept and kept[0].read_text(encoding="utf-8") == "{corrupt"


def test_python_dash_m_entry_point(db):
    result = subprocess.run([sys.executable, "-m", "kjtui", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "kjtui" in result.stdout
