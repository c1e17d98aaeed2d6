import json
import signal
import subprocess
import sys
import time

import pytest

from kjtui import corpus, service
from kjtui.ingest import parse_document
from kjtui.store import SCHEMA_VERSION, Store, StoreError, write_lock


def _doc(text, source="a.txt", year=2023):
    return parse_document(text, source=source, year=year)


def test_store_round_trips_records_and_keeps_chinese_readable(tmp_path):
    path = tmp_path / "s.json"
    store = Store.open(path)
    store.replace([_doc("1.1 金融\n\n支持企业**5**家。\n\n3月\n\n- 发布《甲办法》\n")])
    raw = path.read_text(encoding="utf-8")
    assert "金融" in raw and "\\u" not in raw
    again = Store.open(path)
    assert [s.title for s in again.sections()] == ["金融"]
    assert [m.value for m in again.metrics()] == [5]
    assert [e.title for e in again.events()] == ["甲办法"]
    assert again.meta["schema"] == SCHEMA_VERSION


def test_replacing_a_document_drops_its_old_rows(tmp_path):
    store = Store.open(tmp_path / "s.json")
    store.replace([_doc("1.1 甲\n\n企业**5**家。\n")])
    store.replace([_doc("1.1 甲\n\n企业**6**家。\n")])
    assert [m.value for m in Store.open(tmp_path / "s.json").metrics()] == [6]


def test_store_is_a_tinydb_database(tmp_path):
    store = Store.open(tmp_path / "s.json")
    store.replace([_doc("1.1 甲\n\n企业**5**家。\n")])
    db = store.tinydb()
    assert db.table("metrics").all()[0]["raw"] == "**5**家"


@pytest.mark.parametrize("content, reason", [("{not json", "not a valid store"), ('{"_meta": {"1": {"schema": 99}}}', "schema 99")])
def test_bad_store_gives_one_line_error_and_is_kept(tmp_path, content, reason):
    path = tmp_path / "s.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError) as err:
        service.open_store(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and reason in message
    assert "kjtui ingest --rebuild" in message
    assert path.read_text(encoding="utf-8") == content


def test_rebuild_sets_the_bad_store_aside(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("{broken", encoding="utf-8")
    store, aside = service.rebuild(path)
    assert aside is not None and aside.read_text(encoding="utf-8") == "{broken"
    assert len(store.documents()) == len(corpus.shipped_entries()[0])


def test_store_is_built_from_shipped_corpus_and_rebuilt_when_it_changes(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    store = service.open_store(path)
    shipped = len(corpus.shipped_entries()[0])
    assert len(store.documents()) == shipped
    store.replace([_doc("1.1 用户文档\n\n内容。\n", source="mine.txt")])
    before = path.stat().st_mtime_ns
    service.open_store(path)
    assert path.stat().st_mtime_ns == before  # unchanged corpus: no rewrite
    monkeypatch.setattr(corpus, "fingerprint", lambda *a: "changed")
    store = service.open_store(path)
    assert store.meta["shipped"] == "changed"
    titles = {d.title for d in store.documents()}
    assert "1.1 用户文档" in titles and len(titles) == shipped + 1  # user documents survive


WRITER = """
import sys
from pathlib import Path
from kjtui.store import AtomicJSONStorage
storage = AtomicJSONStorage(Path(sys.argv[1]))
payload = "x" * 2_000_000
k = 0
while True:
    k += 1
    storage.write({"_meta": {"1": {"schema": 1, "k": k}}, "blob": {"1": {"v": payload}}})
    print(k, flush=True)
"""


def test_killing_a_writer_mid_write_leaves_a_whole_store(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"_meta": {"1": {"schema": 1, "k": 0}}}), encoding="utf-8")
    for delay in (0.05, 0.11, 0.17, 0.23, 0.31, 0.43):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = json.loads(path.read_text(encoding="utf-8"))  # never half a file
        assert data["_meta"]["1"]["schema"] == 1
    leftovers = [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 6  # a killed writer may leave its temp file, never a bad store


def test_write_lock_excludes_a_second_writer(tmp_path):
    path = tmp_path / "s.json"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from pathlib import Path; from kjtui.store import write_lock\n"
         "with write_lock(Path(sys.argv[1])):\n print('held', flush=True); time.sleep(3)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(StoreError, match="another kjtui ingest"):
        with write_lock(path, timeout=0.3):
            pass
    holder.wait()
    with write_lock(path, timeout=1):
        pass


def test_concurrent_ingests_do_not_lose_documents(tmp_path):
    path = tmp_path / "s.json"
    script = (
        "import sys; from pathlib import Path; from kjtui.store import Store; from kjtui.ingest import parse_document\n"
        "s = Store.open(Path(sys.argv[1]))\n"
        "for k in range(5):\n"
        "    s.replace([parse_document('1.1 甲\\n\\n企业5家。', source=f'{sys.argv[2]}-{k}.txt', year=2023)])\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), name]) for name in ("a", "b")]
    for p in procs:
        assert p.wait() == 0
    assert len(Store.open(path).documents()) == 10
