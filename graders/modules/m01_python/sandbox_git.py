"""Git repositories for 01_python's changed_files / first_bad_commit checks, and their probes.

A recipe (plain data, from ``gitrepos.py``) is replayed with the ``git`` CLI into a temp
directory: ``git init -b main``, fixed author/committer identity and dates through
environment variables, and no system or global config (so a user's ``commit.gpgsign`` or
hooks cannot change a commit id). The grading process replays the same recipe to get the
expected answers, so both sides have identical commit ids.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat", "GIT_EDITOR": "true", "LC_ALL": "C", "LANGUAGE": "C",
    "GIT_AUTHOR_NAME": "mlkata", "GIT_AUTHOR_EMAIL": "grader@mlkata.invalid",
    "GIT_COMMITTER_NAME": "mlkata", "GIT_COMMITTER_EMAIL": "grader@mlkata.invalid",
}
EPOCH = 1_700_000_000
# the bisect check: exec the repository's calc.py and test add(); exit 0 = good, the case's code = bad
CHECK = "import sys; ns = {{}}; exec(open('calc.py').read(), ns); sys.exit(0 if ns['add'](2, 3) == 5 else {code})"


class GitMissing(RuntimeError):
    """The ``git`` command is not installed."""


def git_available() -> bool:
    return shutil.which("git") is not None


def git(repo, *args, stdin: str | None = None) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], env={**os.environ, **GIT_ENV}, input=stdin,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args[:3])} failed: {done.stderr.strip()[:300]}")
    return done.stdout


def build_repo(recipe, parent: str | None = None) -> str:
    """Replay ``recipe`` into a new folder with one ``git fast-import`` (fast and byte-for-byte reproducible);
    return its path, with the final branch checked out and a clean working tree.

    Steps: ("commit", message, {path: text or None to delete}, {path: executable?}), ("branch", name) at the
    current commit, ("switch", name), ("tag", name). A rename is a commit deleting the old path and adding
    the same text under the new one.
    """
    if not git_available():
        raise GitMissing("git is not installed")
    repo = tempfile.mkdtemp(prefix="repo-", dir=parent)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "fast-import", "--quiet", "--done", stdin=fast_import_stream(recipe))
    branch = "main"
    for step in recipe:
        branch = step[1] if step[0] == "switch" else branch
    git(repo, "symbolic-ref", "HEAD", f"refs/heads/{branch}")
    git(repo, "reset", "-q", "--hard")
    return repo


def _data(text: str) -> str:
    return f"data {len(text.encode('utf-8'))}\n{text}"     # the LF that join adds after it is optional


def fast_import_stream(recipe) -> str:
    """The fast-import commands of a recipe: fixed identity, one hour between commits."""
    out, mark, clock = [], 0, 0
    branch, tips = "main", {}
    trees: dict[str, dict] = {"main": {}}          # per branch: path -> (text, executable)
    who = f"{GIT_ENV['GIT_AUTHOR_NAME']} <{GIT_ENV['GIT_AUTHOR_EMAIL']}>"
    for step in recipe:
        kind = step[0]
        if kind == "commit":
            _, message, files, modes = step
            mark, clock = mark + 1, clock + 1
            stamp = f"{who} {EPOCH + 3600 * clock} +0000"
            out += [f"commit refs/heads/{branch}", f"mark :{mark}", f"author {stamp}", f"committer {stamp}",
                    _data(message)]
            if branch in tips:
                out.append(f"from :{tips[branch]}")
            tree = trees[branch]
            for path, text in files.items():
                if text is None:
                    tree.pop(path, None)
                    out.append(f"D {path}")
                else:
                    tree[path] = (text, tree.get(path, ("", False))[1])
            for path, executable in modes.items():
                tree[path] = (tree[path][0], executable)
            for path in sorted(set(files) | set(modes)):
                if path in tree:
                    text, executable = tree[path]
                    out += [f"M {'100755' if executable else '100644'} inline {path}", _data(text)]
            tips[branch] = mark
        elif kind == "branch":
            trees[step[1]] = dict(trees[branch])
            tips[step[1]] = tips[branch]
            out += [f"reset refs/heads/{step[1]}", f"from :{tips[branch]}"]
        elif kind == "switch":
            branch = step[1]
        elif kind == "tag":
            out += [f"reset refs/tags/{step[1]}", f"from :{tips[branch]}"]
    return "\n".join(out + ["done"]) + "\n"


def rev(repo, spec) -> str:
    """A revision as the learner gets it: ("sha", name) is the full commit id of a name, else the name."""
    if isinstance(spec, tuple) and spec[0] == "sha":
        return git(repo, "rev-parse", spec[1] + "^{commit}").strip()
    return spec


def repo_state(repo) -> dict:
    """What first_bad_commit must leave as it found it."""
    branch = subprocess.run(["git", "-C", repo, "symbolic-ref", "-q", "HEAD"], capture_output=True, text=True,
                            env={**os.environ, **GIT_ENV}, check=False).stdout.strip() or None
    worktrees = [line for line in git(repo, "worktree", "list", "--porcelain").splitlines()
                 if line.startswith("worktree ")]
    return {"branch": branch, "head": git(repo, "rev-parse", "HEAD").strip(),
            "status": git(repo, "status", "--porcelain").splitlines(),
            "bisect_log": os.path.exists(os.path.join(repo, ".git", "BISECT_LOG")),
            "worktrees": len(worktrees)}


def _learner_git_env() -> None:
    """The learner's own git calls run without system/global config and in the C locale, as ours do, so a
    user's settings (colour, pager, language of messages) cannot change what their code reads."""
    os.environ.update({k: v for k, v in GIT_ENV.items() if not k.startswith(("GIT_AUTHOR", "GIT_COMMITTER"))})


def changed_files_probe(ctx, target, recipe, queries):
    """Build the repository, then per query (rev_a, rev_b, as_path) call changed_files on it."""
    from pathlib import Path

    fn = ctx.lookup(target)
    try:
        repo = build_repo(recipe, os.getcwd())
    except GitMissing:
        return {"git_missing": True}
    _learner_git_env()
    out = []
    for i, (a, b, as_path) in enumerate(queries):
        ctx.progress(i)
        out.append(ctx.observe(fn, (Path(repo) if as_path else repo, rev(repo, a), rev(repo, b))))
    return {"results": out}


def first_bad_probe(ctx, target, runs):
    """Per run (recipe, good, bad, exit code, as_path): build the repository, call first_bad_commit, and report
    its answer and the repository's state afterwards."""
    from pathlib import Path

    fn = ctx.lookup(target)
    out = []
    for i, (recipe, good, bad, code, as_path) in enumerate(runs):
        ctx.progress(i)
        try:
            repo = build_repo(recipe, os.getcwd())
        except GitMissing:
            return [{"git_missing": True}] * len(runs)
        _learner_git_env()
        cmd = [sys.executable, "-I", "-S", "-B", "-c", CHECK.format(code=code)]   # -I -S: a fast start
        obs = ctx.observe(fn, (Path(repo) if as_path else repo, rev(repo, good), rev(repo, bad), cmd))
        try:
            after = repo_state(repo)
        except RuntimeError as exc:
            after = {"broken": str(exc)}
        out.append({"call": obs, "after": after})
    return out
