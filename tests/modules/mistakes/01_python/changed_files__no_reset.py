# mistake: no-bisect-reset
# expect: a bisect session was left open
import subprocess


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def changed_files(repo, rev_a, rev_b):
    out = _git(repo, "diff", "--name-only", "--no-renames", rev_a, rev_b)
    return sorted(out.splitlines())


def first_bad_commit(repo, good, bad, cmd):
    _git(repo, "bisect", "start", bad, good)
    _git(repo, "bisect", "run", *cmd)
    return _git(repo, "rev-parse", "refs/bisect/bad").strip()
