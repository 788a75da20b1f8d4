"""A small Dockerfile reader for the structural checks of make_dockerfile (grading process).

It knows what the checks need and no more: instructions with their line numbers (continuation lines
joined, comments and blank lines skipped), stages split at FROM, the flags and sources of COPY/ADD, and
whether CMD/ENTRYPOINT use the exec (JSON) form. hadolint does the linting itself.
"""
from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Instruction:
    line: int
    keyword: str          # upper case: FROM, RUN, COPY...
    rest: str             # everything after the keyword, continuation lines joined


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)


def instructions(text: str) -> list[Instruction]:
    out, pending, start = [], "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue                                   # a comment inside a continued instruction
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        whole = (pending + stripped).strip()
        pending = ""
        keyword, _, rest = whole.partition(" ")
        out.append(Instruction(start, keyword.upper(), rest.strip()))
    if pending.strip():
        keyword, _, rest = pending.strip().partition(" ")
        out.append(Instruction(start, keyword.upper(), rest.strip()))
    return out


def stages(items: list[Instruction]) -> list[Stage]:
    out: list[Stage] = []
    for ins in items:
        if ins.keyword == "FROM":
            words = [w for w in ins.rest.split() if not w.startswith("--")]
            base = words[0] if words else ""
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            out.append(Stage(base, name))
        elif out:
            out[-1].instructions.append(ins)
    return out


def exec_form(rest: str) -> list[str] | None:
    """The argv of an exec-form CMD/ENTRYPOINT/RUN/COPY, or None for the shell form."""
    if not rest.startswith("["):
        return None
    try:
        argv = json.loads(rest)
    except ValueError:
        return None
    if isinstance(argv, list) and all(isinstance(a, str) for a in argv):
        return argv
    return None


def copy_parts(rest: str) -> tuple[dict, list[str], str]:
    """(flags, sources, destination) of a COPY or ADD."""
    words = exec_form(rest)
    if words is None:
        try:
            words = shlex.split(rest)
        except ValueError:
            words = rest.split()
    flags = {}
    while words and words[0].startswith("--"):
        key, _, value = words.pop(0)[2:].partition("=")
        flags[key] = value
    if not words:
        return flags, [], ""
    return flags, words[:-1], words[-1]


def normalise_source(path: str) -> str:
    while path.startswith("./"):
        path = path[2:]
    return path or "."


def image_parts(base: str) -> tuple[str, str, str]:
    """(repository, tag, digest) of an image reference; the tag is '' when there is none."""
    digest = ""
    if "@" in base:
        base, digest = base.split("@", 1)
    repo, tag = base, ""
    last = base.rsplit("/", 1)[-1]
    if ":" in last:
        repo, tag = base.rsplit(":", 1)
    for prefix in ("docker.io/library/", "library/", "index.docker.io/library/"):
        repo = repo.removeprefix(prefix)
    return repo, tag, digest
