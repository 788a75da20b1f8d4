# mistake: fails-on-correct
# expect: your tests fail on a correct median
def write_tests_for_median():
    return """
import pytest


def test_even_is_upper_middle():
    assert median([4, 1, 3, 2]) == 3


def test_empty():
    with pytest.raises(ValueError):
        median([])
"""
