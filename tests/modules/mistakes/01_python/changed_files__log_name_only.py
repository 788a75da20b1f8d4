# mistake: log-name-only
# expect: a file changed and changed back is not different between the two trees
import subprocess


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def changed_files(repo, rev_a, rev_b):
    out = _git(repo, "log", "--name-only", "--format=", f"{rev_a}..{rev_b}")
    return sorted({line for line in out.splitlines() if line})


def first_bad_commit(repo, good, bad, cmd):
    _git(repo, "bisect", "start", bad, good)
    try:
        _git(repo, "bisect", "run", *cmd)
        return _git(repo, "rev-parse", "refs/bisect/bad").strip()
    finally:
        _git(repo, "bisect", "reset")
