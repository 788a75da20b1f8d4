TESTS = '''
import pytest


class TestMedian:
    @pytest.mark.parametrize("xs, expected", [
        ([5], 5), ([2, 9, 4], 4), ((7.5, 1.5, 3.0), 3.0),
        ([8, 2], 5), ([1, 4, 2, 3], 2.5), ([0, 0, 1, 2], 0.5),
    ])
    def test_value(self, xs, expected):
        assert median(xs) == expected

    def test_does_not_sort_the_callers_list(self):
        data = [9, 8, 7, 1]
        median(data)
        assert data == [9, 8, 7, 1]

    def test_empty_raises(self):
        with pytest.raises(ValueError):
            median(())
        with pytest.raises(ValueError):
            median([])
'''


def write_tests_for_median():
    return TESTS
