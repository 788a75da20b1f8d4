# mistake: passes-everything
# expect: pass on every sabotaged model
def write_behavioral_tests():
    return """
def test_model_answers(model, lexicon):
    labels = model.predict(["The food was good.", "The food was bad."])
    assert len(labels) == 2
    assert all(label in ("positive", "negative") for label in labels)
"""
