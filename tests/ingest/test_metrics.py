import pytest

from kjtui.ingest import parse_document


def metrics(text, year=2023):
    return parse_document(text, source="t.txt", year=year).metrics


def one(text):
    (m,) = metrics(text)
    return m


@pytest.mark.parametrize(
    "text, raw, value, unit, base, multiplier",
    [
        ("累计投决项目**47**个。", "**47**个", 47, "个", "个", 1),
        ("投决金额**279.4**亿元。", "**279.4**亿元", 279.4, "亿元", "元", 1e8),
        ("授信金额**376.55亿元**。", "**376.55亿元**", 376.55, "亿元", "元", 1e8),
        ("企业数突破**2万家**。", "突破**2万家**", 2, "万家", "家", 1e4),
        ("访问量**25余**万次。", "**25余**万次", 25, "万次", "次", 1e4),
        ("撬动社会资本**千**亿元。", "**千**亿元", 1000, "亿元", "元", 1e8),
        ("存量户数 $2.99$ 万户。", "$2.99$ 万户", 2.99, "万户", "户", 1e4),
        ("比上年增长 $49.99\\%$ 。", "$49.99\\%$", 49.99, "%", "%", 1),
        ("授信约 18.62 亿元。", "约 18.62 亿元", 18.62, "亿元", "元", 1e8),
        ("同比增长 164%。", "164%", 164, "%", "%", 1),
        ("惠及科创企业 4800 余家。", "4800 余家", 4800, "家", "家", 1),
        ("举办活动1500余项。", "1500余项", 1500, "项", "项", 1),
        ("报道2.5万余篇。", "2.5万余篇", 2.5, "万篇", "篇", 1e4),
        ("总市值**1.5万亿元**。", "**1.5万亿元**", 1.5, "万亿元", "元", 1e12),
        ("访问量超10782人次。", "超10782人次", 10782, "人次", "人次", 1),
        ("全年资金１２．５亿元。", "１２．５亿元", 12.5, "亿元", "元", 1e8),
        ("合同金额12,345.6万元。", "12,345.6万元", 12345.6, "万元", "元", 1e4),
        ("面积约**295万**平方米。", "约**295万**平方米", 295, "万平方米", "平方米", 1e4),
        ("比上年提高0.3个百分点。", "0.3个百分点", 0.3, "个百分点", "个百分点", 1),
        ("实际使用外资约5.6亿美元。", "约5.6亿美元", 5.6, "亿美元", "美元", 1e8),
        ("总用户量近2千。", "近2千", 2, "千", "", 1e3),
    ],
)
def test_quantity_forms(text, raw, value, unit, base, multiplier):
    m = one(text)
    assert (m.raw, m.value, m.unit, m.base_unit, m.multiplier) == (raw, value, unit, base, multiplier)
    assert m.normalized == pytest.approx(value * multiplier)
    assert m.raw in text.split("\n")[m.line - 1]


@pytest.mark.parametrize(
    "text, qualifier",
    [
        ("撬动资金超**190**亿元。", "超"), ("撬动社会资本超过**4**亿元。", "超过"),
        ("从业人员逾千人。", "逾"), ("占比近九成。", "近"), ("研发支出约**2.1亿元**。", "约"),
        ("路演项目**200**余个。", "余"), ("培养了200多个团队。", "多"),
        ("覆盖风险80%以上。", "以上"), ("提供不超过**3000万元**的贷款。", "不超过"),
        ("单笔不到 50 万元。", "不到"), ("贷款不低于　5亿元。", "不低于"), ("约 12 家。", "约"),
    ],
)
def test_qualifiers(text, qualifier):
    assert one(text).qualifier == qualifier


def test_a_qualifier_before_the_number_is_part_of_raw():
    m = one("单笔不超过 **50** 万元。")
    assert (m.qualifier, m.raw) == ("不超过", "不超过 **50** 万元")


def test_chinese_tenths_become_percent():
    m = one("高新技术企业占比近九成。")
    assert (m.value, m.unit, m.base_unit, m.normalized) == (9, "成", "%", 90)


@pytest.mark.parametrize(
    "text, period",
    [
        ("截至年底，累计入库企业**38**个。", "截至年底"),
        ("全年，发放贷款**175.62亿元**。", "全年"),
        ("截至11月底，累计投决项目**47**个。", "截至11月底"),
        ("截至 2023 年末，科技履约贷授信约 18.62 亿元。", "截至2023年末"),
        ("（1—9月）累计发放贷款 30 亿元。", "1—9月"),
        ("贷款余额合计56亿元。", None),
        ("当年授信约 18.62 亿元。", "当年"),
        ("政策性贷款余额年内增长约**50%**。", "年内"),
    ],
)
def test_periods(text, period):
    assert one(text).period == period


def test_period_applies_across_clauses_of_one_sentence_only():
    first, second, third = metrics("截至年底，投决项目**38**个，投决金额**33.2**亿元。另有基金**5**支。")
    assert first.period == second.period == "截至年底" and third.period is None


def test_labels_name_what_is_measured():
    ms = metrics("截至11月底，累计投决子基金及直投项目**47**个，投决金额**279.4**亿元，其中直投项目**16**个。")
    assert [m.label for m in ms] == ["投决子基金及直投项目", "投决金额", "直投项目"]


def test_growth_rate_is_labelled_with_what_grew():
    a, b = metrics("- 科技型企业贷款存量户数 $2.99$ 万户,比上年增长 $49.99\\%$")
    assert a.label == "科技型企业贷款存量户数"
    assert b.label.startswith("科技型企业贷款存量户数") and "增长" in b.label


def test_table_row_label_is_the_left_cell():
    a, b = metrics("集成电路领域企业占比\t71%\n科技小巨人企业占比\t超70%\n")
    assert (a.label, a.value, a.line) == ("集成电路领域企业占比", 71, 1)
    assert (b.label, b.qualifier, b.line) == ("科技小巨人企业占比", "超", 2)


def test_pipe_table_rows():
    header, rule, (m,) = [metrics(line) for line in ("| 指标 | 数值 |", "|---|---|", "| 孵化器数量 | 86家 |")]
    assert header == [] and rule == []
    assert (m.label, m.value, m.unit, m.raw) == ("孵化器数量", 86, "家", "86家")


def test_html_table_cells():
    (m,) = metrics("<tr><td>孵化器数量</td><td>**120**家</td></tr>")
    assert (m.label, m.value, m.unit) == ("孵化器数量", 120, "家")


@pytest.mark.parametrize(
    "text",
    [
        "2023年，工作顺利推进。",  # a year
        "3月30日，政策发布。",  # a date
        "举办第14届论坛。",  # an ordinal
        "位居全国第2位。",  # an ordinal rank
        "沪科建复〔2024〕36号",  # a document number
        "联系电话：23112576",  # a phone number
        "邮政编码：200003",  # a postcode
        "7.1 科技金融服务体系持续完善",  # a heading number
        "发布《行动方案（2023—2025年）》。",  # a policy title's year range
        "发布《关于支持100家企业的通知》。",  # numbers inside a title are the title's
        "市十六届人大一次会议",  # Chinese numerals that are not quantities
        "覆盖AI4S等领域，ARJ21飞机。",  # letters and digits
    ],
)
def test_not_metrics(text):
    assert metrics(text) == []


def test_word_split_across_a_blank_line_is_rejoined_for_labels():
    text = "在知识产权方面，2023 年专利商标质押融资登\n\n记 1370 笔、登记金额 227.6 亿元。\n"
    a, b = metrics(text)
    assert a.label == "专利商标质押融资登记" and a.line == 3
    assert b.label == "登记金额"


def test_metric_belongs_to_its_section():
    doc = parse_document("1.1 甲\n\n支持企业**5**家。\n\n1.2 乙\n\n支持企业**6**家。\n", source="t", year=2023)
    assert [m.section.rsplit("/", 1)[-1] for m in doc.metrics] == ["1.1", "1.2"]


def test_metric_year_is_the_documents_year():
    assert one("支持企业**5**家。").year == 2023
