# mistake: dirty-tree
# expect: the working tree is left with changes or untracked files
import subprocess


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def changed_files(repo, rev_a, rev_b):
    out = _git(repo, "diff", "--name-only", "--no-renames", rev_a, rev_b)
    return sorted(out.splitlines())


def first_bad_commit(repo, good, bad, cmd):
    _git(repo, "bisect", "start", bad, good)
    try:
        log = _git(repo, "bisect", "run", *cmd)
        with open(f"{repo}/bisect-run.log", "w") as fh:
            fh.write(log)
        return _git(repo, "rev-parse", "refs/bisect/bad").strip()
    finally:
        _git(repo, "bisect", "reset")
