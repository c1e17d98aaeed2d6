"""Quantity forms of issue 7: bracketed unit alternatives, compound units, durations and ages.
Every text here is made up."""

import pytest

from kjtui.ingest import parse_document


def metrics(text, year=2024):
    return parse_document(text, source="t.txt", year=year).metrics


def one(text):
    (m,) = metrics(text)
    return m


@pytest.mark.parametrize(
    "text, value, unit, base, normalized",
    [
        ("购置检测设备320台(套)。", 320, "台(套)", "台(套)", 320),
        ("购置检测设备45台（套）。", 45, "台(套)", "台(套)", 45),
        ("服务企业1.2万家(次)。", 1.2, "万家(次)", "家(次)", 12000),
        ("开展培训86场次。", 86, "场次", "场次", 86),
        ("审批时限压缩至3个工作日。", 3, "个工作日", "个工作日", 3),
        ("人均科研用房3.5平方米。", 3.5, "平方米", "平方米", 3.5),
        ("新建实验用房2.4万平方米。", 2.4, "万平方米", "平方米", 24000),
    ],
)
def test_units(text, value, unit, base, normalized):
    m = one(text)
    assert (m.value, m.unit, m.base_unit) == (value, unit, base)
    assert m.normalized == pytest.approx(normalized)
    assert m.raw in text


def test_a_bracketed_alternative_unit_is_part_of_raw_and_the_label_is_the_thing():
    m, _ = metrics("购置检测设备320台(套)，总价值1.1亿元。")
    assert m.raw == "320台(套)" and m.label.endswith("检测设备")


def test_per_capita_and_per_ten_thousand_stay_in_the_label():
    a = one("全县人均科研用房3.5平方米。")
    assert a.unit == "平方米" and "人均" in a.label
    b = one("全市每万人发明专利拥有量4.2件。")
    assert b.unit == "件" and b.label.startswith("全市每万人发明专利拥有量")


@pytest.mark.parametrize(
    "text, value, unit, qualifier",
    [
        ("区域创新能力连续8年位居全省第一。", 8, "年", None),
        ("10年来累计培育科技企业500家。", 10, "年", None),
        ("40岁以下青年科研人员占比60%。", 40, "岁", "以下"),
        ("项目周期近3年。", 3, "年", "近"),
        ("平均办结时间缩短至5天。", 5, "天", None),
    ],
)
def test_durations_and_ages(text, value, unit, qualifier):
    m = metrics(text)[0]
    assert (m.value, m.unit, m.qualifier) == (value, unit, qualifier)


def test_a_duration_is_labelled_with_what_went_on_for_it():
    assert one("区域创新能力连续8年位居全省第一。").label == "区域创新能力连续位居全省第一"


def test_an_age_is_labelled_with_who_and_the_share_after_it_takes_them():
    age, share = metrics("40岁以下青年科研人员占比60%。")
    assert age.label == "青年科研人员"
    assert share.label == "青年科研人员占比"


@pytest.mark.parametrize(
    "text",
    [
        "2023年，全区工作稳步推进。",
        "2024年度工作要点。",
        "上世纪80年代建成。",
        "2023年底完成验收。",
        "实施期为2024—2026年。",
        "高一年级开设选修课。",
        "第3年进入验收期。",
    ],
)
def test_years_as_dates_are_not_durations(text):
    assert [m for m in metrics(text) if m.unit == "年"] == []


def test_one_year_among_counts():
    ms = metrics("2024年，全市连续5年保持高新技术企业数增长，新增高新技术企业1200家。")
    assert [(m.value, m.unit) for m in ms] == [(5, "年"), (1200, "家")]


def test_a_tab_table_whose_header_names_the_units():
    text = "各区情况\n区\t登记合同(项)\t成交额(亿元)\n东区\t1,520\t48.6\n西区\t930\t21.05\n"
    ms = metrics(text)
    assert [(m.label, m.value, m.unit, m.base_unit, m.line) for m in ms] == [
        ("东区登记合同", 1520, "项", "项", 3), ("东区成交额", 48.6, "亿元", "元", 3),
        ("西区登记合同", 930, "项", "项", 4), ("西区成交额", 21.05, "亿元", "元", 4),
    ]
    assert ms[1].normalized == pytest.approx(48.6e8)
    assert all(m.raw in text.split("\n")[m.line - 1] for m in ms)


def test_bare_numbers_under_a_header_without_units_stay_out():
    assert metrics("区\t合同\t金额\n东区\t1520\t48.6\n") == []


def test_html_rows_on_one_line_take_their_own_first_cell():
    ms = metrics("<table><tr><td>类别</td><td>数量</td></tr><tr><td>孵化器</td><td>9个</td></tr>"
                 "<tr><td>众创空间</td><td>21家</td></tr></table>")
    assert [(m.label, m.value) for m in ms] == [("孵化器", 9), ("众创空间", 21)]


def test_a_long_row_gives_each_number_a_window_of_context_not_the_row():
    row = "| 指标 | " + " | ".join(f"{k}家" for k in range(400)) + " |"
    ms = metrics(row)
    assert len(ms) == 400 and max(len(m.context) for m in ms) < 400
