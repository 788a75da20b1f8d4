"""``mlkata-client notebooks DIR``: copy the released notebooks out of the package to work in."""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

NOTEBOOKS = Path(__file__).with_name("notebooks")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="mlkata-client")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("notebooks", help="copy the released notebooks into DIR (existing files are kept)")
    p.add_argument("dir", nargs="?", default=".")
    args = parser.parse_args(argv)
    target = Path(args.dir)
    target.mkdir(parents=True, exist_ok=True)
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        if not (target / nb.name).exists():
            shutil.copy2(nb, target / nb.name)
            print(target / nb.name)
    return 0
