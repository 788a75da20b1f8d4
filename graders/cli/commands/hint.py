"""One more hint for an exercise, from the terminal (the same tiers as ``hint()`` in the notebook)."""
from __future__ import annotations

HELP = "show the next hint for an exercise, e.g. `mlkata hint 02_math softmax` (each call gives one more)"


def add_arguments(p):
    p.add_argument("module", help="the module, as in the notebook's name (e.g. 02_math)")
    p.add_argument("exercise", nargs="?", default=None,
                   help="the exercise (e.g. softmax); default: the first one that has not passed yet")


def run(args) -> int:
    from graders.engine import registry
    from graders.learner.inline.session import InlineSession

    try:
        spec = registry.load(args.module)
    except registry.UnknownModule as exc:
        print(exc)
        return 2
    if args.exercise is not None and args.exercise not in [ex.id for ex in spec.exercises]:
        InlineSession(args.module).unknown(args.exercise)       # names the closest exercise
        return 2
    InlineSession(args.module).hint(args.exercise)
    return 0
