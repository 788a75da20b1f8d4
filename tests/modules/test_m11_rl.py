"""11_rl graders: reference, stub, the bank of mistakes and the correct alternatives, plus the module's own
promises: every syllabus catch banked, trivial answers score 0, oracles that agree with Gymnasium and torch,
a trap MDP whose fixed points tell the slips apart, a training budget counted in steps."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
from banks import ModuleGraderSuite, bank, describe, solution_notebook, submission
from mistake_inventory import coverage

from graders.engine.paths import EXERCISES
from graders.engine.registry import load

MODULE = "11_rl"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


SYLLABUS_CATCHES = {   # every "catch" of the syllabus, by the id the grader names it with
    "discounted_returns": {"no-reset", "bootstrap-not-masked", "trace-not-cut", "last-value-after-done",
                           "lam-on-residual"},
    "policy_evaluation": {"bootstraps-terminal", "first-outcome-only", "fixed-iterations", "mean-change",
                          "max-over-states"},
    "q_update": {"bootstraps-terminal", "zero-bootstrap-on-truncation", "sarsa-target", "no-reset-after-truncation"},
    "epsilon_greedy": {"greedy-excluded", "ties-to-first", "global-rng", "not-clamped"},
    "ReplayBuffer": {"sampled-empty-slots", "evicts-newest", "grows-past-capacity", "fields-mixed",
                     "stores-references", "seed-ignored"},
    "gaussian_log_likelihood": {"log-std-as-std", "missing-log-2pi", "no-sum", "sum-over-batch"},
    "ppo_clip_loss": {"no-min", "objective-not-loss", "ratio-division", "grad-into-old", "clip-ratio-ignored"},
    "EpisodeStats": {"truncation-ignored", "counters-not-reset", "reported-early", "seeds-not-passed",
                     "runs-past-time-limit"},
    "train_cartpole": {"loss-sign", "never-learns", "private-env", "budget-exceeded"},
}


def test_every_syllabus_catch_is_in_the_bank():
    banked = {(e.exercise, e.mistake) for e in bank(MODULE, "mistakes")}
    missing = sorted((ex, m) for ex, ids in SYLLABUS_CATCHES.items() for m in ids if (ex, m) not in banked)
    assert not missing, missing


def test_every_named_mistake_has_a_bank_answer():
    """Each id the module's graders can name is hit by the bank (the shared inventory of
    tests/engine/test_mistakes_fire.py), except the wall-clock runaway guard, tested below with a shortened
    time scale (a bank answer would wait out the whole cap)."""
    assert coverage(MODULE)["unproven"] == {"too-slow"}


def test_every_syllabus_name_has_its_signature():
    ns = _reference_namespace()
    wanted = {
        "discounted_returns": "(rewards, dones, gamma)",
        "gae": "(rewards, values, dones, last_value, gamma=0.99, lam=0.95)",
        "policy_evaluation": "(P, policy, gamma, theta=1e-10)", "value_iteration": "(P, gamma, theta=1e-10)",
        "q_update": "(Q, s, a, r, s_next, terminated, alpha, gamma)",
        "q_learning": "(env, n_episodes=500, alpha=0.5, gamma=1.0, epsilon=0.1, seed=0)",
        "epsilon_greedy": "(q_values, epsilon, rng)", "linear_epsilon": "(step, start, end, decay_steps)",
        "ReplayBuffer": "(capacity, obs_shape, seed=0)", "gaussian_log_likelihood": "(x, mu, log_std)",
        "ppo_clip_loss": "(logp, logp_old, adv, clip_ratio=0.2)", "EpisodeStats": "(env)",
        "evaluate_policy": "(env, policy, n_episodes, seed=0)", "train_cartpole": "(env, seed=0)",
    }
    for name, signature in wanted.items():
        assert str(inspect.signature(ns[name])) == signature, name
    for method in ("add", "sample", "__len__"):
        assert callable(getattr(ns["ReplayBuffer"], method))


# ------------------------------------------------------------------ no points without the work
TRIVIAL = {"none": "return None", "identity": "return {first}", "zero": "return 0", "zeros": "return {zeros}",
           "prints": "print('working on it')", "self": "return {me}"}


def _trivial_cell(stub: str, kind: str) -> str:
    """The stub with every function and method body replaced by a trivial one (same names and signatures)."""
    tree = ast.parse(stub)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            params = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
            inside_class = params[:1] == ["self"]
            if inside_class and node.name == "__init__":
                node.body = ast.parse("pass" if "gym.Wrapper" not in stub else "super().__init__(env)").body
                continue
            args = params[1:] if inside_class else params
            first = args[0] if args else ("self" if inside_class else "None")
            zeros = f"np.zeros_like(np.asarray({first}, dtype=float)) if isinstance({first}, np.ndarray) else " \
                    f"(torch.zeros_like({first}) if isinstance({first}, torch.Tensor) else 0.0)"
            me = "self" if inside_class else first
            node.body = ast.parse(TRIVIAL[kind].format(first=first, zeros=zeros, me=me)).body
    return ast.unparse(tree)


@pytest.mark.parametrize("kind", sorted(TRIVIAL))
def test_trivial_answers_score_zero_on_every_exercise(grader, kind):
    released = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nbformat.read(
        EXERCISES / f"{MODULE}.ipynb", as_version=4).cells if c.metadata.get("nbgrader", {}).get("solution")}
    answers = {gid: _trivial_cell(src, kind) for gid, src in released.items()}
    result = grader.grade(submission(MODULE, answers))
    assert result.error is None, result.error
    for ex in result.exercises:
        assert ex.points == 0, f"{kind}: {ex.id} earned {ex.points}\n{answers[ex.id]}\n{describe(ex)}"


# ------------------------------------------------------------------ the module's own promises
def test_dp_oracles_are_exact_and_the_synthetic_mdps_catch_terminal_bootstrapping():
    from graders.modules.m11_rl import dp

    for case in dp._eval_cases():
        P, policy, gamma = case.args
        V = dp.evaluate_exact(P, policy, gamma)
        T, R = dp.arrays(P)
        assert np.allclose(V, (policy * (R + gamma * T @ V)).sum(axis=1), atol=1e-10), "a fixed point of the backup"
        if "synthetic" in case.label or "Cliff" in case.label:
            assert not np.allclose(V, dp.evaluate_exact(P, policy, gamma, bootstrap_terminal=True), atol=1e-3)
    for case in dp._vi_cases([(dp.FL4, 0.99), (dp.CLIFF, 0.95)]):
        V, Q = dp.optimal_exact(*case.args)
        assert np.allclose(V, Q.max(axis=1), atol=1e-10), "Bellman optimality holds"
    # the stopping-rule traps: max-change stopping passes them, the slips do not
    for trap, bad in ((dp.MEAN_TRAP, "mean"), (dp.COUNT_TRAP, "count")):
        _, n_s, reward, gamma = trap
        P = dp.slow_chain(n_s, reward)
        exact = dp.evaluate_exact(P, dp.uniform(P), gamma)
        for rule, sweeps in (("max", None), (bad, 1000)):
            V, k = np.zeros(n_s), 0
            while True:
                new = _backup(P, V, gamma)
                change = np.abs(new - V)
                V, k = new, k + 1
                if (rule == "max" and change.max() < 1e-10) or (rule == "mean" and change.mean() < 1e-10) \
                        or (rule == "count" and k == sweeps):
                    break
            close = np.allclose(V, exact, rtol=1e-6, atol=1e-6)
            assert close == (rule == "max"), (trap[0], rule)


def _backup(P, V, gamma):
    from graders.modules.m11_rl import dp

    T, R = dp.arrays(P)
    return (dp.uniform(P) * (R + gamma * T @ V)).sum(axis=1)


def test_trap_env_fixed_points_tell_the_slips_apart_and_the_reference_reaches_the_right_one():
    from graders.modules.m11_rl import td
    from graders.modules.m11_rl.helpers import make_trap_env

    points = {name: td.trap_fixed_point(**switches)[:6] for name, switches in (
        ("right", {}), ("boot", {"boot_terminal": True}), ("zero", {"zero_truncated": True}),
        ("both", {"boot_terminal": True, "zero_truncated": True}), ("sarsa", {"sarsa_uniform": True}))}
    names = sorted(points)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert np.abs(points[a] - points[b]).max() > 0.5, (a, b)
    ns = _reference_namespace()
    Q = ns["q_learning"](make_trap_env(), **td.TRAP_KWARGS)
    assert np.abs(Q[:6] - points["right"]).max() < 1e-6


def _reference_namespace():
    ns: dict = {}
    for cell in solution_notebook(MODULE).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("solution") or "setup" in cell.metadata.get("tags", [])):
            exec(cell.source, ns)  # noqa: S102 - the reference notebook's own cells, run as the learner would
    return ns


def test_recorder_refuses_a_step_after_the_end_and_logs_seeds():
    import gymnasium as gym

    from graders.modules.m11_rl.helpers import EpisodeOver, Recorder

    env = Recorder(gym.make("CartPole-v1", max_episode_steps=3))
    env.reset(seed=4)
    for _ in range(3):
        *_, truncated, _ = env.step(0)
    assert truncated
    with pytest.raises(EpisodeOver):
        env.step(0)
    env.reset()
    assert env.log()["reset_seeds"] == [4, None] and env.log()["after"] == "truncated" and env.log()["lengths"] == [3]


def test_step_budget_and_cartpole_guard():
    import gymnasium as gym

    from graders.modules.m11_rl import helpers

    env = helpers.StepBudget(gym.make("CartPole-v1"), budget=5)
    env.reset(seed=0)
    helpers.arm_guard(env.unwrapped)
    try:
        for _ in range(5):
            env.step(0) if not env._over else env.reset()
        with pytest.raises(helpers.StepBudgetExceeded):
            env.step(0)
        with pytest.raises(helpers.PrivateEnv):
            gym.make("CartPole-v1")
        assert helpers.disarm_guard() == 1
        other = gym.make("CartPole-v1")          # disarmed: any CartPole works again
        other.reset(seed=0)
        other.step(0)
    finally:
        helpers.disarm_guard()


def test_episode_stats_oracle_reports_the_ends_it_should():
    from graders.modules.m11_rl import episodes

    for name, kind in (("truncation", "truncated"), ("termination", "terminated")):
        steps = episodes.oracle_steps(episodes.MAX_STEPS, episodes.SCENARIOS[name][1])
        ends = [s for s in steps if "reset" not in s and (s["terminated"] or s["truncated"])]
        assert len(ends) == 3 and all(s[kind] and s["episode"] is not None for s in ends), name
        assert all(s["episode"] is None for s in steps if "reset" in s or not (s["terminated"] or s["truncated"]))
    returns = episodes.evaluate_ref(45, "sign", 6, 100)
    assert (returns == 45).any() and (returns < 45).any(), "some evaluation episodes truncated, some terminated"


def test_torch_oracles_agree_with_their_formulas():
    from graders.modules.m11_rl import losses
    from graders.modules.m11_rl.sandbox_probes import as_tensors

    for case in losses._gauss_cases():
        x, mu, log_std = as_tensors(*case.args[0])
        assert torch.allclose(losses.gaussian_ref(x, mu, log_std), losses._log_density(x, mu, log_std))
    for case in losses._ppo_cases("value"):
        ((logp, logp_old, adv), dtype), kwargs = case.args
        eps = kwargs.get("clip_ratio", 0.2)
        ratio = np.exp(logp.astype(float) - logp_old)
        assert not np.any(np.isclose(ratio, 1 - eps, atol=1e-3) | np.isclose(ratio, 1 + eps, atol=1e-3))
        manual = -np.mean(np.minimum(ratio * adv, np.clip(ratio, 1 - eps, 1 + eps) * adv))
        got = losses.ppo_ref(*as_tensors((logp, logp_old, adv), dtype), **kwargs)
        assert np.isclose(float(got), manual, rtol=1e-5)


def test_grading_an_untouched_notebook_does_not_import_torch_in_the_grading_process():
    import subprocess
    import sys

    code = ("import sys; from graders.engine.registry import load; m = load('11_rl'); "
            "[c.materialize() for e in m.exercises for c in e.checks]; print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[2])
    assert out.stdout.strip() == "False"


def test_a_runaway_training_is_stopped_by_the_wall_clock_cap_and_named():
    """The cap is the check's timeout times the time scale: 0.05 here, so the test waits seconds, not minutes."""
    from graders.engine.runner import Grader

    endless = "def train_cartpole(env, seed=0):\n    while True:\n        pass\n"
    with Grader(time_scale=0.05) as short:
        result = short.grade(submission(MODULE, {"train_cartpole": endless}), only=["train_cartpole"])
    (ex,) = result.exercises
    assert ex.points == 0 and "too-slow" in ex.mistakes, describe(ex)


def test_epsilon_greedy_draws_enough_to_catch_every_slip_in_some_case():
    """The draw count only buys power (a right answer leaves the 5-standard-error band with a probability that
    does not depend on it), so it is cut to what the slips need: each named slip, a halved epsilon, no
    exploration and exploration that never reaches the last action must be caught, in at least one case, with
    probability above 1 - 1e-9 (normal approximation of each count; an action of probability 0 or 1 in the
    right distribution catches a slip that moves it for certain)."""
    from scipy import stats

    from graders.modules.m11_rl.exploration import BAND, SLIPS, _distinct_cases, _tie_cases, probabilities

    def short_of_last(q, epsilon):
        p = probabilities(q, epsilon) - epsilon / len(q)
        p[:-1] += epsilon / (len(q) - 1)
        return p

    slips = [lambda q, e, sw=sw: probabilities(q, e, **sw) for sw, _, _ in SLIPS] + [
        lambda q, e: probabilities(q, e / 2), lambda q, e: probabilities(q, 0.0), short_of_last,
        lambda q, e: probabilities(q, 0.8 * e)]     # no slip by name: what the count keeps in reserve
    for slip in slips:
        best = 1.0
        for case in _distinct_cases() + _tie_cases():
            q, epsilon, _, n = case.args
            right, wrong = probabilities(q, epsilon), slip(q, epsilon)
            for p, w in zip(right, wrong):
                if np.isclose(p, w):
                    continue
                if p in (0.0, 1.0):
                    best = 0.0                         # a count the right answer pins exactly: moved for certain
                    continue
                se, spread = BAND * np.sqrt(n * p * (1 - p)), max(np.sqrt(n * w * (1 - w)), 1e-12)
                miss = stats.norm.cdf((n * p + se - n * w) / spread) - stats.norm.cdf((n * p - se - n * w) / spread)
                best = min(best, miss)
        assert best < 1e-9, best


def test_replay_batches_decoded_together_read_as_one_by_one():
    """The uniformity check's 1,000 batches are decoded at once (replay.decode_all); each row's id must be what
    decoding its batch alone gives: a stored transition's id, -1 for a row that is none, -2 for fields of two
    transitions. A malformed batch is named as decode names it."""
    from graders.modules.m11_rl.replay import decode, decode_all
    from graders.modules.m11_rl.sandbox_probes import FIELDS, transition

    shape, rng = (2, 3), np.random.default_rng(0)
    batches = []
    for size in (5, 1, 7):
        rows = [transition(int(i), shape, 4) for i in rng.integers(0, 30, size)]
        batch = {key: np.array([row[j] for row in rows]) for j, key in enumerate(FIELDS)}
        batches.append({**batch, "size": size})
    batches[1]["reward"] = batches[1]["reward"] + 100.0          # no stored transition
    batches[2]["action"] = np.roll(batches[2]["action"], 1)      # actions of other rows
    ids, problem = decode_all(batches, shape, 30)
    one_by_one = np.concatenate([decode(b, shape, 30)[0] for b in batches])
    assert problem is None and np.array_equal(ids, one_by_one)
    assert (ids[:5] >= 0).all() and ids[5] == -1 and (ids[6:] == -2).any()
    bent = {**batches[0], "obs": batches[0]["obs"][:, :1]}
    assert decode_all([batches[1], bent], shape, 30) == (None, decode(bent, shape, 30)[1])
