"""The one read model: scopes (a section and everything below it), ancestors, breadcrumbs,
queries that stream from the store, and the text search over the index."""

import pytest

from kjtui import readmodel
from kjtui.ingest import parse_document
from kjtui.store import Store

TEXT = (
    "1.1 甲\n\n企业**1**家，科技履约贷**5**亿元。\n\n◆ 乙\n\n企业**2**家。\n\n"
    "1.2 丙\n\n企业**3**家，KELVIN 指数**4**个。\n\n3月\n\n- 发布《甲办法》\n\n10月21日,《乙意见》发布。\n"
)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "s")
    s.replace([
        parse_document(TEXT, source="a.txt", year=2023),
        parse_document("1.1 丁\n\n企业**9**家。\n", source="b.txt", year=2021),
        parse_document("1.1 戊\n\n企业**7**家。\n", source="c.txt", year=None),
    ])
    return Store.open(tmp_path / "s")


def _ids(sections):
    return [s.title for s in sections]


def test_within_is_the_section_and_below_not_a_sibling_prefix():
    assert readmodel.within("d/1.1", "d/1.1") and readmodel.within("d/1.1/x", "d/1.1")
    assert readmodel.within("d/1.1/x", "d")
    assert not readmodel.within("d/1.10", "d/1.1") and not readmodel.within("d/1.1", "d/1.1/x")


def test_descendants_ancestors_breadcrumb(store):
    doc = next(d for d in store.documents() if d.year == 2023)
    sections = store.shard(doc.id).sections
    by_id = {s.id: s for s in sections}
    top = next(s for s in sections if s.title == "甲")
    below = next(s for s in sections if s.title == "乙")
    assert _ids(readmodel.descendants(sections, top.id)) == ["甲", "乙"]
    assert readmodel.ancestors(below, by_id) == [top]
    assert readmodel.breadcrumb(doc, below, by_id) == [doc.title, top.label, below.label]
    assert readmodel.section_for_line(sections, below.line + 1) == below


def test_metrics_in_scopes(store):
    doc = next(d for d in store.documents() if d.year == 2023)
    top = next(s for s in store.shard(doc.id).sections if s.title == "甲")
    assert [m.value for m in readmodel.metrics_in(store, section=top.id)] == [1, 5, 2]
    assert [m.value for m in readmodel.metrics_in(store, section=doc.id)] == [1, 5, 2, 3, 4]
    assert [m.value for m in readmodel.metrics_in(store, year=2021)] == [9]
    # every year, newest first, the undated last
    assert [m.year for m in readmodel.metrics_in(store)] == [2023] * 5 + [2021, None]


@pytest.mark.parametrize("needle, values", [
    ("科技履约贷", [5]), ("企业", [1, 2, 3, 9, 7]), ("kelvin", [4]), ("KeLvIn", [4]), ("\u212aelvin", [4]),
    ("**5**", [5]), ("没有", []),
])
def test_grep_finds_what_a_casefolded_scan_finds(store, needle, values):
    expected = [m.value for m in readmodel.metrics_in(store)
                if needle.casefold() in f"{m.label}\n{m.context}\n{m.raw}".casefold()]
    assert [m.value for m in readmodel.metrics_in(store, grep=needle)] == expected
    assert set(values) <= set(expected) and bool(expected) == bool(values)


def test_grep_folds_letters_a_byte_search_would_miss(tmp_path):
    s = Store.open(tmp_path / "s")
    s.replace([parse_document("1.1 甲\n\nSTRAßE 指数**4**个。\n", source="a.txt", year=2023)])
    assert [m.value for m in readmodel.metrics_in(Store.open(tmp_path / "s"), grep="strasse")] == [4]


def test_events_in_by_date_and_policies(store):
    events = list(readmodel.events_in(store))
    assert [(e.month, e.day or 0) for e in events] == sorted((e.month, e.day or 0) for e in events)
    assert {e.title for e in readmodel.events_in(store, policies=True)} == {"甲办法", "乙意见"}
    assert [e.title for e in readmodel.events_in(store, grep="乙意")] == ["乙意见"]


def test_resolve_section_by_number_and_year(store):
    found = readmodel.resolve_section(store, "1.2", 2023)
    assert found.section is not None and found.section.title == "丙"
    ambiguous = readmodel.resolve_section(store, "1.1")
    assert ambiguous.section is None and len(ambiguous.candidates) == 3
    assert readmodel.resolve_section(store, "9.9").candidates == []


def test_years_and_counts(store):
    assert readmodel.years(store) == [2023, 2021]
    assert store.year_counts(2023) == (5, 2)
    doc = next(d for d in store.documents() if d.year == 2023)
    assert store.counts(doc.id) == (5, 2)


def test_a_years_metrics_read_at_once_match_the_stream_and_are_sanitized(store, tmp_path):
    streamed = [m.to_dict() for m in readmodel.metrics_in(store, year=2023)]
    assert [m.to_dict() for m in readmodel.metrics_of_year(store, 2023)] == streamed and len(streamed) == 5
    assert list(readmodel.metrics_of_year(store, 1999)) == []
    assert readmodel.metrics_of_year(store, 2023, cancelled=lambda: True) is None
    # a store edited by hand: an escape sequence and a bidi override inside an index line
    index = next(p for p in (tmp_path / "s" / "index").iterdir() if p.name.startswith("metrics-2023"))
    raw = index.read_bytes()
    assert "甲".encode() in raw  # a label or context to tamper with
    index.write_bytes(raw.replace("甲".encode(), "\\u001b]2;pwned\\u0007\u202e甲".encode()))
    labels = [m.label + m.context + m.section for m in readmodel.metrics_of_year(Store.open(tmp_path / "s"), 2023)]
    assert "甲" in "".join(labels)
    assert not any(ch in "".join(labels) for ch in "\x1b\x07\u202e") and "pwned" not in "".join(labels)


def test_a_years_events_read_at_once_match_the_stream(store):
    streamed = [e.to_dict() for e in readmodel.events_in(store, year=2023)]
    assert [e.to_dict() for e in readmodel.events_of_year(store, 2023)] == streamed and len(streamed) == 2
    assert readmodel.events_of_year(store, 2023, cancelled=lambda: True) is None


def test_a_years_metrics_are_parsed_only_as_they_are_read(store):
    rows = readmodel.metrics_of_year(store, 2023)
    assert isinstance(rows, readmodel.LazyRecords) and len(rows) == 5
    assert sum(r is not None for r in rows._made) == 0  # nothing parsed to know the count
    last = rows[-1]
    assert sum(r is not None for r in rows._made) == 1 and rows[4] is last
    assert [m.id for m in rows[1:3]] == [m.id for m in list(rows)[1:3]]
    assert [m.raw for m in rows] == [m.raw for m in readmodel.metrics_in(store, year=2023)]
