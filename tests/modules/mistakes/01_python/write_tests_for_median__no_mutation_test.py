# mistake: input-mutation-unchecked
# expect: your tests never check that median leaves its input unmodified
def write_tests_for_median():
    return """
import pytest


def test_values():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert median([2, 1]) == 1.5


def test_empty():
    with pytest.raises(ValueError):
        median([])
"""
