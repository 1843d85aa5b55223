"""Counts in words: the word agrees with the number."""

from mstracker.ui.core.words import counted


def test_counted():
    assert counted(1, "entry") == "1 entry"
    assert counted(0, "entry") == "0 entries"
    assert counted(2, "day") == "2 days"
    assert counted(3, "patient") == "3 patients"
    assert counted(2, "child", "children") == "2 children"
