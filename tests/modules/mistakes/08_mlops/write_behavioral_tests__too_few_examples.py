# mistake: too-few-examples
# expect: loop over every word
def write_behavioral_tests():
    return """
def test_minimum_functionality(model):
    assert model.predict(["The food was good.", "It was great", "The food was bad.", "It was terrible"]) == \\
        ["positive", "positive", "negative", "negative"]


def test_invariance_to_a_name(model):
    assert model.predict(["Alice said the food was good.", "Alice said the food was bad."]) == ["positive", "negative"]


def test_invariance_to_case(model):
    assert model.predict(["THE FOOD WAS GOOD.", "The Food Was Bad."]) == ["positive", "negative"]


def test_invariance_to_punctuation(model):
    assert model.predict(["The food was good!!!", "The food was bad?", "The food was bad"]) == ["positive", "negative", "negative"]


def test_not_flips(model):
    assert model.predict(["The food was not good.", "The food was not bad."]) == ["negative", "positive"]
"""
