import subprocess


def _git(repo, *args):
    done = subprocess.run(["git", *args], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    done.check_returncode()
    return done.stdout.decode()


def _tree(repo, rev):
    entries = {}
    for record in _git(repo, "ls-tree", "-r", "-z", rev).split("\0"):
        if record:
            meta, path = record.split("\t", 1)
            mode, _, blob = meta.split()
            entries[path] = (mode, blob)
    return entries


def changed_files(repo, rev_a, rev_b):
    a, b = _tree(repo, rev_a), _tree(repo, rev_b)
    return sorted(path for path in set(a) | set(b) if a.get(path) != b.get(path))


def first_bad_commit(repo, good, bad, cmd):
    branch = _git(repo, "symbolic-ref", "-q", "--short", "HEAD").strip()
    commits = _git(repo, "rev-list", "--reverse", f"{good}..{bad}").split()
    try:
        for sha in commits:
            _git(repo, "checkout", "-q", sha)
            if subprocess.run(cmd, cwd=repo).returncode != 0:
                return sha
        raise ValueError("no bad commit in range")
    finally:
        _git(repo, "checkout", "-q", branch)
