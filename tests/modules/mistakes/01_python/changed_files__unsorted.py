# mistake: unsorted
# expect: these are the right paths, but not sorted
import subprocess


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def changed_files(repo, rev_a, rev_b):
    out = _git(repo, "diff", "--name-only", "--no-renames", rev_a, rev_b)
    return sorted(out.splitlines(), key=len)


def first_bad_commit(repo, good, bad, cmd):
    _git(repo, "bisect", "start", bad, good)
    try:
        _git(repo, "bisect", "run", *cmd)
        return _git(repo, "rev-parse", "refs/bisect/bad").strip()
    finally:
        _git(repo, "bisect", "reset")
