"""changed_files / first_bad_commit: the git CLI on repositories the grader builds.

Recipes (plain data) are replayed with ``sandbox_git.build_repo`` in the sandbox, where
the learner's functions run on them, and again here, where the oracle runs: ``git diff
--name-only --no-renames A B`` for changed_files, the recipe's own first bad index for
first_bad_commit. Identity and dates are fixed, so both copies have the same commit ids. What the
oracles read from our copy (commit ids, the paths that differ, the repository's state) is kept per case
(engine/kept_values.py): a grade after ``mlkata warm`` builds no repository here unless an answer is wrong
and its slip is looked for (a second of git commands in a cold grade).
"""
from __future__ import annotations

import atexit
import shutil

from graders.engine.compare import describe
from graders.engine.judges import error_failure, incorrect
from graders.engine.kept_values import kept_oracle
from graders.engine.results import Status
from graders.engine.sandbox.tempdirs import owned_tempdir
from graders.engine.spec import Case, Check, Exercise, Failure

from .sandbox_git import build_repo, changed_files_probe, first_bad_probe, git, repo_state, rev

LONG = "A paragraph long enough for git to recognise the file when it moves.\n" * 4
HISTORY = (
    ("commit", "initial layout", {"README.md": "# demo\n", "src/model.py": "W = 1\n", "data/config.yaml": "lr: 0.1\n",
                                  "notes with space.txt": "todo\n", "old_name.txt": LONG, "remove_me.txt": "bye\n",
                                  "run.sh": "echo hi\n"}, {}),
    ("tag", "v0"),
    ("commit", "model, a rename, a deletion, a mode change",
     {"src/model.py": "W = 2\n", "old_name.txt": None, "docs/new_name.txt": LONG, "remove_me.txt": None},
     {"run.sh": True}),
    ("tag", "v1"),
    ("branch", "feature"),
    ("commit", "notes and readme", {"notes with space.txt": "todo\ndone\n", "README.md": "# demo\nmore\n"}, {}),
    ("tag", "v2"),
    ("commit", "readme back as it was", {"README.md": "# demo\n"}, {}),
    ("tag", "v3"),
    ("switch", "feature"),
    ("commit", "feature config", {"data/config.yaml": "lr: 0.2\n", "src/feature.py": "F = 1\n"}, {}),
    ("commit", "feature model", {"src/model.py": "W = 3\n"}, {}),
    ("switch", "main"),
)
GOOD, BAD = "def add(a, b):\n    return a + b\n", "def add(a, b):\n    return a - b  # faster\n"


def linear(n: int, first_bad: int, branch_at: int | None = None) -> tuple:
    """n commits c0..c(n-1) on main; calc.py turns bad at ``first_bad`` and stays bad; optionally a branch
    ``release`` at c<branch_at>, checked out at the end."""
    steps = [("commit", "c0: calc", {"calc.py": GOOD, "README.md": "v0\n", ".gitignore": "__pycache__/\n"}, {}),
             ("tag", "c0")]
    for i in range(1, n):
        files = {"README.md": f"v{i}\n"}
        if i == first_bad:
            files["calc.py"] = BAD
        elif i > first_bad and i % 3 == 0:
            files["calc.py"] = BAD + f"# touched in c{i}\n"
        if i % 4 == 0:
            files[f"data/part{i}.txt"] = f"{i}\n"
        steps += [("commit", f"c{i}: work", files, {}), ("tag", f"c{i}")]
        if i == branch_at:
            steps.append(("branch", "release"))
    if branch_at is not None:
        steps.append(("switch", "release"))
    return tuple(steps)


_TMP: list[str] = []
_REPOS: dict[str, str] = {}


def grader_repo(recipe) -> str:
    """Our own copy of a recipe's repository (built once per process, removed at exit)."""
    if not _TMP:
        _TMP.append(owned_tempdir("mlkata-git-"))     # a later process removes it if this one is killed
        atexit.register(shutil.rmtree, _TMP[0], True)
    key = repr(recipe)
    if key not in _REPOS:
        _REPOS[key] = build_repo(recipe, _TMP[0])
    return _REPOS[key]


def _split(out: str) -> list[str]:
    return sorted(p for p in out.split("\0") if p)


def diff_names(repo, a, b, *options) -> list[str]:
    return _split(git(repo, "diff", "--name-only", "-z", *options, a, b))


def _log_names(repo, a, b):
    out = git(repo, "log", "--name-only", "--format=", "-z", f"{a}..{b}")
    return sorted({p.strip("\n") for p in out.split("\0") if p.strip("\n")})


def _content_only(repo, a, b):
    def blobs(r):
        entries = git(repo, "ls-tree", "-r", "-z", r).split("\0")
        return {e.split("\t", 1)[1]: e.split()[2] for e in entries if e}

    x, y = blobs(a), blobs(b)
    return sorted(p for p in set(x) | set(y) if x.get(p) != y.get(p))


def _changed_expected(a, b, as_path=False):
    """(revision a, revision b, the sorted paths that differ) in the history's repository."""
    repo = grader_repo(HISTORY)
    a, b = rev(repo, a), rev(repo, b)
    return a, b, diff_names(repo, a, b, "--no-renames")


def _first_bad_expected(recipe, good, bad, code, as_path=False):
    """The full id of each tagged commit of the recipe's repository, and the state first_bad_commit must leave
    it in."""
    repo = grader_repo(recipe)
    tags = [step[1] for step in recipe if step[0] == "tag"]
    return dict(zip(tags, git(repo, "rev-parse", *(f"{t}^{{commit}}" for t in tags)).split())), repo_state(repo)


CHANGED = kept_oracle(_changed_expected, "01_python-changed-files")
FIRST_BAD = kept_oracle(_first_bad_expected, "01_python-first-bad-commit")


CF_VARIANTS = (
    ("log-name-only", "you listed every file touched by the commits in between (`git log --name-only`): a file "
     "changed and changed back is not different between the two trees. Compare the trees: `git diff --name-only "
     "A B`", lambda repo, a, b: _log_names(repo, a, b)),
    ("merge-base", "you compared from the merge base (`A...B`, three dots): on diverged branches that hides what "
     "changed on A's side. Compare the two trees directly: `git diff A B` (two revisions, no dots)",
     lambda repo, a, b: _split(git(repo, "diff", "--name-only", "-z", "--no-renames", f"{a}...{b}"))),
    ("renames-new-name-only", "a renamed file must count under its old and its new path; git detects renames by "
     "default and shows only the new name: add `--no-renames`", lambda repo, a, b: diff_names(repo, a, b, "-M")),
    ("mode-ignored", "a file whose mode changed (made executable) also differs: compare modes too, or let `git "
     "diff --name-only` decide", _content_only),
)


def judge_changed(cases, obs):
    if obs.get("git_missing"):
        return Failure(Status.ERROR, "this exercise needs the `git` command, which is not installed here (Debian/"
                                     "Ubuntu: `apt-get install git`; macOS: `xcode-select --install`).")
    for case, got in zip(cases, obs["results"]):
        if "error" in got:
            return error_failure(case, got["error"])
        a, b, want = CHANGED(*case.args)
        value = got["value"]
        if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
            return incorrect(case, f"expected a sorted list of str paths, got {describe(value)}.")
        if value == want:
            continue
        if sorted(value) == want:
            return incorrect(case, "these are the right paths, but not sorted: return sorted(paths).", "unsorted")
        if sorted(p.strip('"') for p in value) == want or any(p.endswith(("\n", "\r")) for p in value):
            return incorrect(case, "some paths carry quotes or line ends: split git's output cleanly (`-z` and "
                                   "split on NUL, or splitlines()).")
        variants = sorted(CF_VARIANTS, key=lambda v: v[0] != "merge-base") if "diverged" in case.tags \
            else CF_VARIANTS                 # on diverged branches a..b logs and a...b diffs can agree
        repo = grader_repo(HISTORY)         # only a wrong answer needs our copy: its slip is looked for in it
        for mid, text, variant in variants:
            try:
                wrong = variant(repo, a, b)
            except RuntimeError:
                continue
            if wrong != want and sorted(value) == wrong:
                return incorrect(case, text + ".", mid)
        return incorrect(case, f"your list of {len(value)} paths is not the set of paths whose content or mode "
                               "differs between the two commits' trees.")
    return None


def _sha_problem(value) -> str | None:
    if not isinstance(value, str):
        return f"expected the full commit id as a str, got {describe(value)}"
    if value != value.strip():
        return "your commit id carries whitespace or a newline: strip git's output"
    if len(value) < 40:
        return "return the full 40-character commit id, not an abbreviation"
    return None


def judge_first_bad(state_matters: bool):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            if obs.get("git_missing"):
                return Failure(Status.ERROR, "this exercise needs the `git` command, which is not installed here.")
            call = obs["call"]
            if "error" in call:
                return error_failure(case, call["error"])
            ids, before = FIRST_BAD(*case.args)
            value, want = call["value"], ids[f"c{case.extra}"]
            problem = _sha_problem(value)
            if problem:
                return incorrect(case, problem + ".")
            if value != want:
                if value == ids[f"c{case.extra - 1}"]:
                    return incorrect(case, "you returned the last good commit: the answer is the first commit whose "
                                           "check fails, the one right after it.", "last-good")
                return incorrect(case, "that is not the first commit in good..bad whose checkout makes cmd exit "
                                       "non-zero (exit 0 = good, 1..124 = bad).")
            if not state_matters:
                continue
            problem = _state_problem(before, obs["after"])
            if problem:
                mid, text = problem
                return incorrect(case, text + ".", mid)
        return None

    return judge


def _state_problem(before, after):
    if "broken" in after:
        return "repo-broken", f"the repository is unusable afterwards ({after['broken'][:120]})"
    if after["bisect_log"]:
        return "no-bisect-reset", "a bisect session was left open (.git/BISECT_LOG): finish with `git bisect reset`"
    if after["branch"] is None:
        return "detached-head", "HEAD is left detached on a commit: return to the branch the caller was on " \
                                "(`git bisect reset`, or `git checkout <original branch>`)"
    if after["branch"] != before["branch"]:
        return "wrong-branch", "HEAD is left on another branch than the caller's: remember `git symbolic-ref HEAD` " \
                               "first and return to that branch, not to main"
    if after["head"] != before["head"]:
        return "moved-head", "the caller's branch now points at another commit"
    if after["status"]:
        return "dirty-tree", "the working tree is left with changes or untracked files (`git status --porcelain`)"
    if after["worktrees"] != before["worktrees"]:
        return "worktree-left", "an extra worktree is left registered: `git worktree remove` it when done"
    return None


def cf_case(a, b, label, as_path=False, tags=()):
    return Case((a, b, as_path), {}, label, frozenset(tags))


def _cf_check(title, points, cases):
    return Check(title, points, cases, judge_changed, probe=changed_files_probe, timeout=20.0,
                 probe_args=lambda target, cs: (target, HISTORY, [c.args for c in cs]))


def fb_case(recipe, good, bad, first_bad, code, label, as_path=False):
    return Case((recipe, good, bad, code, as_path), {}, label, extra=first_bad)


FB_JUDGE, FB_STATE_JUDGE = judge_first_bad(False), judge_first_bad(True)
# the judges whose oracles keep their outputs, and those oracles (01's warm_up)
KEPT = {judge_changed: CHANGED, FB_JUDGE: FIRST_BAD, FB_STATE_JUDGE: FIRST_BAD}


def _fb_check(title, points, cases, state_matters=False):
    return Check(title, points, cases, FB_STATE_JUDGE if state_matters else FB_JUDGE, probe=first_bad_probe,
                 target="first_bad_commit", timeout=30.0, probe_args=lambda target, cs: (target, [c.args for c in cs]))


def _fb_main():
    return [fb_case(linear(14, 9), ("sha", "c1"), "main", 9, 1, "14 commits, good = c1 (full id), bad = main"),
            fb_case(linear(22, 15), "c0", ("sha", "c21"), 15, 1, "22 commits, good = tag c0, bad = c21 (full id)",
                    as_path=True)]


def _fb_edges():
    return [fb_case(linear(12, 3, branch_at=5), "c2", ("sha", "c11"), 3, 3,
                    "the first bad commit right after good (cmd exits 3 when bad; HEAD on branch release)"),
            fb_case(linear(12, 11), ("sha", "c10"), ("sha", "c11"), 11, 42,
                    "good and bad adjacent (cmd exits 42 when bad), repo as a Path", as_path=True)]


def _fb_state():
    return [fb_case(linear(16, 6, branch_at=9), ("sha", "c0"), "main", 6, 1,
                    "HEAD on branch release, good = c0, bad = main"),
            fb_case(linear(10, 4), "c1", "c9", 4, 2, "HEAD on main, good = c1, bad = c9 (tags)")]


changed_files = Exercise(
    "changed_files",
    skill="git",
    cell_timeout=10.0,
    hints=(
        "A commit names a whole tree. What differs between two commits is a comparison of their two trees, not "
        "the list of commits in between; `git bisect` finds a first bad commit in log2(n) checkouts.",
        "changed_files: run `git diff --name-only --no-renames A B` with subprocess.run(..., cwd=repo, "
        "capture_output=True, text=True, check=True) and sort its lines. first_bad_commit: remember the branch, "
        "then `git bisect start BAD GOOD`, `git bisect run *cmd`, read the first bad id (`git rev-parse "
        "refs/bisect/bad`), and always `git bisect reset` (try/finally).",
        "`run(['git', 'bisect', 'start', bad, good])`; `run(['git', 'bisect', 'run', *cmd])`; "
        "`sha = run(['git', 'rev-parse', 'refs/bisect/bad']).strip()`; `finally: run(['git', 'bisect', 'reset'])`",
    ),
    checks=(
        _cf_check("content changes, a rename as both paths, a deletion, a mode change, spaces and subfolders", 2,
                  lambda: [cf_case(("sha", "v0"), ("sha", "v1"), "v0 -> v1 (full ids)"),
                           cf_case("v0", "v3", "tags v0 -> v3")]),
        _cf_check("a file changed and changed back is not listed", 1,
                  lambda: [cf_case(("sha", "v1"), ("sha", "v3"), "v1 -> v3, README.md edited then restored")]),
        _cf_check("diverged branches: the two trees, not the merge base", 1,
                  lambda: [cf_case("main", "feature", "main vs feature (diverged)", tags=("diverged",)),
                           cf_case("feature", "main", "feature vs main", tags=("diverged",))]),
        _cf_check("any revisions, either order, repo as str or Path", 1,
                  lambda: [cf_case(("sha", "v3"), ("sha", "v0"), "v3 -> v0 (newer first)", as_path=True),
                           cf_case("v2", "v2", "the same commit twice"),
                           cf_case("feature~1", "feature", "feature~1 -> feature")]),
        _fb_check("first_bad_commit finds the first bad commit", 2, _fb_main),
        _fb_check("first_bad_commit at the edges (right after good, adjacent good and bad)", 1, _fb_edges),
        _fb_check("first_bad_commit leaves the repository as it found it", 2, _fb_state, state_matters=True),
    ),
)
