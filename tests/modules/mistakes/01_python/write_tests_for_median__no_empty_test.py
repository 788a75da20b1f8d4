# mistake: empty-unchecked
# expect: your tests never check that empty input raises ValueError
def write_tests_for_median():
    return """
def test_values():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert median([2, 1]) == 1.5


def test_unchanged():
    xs = [3, 1, 2]
    median(xs)
    assert xs == [3, 1, 2]
"""
