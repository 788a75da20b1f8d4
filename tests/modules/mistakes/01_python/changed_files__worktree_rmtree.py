# mistake: worktree-left
# expect: an extra worktree is left registered
import subprocess


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def changed_files(repo, rev_a, rev_b):
    out = _git(repo, "diff", "--name-only", "--no-renames", rev_a, rev_b)
    return sorted(out.splitlines())


def first_bad_commit(repo, good, bad, cmd):
    import shutil
    import tempfile

    place = tempfile.mkdtemp(dir=f"{repo}/..")
    _git(repo, "worktree", "add", "-q", "--detach", place, bad)
    try:
        for sha in _git(repo, "rev-list", "--reverse", f"{good}..{bad}").split():
            _git(place, "checkout", "-q", sha)
            if subprocess.run(cmd, cwd=place).returncode != 0:
                return sha
        return None
    finally:
        shutil.rmtree(place)                 # the worktree stays registered without `git worktree remove`
