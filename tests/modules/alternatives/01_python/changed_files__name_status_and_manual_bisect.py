import subprocess
from pathlib import Path


def _run(repo, *args):
    return subprocess.run(("git", "-C", str(repo)) + args, capture_output=True, text=True, check=True).stdout


def changed_files(repo, rev_a, rev_b):
    """--name-status -z parsed by hand: a rename shows up as two entries with --no-renames anyway."""
    fields = _run(repo, "diff", "--no-renames", "--name-status", "-z", rev_a, rev_b).split("\0")
    paths = set(fields[1::2][: len(fields) // 2])
    return sorted(p for p in paths if p)


def first_bad_commit(repo, good, bad, cmd):
    """A binary search of my own over rev-list, in a temporary worktree that is removed afterwards."""
    commits = _run(repo, "rev-list", "--reverse", "--ancestry-path", f"{good}..{bad}").split()
    place = Path(repo).resolve().parent / ("bisect-" + commits[-1][:8])
    _run(repo, "worktree", "add", "--detach", str(place), commits[-1])
    try:
        lo, hi = 0, len(commits) - 1          # commits[hi] is bad
        while lo < hi:
            mid = (lo + hi) // 2
            _run(place, "checkout", "-q", "--detach", commits[mid])
            if subprocess.run(cmd, cwd=place).returncode == 0:
                lo = mid + 1
            else:
                hi = mid
        return commits[lo]
    finally:
        _run(repo, "worktree", "remove", "--force", str(place))
