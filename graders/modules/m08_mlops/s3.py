"""upload_artifacts / download_latest: immutable versioned keys with sha256 in metadata and a manifest,
LATEST moved last, checksums verified on download; graded with boto3 against moto's in-process S3."""
from __future__ import annotations

import hashlib
import json

from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from . import sandbox_s3
from .common import MODULE_ID, refusal_failure

EX = "upload_artifacts"
BUCKET, PREFIX = "mlkata-artifacts", "models/churn"
BIG = 20 << 20

POINTER_FIRST = Mistake("pointer-before-files", "after an upload failed half-way, LATEST already named the new "
                        "version: a reader would download a half-published version. Write LATEST last, after every "
                        "file and the manifest")
STRING_ORDER = Mistake("latest-by-string-order", "you picked the latest version by comparing prefixes as strings "
                       "('v9' > 'v10'): follow the LATEST pointer instead of listing the bucket")
NOT_POINTER = Mistake("latest-not-followed", "download_latest must read prefix/LATEST and download that version, "
                      "whatever else the bucket lists")
NO_VERIFY = Mistake("no-checksum-verification", "a downloaded file whose sha256 differs from the manifest must raise "
                    "ValueError naming the file: compare hashlib.sha256 of what you wrote with the manifest")
REPUBLISHED = Mistake("republished-version", "a version whose MANIFEST.json exists is published: refuse it with "
                      "ValueError before writing anything (versions are immutable)")
ONE_PIECE = Mistake("single-put-large-file", "a 20 MiB file went up in one PutObject: files of 8 MiB or more must "
                    "go multipart (s3.upload_file does it by default)")
NO_METADATA = Mistake("no-sha256-metadata", "every uploaded file needs user metadata sha256=<hex digest of its bytes> "
                      "(ExtraArgs={'Metadata': {'sha256': ...}})")


def _plan(tag, files):
    return [(rel, size, seed_for(MODULE_ID, EX, tag, rel)) for rel, size in files]


PLAN_1 = _plan("v1", [("model.joblib", 30_000), ("metadata.json", 900), ("reports/metrics.json", 400),
                      ("reports/plots/roc.png", 12_000), ("README.txt", 1)])
PLAN_2 = _plan("v2", [("model.joblib", 31_000), ("metadata.json", 950), ("reports/metrics.json", 420)])
PLAN_BIG = _plan("big", [("weights/encoder.bin", BIG), ("config.json", 300)])


def manifest_of(plan, version):
    files = {}
    for rel, size, seed in plan:
        files[rel] = {"sha256": hashlib.sha256(sandbox_s3.file_bytes(size, seed)).hexdigest(), "size": size}
    return {"version": version, "files": dict(sorted(files.items()))}


def _upload(plan, version, fail=()):
    return ("upload", plan, version, [f"{PREFIX}/{version}/{rel}" for rel in fail])


def _scenario(*steps, prefix=PREFIX):
    return {"bucket": BUCKET, "prefix": prefix, "steps": list(steps)}


def _check(title, points, cases, judge, timeout=60.0):
    """``cases``: (label, scenario) pairs; ``judge(case, observations)`` judges one scenario's steps."""
    def judge_all(cases, observations):
        for case, obs in zip(cases, observations):
            failure = judge(case, obs)
            if failure:
                return failure
        return None

    return Check(title, points, [Case((), {}, label, extra=scenario) for label, scenario in cases], judge_all,
                 probe=sandbox_s3.s3_probe, probe_args=lambda target, cases: (target, [c.extra for c in cases]),
                 timeout=timeout)


def _published(case, obs, plan, version, allowed) -> object:
    """The upload of ``plan`` as ``version`` is complete and correct in the bucket after ``obs``."""
    if "error" in obs:
        return error_failure(case, obs["error"])
    bucket, want = obs["bucket"], manifest_of(plan, version)
    for rel, info in want["files"].items():
        key = f"{PREFIX}/{version}/{rel}"
        if key not in bucket:
            return incorrect(case, f"{key} is missing: every file under local_dir (recursively) goes to "
                                   "f'{prefix}/{version}/{relative posix path}'")
        if bucket[key]["sha256"] != info["sha256"]:
            return incorrect(case, f"{key} does not hold the bytes of the local file {rel}")
        if bucket[key]["metadata"].get("sha256") != info["sha256"]:
            return incorrect(case, NO_METADATA.message, NO_METADATA.id)
    manifest_key = f"{PREFIX}/{version}/MANIFEST.json"
    try:
        manifest = json.loads(bucket[manifest_key]["text"])
    except (KeyError, ValueError):
        return incorrect(case, f"{manifest_key} is missing or is not JSON")
    if manifest != want:
        return incorrect(case, 'MANIFEST.json must be {"version": version, "files": {rel: {"sha256": hex, "size": '
                               'int}}} for every file')
    if obs.get("value") != want:
        return incorrect(case, "upload_artifacts must return the manifest dict it wrote")
    if bucket.get(f"{PREFIX}/LATEST", {}).get("text", "").strip() != version:
        return incorrect(case, "after a successful upload, prefix/LATEST must hold the new version")
    extra = sorted(set(bucket) - allowed)
    if extra:
        return incorrect(case, f"the bucket holds keys the contract does not name: {extra[:4]}")
    return None


def _keys(plan, version):
    return {f"{PREFIX}/{version}/{rel}" for rel, _, _ in plan} | {f"{PREFIX}/{version}/MANIFEST.json",
                                                                   f"{PREFIX}/LATEST"}


def _judge_upload(case, obs):
    allowed = _keys(PLAN_1, "v1")
    failure = _published(case, obs[0], PLAN_1, "v1", allowed)
    if failure:
        return failure
    allowed |= _keys(PLAN_2, "v2")
    failure = _published(case, obs[1], PLAN_2, "v2", allowed)
    if failure:
        return failure
    if any(obs[1]["bucket"].get(k) != obs[0]["bucket"].get(k) for k in _keys(PLAN_1, "v1") - {f"{PREFIX}/LATEST"}):
        return incorrect(case, "publishing v2 changed objects of v1: versions are immutable")
    return None


def _judge_multipart(case, obs):
    failure = _published(case, obs[0], PLAN_BIG, "v1", _keys(PLAN_BIG, "v1"))
    if failure:
        return failure
    etag = obs[0]["bucket"][f"{PREFIX}/v1/weights/encoder.bin"]["etag"]
    if "-" not in etag:
        return incorrect(case, ONE_PIECE.message, ONE_PIECE.id)
    return None


def _judge_failure(case, obs):
    failure = _published(case, obs[0], PLAN_1, "v1", _keys(PLAN_1, "v1") | _keys(PLAN_2, "v2"))
    if failure:
        return failure
    after = obs[1]
    if after.get("error", {}).get("not_implemented"):
        return error_failure(case, after["error"])
    latest = after["bucket"].get(f"{PREFIX}/LATEST", {}).get("text", "").strip()
    if "error" not in after:     # carried on past the failure (LATEST then names a half version too)
        return incorrect(case, "an upload that fails (here: one PutObject raised) must let the exception propagate, "
                               "and nothing after it may be written (no manifest, no LATEST)",
                         "upload-failure-swallowed")
    if latest != "v1":
        return incorrect(case, POINTER_FIRST.message, POINTER_FIRST.id)
    return None


def _judge_republish(case, obs):
    failure = _published(case, obs[0], PLAN_1, "v1", _keys(PLAN_1, "v1"))
    if failure:
        return failure
    again = obs[1]
    if again["bucket"] != obs[0]["bucket"]:
        return incorrect(case, REPUBLISHED.message, REPUBLISHED.id)
    seen = ({"returned": again.get("value")} if "error" not in again else
            {"raised": again["error"].get("type"), "value_error": again["error"].get("type") in _VALUE_ERRORS,
             "message": again["error"].get("message", "")})
    if again.get("error", {}).get("not_implemented"):
        return error_failure(case, again["error"])
    return refusal_failure(case, seen, (), what="publishing a version that exists",
                           accepted_mistake=(REPUBLISHED.id, REPUBLISHED.message))


_VALUE_ERRORS = {"ValueError", "UnicodeError", "JSONDecodeError"}


# ------------------------------------------------------------------ download_latest
def publish(prefix, version, plan, corrupt=None, pointer=True):
    """The objects of a correctly published version (the grader's own reference upload)."""
    objects, files = [], {}
    for rel, size, seed in plan:
        body = sandbox_s3.file_bytes(size, seed)
        digest = hashlib.sha256(body).hexdigest()
        files[rel] = {"sha256": digest, "size": size}
        stored = body[:-1] + bytes([body[-1] ^ 0xFF]) if rel == corrupt else body
        objects.append((f"{prefix}/{version}/{rel}", stored, {"sha256": digest}))
    objects.append((f"{prefix}/{version}/MANIFEST.json", json.dumps({"version": version, "files": files}).encode(), {}))
    if pointer:
        objects.append((f"{prefix}/LATEST", f"{version}\n".encode(), {}))
    return objects


def _dl_plan(tag, n=3):
    return _plan(tag, [("model.joblib", 5_000 + 97 * n), ("metadata.json", 300 + n), ("eval/metrics.json", 200)][:n])


def _judge_download(case, obs):
    version, plan = case.extra["expect"]
    obs = obs[-1]
    if "error" in obs:
        return error_failure(case, obs["error"])
    if obs.get("value") == "v9":
        return incorrect(case, STRING_ORDER.message, STRING_ORDER.id)
    if not isinstance(obs.get("value"), str) or obs["value"] != version:
        return incorrect(case, f"{NOT_POINTER.message} (and return that version as a str)", NOT_POINTER.id)
    want = manifest_of(plan, version)["files"]
    if obs["written"] != {rel: info["sha256"] for rel, info in want.items()}:
        return incorrect(case, "dest_dir must hold exactly the manifest's files at dest_dir/<rel>, with their bytes")
    return None


def _judge_corrupt(case, obs):
    obs = obs[-1]
    if "error" in obs and obs["error"].get("not_implemented"):
        return error_failure(case, obs["error"])
    if "error" not in obs:
        return incorrect(case, NO_VERIFY.message, NO_VERIFY.id)
    seen = {"raised": obs["error"].get("type"), "value_error": obs["error"].get("type") in _VALUE_ERRORS,
            "message": obs["error"].get("message", "")}
    failure = refusal_failure(case, seen, (), what="a file whose sha256 differs from the manifest")
    if failure:
        return failure
    if "metrics.json" not in seen["message"]:
        return incorrect(case, "the ValueError must name the file that failed its checksum (its path under the "
                               "version)", "corrupt-file-not-named")
    return None


def _download_cases():
    p9, p10, p11 = _dl_plan("d9"), _dl_plan("d10"), _dl_plan("d11", 2)
    numbered = _scenario(("put", publish(PREFIX, "v9", p9) + publish(PREFIX, "v10", p10)
                          + publish(PREFIX, "v11", p11, pointer=False)), ("download",))
    numbered["expect"] = ("v10", p10)
    p3, p4 = _dl_plan("r3"), _dl_plan("r4")
    rollback = _scenario(("put", publish(PREFIX, "v4", p4) + publish(PREFIX, "v3", p3)), ("download",))
    rollback["expect"] = ("v3", p3)
    # v11 is whole (files and manifest) but LATEST was not moved yet: only the pointer says v10
    return [("v9 and v10 published, LATEST = v10, v11 uploaded but not pointed to", numbered),
            ("v3 and v4 published, LATEST rolled back to v3", rollback)]


def _corrupt_cases():
    plan = _dl_plan("c2")
    clean = _scenario(("put", publish(PREFIX, "v2", plan)), ("download",))
    clean["expect"] = ("v2", plan)
    corrupt = _scenario(("put", publish(PREFIX, "v2", plan, corrupt="eval/metrics.json")), ("download",))
    return [("a clean version v2", clean), ("v2 whose eval/metrics.json no longer matches the manifest", corrupt)]


def _judge_clean_then_corrupt(case, obs):
    return _judge_download(case, obs) if "expect" in case.extra else _judge_corrupt(case, obs)


upload_artifacts = Exercise(
    EX,
    skill="cloud-storage",
    cell_timeout=20.0,
    hints=(
        "A version is published when its last object lands: upload every file under a new, never reused prefix, "
        "then the manifest, then move the LATEST pointer. Readers follow the pointer and trust nothing they have "
        "not hashed.",
        "Refuse early if f'{prefix}/{version}/MANIFEST.json' exists; for each file: hashlib.sha256, "
        "s3.upload_file(path, bucket, key, ExtraArgs={'Metadata': {'sha256': digest}}) (multipart above 8 MiB by "
        "itself); put MANIFEST.json, then LATEST. download: get LATEST, get the manifest, download each file, hash it.",
        "`version = s3.get_object(Bucket=bucket, Key=f'{prefix}/LATEST')['Body'].read().decode().strip()`; "
        "`if sha != info['sha256']: raise ValueError(f'{rel}: sha256 mismatch')`",
    ),
    checks=(
        _check("upload: versioned keys, sha256 metadata, MANIFEST.json, then LATEST; the manifest is returned", 3,
               [("v1 then v2 of a folder with nested files", _scenario(_upload(PLAN_1, "v1"), _upload(PLAN_2, "v2")))],
               _judge_upload),
        _check("a 20 MiB file goes up multipart", 1,
               [("a folder with a 20 MiB file", _scenario(_upload(PLAN_BIG, "v1")))], _judge_multipart, timeout=90.0),
        _check("a failing upload raises and leaves LATEST on the previous version", 2,
               [("v1, then v2 with one PutObject failing", _scenario(
                   _upload(PLAN_1, "v1"), _upload(PLAN_2, "v2", fail=[PLAN_2[1][0]])))], _judge_failure),
        _check("re-publishing an existing version raises ValueError before writing anything", 1,
               [("v1, then v1 again with other files", _scenario(_upload(PLAN_1, "v1"), _upload(PLAN_2, "v1")))],
               _judge_republish),
        _check("download_latest follows LATEST (never the listing order) and writes the manifest's files", 2,
               _download_cases(), _judge_download),
        _check("download_latest verifies every sha256 and names the file that fails", 1, _corrupt_cases(),
               _judge_clean_then_corrupt),
    ),
)
