from kjtui.ingest import parse_document

LETTER = """办理结果：解决采纳

公开属性：主动公开

# 上海市某某局

沪某建复〔2025〕7号

## 对市十七届人大一次会议第0101号代表建议的答复

张三代表：

您提出的建议收悉，现答复如下：

## 一、加强支持

全年支持企业 120 家。

## 二、下一步

继续推进。

上海市某某局

2025年6月3日

联系人姓名：王五

联系电话：12345678

邮政编码：200001

---

抄送：市政府办公厅。
"""


def test_reply_letter_parts_become_document_metadata():
    doc = parse_document(LETTER, source="r.txt", year=2024)
    d = doc.document
    assert d.kind == "reply"
    assert d.doc_number == "沪某建复〔2025〕7号"
    assert d.date == "2025-06-03"
    assert d.addressee == "张三代表"
    assert d.publisher == "上海市某某局"
    assert d.title.startswith("对市十七届人大一次会议")
    assert d.meta["办理结果"] == "解决采纳" and d.meta["公开属性"] == "主动公开"
    assert d.meta["联系人"] == "王五"


def test_letter_furniture_is_not_sections_metrics_or_events():
    doc = parse_document(LETTER, source="r.txt", year=2024)
    assert [s.title for s in doc.sections] == [doc.document.title, "加强支持", "下一步"]
    assert doc.sections[0].id.endswith("/lead")
    assert [m.raw for m in doc.metrics] == ["120 家"]
    assert doc.events == []


def test_front_matter_supplies_title_and_year():
    text = "---\ntitle: 7.1 节\nyear: 2019\n---\n\n# 7.1 节\n\n3月\n\n- 发布《某办法》\n"
    doc = parse_document(text, source="x.md")
    assert doc.document.year == 2019 and doc.document.title == "7.1 节"
    assert [(e.year, e.month) for e in doc.events] == [(2019, 3)]


def test_proposal_reply_title_without_dui_is_metadata():
    text = ("沪科提复〔2023〕12号\n\n关于市政协十四届一次会议第0456号提案的答复\n\n李明委员：\n\n"
            "您的提案收悉。现将对您建议的答复如下：\n\n一、关于加强统筹规划\n\n已召开会议3次。\n")
    doc = parse_document(text, source="p.txt", year=2023)
    assert doc.document.title == "关于市政协十四届一次会议第0456号提案的答复"
    assert doc.document.addressee == "李明委员"
    assert [s.title for s in doc.sections] == [doc.document.title, "关于加强统筹规划"]
