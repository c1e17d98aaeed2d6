from kjtui.ingest import parse_document


def parse(text, **kw):
    return parse_document(text, source="t.txt", year=2023, **kw)


def tree(text):
    return [(s.level, s.number, s.title) for s in parse(text).sections]


def test_numbered_headings_with_and_without_hash_and_dash():
    text = "3.1 甲方面工作\n\n正文一。\n\n# 3.2 乙方面工作\n\n正文二。\n\n—3.3 丙方面工作\n\n正文三。\n"
    assert tree(text) == [(1, "3.1", "甲方面工作"), (1, "3.2", "乙方面工作"), (1, "3.3", "丙方面工作")]


def test_numbering_decides_hierarchy_not_hash_count():
    text = "# 5\n\n## 科技创新生态\n\n导语。\n\n# 5.1 第一节\n\n内容。\n\n## 5.2 第二节\n\n内容。\n\n### 5.2.1 小节\n\n内容。\n"
    assert tree(text) == [
        (1, "5", "科技创新生态"), (2, "5.1", "第一节"), (2, "5.2", "第二节"), (3, "5.2.1", "小节"),
    ]


def test_bare_number_then_title_line_is_one_heading_owning_both_lines():
    doc = parse("# 9\n\n## 营造良好环境\n\n正文。\n")
    (section,) = doc.sections
    assert (section.number, section.title, section.line) == ("9", "营造良好环境", 1)
    assert "营造良好环境" not in section.body


def test_chinese_enumerations_are_siblings_whatever_their_hashes():
    text = "## 一、第一项工作\n\n内容。\n\n### 二、第二项工作\n\n内容。\n\n三、第三项工作\n\n内容。\n"
    assert [(lvl, num) for lvl, num, _ in tree(text)] == [(1, "一、"), (1, "二、"), (1, "三、")]


def test_parenthesised_enumeration_sits_below_plain_one():
    text = "一、总体情况\n\n内容。\n\n（一）具体做法\n\n内容。\n\n（二）下一步\n\n内容。\n\n二、其他\n\n内容。\n"
    assert [(lvl, num) for lvl, num, _ in tree(text)] == [(1, "一、"), (2, "（一）"), (2, "（二）"), (1, "二、")]


def test_all_four_enumeration_forms_nest_in_order():
    text = "一、甲\n\n（一）乙\n\n1. 丙\n\n（1）丁\n\n（2）戊\n\n2. 己\n\n（二）庚\n"
    assert [(lvl, num) for lvl, num, _ in tree(text)] == [
        (1, "一、"), (2, "（一）"), (3, "1."), (4, "（1）"), (4, "（2）"), (3, "2."), (2, "（二）"),
    ]


def test_enumerated_prose_is_not_a_heading():
    doc = parse("1.1 节\n\n一、加强统筹，出台政策，完善机制，建立健全协调推进的工作体系和保障措施。\n")
    assert [s.title for s in doc.sections] == ["节"]


def test_markers_sit_one_level_below_their_numbered_heading():
    text = "2.4 人才建设\n\n导语。\n\n◆ 引进人才\n\n内容。\n\n■ 培养人才\n\n内容。\n\n2.5 下一节\n"
    assert tree(text) == [(1, "2.4", "人才建设"), (2, None, "引进人才"), (2, None, "培养人才"), (1, "2.5", "下一节")]
    assert parse(text).sections[1].marker == "◆"


def test_hash_headings_under_a_marker_nest_by_hash_count():
    text = "# 6.1 节\n\n## » 标记标题\n\n导语。\n\n### 子标题甲\n\n- 内容\n\n### 子标题乙\n\n- 内容\n"
    assert [(lvl, t) for lvl, _, t in tree(text)] == [(1, "节"), (2, "标记标题"), (3, "子标题甲"), (3, "子标题乙")]


def test_bare_short_line_between_blanks_is_a_heading_but_prose_lists_and_tables_are_not():
    text = (
        "1.2 总标题\n\n推动产业集群发展\n\n这是一段正文，带有标点。\n\n- 列表项目不是标题\n\n"
        "□ 方框项目不是标题\n\n指标名称\t71%\n\n(1—9月)\n\n这一行没有标点但是非常长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长\n"
    )
    assert [t for _, _, t in tree(text)] == ["总标题", "推动产业集群发展"]


def test_wide_gap_before_a_bare_heading_opens_a_group_narrow_gaps_nest_in_it():
    text = "4.1 总\n\n导语。\n\n\n\n第一组\n\n导语。\n\n甲小项\n\n内容。\n\n乙小项\n\n内容。\n\n\n\n第二组\n\n内容。\n"
    assert [(lvl, t) for lvl, _, t in tree(text)] == [
        (1, "总"), (2, "第一组"), (3, "甲小项"), (3, "乙小项"), (2, "第二组"),
    ]


def test_heading_split_over_lines_is_joined():
    doc = parse("1.1 节\n\n导语。\n\n仪器\n共享\n服务\n\n全年共发放创新券。\n")
    assert [s.title for s in doc.sections] == ["节", "仪器共享服务"]
    assert doc.sections[1].line == 5


def test_text_before_first_heading_is_kept_in_a_lead_section():
    doc = parse("这一段从上一章中间开始，没有标题。\n\n2.2 新的一节\n\n正文。\n")
    assert [(s.title, s.start, s.end) for s in doc.sections] == [(doc.document.title, 1, 2), ("新的一节", 3, 5)]
    assert doc.sections[0].id.endswith("/lead") and doc.sections[0].title == doc.document.title


def test_unnumbered_headings_before_first_numbered_one_belong_to_the_lead():
    doc = parse("续前的小标题\n\n正文内容。\n\n4.5 新的一节\n\n正文。\n")
    lead, sub, numbered = doc.sections
    assert lead.id.endswith("/lead") and lead.title == doc.document.title
    assert sub.parent == lead.id and numbered.parent is None


def test_every_line_belongs_to_exactly_one_section():
    text = "\n\n# 7\n\n## 标题\n\n导语。\n\n# 7.1 甲\n\n◆ 乙\n\n内容。\n\n7.2 丙\n\n尾。"
    doc = parse(text)
    covered = [n for s in doc.sections for n in range(s.start, s.end + 1)]
    assert sorted(covered) == list(range(1, len(text.split("\n")) + 1))


def test_page_number_alone_is_not_a_heading():
    assert [t for _, _, t in tree("1.1 节\n\n正文。\n\n12\n\n更多正文。\n")] == ["节"]


def test_section_ids_are_stable_and_unique():
    text = "1.1 甲\n\n小标题\n\n内容。\n\n1.2 乙\n\n小标题\n\n内容。\n"
    first = [s.id for s in parse(text).sections]
    assert first == [s.id for s in parse(text).sections]
    assert len(set(first)) == len(first)
    assert first[0].endswith("/1.1") and first[1].startswith(first[0] + "/")


def test_chapter_headings_keep_their_form_and_rank_first():
    text = "# 第三章 浦东新区科技创新\n\n## 一、总体情况\n\n内容。\n\n（一）企业创新\n\n内容。\n\n1. 高新技术企业\n\n内容。\n"
    assert tree(text) == [
        (1, "第三章", "浦东新区科技创新"), (2, "一、", "总体情况"), (3, "（一）", "企业创新"), (4, "1.", "高新技术企业"),
    ]


# -- headings on real layouts (issue 7); every text here is made up ------------------------


def heads(text):
    return [(s.level, s.number, s.title) for s in parse(text).sections if not s.id.endswith("/lead")]


def test_single_newline_layout_numbered_lines_are_headings_with_their_hierarchy():
    text = (
        "2022年，某区科技工作取得新进展。现将有关情况报告如下：\n"
        "一、主要指标\n"
        "1.高企数量稳步增长。全区高新技术企业达到310家。\n"
        "2.研发投入持续加大。全社会研发投入增长8.5%。\n"
        "二、重点工作\n"
        "（一）培育创新主体，壮大企业梯队\n"
        "全年新认定科技型中小企业46家。\n"
        "(二)搭建服务平台\n"
        "新建众创空间3家。\n"
    )
    doc = parse(text)
    assert heads(text) == [
        (1, "一、", "主要指标"), (2, "1.", "高企数量稳步增长"), (2, "2.", "研发投入持续加大"),
        (1, "二、", "重点工作"), (2, "（一）", "培育创新主体，壮大企业梯队"), (2, "（二）", "搭建服务平台"),
    ]
    # the lead text stays in the document's own section, named after the document
    assert doc.sections[0].id.endswith("/lead") and doc.sections[0].title == doc.document.title


def test_run_in_heading_is_cut_at_its_first_full_stop_and_the_rest_is_its_body():
    doc = parse("一、夯实基础研究。全年投入基础研究经费2.6亿元，增长9%。\n二、优化创新生态。新建孵化器4家。\n")
    first, second = doc.sections
    assert (first.number, first.title, second.title) == ("一、", "夯实基础研究", "优化创新生态")
    assert first.body.startswith("全年投入") and first.line == first.body_line == 1
    # the numbers of the paragraph (and of the heading's own sentence) stay metrics of that section
    assert [(m.raw, m.section) for m in doc.metrics] == [
        ("2.6亿元", first.id), ("9%", first.id), ("4家", second.id),
    ]


def test_a_metric_in_a_run_in_title_is_kept():
    doc = parse("3.专利授权量达1200件。较上年增加150件。\n")
    assert [m.raw for m in doc.metrics] == ["1200件", "150件"]
    assert doc.sections[0].title == "专利授权量达1200件"


def test_a_short_lead_clause_before_a_comma_heads_a_long_paragraph():
    text = "（二）完善人才政策，全面落实人才引进、培养、评价、激励等各项措施，为各类人才干事创业提供良好环境和服务保障。\n"
    assert heads(text) == [(1, "（二）", "完善人才政策")]


def test_lead_sentences_yi_shi_open_sections_one_level_below():
    text = (
        "（一）强化企业主体地位\n"
        "一是加大培育力度。全年新增企业12家。\n"
        "二是优化服务方式。走访企业80余次。\n"
        "（二）深化开放合作\n"
    )
    assert heads(text) == [
        (1, "（一）", "强化企业主体地位"), (2, "一是", "加大培育力度"), (2, "一是".replace("一", "二"), "优化服务方式"),
        (1, "（二）", "深化开放合作"),
    ]


def test_yi_shi_inside_prose_with_long_clauses_is_not_a_heading():
    text = (
        "该措施主要有以下特点：一是在平台建设方面更加聚焦，提出推进若干载体建设。"
        "二是在要素保障方面更加务实，如开通评审绿色通道等。三是在机制改革方面更加有力。\n"
    )
    assert heads(text) == []


def test_a_whole_document_on_one_line():
    text = (
        "某县科技局2023年工作总结 一、工作成效 全年新增企业9家。 二、主要做法 "
        "一是健全科技服务机制。全年发放创新券60万元。 二是深化产学研合作。举办对接会5场。 三、存在问题 资金投入仍然不足。"
        " 四、下一步打算 （一）壮大创新主体 力争新增企业10家。"
    )
    doc = parse(text)
    assert heads(text) == [
        (1, "一、", "工作成效"), (1, "二、", "主要做法"), (2, "一是", "健全科技服务机制"),
        (2, "二是", "深化产学研合作"), (1, "三、", "存在问题"), (1, "四、", "下一步打算"), (2, "（一）", "壮大创新主体"),
    ]
    by_section = {s.id: s.title for s in doc.sections}
    assert [(m.raw, by_section[m.section]) for m in doc.metrics] == [
        ("9家", "工作成效"), ("60万元", "健全科技服务机制"), ("5场", "深化产学研合作"), ("10家", "壮大创新主体"),
    ]
    assert all(s.line == 1 for s in doc.sections) and all(m.line == 1 for m in doc.metrics)


def test_enumerations_without_their_mark_join_their_sequence():
    text = "一、总体情况\n\n内容。\n\n二重点任务\n\n内容。\n\n(三)加强协同\n\n内容。\n\n三、保障措施\n\n内容。\n"
    assert heads(text) == [
        (1, "一、", "总体情况"), (1, "二、", "重点任务"), (2, "（三）", "加强协同"), (1, "三、", "保障措施"),
    ]


def test_a_compound_with_a_numeral_is_not_an_unmarked_enumeration():
    text = "一、总体情况\n内容。\n三大先导产业\n二、保障措施\n"
    assert [t for _, _, t in heads(text)] == ["总体情况", "保障措施"]


def test_hierarchy_follows_the_numbering_with_or_without_blank_lines():
    packed = "一、甲\n（一）乙\n1.丙\n（1）丁\n2.戊\n二、己\n"
    spaced = packed.replace("\n", "\n\n")
    expected = [(1, "一、"), (2, "（一）"), (3, "1."), (4, "（1）"), (3, "2."), (1, "二、")]
    assert [(lvl, num) for lvl, num, _ in heads(packed)] == expected
    assert [(lvl, num) for lvl, num, _ in heads(spaced)] == expected


def test_a_short_line_whose_sentence_continues_with_a_quantity_is_not_a_heading():
    assert heads("全市新增科技小巨人企业\n\n36家，同比增长5%。\n") == []


def test_numbered_list_of_long_sentences_in_a_block_is_not_a_heading_list():
    text = "主要举措：\n1、加强统筹，完善机制，建立健全协调推进的工作体系。\n2、加大投入，优化结构。\n"
    assert heads(text) == []


def test_in_line_splitting_is_linear():
    import time

    unit = "一、工作成效 全年新增企业9家，增长12%。 二、主要做法 一是健全服务机制。发放创新券60万元。 "
    def best(text):
        times = []
        for _ in range(2):
            t0 = time.perf_counter()
            parse(text)
            times.append(time.perf_counter() - t0)
        return min(times)

    small, big = best(unit * 1000), best(unit * 4000)
    assert big < 8 * small + 0.5  # 4x the text: about 4x the time, not 16x


def test_a_page_flattened_to_one_line_keeps_titles_that_end_at_a_space():
    text = (
        "一、工作成效 （一）创新主体不断壮大 全年新认定高新技术企业56家，总数达到412家，同比增长15.6%。"
        " （二）平台提质增效，载体建设取得突破 新增孵化器2家。 二、存在问题 投入不足。"
    )
    assert heads(text) == [
        (1, "一、", "工作成效"), (2, "（一）", "创新主体不断壮大"), (2, "（二）", "平台提质增效，载体建设取得突破"),
        (1, "二、", "存在问题"),
    ]


def test_a_short_paragraph_is_headed_by_its_lead_clause_when_its_siblings_are():
    text = (
        "（一）优化产品设计，结合科技型企业轻资产、高成长的特点，开发知识产权质押、订单融资等多款信贷产品，全年新增贷款投放120亿元。\n"
        "（二）强化政策协同，推动风险补偿资金池扩容。\n"
    )
    assert heads(text) == [(1, "（一）", "优化产品设计"), (1, "（二）", "强化政策协同")]


def test_a_list_of_short_numbered_sentences_is_not_a_list_of_headings():
    text = "一、主要工作\n1.举办政策宣讲会8场。\n2.走访企业120家。\n3.受理咨询300余次。\n二、下一步计划\n"
    assert heads(text) == [(1, "一、", "主要工作"), (1, "二、", "下一步计划")]
    listed = "开展了以下工作：\n1.组织企业申报认定，全年56家通过；\n2.开展企业评价工作；\n3.举办宣讲会8场。\n"
    assert heads(listed) == []
    shi = "存在问题：\n一是研发投入强度偏低。\n二是高层次人才不足。\n"
    assert heads(shi) == []


def test_chapters_inside_a_single_newline_layout():
    text = "第一部分 2023年工作回顾\n一、主要成效\n全年新增企业20家。\n第二部分 2024年工作安排\n一、目标任务\n力争新增企业25家。\n"
    assert heads(text) == [
        (1, "第一部分", "2023年工作回顾"), (2, "一、", "主要成效"), (1, "第二部分", "2024年工作安排"), (2, "一、", "目标任务"),
    ]


def test_a_numbered_heading_set_in_bold_keeps_its_rank():
    text = "## 一、研发投入\n\n导语。\n\n**（一）基础研究**\n\n内容。\n\n**1. 国家重点实验室**\n\n新增**2**家。\n\n**12家**\n"
    assert heads(text) == [(1, "一、", "研发投入"), (2, "（一）", "基础研究"), (3, "1.", "国家重点实验室")]


def test_the_lead_is_named_once_in_a_breadcrumb():
    from kjtui import readmodel

    doc = parse("续前的小标题\n\n正文内容。\n\n4.5 新的一节\n\n正文。\n")
    by_id = {s.id: s for s in doc.sections}
    sub = doc.sections[1]
    assert readmodel.breadcrumb(doc.document, sub, by_id) == [doc.document.title, sub.label]


def test_a_title_may_end_with_a_colon():
    text = "一、主要做法：\n（一）科技创新方面：全年新增企业12家。\n（二）人才方面：引进人才30名。\n二、下一步\n"
    doc = parse(text)
    assert heads(text) == [(1, "一、", "主要做法"), (2, "（一）", "科技创新方面"), (2, "（二）", "人才方面"), (1, "二、", "下一步")]
    assert [m.raw for m in doc.metrics] == ["12家", "30名"]


def test_a_heading_that_states_a_figure_keeps_it_as_a_metric():
    doc = parse("一、主要指标\n1.新增高新技术企业56家\n全年认定工作顺利完成。\n\n2.研发投入\n\n投入3亿元。\n")
    assert [s.title for s in doc.sections if not s.id.endswith("/lead")] == ["主要指标", "新增高新技术企业56家", "研发投入"]
    assert [(m.raw, m.section.rsplit("/", 1)[-1]) for m in doc.metrics] == [("56家", "1."), ("3亿元", "2.")]


def test_a_section_number_is_never_a_figure():
    doc = parse("5.2 人才建设\n\n引进人才30名。\n\n5.3 3家新型研发机构落地\n\n内容。\n")
    assert [m.raw for m in doc.metrics] == ["30名", "3家"]


def test_a_short_paragraph_after_a_heading_line_sibling_is_headed_by_its_lead_clause():
    text = "（一）完善机制\n全年召开会议5次。\n（二）强化协同，推动资金池扩容。\n（三）加强宣传\n"
    assert [t for _, _, t in heads(text)] == ["完善机制", "强化协同", "加强宣传"]
