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
