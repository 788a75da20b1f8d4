"""The reference answer of an exercise, from the terminal (the same rule as ``solution()`` in the notebook)."""
from __future__ import annotations

HELP = "show the reference answer of an exercise once it has passed (or with --confirm, which is recorded)"


def add_arguments(p):
    p.add_argument("module", help="the module, as in the notebook's name (e.g. 02_math)")
    p.add_argument("exercise", help="the exercise (e.g. softmax)")
    p.add_argument("--confirm", action="store_true",
                   help="show it before the exercise passes (noted in your progress)")


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
    InlineSession(args.module).solution(args.exercise, confirm=args.confirm)
    return 0
