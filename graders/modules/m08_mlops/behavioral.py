"""write_behavioral_tests: a pytest module of behavioural tests (minimum functionality, invariance,
directional) for a rule-based sentiment model; graded by running it against the correct model and six
sabotaged ones, a point per sabotage caught, nothing while the correct model fails it."""
from __future__ import annotations

import secrets

from graders.engine.judges import incorrect
from graders.engine.spec import Case, Check, Exercise, Mistake

from . import sandbox_behavioral
from .common import per_case

EX = "write_behavioral_tests"
# a per-process secret for the results cache in the scratch directory (see sandbox_behavioral)
NONCE = secrets.token_hex(16)

MODELS = {
    "correct": {},
    "positive_word": {"polarity": {"excellent": "negative"}},
    "negative_word": {"polarity": {"poor": "positive"}},
    "name": {"name": "giulia"},
    "case": {"case_sensitive": True},
    "punctuation": {"whitespace": True},
    "negation": {"ignore_not": True},
}
SABOTAGES = [   # model key, the check's title, what the missing test is
    ("positive_word", "catches a model that mislabels one positive lexicon word",
     "a minimum-functionality test over every positive lexicon word (the fixture `lexicon`), not just one or two"),
    ("negative_word", "catches a model that mislabels one negative lexicon word",
     "a minimum-functionality test over every negative lexicon word, not just one or two"),
    ("name", "catches a model whose answer changes with one of the names",
     "an invariance test that adds each of the 8 names (the fixture `names`) to sentences of both labels"),
    ("case", "catches a model that breaks on upper-case or title-case text",
     "an invariance test that upper-cases and title-cases sentences of both labels"),
    ("punctuation", "catches a model that breaks on a trailing ! or ?",
     "an invariance test that adds trailing '!', '?' (also repeated) to sentences of both labels"),
    ("negation", "catches a model that ignores `not`",
     "a directional test: `not` right before the lexicon word flips the label"),
]

PASSES_EVERYTHING = Mistake("passes-everything", "your tests pass on every sabotaged model too: they assert too "
                            "little (compare model.predict(...) with the labels the contract fixes)")
TOO_FEW = Mistake("too-few-examples", "your tests missed a sabotage that only shows on some lexicon words or some "
                  "names: loop over every word of `lexicon` and every name of `names`")
OUTSIDE = Mistake("outside-contract", "your tests fail on the correct model, so they test behaviour outside the "
                  "contract (contractions, double negation, neutral sentences, two sentiment words) or are wrong: "
                  "no points until the correct model passes them")
MISSED = Mistake("sabotage-missed", "your tests did not catch this sabotaged model")


def _results(case, value):
    """(results by model key, None) or (None, the failure that leaves nothing to judge)."""
    if not isinstance(value, dict) or "results" not in value:
        got = value.get("not_source") if isinstance(value, dict) else type(value).__name__
        return None, incorrect(case, f"write_behavioral_tests must return the source of a pytest module as a str, "
                                     f"not {got}")
    results = value["results"]
    correct = results["correct"]
    if correct["timeout"]:
        return None, incorrect(case, "pytest did not finish within 60 s on the correct model")
    if correct["exit"] == 5:
        return None, incorrect(case, "pytest collected no test: name your test functions test_... at the top "
                                     "level of the module")
    if correct["exit"] not in (0, 1):
        return None, incorrect(case, "your module does not run under pytest (a syntax or import error, an unknown "
                                     f"fixture?):\n{correct['errors']}")
    if correct["exit"] == 1:
        failed = ", ".join(correct["failed"]) or correct["summary"]
        return None, incorrect(case, f"{OUTSIDE.message}. Failing on the correct model: {failed}", OUTSIDE.id)
    return results, None


def _sabotage_judge(key, missing):
    def judge_one(case, value):
        results, failure = _results(case, value)
        if failure:
            return failure
        got = results[key]
        if got["exit"] == 1:
            return None
        if got["timeout"]:
            return incorrect(case, "pytest did not finish within 60 s on a sabotaged model")
        if all(results[k]["exit"] == 0 for k, _, _ in SABOTAGES):
            return incorrect(case, PASSES_EVERYTHING.message, PASSES_EVERYTHING.id)
        if key in ("positive_word", "negative_word", "name"):
            return incorrect(case, f"{TOO_FEW.message}; missing: {missing}", TOO_FEW.id)
        return incorrect(case, f"{MISSED.message}; missing: {missing}", MISSED.id)
    return judge_one


def _passes_correct(case, value):
    return _results(case, value)[1]


def _check(title, points, judge_one, gated=False):
    return Check(title, points, [Case((), {}, "your test module")], per_case(judge_one),
                 probe=sandbox_behavioral.behavioral_probe, probe_args=lambda target, cases: (target, NONCE, MODELS),
                 timeout=90.0, gated=gated)


write_behavioral_tests = Exercise(
    EX,
    skill="ml-testing",
    hints=(
        "Behavioural tests treat the model as a black box and check its contract: minimum functionality (simple "
        "cases it must get right), invariance (changes that must not change the label) and directional "
        "expectations (a change that must flip it). Cover every example the contract names, not a sample.",
        "Build sentences from a few templates and every word of the `lexicon` fixture; check model.predict on them; "
        "then the same sentences with each name of `names` added, upper-cased and title-cased, with trailing "
        "'.', '!', '?' (repeated too), and with `not` right before the word (label flipped).",
        "`cases = [(t.format(w), label) for label, words in lexicon.items() for w in words for t in TEMPLATES]`; "
        "`assert model.predict([t for t, _ in cases]) == [l for _, l in cases]`; return the module as a "
        "triple-quoted string",
    ),
    checks=tuple(_check(title, 1, _sabotage_judge(key, missing)) for key, title, missing in SABOTAGES) + (
        _check("passes on the correct model", 1, _passes_correct, gated=True),
    ),
)
