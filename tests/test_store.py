import json
import os
import signal
import subprocess
import sys
import time

import orjson
import pytest

from kjtui import corpus, readmodel, service
from kjtui.ingest import parse_document
from kjtui.store import CATALOG, DOCS, INDEX, SCHEMA_VERSION, Store, StoreError, natural_key, write_lock


def _doc(text, source="a.txt", year=2023, title=None):
    return parse_document(text, source=source, year=year, title=title)


def _consistent(path):
    """Every document the catalog names has a whole shard whose counts match, and the index
    holds exactly the catalog's documents' metrics and events."""
    store = Store.open(path)
    n_metrics = n_events = 0
    for doc in store.documents():
        shard = store.shard(doc.id)
        info = store.info(doc.id)
        assert (len(shard.metrics), len(shard.events)) == (info["metrics"], info["events"])
        n_metrics += info["metrics"]
        n_events += info["events"]
    ids = {d.id for d in store.documents()}
    indexed = [orjson.loads(js) for y in store.index_years("metrics") for js in store.metric_json(y)]
    assert len(indexed) == n_metrics and all(m["document"] in ids for m in indexed)
    events = [orjson.loads(js) for y in store.index_years("events") for js in store.event_json(y)]
    assert len(events) == n_events and all(e["document"] in ids for e in events)
    return store


def test_store_round_trips_records_and_keeps_chinese_readable(tmp_path):
    path = tmp_path / "s.json"
    store = Store.open(path)
    store.replace([_doc("1.1 金融\n\n支持企业**5**家。\n\n3月\n\n- 发布《甲办法》\n")])
    assert path.is_dir() and (path / CATALOG).is_file()
    shard_file = next((path / DOCS).iterdir())
    raw = shard_file.read_text(encoding="utf-8")
    assert "金融" in raw and "\\u" not in raw
    again = Store.open(path)
    doc_id = again.documents()[0].id
    shard = again.shard(doc_id)
    assert [s.title for s in shard.sections] == ["金融"]
    assert [m.value for m in shard.metrics] == [5]
    assert [e.title for e in shard.events] == ["甲办法"]
    assert again.meta["schema"] == SCHEMA_VERSION
    assert again.counts(doc_id) == (1, 1) and again.year_counts(2023) == (1, 1)
    assert [m.value for m in again.metrics_of_year(2023)] == [5]


def test_replacing_a_document_drops_its_old_rows_and_files(tmp_path):
    path = tmp_path / "s.json"
    store = Store.open(path)
    store.replace([_doc("1.1 甲\n\n企业**5**家。\n")])
    store.replace([_doc("1.1 甲\n\n企业**6**家。\n")])
    again = _consistent(path)
    assert [m.value for m in readmodel.metrics_in(again)] == [6]
    assert len(list((path / DOCS).iterdir())) == 1  # the old shard is gone
    assert len(list((path / INDEX).iterdir())) == 1


def test_a_write_touches_only_its_own_shard(tmp_path):
    path = tmp_path / "s.json"
    store = Store.open(path)
    store.replace([_doc("1.1 甲\n\n企业**5**家。\n", source="a.txt"), _doc("1.1 乙\n\n企业**7**家。\n", source="b.txt", year=2021)])
    before = {p.name: p.stat().st_mtime_ns for p in (path / DOCS).iterdir()}
    store.replace([_doc("1.1 丙\n\n企业**9**家。\n", source="c.txt", year=2022)])
    after = {p.name: p.stat().st_mtime_ns for p in (path / DOCS).iterdir()}
    assert all(after[name] == mtime for name, mtime in before.items())  # untouched
    assert len(after) == 3
    # the 2021 and 2023 index files are not rewritten either
    assert {p.name.split(".")[0] for p in (path / INDEX).iterdir()} == {"metrics-2021", "metrics-2022", "metrics-2023"}


def test_store_shards_are_tinydb_databases(tmp_path):
    store = Store.open(tmp_path / "s.json")
    store.replace([_doc("1.1 甲\n\n企业**5**家。\n")])
    doc_id = store.documents()[0].id
    assert store.tinydb(doc_id).table("metrics").all()[0]["raw"] == "**5**家"
    assert store.tinydb().table("documents").all()[0]["id"] == doc_id


def test_documents_sort_naturally_newest_year_first(tmp_path):
    store = Store.open(tmp_path / "s.json")
    store.replace([
        _doc("1.1 甲\n\n内容。\n", source=f"r{k}.txt", year=2023, title=f"报告（{k}）") for k in (10, 9, 30, 4)
    ] + [_doc("1.1 乙\n\n内容。\n", source="new.txt", year=2024, title="新报告"),
         _doc("1.1 丙\n\n内容。\n", source="undated.txt", year=None, title="无年份")])
    titles = [d.title for d in Store.open(tmp_path / "s.json").documents()]
    assert titles == ["新报告", "报告（4）", "报告（9）", "报告（10）", "报告（30）", "无年份"]
    assert natural_key("第９章") < natural_key("第10章")  # full-width digits count as numbers


SHAPES = [
    ("{not json", "not a valid store"),
    ('{"_meta": {"1": {"schema": 99}}}', "schema 99"),
    ('{"_meta": [1]}', "_meta"),
    ("null", "null"),
    ("[1, 2]", "a list"),
    ('{"documents": {"1": 5}}', "no _meta"),
    ('{"_meta": {"1": {"schema": 1}}, "documents": {"1": 5}}', "record 1 of 'documents'"),
    ('{"_meta": {"1": {"schema": 1}}, "metrics": {"1": {"value": "x"}}}', "'metrics'"),
    ('{"_meta": {"1": {"schema": 1}}, "sections": []}', "'sections'"),
    ("", "empty"),
]


@pytest.mark.parametrize("content, reason", SHAPES)
def test_bad_store_file_gives_one_line_error_and_is_kept(tmp_path, content, reason):
    path = tmp_path / "s.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError) as err:
        service.open_store(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and reason in message
    assert "kjtui ingest --rebuild" in message
    assert path.read_text(encoding="utf-8") == content


@pytest.mark.parametrize("content", [
    "null", '{"_meta": [1]}', '{"_meta": {"1": {"schema": 2}}, "documents": {"1": 5}}',
    '{"_meta": {"1": {"schema": 2}}, "documents": {"1": {"id": 1}}}', '{"_meta": {"1": {"schema": 2}}, "documents": []}',
    '{"_meta": {"1": {"schema": 2}}, "documents": {}, "years": {"1": {"year": "x"}}}',
])
def test_bad_catalog_gives_one_line_error(tmp_path, content):
    path = tmp_path / "s.json"
    path.mkdir()
    (path / CATALOG).write_text(content, encoding="utf-8")
    with pytest.raises(StoreError) as err:
        Store.open(path)
    message = str(err.value)
    assert "\n" not in message and CATALOG in message and "kjtui ingest --rebuild" in message


def test_a_bad_shard_is_reported_when_read(tmp_path):
    path = tmp_path / "s.json"
    store = Store.open(path)
    store.replace([_doc("1.1 甲\n\n企业**5**家。\n")])
    shard_file = next((path / DOCS).iterdir())
    shard_file.write_text('{"_meta": {"1": {"schema": 2}}, "document": {"1": {"id": 5}}}', encoding="utf-8")
    again = Store.open(path)
    with pytest.raises(StoreError, match="kjtui ingest --rebuild") as err:
        again.shard(again.documents()[0].id)
    assert shard_file.name in str(err.value)


def test_a_folder_that_is_not_a_store_is_refused(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.jpg").write_bytes(b"x")
    with pytest.raises(StoreError, match="not a kjtui store"):
        service.open_store(folder)
    assert [p.name for p in folder.iterdir()] == ["cat.jpg"]


@pytest.mark.parametrize("content", [c for c, _ in SHAPES] + ["folder"])
def test_rebuild_sets_the_bad_store_aside(tmp_path, content):
    path = tmp_path / "s.json"
    if content == "folder":
        path.mkdir()
        (path / CATALOG).write_text("null", encoding="utf-8")
    else:
        path.write_text(content, encoding="utf-8")
    store, aside = service.rebuild(path)
    assert aside is not None and aside.exists()
    if content != "folder":
        assert aside.read_text(encoding="utf-8") == content
    assert len(store.documents()) == len(corpus.shipped_entries()[0])
    _consistent(path)


def test_store_is_built_from_shipped_corpus_and_refreshed_when_it_changes(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    store = service.open_store(path)
    shipped = len(corpus.shipped_entries()[0])
    assert len(store.documents()) == shipped
    store.replace([_doc("1.1 用户文档\n\n内容。\n", source="mine.txt")])
    before = (path / CATALOG).stat().st_mtime_ns
    service.open_store(path)
    assert (path / CATALOG).stat().st_mtime_ns == before  # unchanged corpus: no rewrite
    monkeypatch.setattr(corpus, "fingerprint", lambda *a: "changed")
    assert service.open_store(path).meta["shipped"] != "changed"  # the cheap key still matches: not checked
    monkeypatch.setattr(service, "_quick_stamp", lambda: "another parser")
    store = service.open_store(path)
    assert store.meta["shipped"] == "changed" and store.meta["shipped_quick"] == "another parser"
    titles = {d.title for d in store.documents()}
    assert "1.1 用户文档" in titles and len(titles) == shipped + 1  # user documents survive
    _consistent(path)


def test_reingesting_the_same_file_replaces_it(tmp_path):
    path = tmp_path / "s.json"
    store = service.open_store(path, build=False)
    src = tmp_path / "mine.md"
    src.write_text("# 1 测试\n\n新增企业3家。\n", encoding="utf-8")
    service.ingest(store, [corpus.Entry(src)], jobs=1)
    service.ingest(store, [corpus.Entry(src)], year=2022, jobs=1)  # with a year now: another id
    docs = Store.open(path).documents()
    assert [(d.year, d.source) for d in docs] == [(2022, "mine.md")]
    # the same content under the same name from elsewhere is the same document too
    other = tmp_path / "copy"
    other.mkdir()
    (other / "mine.md").write_bytes(src.read_bytes())
    service.ingest(store, [corpus.Entry(other / "mine.md")], year=2023, jobs=1)
    assert [(d.year, d.source) for d in Store.open(path).documents()] == [(2023, "mine.md")]
    # a different file with the same text is another document
    (other / "twin.md").write_bytes(src.read_bytes())
    service.ingest(store, [corpus.Entry(other / "twin.md")], year=2023, jobs=1)
    assert len(Store.open(path).documents()) == 2
    _consistent(path)


def test_remove_drops_the_document_its_shard_and_index_lines(tmp_path):
    path = tmp_path / "s.json"
    store = Store.open(path)
    store.replace([_doc("1.1 甲\n\n企业**5**家。\n", source="a.txt"), _doc("1.1 乙\n\n企业**7**家。\n", source="b.txt")])
    gone = store.documents()[0].id
    assert service.remove(store, [gone, "nope"]) == [gone]
    again = _consistent(path)
    assert [d.id for d in again.documents()] != [] and gone not in {d.id for d in again.documents()}
    assert len(list((path / DOCS).iterdir())) == 1


def test_parallel_ingest_matches_serial(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    for k in range(12):
        (folder / f"d{k:02d}.md").write_text(f"# 1 测试{k}\n\n新增企业{k + 1}家，金额{k + 2}亿元。\n\n3月\n\n- 发布《办法{k}》\n", encoding="utf-8")
    entries = corpus.entries_for([folder])
    a = service.open_store(tmp_path / "a", build=False)
    b = service.open_store(tmp_path / "b", build=False)
    seen = []
    service.ingest(a, entries, year=2024, jobs=2, progress=lambda d, t, n: seen.append((d, t)))
    service.ingest(b, entries, year=2024, jobs=1)
    assert seen[-1] == (12, 12)
    dump = lambda p: [(m["document"], m["raw"]) for m in map(orjson.loads, readmodel.metric_json(Store.open(p)))]
    assert dump(tmp_path / "a") == dump(tmp_path / "b") and len(dump(tmp_path / "a")) == 24  # same lines, same order
    _consistent(tmp_path / "a")
    # the workers' spool files (their index lines) are read by the commit, then removed
    assert not [p.name for p in (tmp_path / "a").iterdir() if p.name.startswith(".spool-")]


def test_a_bad_file_stops_the_ingest_and_leaves_nothing_behind(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    for k in range(10):
        (folder / f"d{k}.md").write_text(f"# 1 测试\n\n企业{k}家。\n", encoding="utf-8")
    (folder / "zz.md").write_bytes(b"\xff\xfe\x00\x00bad\x00")
    store = service.open_store(tmp_path / "s", build=False)
    with pytest.raises(corpus.CorpusError):
        service.ingest(store, corpus.entries_for([folder]), year=2024, jobs=2)
    assert not (tmp_path / "s" / CATALOG).exists()
    assert not any((tmp_path / "s" / DOCS).iterdir())
    assert not [p.name for p in (tmp_path / "s").iterdir() if p.name.startswith(".spool-")]


MIGRATE_TEXT = "1.1 金融\n\n支持企业**5**家。\n\n3月\n\n- 发布《甲办法》\n"


def _legacy_store(path):
    """A store file of schema 1, as the previous kjtui wrote it."""
    parsed = _doc(MIGRATE_TEXT)
    data = {"_meta": {"1": {"schema": 1, "shipped": "old-stamp"}}}
    for table, rows in (("documents", [parsed.document]), ("sections", parsed.sections),
                        ("metrics", parsed.metrics), ("events", parsed.events)):
        data[table] = {}
        for k, r in enumerate(rows, 1):
            row = r.to_dict()
            row.pop("blocks", None)
            data[table][str(k)] = row
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return parsed


def test_a_schema_1_store_is_migrated_on_first_open_and_the_old_file_kept(tmp_path):
    path = tmp_path / "kjtui.json"
    parsed = _legacy_store(path)
    original = path.read_bytes()
    store = Store.open(path, notify=None)
    assert path.is_dir()
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("kjtui.json.schema1-")]
    assert len(kept) == 1 and kept[0].read_bytes() == original
    assert [d.id for d in store.documents()] == [parsed.document.id]
    shard = store.shard(parsed.document.id)
    assert [m.raw for m in shard.metrics] == ["**5**家"] and [e.title for e in shard.events] == ["甲办法"]
    assert store.meta["shipped"] == "old-stamp"  # the shipped documents refresh as before
    _consistent(path)


def test_a_failed_migration_leaves_the_old_file_in_place(tmp_path, monkeypatch):
    path = tmp_path / "kjtui.json"
    _legacy_store(path)
    original = path.read_bytes()
    import kjtui.store as store_module

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "prepare", boom)
    with pytest.raises(OSError):
        Store.open(path, notify=None)
    assert path.is_file() and path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir() if p.name != "kjtui.json.lock"] == ["kjtui.json"]


def test_a_symlinked_store_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "real.json"
    Store.open(real).replace([_doc("1.1 甲\n\n企业**5**家。\n", source="a.txt")])
    link = tmp_path / "link.json"
    link.symlink_to(real)
    Store.open(link).replace([_doc("1.1 乙\n\n企业**6**家。\n", source="b.txt")])
    assert link.is_symlink() and len(Store.open(real).documents()) == 2


def test_a_read_only_store_is_refused(tmp_path):
    path = tmp_path / "s.json"
    store = Store.open(path)
    store.replace([_doc("1.1 甲\n\n企业**5**家。\n")])
    before = (path / CATALOG).read_bytes()
    os.chmod(path / CATALOG, 0o444)  # by its mode bits, so root is refused too
    try:
        with pytest.raises(StoreError, match="read-only") as err:
            Store.open(path).replace([_doc("1.1 乙\n\n企业**6**家。\n", source="b.txt")])
        assert "\n" not in str(err.value)
        assert (path / CATALOG).read_bytes() == before and len(list((path / DOCS).iterdir())) == 1
        assert [m.value for m in readmodel.metrics_in(Store.open(path))] == [5]  # still readable
    finally:
        os.chmod(path / CATALOG, 0o644)
    os.chmod(path, 0o555)
    try:
        with pytest.raises(StoreError, match="read-only"):
            Store.open(path).replace([_doc("1.1 乙\n\n企业**6**家。\n", source="b.txt")])
    finally:
        os.chmod(path, 0o755)


def test_a_path_through_a_file_is_one_line(tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        Store.open(tmp_path / "afile" / "s.json").replace([_doc("1.1 甲\n\n企业**5**家。\n")])


def test_writable_check_sees_a_read_only_catalog(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    store = Store.open(path)
    store.replace([_doc("1.1 甲\n\n企业**5**家。\n")])
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p).endswith(CATALOG) else real_access(p, mode))
    with pytest.raises(StoreError, match="read-only") as err:
        store.replace([_doc("1.1 乙\n\n企业**6**家。\n", source="b.txt")])
    assert "\n" not in str(err.value)


WRITER = """
import sys
from pathlib import Path
from kjtui.store import Store
from kjtui.ingest import parse_document
text = "1.1 甲\\n\\n" + "".join(f"企业{k}家，金额{k}亿元。\\n" for k in range(3000))
s = Store.open(Path(sys.argv[1]))
k = 0
while True:
    k += 1
    s.replace([parse_document(text, source=f"doc{k % 3}.txt", year=2020 + k % 3)])
    print(k, flush=True)
"""


def test_killing_a_writer_mid_write_leaves_catalog_and_shards_consistent(tmp_path):
    path = tmp_path / "s.json"
    Store.open(path).replace([_doc("1.1 起\n\n企业**5**家。\n", source="start.txt")])
    for delay in (0.3, 0.45, 0.6, 0.75, 0.9, 1.1):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        store = _consistent(path)  # never a catalog naming a half shard
        assert "start.txt" in {d.source for d in store.documents()}
    # the next write removes what the killed writers left
    Store.open(path).replace([_doc("1.1 末\n\n企业**6**家。\n", source="end.txt")])
    store = _consistent(path)
    named = {store.info(d.id)["shard"] for d in store.documents()}
    assert {p.name for p in (path / DOCS).iterdir()} == named
    assert not [p for p in path.iterdir() if p.name.startswith(".spool-")]


def test_write_lock_says_who_holds_it_and_gives_up(tmp_path):
    path = tmp_path / "s.json"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from pathlib import Path; from kjtui.store import write_lock\n"
         "with write_lock(Path(sys.argv[1])):\n print('held', flush=True); time.sleep(3)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    said = []
    start = time.monotonic()
    with pytest.raises(StoreError, match="another kjtui ingest") as err:
        with write_lock(path, timeout=0.6, notify=said.append):
            pass
    assert time.monotonic() - start < 2
    assert said == [f"waiting for another kjtui ingest (pid {holder.pid})…"]
    assert f"pid {holder.pid}" in str(err.value) and "--wait" in str(err.value)
    holder.wait()
    with write_lock(path, timeout=1):
        pass


def test_concurrent_ingests_of_different_documents_both_land(tmp_path):
    path = tmp_path / "s.json"
    script = (
        "import sys; from pathlib import Path; from kjtui.store import Store; from kjtui.ingest import parse_document\n"
        "s = Store.open(Path(sys.argv[1]))\n"
        "for k in range(5):\n"
        "    s.replace([parse_document('1.1 甲\\n\\n企业5家。', source=f'{sys.argv[2]}-{k}.txt', year=2023)], notify=None)\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), name]) for name in ("a", "b")]
    for p in procs:
        assert p.wait() == 0
    store = _consistent(path)
    assert len(store.documents()) == 10


def test_stale_files_of_a_dead_writer_are_cleaned_on_the_next_write(tmp_path):
    path = tmp_path / "s.json"
    store = Store.open(path)
    store.replace([_doc("1.1 甲\n\n企业**5**家。\n")])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    (path / DOCS / f"x-abc.{pid}-0123abcd.json").write_text("{half", encoding="utf-8")
    (path / INDEX / f"metrics-2023.{pid}-0123abcd.jsonl").write_text("half", encoding="utf-8")
    store.replace([_doc("1.1 乙\n\n企业**6**家。\n", source="b.txt")])
    assert not [p for p in (path / DOCS).iterdir() if f".{pid}-" in p.name]
    assert not [p for p in (path / INDEX).iterdir() if f".{pid}-" in p.name]


def test_documents_added_one_by_one_keep_natural_order(tmp_path):
    path = tmp_path / "s.json"
    for k in (10, 2, 33, 9, 1):
        Store.open(path).replace([_doc("1.1 甲\n\n内容。\n", source=f"r{k}.txt", year=2020 + k % 3, title=f"报告（{k}）")])
    docs = Store.open(path).documents()
    expected = sorted(docs, key=lambda d: (-(d.year or 0), natural_key(d.title)))
    assert [d.title for d in docs] == [d.title for d in expected]
    assert [d.title for d in docs if d.year == 2021] == ["报告（1）", "报告（10）"]


def test_index_chunks_hold_whole_lines_whatever_the_chunk_size(tmp_path):
    store = Store.open(tmp_path / "s")
    store.replace([_doc("1.1 甲\n\n" + "".join(f"企业{k}家，金额{k}亿元。\n" for k in range(50)))])
    whole = b"".join(store.index_chunks("metrics"))
    for size in (1, 7, 100, 1 << 20):
        chunks = list(store.index_chunks("metrics", chunk_size=size))
        assert b"".join(chunks) == whole and all(c.endswith(b"\n") for c in chunks)
    assert whole.count(b"\n") == store.year_counts(2023)[0] == 100


def test_a_read_of_an_up_to_date_store_does_not_import_the_parser(tmp_path):
    path = tmp_path / "s.json"
    service.open_store(path)
    code = (
        "import sys; from pathlib import Path; from kjtui import service\n"
        "store = service.open_store(Path(sys.argv[1]))\n"
        "assert store.documents()\n"
        "assert 'kjtui.ingest' not in sys.modules and 'kjtui.corpus' not in sys.modules, 'parser imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_records_leave_the_store_sanitized_whoever_wrote_it(tmp_path):
    from kjtui.sanitize import UNSAFE_CHARACTERS

    path = tmp_path / "s"
    Store.open(path).replace([_doc("1.1 甲\n\n企业**5**家。\n\n3月\n\n- 发布《甲办法》\n", title="标题")])
    # a shard and an index line edited by hand (or by an older kjtui) hold escapes
    shard_file = next((path / DOCS).iterdir())
    shard_file.write_text(shard_file.read_text(encoding="utf-8").replace("甲办法", "甲\\u001b]2;PWNED\\u0007办法")
                          .replace("企业", "企\\u009b2J业"), encoding="utf-8")
    for index_file in (path / INDEX).iterdir():
        index_file.write_text(index_file.read_text(encoding="utf-8").replace("甲办法", "甲\\u202e办法")
                              .replace("企业", "企\\u001b[2J业"), encoding="utf-8")
    store = Store.open(path)
    shard = store.shard(store.documents()[0].id)
    texts = [e.title for e in shard.events] + [m.context for m in shard.metrics] + [s.body for s in shard.sections]
    texts += [m.context for m in store.metrics_of_year(2023)] + [e.title for e in store.events_of_year(2023)]
    assert "甲办法" in texts and not any(c in t for t in texts for c in UNSAFE_CHARACTERS)


def test_a_files_identity_is_its_resolved_path_with_its_folder_resolved_once(tmp_path):
    from kjtui.store import file_identity

    real = tmp_path / "real"
    real.mkdir()
    (real / "a.md").write_text("x", encoding="utf-8")
    (real / "b.md").write_text("y", encoding="utf-8")
    (tmp_path / "via").symlink_to(real)  # a symlinked folder
    (real / "link.md").symlink_to(real / "b.md")  # a symlinked file
    assert file_identity(tmp_path / "via" / "a.md") == (real / "a.md").resolve()
    assert file_identity(real / "link.md") == (real / "b.md").resolve()
    assert file_identity(tmp_path / "via" / "missing.md") == (real / "missing.md").resolve()
