"""Issue access tokens for a course's students (and the instructor), printed once, stored hashed."""
from __future__ import annotations

HELP = "issue tokens for the course's roster (or the named students, or the instructor), printed once"


def add_arguments(p):
    p.add_argument("--config", required=True, metavar="FILE", help="the course's TOML or YAML file")
    p.add_argument("students", nargs="*", metavar="STUDENT", help="only these students (default: the roster)")
    p.add_argument("--instructor", action="store_true", help="also issue the instructor (admin) token")
    p.add_argument("--only-instructor", action="store_true", help="issue only the instructor token")


def run(args) -> int:
    import sys

    from graders.service.config import load_config
    from graders.service.security import issue_tokens
    from graders.service.store import Store

    config = load_config(args.config)
    students = [] if args.only_instructor else (args.students or config.roster)
    strangers = sorted(set(students) - set(config.roster))
    if strangers:
        print(f"not on the roster of {config.course}: {', '.join(strangers)}", file=sys.stderr)
        return 2
    tokens = issue_tokens(Store(config.db_url), students, instructor=args.instructor or args.only_instructor)
    for who, token in tokens.items():
        print(f"{who}\t{token}")
    print(f"{len(tokens)} token(s) issued; earlier tokens of these people no longer work. They are not "
          "shown again.", file=sys.stderr)
    return 0
