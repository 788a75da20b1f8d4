# expect: must return the test module's source as a str
def write_tests_for_median():
    return ["def test_a():\n    assert median([3, 1, 2]) == 2\n"]
