# mistake: catches-nothing
# expect: test unsorted inputs
def write_tests_for_median():
    return """
import pytest


def test_values():
    assert median([1, 2, 3]) == 2
    assert median([1, 2, 3, 4]) == 2.5


def test_unchanged():
    xs = [1, 2, 3]
    median(xs)
    assert xs == [1, 2, 3]


def test_empty():
    with pytest.raises(ValueError):
        median([])
"""
