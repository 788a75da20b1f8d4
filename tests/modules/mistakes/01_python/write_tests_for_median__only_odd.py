# mistake: only-odd-lengths
# expect: your tests never tell the two middle values of an even-length input apart
def write_tests_for_median():
    return """
import pytest


def test_odd():
    assert median([3, 1, 2]) == 2
    assert median([5, 9, 1, 7, 3]) == 5


def test_unchanged():
    xs = [3, 1, 2]
    median(xs)
    assert xs == [3, 1, 2]


def test_empty():
    with pytest.raises(ValueError):
        median([])
"""
