"""blocks.number_end reads by hand what metrics.NUMBER matches: they must agree on every form."""

import itertools
import random

from kjtui.ingest.blocks import canonical, number_end
from kjtui.ingest.metrics import NUMBER


def _agree(text: str) -> None:
    m = NUMBER.match(text)
    assert m is not None and number_end(text) == m.end(), text


def test_number_end_agrees_with_number_on_every_short_form() -> None:
    pieces = ["1", "12", "123", "1234", ",", ".", "5", "万", " ", "%", ",1", ",12", ",123", ",1234", ".5"]
    for n in range(1, 5):
        for combo in itertools.product(pieces, repeat=n):
            text = "7" + "".join(combo)
            _agree(text)


def test_number_end_agrees_with_number_on_random_texts() -> None:
    rng = random.Random(7)
    alphabet = "0123456789,,..亿元% \u3000"
    for _ in range(20000):
        text = rng.choice("0123456789") + "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        _agree(text)


def test_canonical_forms() -> None:
    assert canonical("$49.99\\%$") == "**49.99**%"
    assert canonical("**376.55亿元**") == "**376.55**亿元"
    assert canonical("1,234,567.8 万元") == "**1,234,567.8**万元"
    assert canonical("1,2345家") == "**1,234**5家"
