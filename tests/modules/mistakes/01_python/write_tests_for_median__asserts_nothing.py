# mistake: asserts-nothing
# expect: your tests assert nothing
def write_tests_for_median():
    return """
def test_runs():
    median([3, 1, 2])
    median([4, 1, 3, 2])
"""
