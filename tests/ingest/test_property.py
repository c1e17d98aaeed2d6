from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kjtui.ingest import parse_document

# Text built from the pieces real documents are made of, plus arbitrary characters.
PIECES = st.sampled_from([
    "\n", "\n\n", "# ", "## ", "7.1 ", "一、", "（二）", "» ", "◆ ", "- ", "□ ", "\t", "**", "$", "\\%",
    "亿元", "万户", "家", "%", "余", "超", "近", "约", "截至年底", "全年", "3月", "10月21日", "至",
    "《", "》", "，", "。", "、", "2023年", "第14届", "12", "4.5", "千", "九成", "<li>", "</li>",
    "比上年增长", "发布", "科技", "企业", "１２", "—",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=80).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_parsing_never_raises_and_raw_is_on_its_line(text):
    doc = parse_document(text, source="fuzz.txt", year=2023)
    lines = text.split("\n")
    for m in doc.metrics:
        assert m.raw and m.raw in lines[m.line - 1]
        assert m.normalized == m.value * m.multiplier
    ids = {s.id for s in doc.sections}
    assert len(ids) == len(doc.sections)
    assert all(m.section in ids for m in doc.metrics)
    assert all(e.section in ids and 1 <= e.month <= 12 for e in doc.events)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_every_line_belongs_to_exactly_one_section(text):
    doc = parse_document(text, source="fuzz.txt", year=2023)
    n = len(text.split("\n")) - (1 if text.endswith("\n") or not text else 0)
    covered = sorted(k for s in doc.sections for k in range(s.start, s.end + 1))
    assert covered == list(range(1, n + 1)) or (n == 0 and len(covered) <= 1)
