"""The answers core on small made-up documents (no corpus strings)."""

from kjtui.answers import calendar, measures, search, text
from kjtui.answers.source import GroupedSource
from kjtui.ingest import parse_document

REPORT_A = """# 2.1 科技金融

全年，甲乙贷授信企业**120**家，授信金额 $35.50$ 亿元。

全年，丙丁专利授权量**4.2万件**，比上年增长 12%。

3月

- 发布《甲办法》
- 《甲办法》发布

2.2 人才建设

全年引进人才**300**人，甲乙贷覆盖更多企业。

3月,发布《甲办法》。
"""

REPLY_A = """一、总体情况

截至年末，甲乙贷当年授信约 35.9 亿元，惠及企业 120 家。
"""

REPORT_B = """# 2.1 科技金融

全年，丙丁专利授权量**5.0万件**。甲乙贷继续扩大。

6月

- 《乙方案》发布
"""


def source() -> GroupedSource:
    parsed = [
        parse_document(REPORT_B, source="b.txt", year=2024, title="2024报告"),
        parse_document(REPORT_A, source="a.txt", year=2023, title="2023报告"),
        parse_document(REPLY_A, source="r.txt", year=2023, title="2023答复", kind="reply"),
    ]
    docs = [p.document for p in parsed]
    return GroupedSource(docs, [s for p in parsed for s in p.sections], [m for p in parsed for m in p.metrics],
                         [e for p in parsed for e in p.events])


# -- text ----------------------------------------------------------------------------

def test_fold_removes_marks_spaces_and_width():
    assert text.fold("$３５.５０$ 亿元") == "35.50亿元"
    assert text.fold("**ＡＢＣ**") == "abc"


def test_fold_mapped_points_back_to_the_original():
    original = "授信 $18.6$ 亿元"
    folded, origin = text.fold_mapped(original)
    assert folded == "授信18.6亿元"
    at = folded.find("18.6亿")
    assert original[origin[at]:origin[at + 4] + 1] == "18.6$ 亿"


def test_terms_are_split_on_spaces_and_folded():
    assert text.terms_of("甲乙贷  ＰＣＴ 甲乙贷") == ["甲乙贷", "pct"]


# -- search --------------------------------------------------------------------------

def test_substring_matches_in_every_document_that_has_it():
    index = search.SearchIndex.build(source())
    results = index.search("乙贷")
    assert {h.document.year for h in results.hits} == {2023, 2024}
    assert results.documents == 3


def test_marks_spaces_and_full_width_do_not_break_a_match():
    index = search.SearchIndex.build(source())
    for query in ("35.50亿元", "３５.５０亿元"):
        hits = index.search(query).hits
        assert [h.document.title for h in hits] == ["2023报告"], query
        match = hits[0].matches[0]
        s, e = match.spans[0]
        assert match.text[s:e].replace(" ", "") == "35.50亿元"  # the $ marks are gone from what is shown
    spaced = index.search("35.50 亿元").hits[0].matches[0]  # two terms: both highlighted
    assert "".join(spaced.text[s:e] for s, e in spaced.spans) == "35.50亿元"


def test_all_terms_must_occur_in_one_section():
    index = search.SearchIndex.build(source())
    hits = index.search("引进人才 甲乙贷").hits
    assert [h.section.title for h in hits] == ["人才建设"]
    assert not index.search("引进人才 丙丁").hits  # in the same document, not the same section


def test_most_relevant_document_first_and_year_filter():
    index = search.SearchIndex.build(source())
    hits = index.search("甲乙贷").hits
    assert hits[0].document.title == "2023报告"  # three mentions beat one
    assert {h.document.year for h in index.search("甲乙贷", year=2024).hits} == {2024}
    assert index.search("甲乙贷", year=1999).hits == []


def test_match_line_points_at_the_source_line():
    index = search.SearchIndex.build(source())
    hit = index.search("引进人才").hits[0]
    assert REPORT_A.splitlines()[hit.matches[0].line - 1].startswith("全年引进人才")


def test_no_match_and_empty_query():
    index = search.SearchIndex.build(source())
    assert index.search("不存在的词").hits == []
    assert index.search("   ").hits == []


# -- measures --------------------------------------------------------------------------

def test_series_spans_years_with_change():
    pts = measures.points(source())
    result = measures.series(pts, "丙丁专利授权量")
    assert result.base_unit == "件"
    changes = result.changes()
    assert [(y, v) for y, v, _ in changes] == [(2023, 42000.0), (2024, 50000.0)]
    assert round(changes[1][2], 1) == 19.0


def test_series_keeps_one_base_unit_and_drop_removes_a_year():
    pts = measures.points(source())
    result = measures.series(pts, "丙丁专利授权量", unit="万件")
    assert all(r.point.metric.base_unit == "件" for r in result.rows)
    dropped = [r.point.metric.id for r in result.rows if r.point.year == 2024]
    assert [y for y, _ in result.by_year(dropped)] == [2023]


def test_conflict_between_two_documents_of_one_year():
    found = measures.conflicts(measures.points(source()))
    values = sorted((c.a.metric.value, c.b.metric.value) for c in found)
    assert [sorted(v) for v in values] == [[35.5, 35.9]]
    c = found[0]
    assert {c.a.document.title, c.b.document.title} == {"2023报告", "2023答复"}


def test_agreeing_documents_are_not_a_conflict():
    pts = [p for p in measures.points(source()) if p.metric.value != 35.9]
    assert measures.conflicts(pts) == []


def test_period_classes():
    assert measures.period_class("截至年底") == measures.period_class("截至2023年末") == "to-12"
    assert measures.period_class("截至11月底") == "to-11"
    assert measures.period_class("1—9月") == "1-9"
    assert measures.period_class("全年") == "year"
    assert not measures.compatible("to-12", "year")
    assert measures.compatible(None, "year")


def test_compare_two_years():
    result = measures.compare(measures.points(source()), 2023, 2024)
    labels = [p.a.metric.label for p in result.both]
    assert any("专利授权量" in label for label in labels)
    pair = next(p for p in result.both if "专利授权量" in p.a.metric.label)
    assert round(pair.change_pct, 1) == 19.0
    assert any(p.metric.base_unit == "人" for p in result.only_a)


# -- calendar -------------------------------------------------------------------------------

def test_calendar_counts_a_policy_named_twice_once():
    from kjtui.model import Event

    def ev(k, doc, year, month, title, kind="policy"):
        return Event(f"{doc}#e{k}", doc, f"{doc}/1", year, month, None, None, title, kind, title, k)

    events = [ev(1, "a", 2023, 3, "甲办法"), ev(2, "a", 2023, 3, "《甲办法》".strip("《》")),
              ev(3, "b", 2023, 3, "甲办法"), ev(4, "a", 2023, 3, "科技节", "event"),
              ev(5, "a", 2024, 6, "乙方案"), ev(6, "a", 2024, 13, "坏月份")]
    cal = calendar.build(events)
    assert cal.years == [2024, 2023]
    march = cal.cell(2023, 3)
    assert march.count == 3 and march.policies == 2  # a twice in one document is one; b's is its own
    assert [len(e.mentions) for e in march.entries if e.event.document == "a" and e.is_policy] == [2]
    assert cal.cell(2024, 6).count == 1
    assert cal.cell(2024, 1).count == 0


def test_search_agrees_with_a_plain_scan_for_rare_and_common_terms():
    base = source()
    extra = parse_document("一、各项\n\n各项各项各项各项各项各项各项各项各项各项贷。\n", source="x.txt", year=2022,
                           title="各项")
    src = GroupedSource(base.documents() + [extra.document],
                        [s for shard in base.iter_shards() for s in shard.sections] + extra.sections, [], [])
    index = search.SearchIndex.build(src)
    sections = [s for shard in src.iter_shards() for s in shard.sections]
    common = "各项"  # many times in one section: the one-count-per-section path
    assert index.haystack.count(common) > 2 * len(sections)
    for query in ("贷", common, "全年", "甲乙贷 人才", "亿元 授信", "各项 贷", "zzz"):
        terms = text.terms_of(query)
        expected = {}
        for s in sections:
            title, body = text.fold(s.label), text.fold(s.body)
            if all(t in title + body for t in terms):
                expected[s.id] = sum((title + body).count(t) + (search.TITLE_WEIGHT if t in title else 0)
                                     for t in terms)
        got = {h.section.id: h.score for h in index.search(query).hits}
        assert got == expected, query


def test_keep_makes_fewer_hits_but_counts_them_all():
    index = search.SearchIndex.build(source())
    everything = index.search("贷")
    first = index.search("贷", keep=1)
    assert len(first.hits) == 1 and first.sections == len(everything.hits) > 1
    assert first.documents == everything.documents
    assert first.hits[0].section.id == everything.hits[0].section.id


def test_year_filter_when_a_years_documents_are_not_together():
    parsed = [parse_document(f"一、甲\n\n甲乙贷甲乙贷{k}。\n", source=f"{k}.txt", year=year, title=f"d{k}")
              for k, year in enumerate([2024, 2023, 2024, 2023])]
    src = GroupedSource([p.document for p in parsed], [s for p in parsed for s in p.sections], [], [])
    index = search.SearchIndex.build(src)
    hits = index.search("甲乙贷", year=2023).hits
    assert sorted(h.document.title for h in hits) == ["d1", "d3"]
    assert all(h.score == 2 for h in hits)


def test_typing_on_narrows_from_the_last_results_and_agrees_with_a_fresh_search():
    index = search.SearchIndex.build(source())
    fresh = search.SearchIndex.build(source())

    def key(results):
        return [(h.section.id, h.score) for h in results.hits]

    typed = ["甲", "甲乙", "甲乙贷", "甲乙贷 ", "甲乙贷 全", "甲乙贷 全年", "甲乙", "乙贷", "３５", "35.5", "35.50 亿"]
    for query in typed:
        fresh._previous = None
        assert key(index.search(query)) == key(fresh.search(query)), query
    index.search("甲")
    assert index._previous is not None and len(index._previous[2]) > 1
    assert key(index.search("甲乙贷", year=2024)) == key(fresh.search("甲乙贷", year=2024))


def _metric(label, context, value=1.0, unit="家", base="家", period=None, doc="d", year=2023):
    from kjtui.model import Metric

    return Metric(f"{doc}#m{label}{value}", doc, f"{doc}/1", label, value, str(value), unit, base, 1.0, value,
                  None, period, 1, context, year)


def test_a_short_label_borrows_the_subject_its_clause_opens_with():
    m = _metric("授信金额", "截至年底，丙贷(含丁)授信企业 12 家,授信金额 3.5 亿元。")
    assert measures.measure_name(m) == "丙贷授信企业授信金额"  # period phrase skipped, brackets and numbers gone
    assert measures.measure_name(_metric("授信金额", "授信金额 3.5 亿元。")) == "授信金额"  # nothing to borrow
    long = _metric("丙贷授信企业数量", "截至年底，丙贷授信企业数量 12 家。")
    assert measures.measure_name(long) == "丙贷授信企业数量"  # a long label says what it counts


def test_a_borrowed_subject_must_relate_to_the_other_name():
    src = GroupedSource([], [], [], [])
    part = measures.Point(_metric("贷款金额", "丙贷为 9 家企业提供支持 3 亿元,其中贷款金额 2 亿元"), None,
                          "", None, src)
    part.name = measures.measure_name(part.metric)
    whole = measures.Point(_metric("丙贷为企业提供支持", "丙贷为 9 家企业提供支持"), None, "丙贷为企业提供支持", None, src)
    assert part.name.startswith("丙贷") and part.name.endswith("贷款金额")
    assert measures.similarity(part.name, whole.name) >= measures.SAME_MEASURE  # alike as strings…
    assert measures.same_measure(part, whole) == 0.0  # …but 贷款金额 shares nothing with what the other counts
    amount = measures.Point(_metric("授信金额", ""), None, "丙丁贷授信企业授信金额", None, src)
    credit = measures.Point(_metric("丙丁贷授信", ""), None, "丙丁贷授信", None, src)
    assert measures.same_measure(amount, credit) >= measures.SAME_MEASURE  # 授信 in both


def test_names_that_open_differently_are_different_measures():
    assert measures.similarity("发明专利授权量", "全市专利授权量") < measures.SAME_MEASURE
    assert measures.similarity("丙丁贷授信", "丙丁贷授信企业授信金额") >= measures.SAME_MEASURE
    assert measures.similarity("高企贷", "高企贷") == 100.0


def test_index_build_reports_progress_every_hundred_documents():
    parsed = [parse_document("一、甲\n\n甲乙。\n", source=f"{k}.txt", year=2023, title=f"d{k}") for k in range(250)]
    src = GroupedSource([p.document for p in parsed], [s for p in parsed for s in p.sections], [], [])
    seen = []
    index = search.SearchIndex.build(src, lambda done, total: seen.append((done, total)))
    assert seen == [(100, 250), (200, 250)] and len(index.search("甲乙").hits) == 250
