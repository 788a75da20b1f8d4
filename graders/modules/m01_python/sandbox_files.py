"""Sandbox side of 01_python's stream_jsonl and write_tests_for_median checks.

The JSONL files are written into the scratch directory from seeded generators (used on
both sides: the grading process derives what a correct reader yields from the same
lines). The learner's pytest module is run, as the syllabus pins it, in a fresh temp
directory next to the module median_impl, which the grading process sends (a correct median or a
planted bug); only exit codes and pytest's summary lines come back.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import tempfile
import time
import tracemalloc

from graders.engine.sandbox.probing import error_info
from graders.engine.sandbox.pytest_runs import run_all

WORDS = ("loss", "accuracy", "bleu", "latency", "drift", "café", "naïve", "résumé", "日本", "données")


# ------------------------------------------------------------------ JSONL data
def big_jsonl_lines(seed: int, n_bytes: int):
    """Lines of a large log (about 400 bytes each: few objects per line keeps tracemalloc's overhead low):
    objects, with a blank line every so often and a bad line now and then."""
    rng = random.Random(seed)
    size, i = 0, 0
    while size < n_bytes:
        i += 1
        r = rng.random()
        if r < 0.002:
            line = ""
        elif r < 0.004:
            line = rng.choice(['{"id": 1, "run": ', "[1, 2, 3]", "42", '"done"', "null", "{oops}"])
        else:
            line = json.dumps({"id": i, "run": f"run-{rng.randrange(1000):03d}", "loss": round(rng.random(), 6),
                               "note": " ".join(rng.choices(WORDS, k=48))}, ensure_ascii=False)
        size += len(line.encode()) + 1
        yield line


def write_lines(path: str, lines, final_newline: bool = True) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        first = True
        for line in lines:
            if not first:
                fh.write("\n")
            fh.write(line)
            first = False
        if final_newline:
            fh.write("\n")


def jsonl_probe(ctx, target, cases):
    """Per case (lines, final_newline, bad_mode, as_path): write the file, read it all, report records and
    the ``bad`` list. bad_mode: "none" (argument left out), "empty" ([]), "prefilled" ([0])."""
    from pathlib import Path

    fn = ctx.lookup(target)
    out = []
    for i, (lines, final_newline, bad_mode, as_path) in enumerate(cases):
        ctx.progress(i)
        path = os.path.join(tempfile.mkdtemp(prefix="jsonl-", dir=os.getcwd()), "log.jsonl")
        write_lines(path, lines, final_newline)
        bad = None if bad_mode == "none" else ([] if bad_mode == "empty" else [0])
        arg = Path(path) if as_path else path

        def read(arg=arg, bad=bad):
            it = fn(arg) if bad is None else fn(arg, bad)
            return list(it)

        obs = ctx.observe(read)
        obs["bad"] = ctx.plain(bad)
        out.append(obs)
    return out


def jsonl_memory_probe(ctx, target, seed, n_bytes, every):
    """Stream the large file under tracemalloc, discarding records; report the traced peak, the count, a
    checksum of ids, every ``every``-th record and the ``bad`` list."""
    fn = ctx.lookup(target)
    path = os.path.join(tempfile.mkdtemp(prefix="jsonl-", dir=os.getcwd()), "big.jsonl")
    write_lines(path, big_jsonl_lines(seed, n_bytes))
    bad, samples = [], []
    count, id_sum, not_dict = 0, 0, 0
    error = None
    tracemalloc.start()
    started = time.perf_counter()
    try:
        for record in fn(path, bad):
            if count % every == 0:
                samples.append(record)
            if isinstance(record, dict):
                rid = record.get("id")
                id_sum += rid if type(rid) is int else 0
            else:
                not_dict += 1
            count += 1
            record = None
    except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
        error = error_info(exc)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"peak": peak, "count": count, "id_sum": id_sum, "not_dict": not_dict, "samples": ctx.plain(samples),
            "bad": ctx.plain(bad), "error": error, "seconds": time.perf_counter() - started,
            "file_bytes": os.path.getsize(path)}


# ------------------------------------------------------------------ the learner's pytest module
PYTEST_ARGS = ("-q", "-p", "no:cacheprovider")


def run_tests(test_source: str, impl_sources, timeout: float) -> list[dict]:
    """Run the learner's tests once per implementation (``python -m pytest -q -p no:cacheprovider`` in a temp
    folder each, as pinned, all within ``timeout`` seconds; forks of this probe, engine/sandbox/pytest_runs.py);
    exit code and summary lines each."""
    runs = []
    for impl in impl_sources:
        folder = tempfile.mkdtemp(prefix="median-", dir=os.getcwd())
        files = {"median_impl.py": impl, "test_median.py": "from median_impl import median\n" + test_source,
                 "pytest.ini": "[pytest]\n"}       # anchors pytest's rootdir here: no ini or conftest above
        for name, text in files.items():
            with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
                fh.write(text)
        runs.append((folder, PYTEST_ARGS))
    return [{"rc": code, "summary": _summary(output) if code is not None else []}
            for code, output in run_all(runs, timeout)]


def _summary(output: str) -> list[str]:
    """pytest's FAILED/ERROR lines and its final count: what the learner needs, no implementation source."""
    lines = output.splitlines()
    keep = [line for line in lines if line.startswith(("FAILED ", "ERROR "))][:6]
    tail = [line for line in lines if line.strip()][-1:]
    return [line[:300] for line in keep + tail]


def median_tests_probe(ctx, target, impl_sources, timeout, passed_on_correct=frozenset()):
    """Call ``write_tests_for_median()`` and run what it returns against each implementation; the first
    (the correct median) is not run again for a source whose digest already passed on it."""
    source = ctx.run(ctx.lookup(target), stage="write_tests_for_median()")
    if not isinstance(source, str):
        return {"not_str": type(source).__name__}
    source = str.__str__(source)
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    if digest in passed_on_correct:
        runs = [{"rc": 0, "summary": []}] + run_tests(source, impl_sources[1:], timeout)
    else:
        runs = run_tests(source, impl_sources, timeout)
    return {"runs": runs, "source": source[:100_000], "digest": digest}
