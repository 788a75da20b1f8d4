# mistake: defines-median
# expect: your test module defines its own `median`
def write_tests_for_median():
    return """
import statistics

import pytest


def median(xs):
    return statistics.median(xs)


def test_values():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5


def test_empty():
    with pytest.raises(statistics.StatisticsError):
        median([])
"""
