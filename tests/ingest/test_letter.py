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


# -- page furniture and signatures (issue 7); made-up texts -------------------------------


def titles(text):
    return [s.title for s in parse_document(text, source="w.txt", year=2024).sections if not s.id.endswith("/lead")]


def test_web_page_furniture_is_metadata_and_the_page_date_is_the_documents_date():
    text = (
        "首页 > 政务公开 > 工作动态\n\n打印本页 关闭窗口\n\n{sitename}\n\n图片\n\n"
        "某县科技局2023年工作要点\n来源：某县科技局  发布时间：2023-02-14 09:30  浏览次数：1024\n字号：大 中 小\n\n"
        "一、总体目标\n\n全年新增高新技术企业15家。\n"
    )
    doc = parse_document(text, source="w.txt")
    assert titles(text) == ["总体目标"]
    assert doc.document.title == "某县科技局2023年工作要点"
    assert doc.document.date == "2023-02-14"
    assert [m.raw for m in doc.metrics] == ["15家"]
    assert doc.events == []


def test_breadcrumb_without_home_and_template_date_are_not_headings():
    text = "专题专栏 > 企业服务 > 统计数据\n\n某网 ----年--月--日 星期 -\n\n全区科技型企业达到120家。\n"
    assert titles(text) == []


def test_signature_with_issuer_and_date_on_one_line_and_chinese_numeral_dates():
    text = (
        "一、工作进展\n\n完成项目验收6项。\n\n某区科学技术委员会办公室 2024年3月20日印发\n\n"
        "某区科学技术委员会\n\n二〇二四年三月十八日\n"
    )
    doc = parse_document(text, source="s.txt", year=2024)
    assert titles(text) == ["工作进展"]
    assert doc.document.date == "2024-03-18"
    assert doc.document.meta["印发日期"] == "2024-03-20"


def test_doc_number_line_anywhere_is_not_a_heading():
    text = "一、基本情况\n\n全年受理申请30件。\n\n某科委〔2024〕14号\n\n二、下一步打算\n\n继续推进。\n"
    assert titles(text) == ["基本情况", "下一步打算"]


def test_a_bank_branchs_signature_is_not_a_heading():
    text = (
        "孙某代表：\n\n您提出的建议收悉。现答复如下：\n\n一、加大信贷投放\n\n全年发放科技贷款30亿元。\n\n"
        "中国人民银行某某分行\n\n2024年6月10日\n"
    )
    doc = parse_document(text, source="b.txt")
    assert titles(text) == ["加大信贷投放"]
    assert doc.document.meta["署名"] == "中国人民银行某某分行" and doc.document.date == "2024-06-10"


def test_a_date_with_its_source_on_one_line_is_furniture():
    text = "2024年03月05日 来源：某某网 浏览次数：86\n\n全区新增孵化器2家。\n"
    doc = parse_document(text, source="n.txt")
    assert doc.events == [] and [m.raw for m in doc.metrics] == ["2家"]


def test_an_attachment_list_is_not_headings():
    text = (
        "一、工作进展\n\n完成验收6项。\n\n附件：1.2024年度科技型企业名单\n"
        "      2.2024年度孵化器名单\n\n某区科学技术委员会\n\n2024年3月18日\n"
    )
    assert titles(text) == ["工作进展"]


def test_page_footer_and_sharing_lines_are_not_headings():
    text = (
        "一、工作进展\n\n完成验收6项。\n\n扫一扫在手机打开当前页\n\n上一篇：某区召开科技大会\n\n"
        "版权所有：某区人民政府\n\n网站地图 | 联系我们\n\n京ICP备12345678号\n"
    )
    assert titles(text) == ["工作进展"]


def test_an_information_table_above_the_text_is_furniture_and_names_the_title():
    text = (
        "索引号：11350000-2024-00012\n发文机关：某市科学技术局\n文号：某科〔2024〕12号\n"
        "标题：某市科学技术局关于2023年度工作情况的报告\n成文日期：2024-02-01\n\n"
        "一、主要成效\n\n全年新增企业12家。\n"
    )
    doc = parse_document(text, source="i.txt")
    assert titles(text) == ["主要成效"]
    assert doc.document.title == "某市科学技术局关于2023年度工作情况的报告"
    assert doc.document.date == "2024-02-01"


def test_a_sender_named_above_the_title_is_the_publisher_not_a_heading():
    text = (
        "某省农村信用社联合社\n\n关于推进乡村科技金融服务站建设的建议的答复\n\n赵代表：\n\n"
        "您提出的建议收悉，现答复如下。\n\n一、工作进展\n\n全年设立服务站45个。\n\n"
        "二、下一步打算\n\n继续扩大覆盖。\n\n某省农村信用社联合社\n2025年5月8日\n"
    )
    parsed = parse_document(text, year=2025)
    titles = [s.title for s in parsed.sections if not s.id.endswith("/lead")]
    assert titles == ["工作进展", "下一步打算"]
    assert parsed.document.publisher == "某省农村信用社联合社"
    assert parsed.document.title == "关于推进乡村科技金融服务站建设的建议的答复"
    # single-newline layout, a report title under its issuer
    report = "某县科学技术局\n某县2023年科技工作总结\n一、主要成效\n新增省级研发平台6家。\n二、存在问题\n投入仍然不足。\n"
    parsed = parse_document(report, year=2023)
    assert [s.title for s in parsed.sections if not s.id.endswith("/lead")] == ["主要成效", "存在问题"]
    assert parsed.document.publisher == "某县科学技术局"


def test_only_names_of_organisations_above_a_title_are_its_sender():
    # a line above the title that is not an organisation's name: nothing above it is taken
    text = "第三期\n\n某市科学技术局\n\n某市科技创新工作情况通报\n\n全市研发投入持续增长。\n"
    assert parse_document(text, year=2024).document.publisher is None
    # a sentence ending like a name is not a sender
    text = "本期由市科学技术局编印，供领导参阅的为市统计局\n\n某市科技创新工作情况通报\n\n正文。\n"
    assert parse_document(text, year=2024).document.publisher is None
