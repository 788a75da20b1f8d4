from botocore.exceptions import ClientError


def _exists(s3, bucket, key):
    try:
        s3.head_object(Bucket=bucket, Key=key)
        return True
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return False
        raise


def upload_artifacts(s3, bucket, prefix, local_dir, version):
    root = Path(local_dir)
    manifest_key = f"{prefix}/{version}/MANIFEST.json"
    if _exists(s3, bucket, manifest_key):
        raise ValueError(f"{manifest_key} exists: {version} was published already")
    entries = {}
    for file in sorted(p for p in root.glob("**/*") if p.is_file()):
        rel = file.relative_to(root).as_posix()
        digest = sha256_file(file)
        with open(file, "rb") as fh:
            s3.upload_fileobj(fh, bucket, f"{prefix}/{version}/{rel}", ExtraArgs={"Metadata": {"sha256": digest}})
        entries[rel] = {"sha256": digest, "size": os.path.getsize(file)}
    manifest = {"version": version, "files": entries}
    s3.put_object(Bucket=bucket, Key=manifest_key, Body=json.dumps(manifest).encode("utf-8"),
                  ContentType="application/json")
    s3.put_object(Bucket=bucket, Key=f"{prefix}/LATEST", Body=f"{version}\n".encode())
    return manifest


def download_latest(s3, bucket, prefix, dest_dir):
    version = s3.get_object(Bucket=bucket, Key=f"{prefix}/LATEST")["Body"].read().decode("utf-8").strip()
    body = s3.get_object(Bucket=bucket, Key=f"{prefix}/{version}/MANIFEST.json")["Body"].read()
    for rel, info in json.loads(body)["files"].items():
        data = s3.get_object(Bucket=bucket, Key=f"{prefix}/{version}/{rel}")["Body"].read()
        if hashlib.sha256(data).hexdigest() != info["sha256"]:
            raise ValueError(f"checksum mismatch for {rel}")
        out = Path(dest_dir, *rel.split("/"))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    return version
