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


# -- the store from the command line (helper "store") ------------------------------------------

def _docs(capsys):
    code, out, _ = run(capsys, "documents", "--format", "json")
    assert code == 0
    return json.loads(out)


def test_listing_json_is_one_array_streamed(capsys, corpus_dir, db):
    run(capsys, "ingest", str(corpus_dir))
    for argv in (("metrics",), ("timeline",), ("sections",), ("metrics", "--year", "1999")):
        code, out, _ = run(capsys, *argv, "--format", "json")
        assert code == 0
        data = json.loads(out)
        assert isinstance(data, list) and (data or argv[-1] == "1999")
    code, out, _ = run(capsys, "metrics", "--year", "2022", "--format", "json")
    assert {m["year"] for m in json.loads(out)} == {2022}


def test_positional_manifest_is_read_as_a_manifest(capsys, corpus_dir, db):
    code, out, err = run(capsys, "ingest", str(corpus_dir / "manifest.yaml"))
    assert code == 0 and "ingested 2 documents" in out
    assert sorted(d["source"] for d in _docs(capsys) if d["path"]) == ["a.txt", "b.txt"]  # user documents
    assert not [d for d in _docs(capsys) if d["source"] == "manifest.yaml"]


def test_reingest_replaces_and_remove_drops(capsys, tmp_path, db):
    f = tmp_path / "mine.md"
    f.write_text("# 1 测试\n\n新增企业3家。\n", encoding="utf-8")
    run(capsys, "ingest", str(f))
    run(capsys, "ingest", str(f), "--year", "2031")
    mine = [d for d in _docs(capsys) if d["source"] == "mine.md"]
    assert [d["year"] for d in mine] == [2031]
    code, out, _ = run(capsys, "remove", mine[0]["id"])
    assert code == 0 and "removed 1 document" in out
    assert not [d for d in _docs(capsys) if d["source"] == "mine.md"]
    code, _, err = run(capsys, "remove", "no-such-doc")
    assert code == 2 and "no document" in err and "kjtui documents" in err


def test_documents_sort_naturally(capsys, tmp_path, db):
    folder = tmp_path / "c"
    folder.mkdir()
    entries = []
    for k in (10, 9, 2):
        (folder / f"r{k}.md").write_text(f"# 1 测试\n\n企业{k}家。\n", encoding="utf-8")
        entries.append(f"  - file: r{k}.md\n    year: 2031\n    title: 报告（{k}）\n")
    (folder / "manifest.yaml").write_text("documents:\n" + "".join(entries), encoding="utf-8")
    code, _, _ = run(capsys, "ingest", str(folder), "--jobs", "2")
    assert code == 0
    titles = [d["title"] for d in _docs(capsys) if d["year"] == 2031]
    assert titles == ["报告（2）", "报告（9）", "报告（10）"]
    years = [d["year"] for d in _docs(capsys)]
    assert years == sorted(years, key=lambda y: (y is None, -(y or 0)))


@pytest.mark.parametrize("shape", ['{"_meta": [1]}', "null", '{"documents": {"1": 5}}',
                                   '{"metrics": {"1": {"value": "x"}}}', '{"_meta": {"1": {"schema": 1}}, "metrics": {"1": {"value": "x"}}}'])
def test_every_bad_store_shape_is_one_line_and_rebuild_works(capsys, db, shape):
    db.parent.mkdir(parents=True)
    db.write_text(shape, encoding="utf-8")
    for argv in (("metrics",), ("sections", "--format", "json"), ("timeline",), ("ingest",)):
        code, out, err = run(capsys, *argv)
        assert code == 1 and str(db) in err and "kjtui ingest --rebuild" in err, (argv, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    code, out, err = run(capsys, "ingest", "--rebuild")
    assert code == 0 and "kept the previous store" in err
    assert [p for p in db.parent.iterdir() if ".bad-" in p.name][0].read_text(encoding="utf-8") == shape
    code, out, _ = run(capsys, "metrics", "--format", "json")
    assert code == 0 and json.loads(out)


def test_jobs_must_be_positive(capsys, corpus_dir, db):
    code, _, err = run(capsys, "ingest", str(corpus_dir), "--jobs", "0")
    assert code == 2 and "--jobs" in err


def test_ingest_gives_up_waiting_with_a_message(capsys, corpus_dir, db):
    from kjtui.store import resolve

    run(capsys, "ingest")  # the store exists
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from pathlib import Path; from kjtui.store import write_lock\n"
         "with write_lock(Path(sys.argv[1])):\n print('held', flush=True); time.sleep(4)", str(resolve(db))],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    code, _, err = run(capsys, "ingest", str(corpus_dir), "--wait", "0.5")
    holder.wait()
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0] == f"waiting for another kjtui ingest (pid {holder.pid})…"
    assert "still holds the lock" in lines[-1] and "--wait" in lines[-1]


def test_a_symlinked_db_stays_a_link(capsys, tmp_path, corpus_dir, monkeypatch):
    real = tmp_path / "real.json"
    link = tmp_path / "link.json"
    monkeypatch.setenv("KJTUI_DB", str(real))
    run(capsys, "ingest")
    link.symlink_to(real)
    code, _, _ = run(capsys, "--db", str(link), "ingest", str(corpus_dir / "a.txt"), "--year", "2030")
    assert code == 0 and link.is_symlink()
    code, out, _ = run(capsys, "--db", str(real), "metrics", "--year", "2030", "--format", "json")
    assert json.loads(out)


def _peak_rss_kb(argv, env):
    code = (
        "import resource, sys, runpy\n"
        "sys.argv = ['kjtui'] + sys.argv[1:]\n"
        "from kjtui.cli import main\n"
        "try:\n    rc = main(sys.argv[1:])\n"
        "finally:\n    sys.stdout.flush()\n"
        # VmHWM, not ru_maxrss: ru_maxrss survives fork and exec, so it would start at pytest's size
        "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
        "    print(hwm[0].split()[1] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, *argv], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, timeout=300)
    return int(result.stderr.strip().splitlines()[-1])


def test_cli_memory_does_not_grow_with_the_store(tmp_path):
    """Listing a 50x store takes about the memory of listing a 2x one (records stream)."""
    import os

    from kjtui import corpus, service

    env = dict(os.environ, KJTUI_CACHE=str(tmp_path / "cache.json"))
    peaks = {}
    for n in (2, 50):
        folder = tmp_path / f"c{n}"
        folder.mkdir()
        for k in range(n):
            for e in corpus.shipped_entries()[0]:
                (folder / f"{k:03d}_{e.path.name}").write_bytes(e.path.read_bytes())
        store_path = tmp_path / f"s{n}"
        store = service.open_store(store_path, notify=None)  # with the shipped corpus: no refresh later
        service.ingest(store, corpus.entries_for([folder]), year=2024, jobs=2)
        env["KJTUI_DB"] = str(store_path)
        peaks[n] = {" ".join(argv): _peak_rss_kb(argv, env) for argv in COMMANDS}
    # 25 times the records (the 50x store is ~20 MB on disk; loading its metrics alone takes
    # ~15 MB more): what grows is allocator slack, not records held
    for command in COMMANDS:
        key = " ".join(command)
        bound = 25_000 if command[0] == "sections" else 12_000
        assert peaks[50][key] < peaks[2][key] + bound, (key, peaks)


COMMANDS = (
    ["metrics", "--format", "json"], ["metrics", "--format", "csv"], ["timeline", "--format", "json"],
    ["metrics", "--grep", "科技", "--format", "json"], ["metrics", "--year", "2024", "--format", "json"],
    ["sections", "--format", "json"],
)


def test_a_big_manifest_is_read_while_the_store_opens_with_the_same_outcome(capsys, tmp_path, db, monkeypatch):
    from kjtui import cli

    monkeypatch.setattr(cli, "BIG_MANIFEST", 0)  # every manifest counts as big: read in a forked child
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.md").write_text("# 1 测试\n\n企业7家。\n", encoding="utf-8")
    (folder / "manifest.yaml").write_text("documents:\n  - file: a.md\n    year: 2030\n", encoding="utf-8")
    code, out, _ = run(capsys, "ingest", str(folder))
    assert code == 0 and "ingested 1 documents" in out
    assert [d["title"] for d in _docs(capsys) if d["year"] == 2030]
    (folder / "manifest.yaml").write_text("documents:\n  - file: a.md\n    year: twenty\n", encoding="utf-8")
    code, _, err = run(capsys, "ingest", str(folder))
    assert code == 1 and "manifest.yaml" in err and "four-digit year" in err and len(err.strip().splitlines()) == 1
