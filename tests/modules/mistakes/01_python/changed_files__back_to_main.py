# mistake: wrong-branch
# expect: HEAD is left on another branch than the caller's
import subprocess


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def changed_files(repo, rev_a, rev_b):
    out = _git(repo, "diff", "--name-only", "--no-renames", rev_a, rev_b)
    return sorted(out.splitlines())


def first_bad_commit(repo, good, bad, cmd):
    try:
        for sha in _git(repo, "rev-list", "--reverse", f"{good}..{bad}").split():
            _git(repo, "checkout", "-q", sha)
            if subprocess.run(cmd, cwd=repo).returncode != 0:
                return sha
        return None
    finally:
        _git(repo, "checkout", "-q", "main")
