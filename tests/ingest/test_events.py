from kjtui.ingest import parse_document


def events(text, year=2023):
    return parse_document(text, source="t.txt", year=year).events


def test_month_list_items_are_events_of_that_month():
    text = "3月\n\n- 《甲办法》发布\n- 乙中心投入运行\n\n4月\n\n5月\n\n- 发布《丙方案》\n"
    es = events(text)
    assert [(e.month, e.title, e.kind) for e in es] == [
        (3, "甲办法", "policy"), (3, "乙中心投入运行", "event"), (5, "丙方案", "policy"),
    ]
    assert all(e.year == 2023 and e.day is None for e in es)


def test_empty_month_has_no_events():
    assert [e.month for e in events("4月\n\n5月\n\n- 发布《丙方案》\n")] == [5]


def test_month_list_ends_at_a_wide_gap():
    es = events("11月\n\n- 发布《甲办法》\n\n\n\n- 研究制定《乙意见》\n")
    assert [e.title for e in es] == ["甲办法"]


def test_html_month_rows():
    text = '6月\t<ul style="x"><li>发布《甲方案》</li><li>修定《乙办法》</li></ul>\n7月\t<ul><li>开展《丙条例》修订工作</li></ul>\n'
    es = events(text)
    assert [(e.month, e.title, e.kind, e.line) for e in es] == [
        (6, "甲方案", "policy", 1), (6, "乙办法", "policy", 1), (7, "丙条例", "policy", 2),
    ]


def test_inline_month_at_start_of_item():
    (e,) = events("- 7月,发布《“沪科积分”工作实施方案》,以科技部创新积分制为基础\n")
    assert (e.month, e.day, e.title, e.kind) == (7, None, "“沪科积分”工作实施方案", "policy")


def test_inline_day_with_title_after():
    (e,) = events("10月21日,《关于加快推进大学科技园发展的指导意见》发布。")
    assert (e.month, e.day, e.title, e.kind) == (10, 21, "关于加快推进大学科技园发展的指导意见", "policy")


def test_inline_day_without_title_uses_the_clause_that_says_what_happened():
    (e,) = events("3月30日,“浦江之光”行动政策汇编和办事指南对外发布,支持企业上市。")
    assert (e.month, e.day, e.kind) == (3, 30, "policy")
    assert e.title == "“浦江之光”行动政策汇编和办事指南对外发布"


def test_ranges():
    a = events("7月3日至10月29日,上海国际创客大赛举行。")[0]
    assert (a.month, a.day, a.end, a.title) == (7, 3, "2023-10-29", "上海国际创客大赛举行")
    b = events("2019年12月19日至2020年9月4日,创新创业大赛举行。", year=2020)[0]
    assert (b.year, b.month, b.day, b.end) == (2019, 12, 19, "2020-09-04")
    c = events("科技节于5月20—31日成功举办,主题鲜明。")[0]
    assert (c.month, c.day, c.end, c.title) == (5, 20, "2023-05-31", "科技节成功举办")


def test_month_end_phrase_at_clause_start():
    (e,) = events("10月底, 闵行区推动高校签订合作协议\n")
    assert (e.month, e.day, e.kind) == (10, None, "event")


def test_not_events():
    assert events("截至11月底，累计投决项目**47**个。") == []
    assert events("(1—9月)\n") == []
    assert events("上海市某某局\n\n2024年5月22日\n") == []
    assert events("发布《2023年3月修订版办法》。") == []


def test_event_section_and_line():
    doc = parse_document("1.1 甲\n\n正文。\n\n1.2 乙\n\n3月\n\n- 发布《甲办法》\n", source="t", year=2021)
    (e,) = doc.events
    assert e.section.endswith("/1.2") and e.line == 9


# -- forms from real reports (issue 7 / 11); every text here is made up ---------------------


def test_a_date_after_a_leading_clause_dates_every_document_named_after_it():
    es = events("为加快发展海洋装备产业，2022年4月，区政府先后印发了《甲行动计划》和《乙扶持办法》。", year=None)
    assert [(e.year, e.month, e.title, e.kind) for e in es] == [
        (2022, 4, "甲行动计划", "policy"), (2022, 4, "乙扶持办法", "policy"),
    ]


def test_a_list_of_documents_gives_one_release_each():
    es = events("9月，市科委出台《丙细则》《丁指引》和《戊方案》，明确支持方向。")
    assert [e.title for e in es] == ["丙细则", "丁指引", "戊方案"]
    assert {(e.month, e.kind) for e in es} == {(9, "policy")}


def test_a_year_and_month_inside_a_sentence_dates_a_release():
    es = events("这是继2021年11月某市出台《己意见》之后的又一举措。", year=None)
    assert [(e.year, e.month, e.title) for e in es] == [(2021, 11, "己意见")]


def test_a_year_and_month_without_anything_happening_is_not_an_event():
    assert events("全区2022年3月的用电量与上年持平，2021年12月份数据另附。") == []


def test_an_abbreviation_is_not_a_second_release():
    es = events("5月8日，省政府办公厅印发《关于支持某市建设创新高地的若干意见》(以下简称《若干意见》)。")
    assert [e.title for e in es] == ["关于支持某市建设创新高地的若干意见"]


def test_a_policy_named_in_quotes_is_a_release_when_it_is_issued_or_upgraded():
    es = events("6月，“数据要素券”政策完成升级，覆盖更多中小企业。")
    assert [(e.month, e.kind) for e in es] == [(6, "policy")]
    assert "数据要素券" in es[0].title


def test_a_conference_that_announces_something_unnamed_is_an_event_not_a_policy():
    es = events("8月\n\n- 第5届某某论坛举办，发布区域协同发展计划\n")
    assert [(e.month, e.kind) for e in es] == [(8, "event")]


def test_a_day_without_a_month_takes_the_month_before_it():
    es = events("4月3日召开全区科技大会，12日，发布《庚管理办法》。")
    assert [(e.month, e.day, e.title) for e in es][-1] == (4, 12, "庚管理办法")
    assert len(es) == 2


def test_the_same_release_stated_twice_is_one_entry_keeping_the_first_sentence():
    text = (
        "7月\n\n- 《辛实施意见（2024—2026年）》发布\n\n"
        "二、政策\n\n7月15日，发布《辛实施意见(2024—2026年)》，进一步明确目标。\n"
    )
    es = events(text)
    assert len(es) == 1
    assert es[0].line == 3 and es[0].day == 15  # the first statement, the day from the second


def test_page_furniture_date_is_not_an_event():
    text = "首页 > 信息公开 > 工作总结\n来源：某区科委 发布时间：2024-02-06\n\n全年新增企业12家。\n"
    assert events(text) == []


def test_a_news_dateline_is_not_an_event_unless_it_dates_a_named_release():
    assert events("某网北京3月5日电（记者 王某）全市科技大会今天召开。\n", year=None) == []
    es = events("某网长沙2月9日电（李某）某省科技厅9日透露，省政府办公厅印发《关于支持某市创新发展的若干措施》。", year=None)
    assert [(e.month, e.day, e.title, e.kind) for e in es] == [(2, 9, "关于支持某市创新发展的若干措施", "policy")]


def test_a_month_after_yu_inside_a_sentence_dates_what_happens():
    es = events("“人才贷”政策于10月完成升级，额度提高到500万元。")
    assert [(e.month, e.kind) for e in es] == [(10, "policy")]
    assert events("全区企业于3月份完成申报。") == []


def test_a_month_after_this_year_or_last_year_dates_a_release():
    es = events("今年3月，市政府印发《壬实施方案》；去年11月，区里出台《癸办法》。", year=2024)
    assert [(e.year, e.month, e.title) for e in es] == [(2024, 3, "壬实施方案"), (2023, 11, "癸办法")]


def test_a_bracketed_date_under_the_title_is_the_documents_date_not_an_event():
    doc = parse_document("某区科技局工作总结\n（2024年1月8日）\n\n全年新增企业12家。\n", source="t.txt", year=2023)
    assert doc.events == [] and doc.document.meta.get("发布时间") == "2024-01-08"


def test_a_month_end_opening_a_sentence_of_figures_is_a_cut_off_not_an_event():
    assert events("6月末，辖内科技型企业贷款余额1850亿元。3月份，全市新增企业120家。") == []
    es = events("6月底，区政府印发《某区孵化器管理办法》。9月，我区获批国家创新型县。")
    assert [(e.month, e.kind) for e in es] == [(6, "policy"), (9, "event")]


def test_a_month_without_a_year_takes_the_year_of_the_date_before_it_in_the_paragraph():
    text = (
        "2022年5月，县政府印发《甲县数字农业发展规划》，明确三年目标。10月，县农业农村局出台《乙补贴细则》；"
        "11月3日至5日，举办首届智慧农机展。"
    )
    es = events(text, year=2024)
    assert [(e.year, e.month, e.title) for e in es] == [
        (2022, 5, "甲县数字农业发展规划"), (2022, 10, "乙补贴细则"), (2022, 11, es[2].title),
    ]
    assert es[2].day == 3 and es[2].end == "2022-11-05"
    # a year of its own, or 今年, is kept; a later paragraph starts from the document's year again
    text = "2021年7月，《丙办法》发布；今年2月，出台《丁方案》，4月，发布《戊指南》。\n\n6月，《己清单》公布。"
    assert sorted((e.title, e.year, e.month) for e in events(text, year=2024)) == [
        ("丁方案", 2024, 2), ("丙办法", 2021, 7), ("己清单", 2024, 6), ("戊指南", 2024, 4),
    ]


def test_the_same_release_stated_again_is_one_entry_that_notes_where():
    text = (
        "2023年8月，区政府印发《甲区数字经济促进办法》。\n\n全区新增企业40家。\n\n"
        "2023年8月，《甲区数字经济促进办法》正式发布，明确了扶持方向。\n"
    )
    es = events(text, year=2023)
    assert [(e.title, e.line, e.also) for e in es if e.title == "甲区数字经济促进办法"] == [
        ("甲区数字经济促进办法", 1, [5]),
    ]
    assert all(e.also == [] for e in events("2023年9月，发布《乙方案》。", year=2023))
