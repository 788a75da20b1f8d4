# mistake: no-tests
# expect: pytest collected no tests
def write_tests_for_median():
    return """
def check_median():
    assert median([3, 1, 2]) == 2
"""
