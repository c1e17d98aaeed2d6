"""The records' to_dict(): written out field by field for speed, so checked against fields()."""

from dataclasses import fields

import pytest

from kjtui.model import Block, Document, Event, Metric, Section


def _filled(cls):
    """An instance whose every field holds a value of its own, to catch a swapped pair."""
    values = {}
    for k, f in enumerate(fields(cls)):
        values[f.name] = [Block("para", "x", 1, 1)] if f.name == "blocks" else (
            [k] if f.name == "also" else {"k": str(k)} if f.name == "meta" else
            [str(k)] if f.name == "notes" else f"v{k}")
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
