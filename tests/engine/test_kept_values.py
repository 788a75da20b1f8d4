"""An oracle's outputs kept between grading runs (engine/kept_values.py): computed once per input and recipe,
returned exactly after that, computed again for new inputs, a new library version or a broken file."""
from __future__ import annotations

import numpy as np

from graders.engine import kept_values


class Oracle:
    """Counts its calls; returns floats and arrays that must come back bit for bit."""

    def __init__(self):
        self.calls = 0

    def __call__(self, x, scale=1.0):
        self.calls += 1
        x = np.asarray(x, dtype=np.float64)
        return float(np.log1p(x).sum() * scale), np.exp(x) * scale


def oracle_of(counter: Oracle):
    def oracle(x, scale=1.0):               # a function of this file: its source is part of the recipe
        return counter(x, scale)
    return oracle


def run(counter, *args, name="m-oracle", **kwargs):
    """A grading process's first call: a fresh wrapper, as a new process would make."""
    return kept_values.kept_oracle(oracle_of(counter), name, ("numpy",))(*args, **kwargs)


def same(a, b) -> bool:
    return a[0] == b[0] and a[1].dtype == b[1].dtype and a[1].tobytes() == b[1].tobytes()


def test_an_output_is_computed_once_per_input_and_kept_exactly(home):
    counter = Oracle()
    x = np.random.default_rng(0).normal(size=(3, 4)) ** 2
    first = run(counter, x)
    again = run(counter, x.copy())                       # another process, the same input: no call
    assert counter.calls == 1 and same(first, again)
    assert same(run(counter, x, scale=2.0), counter(x, scale=2.0))      # another keyword: computed
    assert counter.calls == 3
    run(counter, x.astype(np.float32))                    # the same values in another dtype: computed
    run(counter, x.reshape(4, 3))                         # the same bytes in another shape: computed
    assert counter.calls == 5
    assert len(list((home / kept_values.FOLDER).iterdir())) == 1


def test_a_new_library_version_computes_afresh_and_drops_the_old_table(home, monkeypatch):
    counter = Oracle()
    run(counter, [1.0, 2.0])
    monkeypatch.setattr(kept_values, "_version", lambda dist: "999.0")
    run(counter, [1.0, 2.0])
    assert counter.calls == 2
    assert len(list((home / kept_values.FOLDER).iterdir())) == 1
    run(counter, [1.0, 2.0], name="m-oracle-2")          # another oracle whose name starts with the first's
    run(counter, [1.0, 2.0])
    assert counter.calls == 3 and len(list((home / kept_values.FOLDER).iterdir())) == 2


def test_a_broken_table_only_means_computing(home):
    counter = Oracle()
    run(counter, [1.0])
    (table,) = (home / kept_values.FOLDER).iterdir()
    table.write_bytes(b"not a pickle")
    assert same(run(counter, [1.0]), counter([1.0])) and counter.calls == 3
    run(counter, [1.0])                                   # the table was written anew
    assert counter.calls == 3


def test_a_home_that_cannot_be_written_only_means_computing(unwritable_home):
    counter = Oracle()
    assert same(run(counter, [5.0]), counter([5.0]))
    run(counter, [5.0])
    assert counter.calls == 3


def test_arguments_pickle_cannot_write_go_straight_to_the_oracle(home):
    calls = []

    def oracle(f):
        calls.append(f)
        return f(2)

    kept = kept_values.kept_oracle(oracle, "m-lambda")
    assert kept(lambda v: v + 1) == 3 and kept(lambda v: v + 1) == 3 and len(calls) == 2
    assert kept.oracle is oracle

    def first(items):
        calls.append(items)
        return items[0]

    cyclic = [1]
    cyclic.append(cyclic)
    kept = kept_values.kept_oracle(first, "m-cyclic")
    assert kept(cyclic) == 1 and kept(cyclic) == 1 and len(calls) == 4    # no key without pickle's memo


def test_the_same_values_get_the_same_key_whether_or_not_two_arguments_share_an_array(home):
    """Drawn cases may share one array between two arguments where the same cases read back from the case
    cache hold two copies (05's cross-validation factories): pickle's memo would key them apart."""
    counter = Oracle()
    x = np.arange(6.0)
    first = kept_values.kept_oracle(oracle_of(counter), "m-oracle", ("numpy",))
    shared = first([x, x])
    assert counter.calls == 1
    again = run(counter, [x, x.copy()])                   # another process, two copies of the same values
    assert counter.calls == 1 and same(shared, again)


def test_a_caller_that_changes_its_output_changes_nothing_kept(home):
    counter = Oracle()
    first = run(counter, [1.0, 2.0])
    first[1][:] = 0.0                                     # a judge writing into the expected array
    kept = kept_values.kept_oracle(oracle_of(counter), "m-oracle", ("numpy",))
    again = kept([1.0, 2.0])
    again[1][:] = -1.0
    assert same(kept([1.0, 2.0]), counter([1.0, 2.0])) and same(run(counter, [1.0, 2.0]), counter([1.0, 2.0]))
    assert counter.calls == 3                             # the two direct calls above; the rest were kept


def test_keep_outputs_runs_each_kept_oracle_on_the_cases_its_judge_judges_only(home):
    from types import SimpleNamespace

    from graders.engine.spec import Case

    counter, other = Oracle(), Oracle()
    kept = kept_values.kept_oracle(oracle_of(counter), "m-oracle", ("numpy",))
    made = []

    def judge(cases, observations):
        return None

    def check(judged_by, *xs):
        def materialize():
            made.append(xs)
            return [Case(([x],), {}, "") for x in xs]
        return SimpleNamespace(judge=judged_by, materialize=materialize)

    module = SimpleNamespace(exercises=[SimpleNamespace(checks=[check(judge, 1.0, 2.0), check(other, 9.0)]),
                                        SimpleNamespace(checks=[check(judge, 3.0)])])
    assert kept_values.keep_outputs(module, {judge: kept}) == 3
    assert counter.calls == 3 and other.calls == 0
    # every check's cases are made, the other judge's too: a case maker may keep what it computes (03's data)
    assert made == [(1.0, 2.0), (9.0,), (3.0,)]
    made.clear()
    run(counter, [2.0])                                   # a grading process finds it kept
    assert counter.calls == 3
    # a judge that calls its oracle with more than the case's arguments says with what
    assert kept_values.keep_outputs(module, {judge: (kept, lambda case: (*case.args, 5.0))}) == 3
    assert counter.calls == 6 and len(made) == 3
    run(counter, [3.0], 5.0)
    assert counter.calls == 6


def test_keep_outputs_finds_the_kept_oracle_of_a_returns_judge_by_itself(home):
    from types import SimpleNamespace

    from graders.engine.judges import returns
    from graders.engine.spec import Case

    counter, plain = Oracle(), Oracle()
    kept = kept_values.kept_oracle(oracle_of(counter), "m-oracle", ("numpy",))
    cases = [Case(([x],), {}, "") for x in (1.0, 2.0)]
    module = SimpleNamespace(exercises=[SimpleNamespace(checks=[
        SimpleNamespace(judge=returns(kept), materialize=lambda: cases),
        SimpleNamespace(judge=returns(oracle_of(plain)), materialize=lambda: cases)])])   # nothing kept: not called
    assert kept_values.keep_outputs(module) == 2
    assert counter.calls == 2 and plain.calls == 0
    run(counter, [2.0])
    assert counter.calls == 2                             # a grading process finds it kept


def test_torch_networks_and_tensors_are_keyed_by_their_values(home):
    """torch pickles a tensor's storage under its memory address: the same network built again (as the next
    grading process builds its cases) must find its output kept, and a changed weight, dtype or grad flag not."""
    import torch

    calls = []

    def oracle(net, x):
        calls.append(1)
        return net(x).detach()

    def build(seed=0):
        torch.manual_seed(seed)
        net = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU())
        return net, torch.arange(6, dtype=torch.float64).reshape(2, 3).float()

    def kept(*args):        # a fresh wrapper each time, as each grading process makes
        return kept_values.kept_oracle(oracle, "m-torch", ("torch",))(*args)

    first = kept(*build())
    assert torch.equal(kept(*build()), first) and len(calls) == 1
    net, x = build()
    with torch.no_grad():
        net[0].weight[0, 0] += 1e-6
    kept(net, x)
    kept(*build(seed=1))
    kept(build()[0], x.clone().requires_grad_(True))
    net, x = build()
    kept(net.double(), x.double())
    assert len(calls) == 5
