"""Every declared mistake can fire (in the spirit of scikit-learn's estimator_checks).

For every module, each mistake its grader declares (see ``tests/mistake_inventory.py``) must
be hit by an answer of the mistake bank, whose module suite asserts the id is reported, or,
for a variant of a ``returns`` judge, must differ from the reference on one of its check's
cases. ``benchmarks/mistake_coverage.py`` prints the counts per module.

MISSING_BANK_ANSWERS lists, openly, the declared mistakes still waiting for a bank answer.
It can only shrink: a listed mistake that becomes proven (or is no longer declared) fails
the test until it is taken off the list, so the list never goes stale.
"""
from __future__ import annotations

import pytest
from mistake_inventory import bank_ids, coverage, declared, engine_ids, hits, ids_in_source

from graders.engine import registry

MISSING_BANK_ANSWERS: dict[str, set[str]] = {
    "02_math": set(),
    "03_algorithms": set(),
    "04_features": set(),
    "05_evaluation": set(),
    "06_deep_learning": set(),
    "08_mlops": {"slow-requests"},   # a bank answer slow enough under any load outlasts the check's time limit
    "09_nlp": set(),
    # the wall-clock runaway guard of train_cartpole: a bank answer would wait out the whole 140 s cap;
    # tests/modules/test_m11_rl.py proves it at a time scale of 0.05
    "11_rl": {"too-slow"},
}


@pytest.fixture(scope="module", params=registry.module_ids())
def covered(request):
    return request.param, coverage(request.param)


def test_every_declared_mistake_is_proven_or_waits_openly_for_a_bank_answer(covered):
    module, c = covered
    waiting = MISSING_BANK_ANSWERS.get(module, set())
    print(f"{module}: {len(c['declared'])} declared, {len(c['bank'])} hit by the bank, {len(c['variant'])} "
          f"variants proven, {len(c['unproven'])} waiting for a bank answer")
    unlisted = sorted(c["unproven"] - waiting)
    assert not unlisted, (f"{module}: declared mistakes no bank answer hits and no case can show: {unlisted} "
                          f"(first declared at {[c['declared'][i] for i in unlisted]}); add an answer to "
                          f"tests/modules/mistakes/{module}/ with `# mistake: <id>`")
    stale = sorted(waiting - c["unproven"])
    assert not stale, (f"{module}: {stale} are proven now (or no longer declared): take them off "
                       "MISSING_BANK_ANSWERS")


def test_no_variant_is_indistinguishable_from_the_reference(covered):
    module, c = covered
    assert not c["never"], (f"{module}: these variant mistakes equal the reference (or an earlier mistake) on "
                            f"every case of their checks, so they can never be named: {sorted(c['never'])}. "
                            "Add a case that tells them apart, or remove them.")


@pytest.mark.parametrize("module", registry.module_ids())
def test_bank_answers_name_mistakes_the_grader_declares(module):
    known = engine_ids()
    ids = declared(module)
    unknown = sorted(i for i in bank_ids(module) if i not in known and not any(hits(d, {i}) for d in ids))
    assert not unknown, f"{module}: bank answers name mistakes no grader declares (typo, or removed?): {unknown}"


def test_the_inventory_reads_every_form_of_declaration(tmp_path):
    (tmp_path / "judge.py").write_text(
        'A = Mistake("by-object", "a message")\n'
        'def judge(case, lib):\n'
        '    Failure(Status.INCORRECT, "a message", "by-failure")\n'
        '    incorrect(case, "a message", mistake="by-keyword")\n'
        '    incorrect(case, "a message", f"{lib}-not-seeded")\n'
        'TABLE = [("by-table", "a message long enough to be a message", 3), ("not an id", "x")]\n'
        'Exercise("x", skill="not-a-mistake")\n')
    found = set(ids_in_source(tmp_path))
    assert found == {"by-object", "by-failure", "by-keyword", "{}-not-seeded", "by-table"}
    assert hits("{}-not-seeded", {"numpy-not-seeded"}) and not hits("{}-not-seeded", {"not-seeded"})
