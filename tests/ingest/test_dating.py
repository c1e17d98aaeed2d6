from kjtui.ingest import parse_document
from kjtui.ingest.dating import infer_year


def test_year_from_the_documents_own_title_line():
    text = "某区科技局2022年度工作总结\n2022年，全区科技工作稳步推进。\n"
    year, why = infer_year(text)
    assert year == 2022 and "title" in why


def test_a_year_range_in_the_title_is_not_the_year():
    doc = parse_document("正文没有年份。\n", source="a.txt", title="某市行动方案（2024—2026年）")
    assert infer_year(doc)[0] is None


def test_year_from_the_doc_number_of_a_reply():
    text = "沪某复〔2024〕9号\n\n王某代表：\n\n您的建议收悉。现答复如下：\n\n已支持企业5家。\n"
    year, why = infer_year(text)
    assert year == 2024 and "〔2024〕" in why


def test_year_from_the_signature_date():
    text = "李某委员：\n\n您的提案收悉。\n\n正文。\n\n某市科学技术局\n\n2019年7月2日\n"
    year, why = infer_year(text)
    assert year == 2019 and "2019-07-02" in why


def test_year_from_the_page_date_when_the_page_has_one():
    text = "首页 > 政务公开 > 通知公告\n来源：某局 发布时间：2021-05-06 10:00\n\n各单位：现将有关事项通知如下。\n"
    assert infer_year(text)[0] == 2021


def test_year_from_a_year_that_opens_the_text():
    text = "近年来工作回顾\n\n2020年，全县新增企业8家。2018年的数据另计。\n"
    year, why = infer_year(text)
    assert year == 2020 and "opening" in why


def test_nothing_to_go_on_says_so():
    year, why = infer_year("张某代表：\n\n您的建议收悉。我们将继续研究。\n")
    assert year is None and "nothing" in why


def test_cited_documents_and_ranges_do_not_date_the_document():
    text = "赵某代表：\n\n我们落实《某计划（2023—2025年）》，并参照2011年出台的政策。\n"
    assert infer_year(text)[0] is None


def test_an_outline_parse_is_enough_to_infer_the_year_and_holds_no_metrics():
    text = "某市科技局2021年工作总结\n一、主要成效\n全年新增企业20家。\n"
    doc = parse_document(text, source="o.txt", outline=True)
    assert doc.metrics == [] and doc.events == []
    assert [s.title for s in doc.sections if not s.id.endswith("/lead")] == ["主要成效"]
    assert infer_year(doc) == infer_year(parse_document(text, source="o.txt"))


def test_a_full_parse_after_an_outline_of_the_same_text_gives_what_a_fresh_parse_gives():
    import dataclasses
    text = (
        "某县科学技术局\n某县2022年科技工作总结\n一、主要成效。全年新增高新技术企业12家，"
        "2022年5月，县政府印发《甲办法》。 二、下一步打算。继续推进。\n\n三、附表\n\n研发投入3.1亿元。\n"
    )
    other = "一、另一份文件\n\n内容100家。\n"

    def snapshot(parsed):
        return [dataclasses.astuple(x) for x in (parsed.document, *parsed.sections, *parsed.metrics, *parsed.events)]

    fresh = snapshot(parse_document(text, source="a.txt", year=2022))
    outline = parse_document(text, source="a.txt", outline=True)
    assert infer_year(outline)[0] == 2022
    assert snapshot(parse_document(text, source="a.txt", year=2022)) == fresh
    # an outline of one text never leaks into the parse of another
    parse_document(text, source="a.txt", outline=True)
    alone = snapshot(parse_document(other, source="b.txt", year=2022))
    parse_document(text, source="a.txt", outline=True)
    assert snapshot(parse_document(other, source="b.txt", year=2022)) == alone
    assert snapshot(parse_document(text, source="a.txt", year=2022)) == fresh


def test_the_outline_sections_reused_under_another_year_are_those_a_fresh_parse_builds():
    import dataclasses

    # no year in the text: the outline's document id is "x-…", the full parse's "2023-…"
    text = "工作总结\n\n一、主要成效\n\n全年新增企业12家。\n\n（一）创新主体\n\n新增研发机构3个。\n\n二、下一步\n\n继续推进。\n"

    def snapshot(parsed):
        return [dataclasses.astuple(x) for x in (parsed.document, *parsed.sections, *parsed.metrics, *parsed.events)]

    fresh = snapshot(parse_document(text, source="w.md", year=2023))
    sketch = parse_document(text, source="w.md", outline=True)
    assert sketch.sections[0].id.startswith("x-")
    again = parse_document(text, source="w.md", year=2023)
    assert again.sections[0] is sketch.sections[0]  # built once, by the outline
    assert snapshot(again) == fresh
    assert all(s.id.startswith("2023-") and s.document == again.document.id for s in again.sections)
    assert {s.parent for s in again.sections} - {None} <= {s.id for s in again.sections}
