"""Sandbox side of upload_artifacts / download_latest: boto3 against moto's in-process S3 (``mock_aws``,
dummy credentials, us-east-1), local files made from seeds, a failure injected through the client's
events, and the bucket's content as plain data. Nothing leaves the process."""
from __future__ import annotations

import copy
import hashlib
import os
from pathlib import Path

from .helpers import fresh_dir, sha256_file, stop_if_untouched

REGION = "us-east-1"
SMALL_BODY = 100_000          # bodies of MANIFEST.json / LATEST and small files are reported as text


def file_bytes(size: int, seed: int) -> bytes:
    """The content of a generated file (the grading process makes the same bytes to know their sha256)."""
    import numpy as np

    return np.random.default_rng(seed).bytes(size)


class InjectedFailure(Exception):
    """The failure the grader injects into one upload."""


# dummy credentials, no config or credentials file of the user's, no instance metadata: nothing can reach AWS
AWS_ENV = {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_SESSION_TOKEN": "x",
           "AWS_DEFAULT_REGION": REGION, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
           "AWS_EC2_METADATA_DISABLED": "true"}


def _environment() -> None:
    os.environ.update(AWS_ENV)


def _warm_session():
    """A boto3 session that has made one S3 client, so that it holds S3's service model and botocore's endpoint
    rules (about 30 JSON files, 0.3 s to read), and moto's own copy of the model read too; None if it cannot be
    made here. Made with the probes' AWS environment, so that the configuration it keeps is the one a probe's own
    session read; its credentials are left unresolved (the client here gets throwaway ones of its own), so the
    first client a probe makes resolves them under ``mock_aws``, as a fresh session did."""
    saved = {name: os.environ.get(name) for name in AWS_ENV}
    os.environ.update(AWS_ENV)
    try:
        import boto3
        import moto  # noqa: F401 - before the session: its request stubber is one of the handlers a session copies
        from moto.core.utils import get_service_model

        session = boto3.session.Session()
        session.client("s3", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
        get_service_model("s3")                      # moto's copy, kept per process
        return session
    except Exception:  # noqa: BLE001 - each probe makes a session of its own instead, as before
        return None
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# Made once in the sandbox parent, which imports this file before it forks any sandbox (MLKATA_SANDBOX is set
# there only), as sandbox_mlflow.py makes its empty store: every S3 probe's child made a session of its own under
# ``mock_aws`` and read those files again, half of upload_artifacts' probes' time. Each child's changes to it
# (the credentials it resolves, a client's handlers) stay in that child.
WARM_SESSION = _warm_session() if os.environ.get("MLKATA_SANDBOX") else None


def _client():
    """An S3 client, made under ``mock_aws``: from the sandbox parent's warm session where there is one, else
    from boto3's default session, which ``mock_aws`` makes anew."""
    if WARM_SESSION is not None:
        return WARM_SESSION.client("s3", region_name=REGION)
    import boto3

    return boto3.client("s3", region_name=REGION)


def snapshot(s3, bucket: str) -> dict:
    """Every object of the bucket: size, ETag, user metadata, sha256 of the body (and the body of small text
    objects such as MANIFEST.json and LATEST)."""
    objects = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            key = item["Key"]
            got = s3.get_object(Bucket=bucket, Key=key)       # its ETag and metadata too: no HEAD needed
            body = got["Body"].read()
            seen = {"size": item["Size"], "etag": got["ETag"].strip('"'), "metadata": dict(got.get("Metadata", {})),
                    "sha256": hashlib.sha256(body).hexdigest()}
            if key.endswith(("MANIFEST.json", "LATEST")) and len(body) <= SMALL_BODY:
                seen["text"] = body.decode("utf-8", "replace")
            objects[key] = seen
    return objects


def _write_files(plan) -> Path:
    folder = fresh_dir("artifacts-")
    for rel, size, seed in plan:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file_bytes(size, seed))
    return folder


def _inject(s3, keys):
    """Make the client fail on an upload (PutObject, or the start of a multipart upload) of one of ``keys``."""
    def fail(params, **_):
        if params.get("Key") in keys:
            raise InjectedFailure(f"injected failure while uploading {params.get('Key')}")

    events = ("provide-client-params.s3.PutObject", "provide-client-params.s3.CreateMultipartUpload")
    for event in events:
        s3.meta.events.register(event, fail, unique_id=f"mlkata-{event}")
    return lambda: [s3.meta.events.unregister(event, unique_id=f"mlkata-{event}") for event in events]


def s3_probe(ctx, target: str, scenarios: list):
    """One list of observations per scenario (each on a bucket of its own; see ``play``)."""
    stop_if_untouched(ctx.lookup(target))
    return [play(ctx, target, scenario) for scenario in scenarios]


def play(ctx, target: str, scenario: dict):
    """Play ``scenario["steps"]`` against one mocked bucket and report one observation per step:

    - ``("upload", plan, version, fail_keys)``: files from ``plan`` [(rel, size, seed)] in a fresh folder, then
      ``upload_artifacts(s3, bucket, prefix, folder, version)`` (failing on ``fail_keys``);
    - ``("put", objects)``: the grader's own objects [(key, body, metadata)];
    - ``("download",)``: ``download_latest(s3, bucket, prefix, dest)`` into a fresh folder, and what it wrote.
    Each observation carries the bucket's snapshot afterwards."""
    from moto import mock_aws

    upload = ctx.lookup(target)
    _environment()
    bucket, prefix = scenario["bucket"], scenario["prefix"]
    out = []
    with mock_aws():
        s3 = _client()
        s3.create_bucket(Bucket=bucket)
        for i, step in enumerate(scenario["steps"]):
            ctx.progress(i)
            if step[0] == "put":
                for key, body, metadata in step[1]:
                    s3.put_object(Bucket=bucket, Key=key, Body=body, Metadata=metadata)
                out.append({"bucket": None})
                continue
            if step[0] == "upload":
                _, plan, version, fail_keys = step
                folder = _write_files(plan)
                undo = _inject(s3, set(fail_keys)) if fail_keys else None
                try:
                    obs = ctx.observe(upload, (s3, bucket, prefix, str(folder), version))
                finally:
                    if undo:
                        undo()
            else:
                download = ctx.lookup("download_latest")
                dest = fresh_dir("download-")
                obs = ctx.observe(download, (s3, bucket, prefix, str(dest)))
                obs["written"] = {p.relative_to(dest).as_posix(): sha256_file(p)
                                  for p in sorted(dest.rglob("*")) if p.is_file()}
            obs["bucket"] = snapshot(s3, bucket)
            out.append(copy.deepcopy(obs))
    return out
