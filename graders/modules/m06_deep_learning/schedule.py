"""set_seed (random, numpy's global RNG, torch) and warmup_cosine (a learning-rate schedule)."""
from __future__ import annotations

import math

import numpy as np

from graders.engine.compare import close
from graders.engine.domains import OMIT, Domain
from graders.engine.judges import all_pass, returns, seeded
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, checks_with, seed_for

from .common import incorrect
from .observers import seed_probe

# ------------------------------------------------------------------ set_seed
LIBRARIES = {
    "random": ("Python's `random` module", "random.seed(seed)"),
    "numpy": ("numpy's global RNG", "np.random.seed(seed)"),
    "torch": ("torch", "torch.manual_seed(seed) (it seeds the CPU and every GPU)"),
}


def _same(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.array_equal(a, b))


def _seeds_library(lib):
    name, call = LIBRARIES[lib]
    return seeded(f"after set_seed(7) twice, {name} gave different numbers: call {call} in set_seed.", None,
                  read=lambda cases, observations: [draws[lib] for draws in observations], equal=_same,
                  mistake=f"{lib}-not-seeded", global_rng=False)     # set_seed seeds the global generators


# The notebook's example: set_seed(7) twice gives the same numbers from every library.
_all_libraries = all_pass(*(_seeds_library(lib) for lib in LIBRARIES))


def _seed_used(cases, observations):
    first, _, other = observations
    same = [LIBRARIES[lib][0] for lib in LIBRARIES if _same(first[lib], other[lib])]
    if same:
        return incorrect(None, f"set_seed(7) and set_seed(8) gave the same numbers from {', '.join(same)}: pass the "
                         "`seed` argument on instead of a fixed number.", "seed-ignored")
    return None


SEED_CASES = [Case((), {}, "set_seed(7), set_seed(7) again and set_seed(8), each after scrambling every RNG")]
_seed_check = checks_with(probe=seed_probe, probe_args=lambda target, cases: (target, [7, 7, 8]))


set_seed = Exercise(
    "set_seed",
    skill="deep learning",
    hints=(
        "A training run draws random numbers from up to three generators: Python's random (shuffling in plain "
        "Python), numpy's global RNG (many data utilities) and torch's (initialisation, dropout, DataLoader "
        "shuffling). Reproducibility needs all three seeded.",
        "Call each library's seeding function with the same seed.",
        "`random.seed(seed); np.random.seed(seed); torch.manual_seed(seed)`",
    ),
    checks=(
        _seed_check("the example in the notebook", 1, SEED_CASES, _all_libraries),
        _seed_check("seeds Python's random module", 2, SEED_CASES, _seeds_library("random")),
        _seed_check("seeds numpy's global RNG", 3, SEED_CASES, _seeds_library("numpy")),
        _seed_check("seeds torch", 3, SEED_CASES, _seeds_library("torch")),
        _seed_check("another seed gives other numbers", 1, SEED_CASES, _seed_used).as_property(),
    ),
)


# ------------------------------------------------------------------ warmup_cosine
def lr_ref(step, total_steps, warmup_steps, base_lr, min_lr=0.0):
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2


def _warmup_plus_one(step, total_steps, warmup_steps, base_lr, min_lr=0.0):
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    return lr_ref(step, total_steps, warmup_steps, base_lr, min_lr)


def _over_total(step, total_steps, warmup_steps, base_lr, min_lr=0.0):
    if step < warmup_steps or step > total_steps:
        return lr_ref(step, total_steps, warmup_steps, base_lr, min_lr)
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * step / total_steps)) / 2


def _no_min(step, total_steps, warmup_steps, base_lr, min_lr=0.0):
    if step < warmup_steps or step > total_steps:
        return lr_ref(step, total_steps, warmup_steps, base_lr, min_lr)
    return min_lr + base_lr * (1 + math.cos(math.pi * (step - warmup_steps) / (total_steps - warmup_steps))) / 2


def _no_half(step, total_steps, warmup_steps, base_lr, min_lr=0.0):
    if step < warmup_steps or step > total_steps:
        return lr_ref(step, total_steps, warmup_steps, base_lr, min_lr)
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * p))


def _not_clamped(step, total_steps, warmup_steps, base_lr, min_lr=0.0):
    if step < warmup_steps:
        return lr_ref(step, total_steps, warmup_steps, base_lr, min_lr)
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * p)) / 2


def _warmup_from_min(step, total_steps, warmup_steps, base_lr, min_lr=0.0):
    if step < warmup_steps:
        return min_lr + (base_lr - min_lr) * step / warmup_steps
    return lr_ref(step, total_steps, warmup_steps, base_lr, min_lr)


LR_MISTAKES = (
    Mistake("warmup-off-by-one", "your warmup is one step ahead: the rate is base_lr * step / warmup_steps, so it "
            "is 0 at step 0", variant=_warmup_plus_one),
    Mistake("warmup-from-min-lr", "your warmup starts at min_lr; the syllabus's warmup is base_lr * step / "
            "warmup_steps (from 0)", variant=_warmup_from_min),
    Mistake("progress-over-total", "your cosine progress counts from step 0 over total_steps; it starts after the "
            "warmup: progress = (step - warmup_steps) / (total_steps - warmup_steps)", variant=_over_total),
    Mistake("min-lr-ignored", "your cosine ignores min_lr: it decays from base_lr to min_lr, "
            "min_lr + (base_lr - min_lr) * (1 + cos(pi * progress)) / 2", variant=_no_min),
    Mistake("missing-half", "you forgot the / 2: (1 + cos(pi * progress)) runs from 2 to 0", variant=_no_half),
    Mistake("not-clamped", "after total_steps the rate must stay at min_lr; your cosine comes back up",
            variant=_not_clamped),
)


def _lr_cases(specs):
    out = []
    for step, total, warm, base, *rest in specs:
        kwargs = {"min_lr": rest[0]} if rest else {}
        extra = f", min_lr={rest[0]}" if rest else ""
        out.append(Case((step, total, warm, base), kwargs,
                        f"step={step}, total_steps={total}, warmup_steps={warm}, base_lr={base}{extra}"))
    return out


def _lr_check(title, points, specs):
    return Check(title, points, _lr_cases(specs), returns(lr_ref, close(), LR_MISTAKES, "the syllabus's schedule"))


# the contract's inputs (no arrays: steps and rates): every step from 0 to past the end, schedules from one
# step long, warmup from none to most of the schedule, rates from 1e-3 to 2.5, min_lr given or not. The where:
# the decay phase has a length (warmup_steps < total_steps; at step == total == warmup the progress is 0/0)
# and decays (min_lr <= base_lr)
LR_DOMAIN = Domain(
    args=(tuple(range(0, 61)), tuple(range(1, 41)), tuple(range(0, 21)), (1e-3, 0.1, 1.0, 2.5)),
    kwargs={"min_lr": (OMIT, 0.0, 1e-4, 0.05)}, names=("step", "total_steps", "warmup_steps", "base_lr"),
    where=lambda args, kwargs: args[2] < args[1] and kwargs.get("min_lr", 0.0) <= args[3], examples=30)


warmup_cosine = Exercise(
    "warmup_cosine",
    skill="deep learning",
    hints=(
        "Warmup ramps the learning rate linearly from 0 to base_lr so that early, noisy gradients take small steps; "
        "cosine decay then lowers it smoothly to min_lr by total_steps, and it stays there.",
        "Three branches: step < warmup_steps; warmup_steps <= step <= total_steps (cosine of the progress through "
        "the decay phase); step > total_steps.",
        "`progress = (step - warmup_steps) / (total_steps - warmup_steps); return min_lr + (base_lr - min_lr) * "
        "(1 + math.cos(math.pi * progress)) / 2`",
    ),
    checks=(
        _lr_check("the examples in the notebook", 1, [(0, 100, 10, 1.0), (5, 100, 10, 1.0), (10, 100, 10, 1.0),
                                                      (55, 100, 10, 1.0), (100, 100, 10, 1.0, 0.1)]),
        _lr_check("linear warmup from 0 to base_lr", 2, [(1, 1000, 50, 3e-4), (17, 1000, 50, 3e-4),
                                                        (49, 1000, 50, 3e-4), (3, 40, 8, 0.1, 0.01)]),
        _lr_check("cosine decay from base_lr to min_lr", 3, [(60, 1000, 50, 3e-4), (500, 1000, 50, 3e-4, 1e-5),
                                                             (900, 1000, 50, 3e-4, 1e-5), (25, 40, 8, 0.1, 0.01),
                                                             (12, 30, 0, 2.0, 0.5)]),
        _lr_check("the ends: step 0, the last warmup step, total_steps and beyond", 2,
                  [(0, 40, 8, 0.1, 0.01), (8, 40, 8, 0.1, 0.01), (40, 40, 8, 0.1, 0.01), (41, 40, 8, 0.1, 0.01),
                   (500, 40, 8, 0.1, 0.01)]),
        _lr_check("no warmup when warmup_steps=0", 1, [(0, 50, 0, 0.5), (20, 50, 0, 0.5, 0.05)]),
        generated(LR_DOMAIN, returns(lr_ref, close(), LR_MISTAKES, "the syllabus's schedule"), 1,
                  seed_for("06_deep_learning", "warmup_cosine", "domain")),
    ),
)
