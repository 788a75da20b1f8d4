"""A learner's grade against the cost of merely running their code (issue 14, targets 2 and 3).

For each module with a reference notebook (solutions/<module>.ipynb), measured in this one run:
- plain: a fresh ``python`` running the notebook's setup and answer cells as one script, imports
  included: the least any grader must spend on this notebook;
- cold: ``python -m graders grade solutions/<module>.ipynb`` (what ``make grade NB=...`` runs), a fresh
  process, every hidden check included;
- warm: the inline ``check()`` of the whole notebook in a process that has checked once before (watch
  mode and the notebook's own check() cells work this way);
- inline: ``check("<exercise>")`` of each exercise, the median of the calls after the first.
Ratios are printed, never asserted: cold/plain (target at most 1.5), warm/plain (target 1.1), and the
inline medians (target under 0.3 s for every exercise whose reference runs in under 0.1 s; the
reference's own time is measured here from the plain run's per-cell timings).
Modules: MLKATA_BENCH_LEARNER (default "02_math,05_evaluation"; "all" for every module);
MLKATA_BENCH_INLINE_REPEAT (default 4).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}

PLAIN = """
import time, json, sys
cells = json.load(open(sys.argv[1]))
ns, times = {"__name__": "__main__"}, {}
for label, source in cells:
    start = time.perf_counter()
    try:
        exec(compile(source, label, "exec"), ns)
    except Exception:
        pass
    times[label] = time.perf_counter() - start
json.dump(times, open(sys.argv[2], "w"))
"""


def _cells(module: str):
    from graders.engine.notebook import read_submission

    sub = read_submission(ROOT / "solutions" / f"{module}.ipynb")
    keep = [(label, src) for label, src in sub.setup]
    keep += [(f"answer {gid}", src) for gid, src in sub.answers]
    return [(label, "\n".join(line for line in src.splitlines() if not line.lstrip().startswith(("%", "!"))))
            for label, src in keep]


def plain_run(module: str, tmp: Path) -> tuple[float, dict]:
    import json

    cells, times = tmp / f"{module}.json", tmp / f"{module}.times.json"
    cells.write_text(json.dumps(_cells(module)))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", PLAIN, str(cells), str(times)], cwd=tmp, env=ENV, check=True)
    return time.perf_counter() - start, json.loads(times.read_text())


def cold_grade(module: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "graders", "grade", str(ROOT / "solutions" / f"{module}.ipynb")],
                   cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def inline(module: str, tmp: Path, repeat: int) -> tuple[float, dict[str, float]]:
    """Warm whole-notebook check and per-exercise medians, through the learner's inline session."""
    from graders.engine.runner import Grader
    from graders.learner.inline.session import InlineSession

    sources = [src for _, src in _cells(module)]
    with Grader() as grader:
        session = InlineSession(module, ROOT / "solutions" / f"{module}.ipynb", inputs=sources,
                                grader=grader, history_file=tmp / "history.jsonl")
        session.grade()                                   # the first check pays the start-up
        start = time.perf_counter()
        session.grade()
        warm = time.perf_counter() - start
        medians = {}
        for ex in session.spec.exercises:
            runs = []
            for _ in range(repeat + 1):
                start = time.perf_counter()
                session.grade(ex.id)
                runs.append(time.perf_counter() - start)
            medians[ex.id] = statistics.median(runs[1:])
    return warm, medians


def main() -> None:
    wanted = os.environ.get("MLKATA_BENCH_LEARNER", "02_math,05_evaluation")
    modules = sorted(p.stem for p in (ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")) if wanted == "all" \
        else [m.strip() for m in wanted.split(",") if m.strip()]
    repeat = int(os.environ.get("MLKATA_BENCH_INLINE_REPEAT", "4"))
    print(f"== a learner's grade vs running their code (load {os.getloadavg()[0]:.1f}) ==")
    print(f"{'module':<22}{'plain s':>9}{'cold s':>9}{'cold/plain':>12}{'warm s':>9}{'warm/plain':>12}"
          f"{'inline ok':>11}")
    for module in modules:
        with tempfile.TemporaryDirectory() as tmp:
            plain, cell_times = plain_run(module, Path(tmp))
            cold = cold_grade(module)
            warm, medians = inline(module, Path(tmp), repeat)
        fast = {ex: m for ex, m in medians.items() if cell_times.get(f"answer {ex}", 1.0) < 0.1}
        within = sum(m < 0.3 for m in fast.values())
        print(f"{module:<22}{plain:>9.2f}{cold:>9.2f}{cold / plain:>12.2f}{warm:>9.2f}{warm / plain:>12.2f}"
              f"{within:>6}/{len(fast):<4}")
        slow = sorted(((m, ex) for ex, m in fast.items() if m >= 0.3), reverse=True)
        for m, ex in slow[:5]:
            print(f"    inline check('{ex}') median {m:.2f} s (over 0.3 s)")
        print(f"    inline medians: min {min(medians.values()):.2f} s, median "
              f"{statistics.median(medians.values()):.2f} s, max {max(medians.values()):.2f} s")


if __name__ == "__main__":
    main()
