"""The search index file: reused while the store is unchanged, rebuilt when it changes or is damaged."""

from types import SimpleNamespace

import pytest

from kjtui.answers import index_file
from kjtui.answers.source import from_store
from tests.answers.test_answers_core import source as made_up


class FakeStore:
    """A sharded store's reading interface over made-up documents, counting shard reads."""

    def __init__(self, path):
        self.path = path
        self._src = made_up()
        self.reads = 0
        self.version = 1

    def documents(self):
        return self._src.documents()

    def shard(self, doc_id):
        self.reads += 1
        s = self._src.shard(doc_id)
        return SimpleNamespace(document=s.document, sections=s.sections, metrics=s.metrics, events=s.events)

    def iter_shards(self, doc_ids=None):
        for d in doc_ids or [d.id for d in self.documents()]:
            yield self.shard(d)

    def stamp(self):
        return (self.version, 123)


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KJTUI_SEARCH_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def results(index, query):
    return [(h.document.id, h.section.id, [(m.line, m.text, m.spans) for m in h.matches])
            for h in index.search(query).hits]


def test_second_open_reads_no_document_and_answers_the_same(tmp_path, cache):
    store = FakeStore(tmp_path / "store")
    first = index_file.open_index(from_store(store))
    assert store.reads == 3 and list(cache.glob("*.idx"))
    store.reads = 0
    second = index_file.open_index(from_store(store))
    assert store.reads == 0
    for query in ("甲乙贷", "35.50亿元", "引进人才 甲乙贷", "丙丁"):
        assert results(second, query) == results(first, query)
    hit = second.search("引进人才").hits[0]
    assert hit.section.title == "人才建设" and "引进人才" in hit.section.body


def test_a_changed_store_rebuilds(tmp_path):
    store = FakeStore(tmp_path / "store")
    index_file.open_index(from_store(store))
    store.version = 2
    store.reads = 0
    index_file.open_index(from_store(store))
    assert store.reads == 3


def test_a_damaged_file_is_rebuilt_not_an_error(tmp_path, cache):
    store = FakeStore(tmp_path / "store")
    index_file.open_index(from_store(store))
    target = next(cache.glob("*.idx"))
    for damage in (b"garbage", target.read_bytes()[:-10], b""):
        target.write_bytes(damage)
        store.reads = 0
        index = index_file.open_index(from_store(store))
        assert store.reads == 3 and index.search("甲乙贷").hits


def test_the_index_file_lives_beside_the_other_cache_unless_told(tmp_path, monkeypatch):
    monkeypatch.delenv("KJTUI_SEARCH_CACHE")
    monkeypatch.setenv("KJTUI_CACHE", str(tmp_path / "c" / "yaml-cache.json"))
    assert index_file.cache_folder() == tmp_path / "c" / "search"
    assert index_file.cache_file(tmp_path / "store").parent == tmp_path / "c" / "search"
