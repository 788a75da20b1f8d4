"""How many of each module's declared mistakes are proven to reach a learner?

    python benchmarks/mistake_coverage.py [--list]

Prints, per module: the mistake ids its grader declares, how many an answer of the mistake
bank hits, how many more are variants proven to differ from the reference on a case, and how
many still wait for a bank answer (``--list`` names them). The same inventory backs
``tests/engine/test_mistakes_fire.py``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from mistake_inventory import coverage

from graders.engine import registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="name the mistakes still waiting for a bank answer")
    args = parser.parse_args()
    print(f"{'module':<18}{'declared':>9}{'bank':>6}{'variant':>9}{'proven':>8}{'waiting':>9}")
    totals = [0, 0, 0, 0, 0]
    for module in registry.module_ids():
        c = coverage(module)
        row = [len(c["declared"]), len(c["bank"]), len(c["variant"]), len(c["bank"]) + len(c["variant"]),
               len(c["unproven"])]
        totals = [t + r for t, r in zip(totals, row)]
        print(f"{module:<18}{row[0]:>9}{row[1]:>6}{row[2]:>9}{row[3]:>8}{row[4]:>9}")
        if args.list and c["unproven"]:
            print("    waiting: " + ", ".join(sorted(c["unproven"])))
    print(f"{'total':<18}{totals[0]:>9}{totals[1]:>6}{totals[2]:>9}{totals[3]:>8}{totals[4]:>9}")


if __name__ == "__main__":
    main()
