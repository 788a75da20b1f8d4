"""stream_jsonl(path, bad=None): dicts from a JSON-lines file, one line at a time.

The files are written in the sandbox's scratch directory; what a correct reader yields is
derived here from the same lines. Memory is graded as pinned: the traced peak
(tracemalloc) while the grader iterates and discards the records of a ~7 MiB file stays
under 2 MiB, and counts only when the records and bad line numbers are right. What a
correct reader yields on that file is kept between grading runs (engine/kept_values.py):
making and parsing its lines here was 0.4 s of every cold grade.
"""
from __future__ import annotations

import json

from graders.engine.compare import describe
from graders.engine.judges import error_failure, incorrect
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Check, Exercise, seed_for

from .sandbox_files import big_jsonl_lines, jsonl_memory_probe, jsonl_probe

PEAK_LIMIT = 2 << 20
BIG_BYTES = 7 << 20
EVERY = 997


def jsonl_ref(lines, numbering="file"):
    """(records, bad line numbers). ``numbering`` builds the wrong variants: "nonblank" counts only non-blank
    lines, "zero" counts from 0."""
    records, bad, number = [], [], 0 if numbering == "zero" else 1
    for line in lines:
        if not line.strip():
            number += numbering != "nonblank"
            continue
        try:
            value = json.loads(line)
        except ValueError:
            value = None
            bad.append(number)
        else:
            if isinstance(value, dict):
                records.append(value)
            else:
                bad.append(number)
        number += 1
    return records, bad


VARIANT_NUMBERING = {
    "nonblank": ("line-numbers-skip-blank", "your bad line numbers do not count blank lines: number every line of "
                 "the file (enumerate(fh, start=1)), blank or not"),
    "zero": ("line-numbers-zero-based", "your bad line numbers start at 0: line numbers are 1-based "
             "(enumerate(fh, start=1))"),
}


def judge(cases, observations):
    for case, obs in zip(cases, observations):
        lines, _, bad_mode, _ = case.args
        records, bad = jsonl_ref(lines)
        if "error" in obs:
            if obs["error"]["type"] in ("JSONDecodeError", "ValueError"):
                return incorrect(case, "a malformed line raised instead of being skipped: catch "
                                       "json.JSONDecodeError per line, record the line number and go on.",
                                 "stops-at-first-bad")
            return error_failure(case, obs["error"])
        got = obs["value"]
        odd = [r for r in got if not isinstance(r, dict)]
        if odd:
            return incorrect(case, f"you yielded {describe(odd[0])}: lines holding a JSON array, number, string or "
                                   "null are not records; skip them and record their line numbers.",
                             "yields-non-objects")
        if got != records:
            if got == records[:len(got)] and len(got) < len(records):
                return incorrect(case, "you stopped reading at the first bad line: skip it and go on to the end of "
                                       "the file.", "stops-at-first-bad")
            return incorrect(case, f"you yielded {len(got)} records; they are not the JSON objects of the "
                                   "file's lines, in order.")
        if bad_mode == "none":
            continue
        want = ([0] if bad_mode == "prefilled" else []) + bad
        got_bad = obs["bad"]
        if got_bad == want:
            continue
        if bad and got_bad == ([0] if bad_mode == "prefilled" else []):
            return incorrect(case, "the caller's `bad` list stayed empty: append to the list you were given "
                                   "(`bad = bad or []` replaces an empty list with a new one; test `bad is not "
                                   "None`).", "bad-replaced")
        prefix = [0] if bad_mode == "prefilled" else []
        for numbering, (mid, text) in VARIANT_NUMBERING.items():
            if got_bad == prefix + jsonl_ref(lines, numbering)[1] != want:
                return incorrect(case, text + ".", mid)
        blanks = [i for i, line in enumerate(lines, 1) if not line.strip()]
        if sorted(got_bad) == sorted(want + blanks) and blanks:
            return incorrect(case, "you recorded blank lines as bad: blank lines are skipped silently.",
                             "blank-lines-bad")
        if bad_mode == "prefilled" and got_bad == bad:
            return incorrect(case, "you replaced what `bad` already held: append to it.", "bad-replaced")
        return incorrect(case, f"your `bad` list holds {len(got_bad)} line numbers; they are not the 1-based "
                               "numbers of the malformed and non-object lines.")
    return None


EXAMPLE = ['{"a": 1}', "", '{"b": [1, 2]}']
MIXED = ['{"id": 1, "name": "café"}', "", '{"id": 2, "tags": ["x", "日本"]}', '{"id": 3,', "[1, 2, 3]", "42",
         '"text"', "null", "", '{"id": 4, "nested": {"k": null}}', "{oops}", "true", '{"id": 5}']
EDGES = ["not json", '{"x": 1}', "", "", "[]"]
CLEAN = [json.dumps({"step": i, "loss": round(1 / (i + 1), 4), "tags": ["train"] * (i % 3)}) for i in range(40)]


def case(lines, label, final_newline=True, bad="empty", as_path=False):
    return Case((list(lines), final_newline, bad, as_path), {}, label)


def _check(title, points, cases):
    return Check(title, points, cases, judge, probe=jsonl_probe,
                 probe_args=lambda target, cs: (target, [c.args for c in cs]))


def big_expected(seed: int, n_bytes: int, every: int):
    """What a correct reader yields on the large file, as the memory probe reports it: (how many records, the
    sum of their ids, every ``every``-th record, the bad line numbers)."""
    records, bad = jsonl_ref(big_jsonl_lines(seed, n_bytes))
    return len(records), sum(r["id"] for r in records), records[::every], bad


BIG_ARGS = (seed_for("01_python", "stream_jsonl", "big"), BIG_BYTES, EVERY)
BIG = kept_oracle(big_expected, "01_python-stream-jsonl-big")


def judge_memory(cases, obs):
    case = cases[0]
    if obs["error"] is not None:
        return error_failure(case, obs["error"])
    count, id_sum, samples, bad = BIG(*BIG_ARGS)
    if obs["not_dict"]:
        return incorrect(case, "you yielded values that are not dicts: skip non-object lines.", "yields-non-objects")
    if obs["count"] != count or obs["id_sum"] != id_sum or obs["samples"] != samples:
        return incorrect(case, f"you yielded {obs['count']} records that are not the file's JSON objects in order, "
                               "so the memory use does not count.")
    if obs["bad"] != bad:
        return incorrect(case, "the bad line numbers are wrong on the large file, so the memory use does not count.")
    if obs["peak"] > PEAK_LIMIT:
        return incorrect(case, f"streaming a {obs['file_bytes'] / 2**20:.1f} MiB file held up to "
                               f"{obs['peak'] / 2**20:.1f} MiB at once (limit {PEAK_LIMIT / 2**20:g} MiB): you read "
                               "the whole file (`read()`, `readlines()`, a list of lines). Iterate over the file "
                               "object, one line at a time.", "reads-whole-file")
    return None


stream_jsonl = Exercise(
    "stream_jsonl",
    skill="streaming I/O",
    cell_timeout=10.0,
    hints=(
        "A file object is an iterator over its lines: `for line in fh` holds one line at a time, so a generator "
        "built on it streams a file of any size in constant memory.",
        "Open the file with encoding='utf-8'; enumerate its lines from 1; skip blank lines; json.loads each "
        "other line inside try/except json.JSONDecodeError; yield it if it is a dict, otherwise (or on an "
        "error) append the line number to `bad` when `bad is not None`.",
        "`for number, line in enumerate(fh, start=1): if not line.strip(): continue`; `try: value = "
        "json.loads(line)` / `except json.JSONDecodeError: value = None`; `if isinstance(value, dict): yield "
        "value` / `elif bad is not None: bad.append(number)`",
    ),
    checks=(
        _check("one dict per JSON-object line, blank lines skipped", 2, lambda: [
            case(EXAMPLE, "the notebook's example"), case(CLEAN, "40 clean lines"),
            case([], "an empty file", final_newline=False),
            case(CLEAN[:3] + ["", ""], "a file ending in blank lines")]),
        _check("malformed and non-object lines skipped, their 1-based numbers appended to bad", 3, lambda: [
            case(MIXED, "13 lines: objects, blanks, broken JSON, an array, a number, a string, null, true; the last "
                        "without a newline", final_newline=False),
            case(EDGES, "a bad first line and a bad last line without a newline", final_newline=False)]),
        _check("bad=None, a bad list that already holds items, a Path", 2, lambda: [
            case(MIXED, "bad left out (None)", bad="none"),
            case(MIXED, "bad=[0] (already holding an item)", bad="prefilled"),
            case(EDGES, "path given as a pathlib.Path", as_path=True)]),
        Check(f"streams: traced peak under {PEAK_LIMIT >> 20} MiB on a {BIG_BYTES >> 20} MiB file", 3,
              [Case((), {}, f"a {BIG_BYTES >> 20} MiB JSONL file")], judge_memory, probe=jsonl_memory_probe,
              timeout=30.0, probe_args=lambda target, cs: (target, *BIG_ARGS)),
    ),
)
