# mistake: only-odd-lengths
# expect: a median that uses `(lo + hi) // 2` on even-length input passed all your tests
def write_tests_for_median():
    return """
import pytest


def test_values():
    assert median([3, 1, 2]) == 2
    assert median([8, 2, 6, 4]) == 5    # middle values 4 and 6: an even sum, // and / agree here
    assert median([1, 3]) == 2


def test_unchanged():
    xs = [3, 1, 2]
    median(xs)
    assert xs == [3, 1, 2]


def test_empty():
    with pytest.raises(ValueError):
        median([])
"""
