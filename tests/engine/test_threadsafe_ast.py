"""``ast.parse`` from several grading threads at once (engine/threadsafe_ast.py).

The stress below is CPython's own reproduction of gh-106905, made small: threads parse while a collector
callback runs Python code. On 3.11.7 without the lock it failed 9 to 12 of its 200 parses in each of five runs
(``SystemError: AST constructor recursion depth mismatch``), in a quarter of a second; on a Python without the
bug it passes either way, and nothing is patched there.
"""
from __future__ import annotations

import ast
import gc
import threading

from graders.engine import threadsafe_ast
from graders.engine.runner import Grader

SOURCE = "\n".join(f"def f{i}(a, b=1, *c, **d):\n    return [x * {i} for x in range(a) if x % 2]\n"
                   for i in range(60))


def _parse_from_threads(threads: int = 4, each: int = 50) -> list[BaseException]:
    def busy(phase, info):
        sum(i * i for i in range(200))      # Python code while the collector runs: another thread may go on

    errors: list[BaseException] = []

    def parse() -> None:
        for _ in range(each):
            try:
                ast.parse(SOURCE)
            except SystemError as exc:
                errors.append(exc)

    gc.callbacks.append(busy)
    try:
        workers = [threading.Thread(target=parse) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        gc.callbacks.remove(busy)
    return errors


def test_a_grading_process_parses_from_several_threads_at_once_without_a_system_error():
    with Grader(box=False):
        pass
    assert getattr(ast.parse, "takes_turns", False) is threadsafe_ast.AFFECTED
    assert _parse_from_threads() == []


def test_installing_twice_wraps_once_and_parsing_is_unchanged():
    threadsafe_ast.install()
    first = ast.parse
    threadsafe_ast.install()
    assert ast.parse is first
    tree = ast.parse("x = [1, 2]", mode="exec", type_comments=True)
    assert ast.dump(tree) == ast.dump(compile("x = [1, 2]", "<unknown>", "exec", ast.PyCF_ONLY_AST))
