import pytest

from kjtui.ingest.clean import DecodeError, decode, strip_markup


def test_utf8_and_bom():
    assert decode("科技".encode("utf-8")) == ("科技", [])
    assert decode(b"\xef\xbb\xbf" + "科技".encode("utf-8"))[0] == "科技"


def test_gbk_is_decoded_with_a_note():
    text, notes = decode("上海科技进步报告".encode("gbk"))
    assert text == "上海科技进步报告" and "GB18030" in notes[0]


def test_binary_is_refused():
    with pytest.raises(DecodeError):
        decode(b"abc\x00def")
    with pytest.raises(DecodeError):
        decode(bytes(range(1, 32)) * 50)


def test_crlf_becomes_lf():
    assert decode("a\r\nb\rc".encode())[0] == "a\nb\nc"


def test_strip_markup_maps_back_to_source_columns():
    line = "金额**376.55亿元**与$49.99\\%$"
    clean = strip_markup(line, 7)
    assert clean.text == "金额376.55亿元与49.99%"
    start = clean.text.index("49")
    ln, a, b = clean.span_origin(start, len(clean.text))
    assert ln == 7 and line[a:b] == "49.99\\%"


def test_a_bold_only_line_maps_every_figure_back_to_its_raw_text():
    line = "  新增**１２**家，***全年**投入3.5亿元，**"
    clean = strip_markup(line, 4, 10)
    assert clean.text == "  新增12家，*全年投入3.5亿元，"
    for figure, raw in (("12", "１２"), ("3.5亿元", "3.5亿元"), ("*全年", "*全年")):
        start = clean.text.index(figure)
        ln, a, b = clean.span_origin(start, start + len(figure))
        assert ln == 4 and line[a - 10:b - 10] == raw
    assert strip_markup("无标记的一行", 2).segments == [(0, 2, 0)]
