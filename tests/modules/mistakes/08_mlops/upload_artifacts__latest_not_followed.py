# mistake: latest-not-followed
# expect: must read prefix/LATEST
def upload_artifacts(s3, bucket, prefix, local_dir, version):
    """Publish every file under `local_dir` as `prefix/version/...`, then MANIFEST.json, then LATEST."""
    base = f"{prefix}/{version}"
    existing = s3.list_objects_v2(Bucket=bucket, Prefix=f"{base}/MANIFEST.json").get("Contents", [])
    if any(obj["Key"] == f"{base}/MANIFEST.json" for obj in existing):
        raise ValueError(f"version {version} is already published under {prefix}/; versions are immutable")
    files = {}
    for path in sorted(Path(local_dir).rglob("*")):
        if path.is_file():
            rel = path.relative_to(local_dir).as_posix()
            digest = sha256_file(path)
            # upload_file goes multipart above 8 MiB on its own
            s3.upload_file(str(path), bucket, f"{base}/{rel}", ExtraArgs={"Metadata": {"sha256": digest}})
            files[rel] = {"sha256": digest, "size": path.stat().st_size}
    manifest = {"version": version, "files": files}
    s3.put_object(Bucket=bucket, Key=f"{base}/MANIFEST.json", Body=json.dumps(manifest, indent=2).encode())
    s3.put_object(Bucket=bucket, Key=f"{prefix}/LATEST", Body=version.encode())   # last: the version is whole
    return manifest


def download_latest(s3, bucket, prefix, dest_dir):
    """Download the version `prefix/LATEST` names into `dest_dir`, verifying every sha256; the version."""
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=f"{prefix}/", Delimiter="/").get("CommonPrefixes", [])
    version = max((p["Prefix"][len(prefix) + 1:].rstrip("/") for p in listed), key=lambda v: int(v.lstrip("v")))
    manifest = json.loads(s3.get_object(Bucket=bucket, Key=f"{prefix}/{version}/MANIFEST.json")["Body"].read())
    for rel, info in manifest["files"].items():
        target = Path(dest_dir) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        s3.download_file(bucket, f"{prefix}/{version}/{rel}", str(target))
        if sha256_file(target) != info["sha256"]:
            target.unlink()
            raise ValueError(f"{rel}: sha256 mismatch after download (corrupted or tampered)")
    return version
