"""Metric labels name what a number counts (issue 7). Every text here is made up."""

import pytest

from kjtui.ingest import parse_document


def metrics(text, year=2024):
    return parse_document(text, source="t.txt", year=year).metrics


def labels(text):
    return [m.label for m in metrics(text)]


# -- the thing counted comes after the classifier ------------------------------------------------


def test_the_noun_after_a_classifier_is_the_label_not_the_verb_before_the_number():
    text = "今年新培育5家省级众创空间，引进8个海外创新团队，组织申报并获批2家国家级重点实验室。"
    assert labels(text) == ["省级众创空间", "海外创新团队", "国家级重点实验室"]


def test_a_scope_before_the_number_stays_with_the_counted_noun():
    (m,) = metrics("截至6月底，全县4120家企业完成数字化改造评估。")
    assert m.label.startswith("全县") and "企业" in m.label and m.period == "截至6月底"


def test_a_listed_group_counted_by_the_number_keeps_its_first_member():
    (m,) = metrics("已向东方仪表、南湖光电、北岭材料3家企业发放研发后补助。")
    assert m.label.startswith("向东方仪表") and "企业发放研发后补助" in m.label


def test_what_follows_ends_at_the_next_number_and_at_words_that_go_on_about_it():
    a, b = metrics("认定7家孵化器和12个众创空间。")
    assert (a.label, b.label) == ("孵化器", "众创空间")


# -- the subject is in an earlier clause ---------------------------------------------------------


def test_growth_takes_the_subject_of_the_clause_before():
    a, b = metrics("全区技术交易额达320.5亿元，同比增长9.8%。")
    assert a.label == "全区技术交易额"
    assert b.label == "全区技术交易额同比增长"


def test_growth_against_a_named_base_year_still_takes_the_subject():
    _, b = metrics("全区孵化企业营收48.2亿元，同比2023年增长6.1%。")
    assert b.label.startswith("全区孵化企业营收") and b.label.endswith("增长")


def test_a_part_under_qizhong_takes_the_rest_of_the_whole_name():
    a, b = metrics("全年受理商标注册申请5200件，其中集体商标140件。")
    assert (a.label, b.label) == ("受理商标注册申请", "集体商标注册申请")


def test_a_short_part_under_qizhong_keeps_the_whole_for_context():
    _, b, c = metrics("共办理来信860件，其中转办210件，督办95件。")
    assert b.label.endswith("转办") and "来信" in b.label
    assert c.label.endswith("督办") and "来信" in c.label


def test_an_attribute_takes_its_owner():
    _, b = metrics("共有科技型企业3.2万家，营收1.8万亿元。")
    assert b.label == "科技型企业营收"


def test_a_share_takes_its_subject():
    _, b = metrics("全市研发投入180亿元，占地区生产总值的3.9%。")
    assert b.label == "全市研发投入占地区生产总值"


def test_the_subject_carries_across_a_semicolon():
    _, b = metrics("全市技术合同登记额达95亿元；比上年增长14%。")
    assert b.label == "全市技术合同登记额比上年增长"


def test_the_subject_never_carries_across_a_sentence_end():
    a, b = metrics("全市专利授权量1.5万件。同比增长12%。")
    assert a.label == "全市专利授权量"
    assert "专利" not in b.label and b.label.endswith("同比增长")


def test_items_in_brackets_take_what_the_bracket_explains():
    _, b, c = metrics("全职研究人员共120人（博士45人、硕士75人）。")
    assert b.label.endswith("博士") and "研究人员" in b.label
    assert c.label.endswith("硕士") and "博士" not in c.label


def test_items_of_a_list_do_not_borrow_each_others_names():
    assert labels("含省级项目12件、市级项目30件、区级项目8件。") == ["省级项目", "市级项目", "区级项目"]


def test_a_place_in_a_ranked_list_takes_what_the_list_ranks():
    text = "2024年1-6月，新增专精特新企业排名前三位的区是东湖区（120家）、西山区(96家)、南岭区（71家）。"
    got = labels(text)
    assert [g[:3] for g in got] == ["东湖区", "西山区", "南岭区"]
    assert all("新增专精特新企业" in g for g in got)


def test_places_after_wei_take_the_subject_of_the_first_clause():
    text = "上半年，东湖区、西山区、南岭区新增科技型企业数分别居全市前三，为东湖区320家、西山区290家、南岭区250家。"
    assert labels(text) == ["东湖区新增科技型企业数", "西山区新增科技型企业数", "南岭区新增科技型企业数"]


def test_a_sentence_that_opens_with_a_policy_gives_it_as_the_subject():
    _, b = metrics("《实施细则》围绕人才引育、平台建设2个方面提出9条举措。")
    assert b.label.startswith("《实施细则》") and "举措" in b.label


# -- one sentence across a blank line or a page break --------------------------------------------


@pytest.mark.parametrize("gap", ["\n\n", "\n\f\n", "\n\n\n"])
def test_a_sentence_broken_by_a_blank_line_or_page_break_is_one_sentence(gap):
    ms = metrics(f"（二）企业培育\n\n全区新增创新型中小企业{gap}48家，同比增长20%。\n")
    assert [m.label for m in ms] == ["全区新增创新型中小企业", "全区新增创新型中小企业同比增长"]


# -- qualifier and period stay out of the label --------------------------------------------------


def test_tupo_is_a_qualifier_and_the_period_is_kept_apart():
    (m,) = metrics("截至2024年末，全市科技企业突破1.2万家。")
    assert (m.label, m.qualifier, m.period) == ("全市科技企业", "突破", "截至2024年末")


def test_zuoyou_and_a_bracketed_target_period():
    (m,) = metrics("研发投入180亿元左右（三年目标）。")
    assert (m.label, m.qualifier, m.period) == ("研发投入", "左右", "三年目标")


def test_chaoguo_is_a_qualifier():
    (m,) = metrics("带动社会投资超过60亿元。")
    assert (m.qualifier, m.value) == ("超过", 60)
    assert "社会投资" in m.label


def test_a_year_in_the_clause_is_the_period_not_the_label():
    (m,) = metrics("2023年全区共认定技术先进型服务企业26家。")
    assert "2023" not in m.label and "技术先进型服务企业" in m.label


# -- never empty, never a function word or a lone verb ------------------------------------------


def test_a_number_with_no_subject_takes_the_section_title():
    doc = parse_document("（三）成果转化\n\n达到35%。\n", source="t.txt", year=2024)
    (m,) = doc.metrics
    assert m.label == "成果转化"


@pytest.mark.parametrize(
    "text",
    [
        "为企业减免税费3.2亿元。",
        "共12家。",
        "达到75%。",
        "其中45家。",
        "新增8个，同比增长14%。",
        "全市达到1.1万家，其中新增2000家。",
        "分别为3家、5家和7家。",
    ],
)
def test_labels_are_never_empty_or_a_function_word(text):
    doc = parse_document("一、工作概况\n\n" + text + "\n", source="t.txt", year=2024)
    assert doc.metrics
    for m in doc.metrics:
        assert m.label and m.label not in {"的", "为", "达", "共", "有", "是", "其中", "新增", "达到"}


def test_a_label_is_no_longer_than_the_sentence_it_comes_from():
    text = "通过多年持续努力和各方面协同推进，全市科技创新体系建设取得显著成效，高新技术企业数量达到2.6万家。"
    (m,) = metrics(text)
    assert len(m.label) <= 48 and m.label in text.replace("，", "")


def test_fenbie_hands_the_names_before_it_to_the_numbers_after_it_in_order():
    ms = metrics("新认定市级企业技术中心86家、工程技术研究中心54家，累计分别达到612家和498家。")
    assert [m.label for m in ms[2:]] == ["市级企业技术中心", "工程技术研究中心"]


def test_fenbie_growth_names_each_rate_after_its_own_subject():
    ms = metrics("登记合同金额227.6亿元、合同数1370笔，分别同比增长64%和37%。")
    assert [m.label for m in ms[2:]] == ["登记合同金额同比增长", "合同数同比增长"]


def test_a_clause_of_two_verbs_takes_the_subject_before_it():
    _, b = metrics("全年组织申报高新技术企业2100家，通过认定1480家。")
    assert b.label.endswith("通过认定") and "高新技术企业" in b.label


def test_a_place_alone_takes_what_the_section_is_about():
    doc = parse_document("（一）企业培育\n\n全区共有45家。\n", source="t.txt", year=2024)
    assert doc.metrics[0].label == "全区企业培育"


def test_a_place_before_a_share_takes_the_thing_after_de():
    (m,) = metrics("全市超70%的孵化载体落实房租减免。")
    assert m.label.startswith("全市孵化载体") and m.qualifier == "超"


def test_you_ending_a_noun_is_not_stripped_as_a_verb():
    _, b = metrics("规上企业共120家，其中国有15家。")
    assert b.label.endswith("国有")


def test_a_running_total_after_new_ones_is_the_total():
    _, b = metrics("省级专精特新企业新增12家，累计达58家。")
    assert b.label == "省级专精特新企业累计"


def test_a_level_under_qizhong_in_brackets_names_a_kind_of_what_the_bracket_explains():
    _, b = metrics("建成众创空间28家（其中国家级9家）。")
    assert b.label == "国家级众创空间"


def test_zuigao_is_not_part_of_the_label():
    (m,) = metrics("对符合条件的项目给予最高300万元资助。")
    assert not m.label.endswith("最高") and "项目" in m.label


def test_a_comparison_clause_takes_the_subject_it_compares():
    _, b = metrics("科技型企业贷款余额2100亿元，高于各项贷款增速6.3个百分点。")
    assert b.label == "科技型企业贷款余额高于各项贷款增速"


def test_a_count_of_quoted_names_takes_the_verb_before_them_and_the_thing_counted():
    text = "省科技厅先后立项实施了“智能网联汽车测试”（编号:2023ZD01）、“氢能装备”（编号:2023ZD02）等2个重大专项。"
    (m,) = metrics(text)
    assert m.label == "立项实施重大专项"


def test_after_a_semicolon_a_part_with_its_own_subject_uses_it():
    ms = metrics("超六成企业实现增长；技术先进型服务企业，累计认定近900家。")
    assert ms[-1].label.startswith("技术先进型服务企业")


@pytest.mark.parametrize(
    "text",
    ["3家在", "5个等", "2家达到", "1项其中", "（7家）", "分别3家和", "为4家、", "其中（2家", "“3家”", "占5%的"],
)
def test_odd_fragments_never_fail(text):
    for m in metrics(text):
        assert isinstance(m.label, str)


def test_a_sum_followed_by_de_and_a_noun_names_what_the_sum_is():
    (m,) = metrics("为科技型企业员工提供近2亿元的持股计划贷款。")
    assert m.label.endswith("提供持股计划贷款") and m.qualifier == "近"


def test_an_owned_attribute_before_de_is_not_followed_by_its_owner():
    (m,) = metrics("合作设立首期规模30亿元的科创专项基金。")
    assert m.label.endswith("首期规模")


def test_a_chain_of_counts_joined_by_de_names_each_step():
    _, b = metrics("审核通过 40 家企业和机构的 95 个项目。")
    assert b.label == "企业和机构的项目"


def test_a_share_a_subsidy_is_paid_at_names_what_it_is_a_share_of_and_the_subsidy():
    a, b = metrics("对年度研发投入超过500万元的企业按其研发投入的8%给予奖励。")
    assert a.label == "年度研发投入" and a.qualifier == "超过"
    assert b.label.endswith("研发投入奖励") and not b.label.startswith(("的", "按", "其", "对"))


@pytest.mark.parametrize("text", ["对符合条件的项目给予300万元资助。", "其中的企业按其营收的5%缴纳。"])
def test_a_label_never_starts_with_a_function_word(text):
    for m in metrics(text):
        assert not m.label.startswith(("的", "按", "对"))


def test_a_qualified_attribute_takes_its_owner():
    _, b = metrics("新获批省自然科学基金项目860项，资助金额3.2亿元。")
    assert b.label.endswith("资助金额") and "自然科学基金" in b.label


def test_what_a_place_does_takes_the_place():
    _, b = metrics("建成中试基地12家，服务项目累计超过500项。")
    assert b.label == "中试基地服务项目" and b.qualifier == "超过"


@pytest.mark.parametrize(
    "text, label",
    [("建成概念验证中心15家。", "概念验证中心"), ("布局未来产业先导区6个。", "未来产业先导区"),
     ("促成合同金额1.3亿元。", "促成合同金额")],
)
def test_the_verb_before_the_thing_counted_is_dropped_unless_it_made_an_amount(text, label):
    assert metrics(text)[0].label == label


def test_a_rate_keeps_the_verb_it_is_the_rate_of():
    _, b = metrics("全年认定高新技术企业1480家，认定通过率70.5%。")
    assert b.label == "认定通过率"


def test_a_level_reached_is_labelled_with_what_reached_it():
    a, b = metrics("研发投入强度由2.3%提高到2.8%。")
    assert a.label == b.label == "研发投入强度"


def test_a_year_with_de_before_a_number_leaves_no_de_behind():
    a, _ = metrics("孵化企业数量从2021年的150家增长到2024年的420家。")
    assert a.label == "孵化企业数量" and a.period == "2021年"
