# mistake: mode-ignored
# expect: a file whose mode changed
import subprocess


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def changed_files(repo, rev_a, rev_b):
    def blobs(rev):
        tree = {}
        for line in _git(repo, "ls-tree", "-r", rev).splitlines():
            meta, path = line.split("\t", 1)
            tree[path] = meta.split()[2]
        return tree

    a, b = blobs(rev_a), blobs(rev_b)
    return sorted(p for p in a.keys() | b.keys() if a.get(p) != b.get(p))


def first_bad_commit(repo, good, bad, cmd):
    _git(repo, "bisect", "start", bad, good)
    try:
        _git(repo, "bisect", "run", *cmd)
        return _git(repo, "rev-parse", "refs/bisect/bad").strip()
    finally:
        _git(repo, "bisect", "reset")
