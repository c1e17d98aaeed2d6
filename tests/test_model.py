"""The records' to_dict(): written out field by field for speed, so checked against fields()."""

from dataclasses import fields

import pytest

from kjtui.model import Block, Document, Event, Metric, Section


_INTS = {"year", "level", "line", "start", "end", "order", "body_line", "month", "day"}
_FLOATS = {"value", "multiplier", "normalized"}


def _filled(cls):
    """An instance whose every field holds a value of its own, to catch a swapped pair (each of
    its declared type: compiled with mypyc, the records check the types they are given)."""
    values = {}
    for k, f in enumerate(fields(cls)):
        if f.name == "blocks":
            value = [Block("para", "x", 1, 1)]
        elif f.name == "also":
            value = [k]
        elif f.name == "meta":
            value = {"k": str(k)}
        elif f.name == "notes":
            value = [str(k)]
        elif f.name in _INTS and not (cls is Event and f.name == "end"):  # an event's end is a date
            value = 100 + k
        elif f.name in _FLOATS:
            value = k + 0.5
        else:
            value = f"v{k}"
        values[f.name] = value
    return cls(**values)


@pytest.mark.parametrize("cls", [Document, Section, Metric, Event])
def test_to_dict_names_every_field_in_order(cls):
    record = _filled(cls)
    data = record.to_dict()
    assert list(data) == [f.name for f in fields(cls)]
    for f in fields(cls):
        expected = getattr(record, f.name)
        if f.name == "blocks":
            expected = [b.to_row() for b in expected]
        assert data[f.name] == expected, f.name
