"""kjtui.forked: two calls at once, the second in a forked child; the same results either way."""

import dataclasses
import os

import pytest

from kjtui import forked
from kjtui.ingest import SPLIT_AT, parse_document

needs_fork = pytest.mark.skipif(not forked.usable(), reason="needs fork and two cores")


@needs_fork
def test_the_second_call_runs_in_a_child_and_its_result_comes_back():
    parent = os.getpid()
    first, second = forked.both(lambda: ("a", os.getpid()), lambda: ("b", os.getpid(), [1.5, None]))
    assert first == ("a", parent)
    assert second[0] == "b" and second[1] != parent and second[2] == [1.5, None]


def test_a_child_that_fails_leaves_the_call_to_the_parent():
    parent = os.getpid()

    def second():
        if os.getpid() != parent:
            os._exit(3)  # the child dies without a result
        return "done"

    assert forked.both(lambda: 1, second) == (1, "done")


def test_an_error_in_the_second_call_reaches_the_caller():
    def boom():
        raise ValueError("bad")

    with pytest.raises(ValueError):
        forked.both(lambda: 1, boom)


def test_a_long_text_parsed_in_two_halves_gives_what_one_pass_gives():
    block = (
        "# 一、科技创新\n\n全市新增高新技术企业1200家，同比增长12.5%。截至年底，研发投入达到45.6亿元。\n\n"
        "| 指标 | 数值 |\n| --- | --- |\n| 专利授权 | 3,456件 |\n\n"
        "3月，市科委印发《某某办法》。\n\n- 技术合同成交额：89亿元\n\n"
    )
    text = block * (SPLIT_AT // len(block) + 2)

    def snapshot(parsed):
        return [dataclasses.astuple(x) for x in (parsed.document, *parsed.sections, *parsed.metrics, *parsed.events)]

    whole = snapshot(parse_document(text, source="long.md", year=2024, layout=False))
    halves = snapshot(parse_document(text, source="long.md", year=2024, layout=False, both=forked.both))
    assert halves == whole and len(whole) > 1000
