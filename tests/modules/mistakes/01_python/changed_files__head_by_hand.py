# mistake: repo-broken
# expect: the repository is unusable afterwards
import subprocess
from pathlib import Path


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def changed_files(repo, rev_a, rev_b):
    out = _git(repo, "diff", "--name-only", "--no-renames", rev_a, rev_b)
    return sorted(out.splitlines())


def first_bad_commit(repo, good, bad, cmd):
    branch = _git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()      # "main": a short name
    try:
        for sha in _git(repo, "rev-list", "--reverse", f"{good}..{bad}").split():
            _git(repo, "checkout", "-q", sha)
            if subprocess.run(cmd, cwd=repo).returncode != 0:
                return sha
        return None
    finally:
        # restores HEAD by hand, with the short name: git needs "ref: refs/heads/main"
        Path(repo, ".git", "HEAD").write_text(f"ref: {branch}\n")
