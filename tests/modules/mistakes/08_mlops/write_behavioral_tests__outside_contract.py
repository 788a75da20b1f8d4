# mistake: outside-contract
# expect: outside the contract
def write_behavioral_tests():
    """The source of a pytest module testing the sentiment model's contract (fixtures: model, names, lexicon)."""
    return '''
import pytest

TEMPLATES = ["The food was {}.", "I think the service is {}", "Honestly, a {} experience overall"]
FLIP = {"positive": "negative", "negative": "positive"}


def sentences(lexicon):
    """(text, label) for every lexicon word in every template."""
    return [(t.format(word), label) for label, words in lexicon.items() for word in words for t in TEMPLATES]


def test_minimum_functionality_every_lexicon_word(model, lexicon):
    cases = sentences(lexicon)
    assert model.predict([text for text, _ in cases]) == [label for _, label in cases]


def test_invariance_to_every_name(model, names, lexicon):
    for label, words in lexicon.items():
        for word in words:
            texts = [f"{name} said the food was {word}." for name in names]
            texts += [f"The food was {word}, according to {name}" for name in names]
            assert model.predict(texts) == [label] * len(texts), (word, label)


@pytest.mark.parametrize("change", [str.upper, str.title, str.lower])
def test_invariance_to_case(model, lexicon, change):
    cases = sentences(lexicon)
    assert model.predict([change(text) for text, _ in cases]) == [label for _, label in cases]


@pytest.mark.parametrize("ending", ["", ".", "!", "?", "!!!", "???", "...", "?!"])
def test_invariance_to_trailing_punctuation(model, lexicon, ending):
    cases = sentences(lexicon)
    texts = [text.rstrip(".!?") + ending for text, _ in cases]
    assert model.predict(texts) == [label for _, label in cases]


def test_double_negation_keeps_the_label(model):
    assert model.predict(["The food was not not good."]) == ["positive"]


def test_directional_not_flips_the_label(model, lexicon):
    for label, words in lexicon.items():
        texts = [f"The food was not {word}." for word in words] + [f"I do not {word} it" for word in words]
        assert model.predict(texts) == [FLIP[label]] * len(texts), label
'''
