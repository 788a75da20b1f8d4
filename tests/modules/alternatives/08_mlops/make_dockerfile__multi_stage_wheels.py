def make_dockerfile(spec):
    version, port, app = spec["python_version"], int(spec["port"]), spec["app"]
    out = []
    out.append(f"FROM python:{version}-slim-bookworm AS build")
    out.append("WORKDIR /wheels")
    out.append(f"COPY {spec['requirements']} ./requirements.txt")
    out.append("RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt")
    out.append("")
    out.append(f"FROM python:{version}-slim-bookworm")
    out.append("WORKDIR /srv")
    if spec["apt_packages"]:
        packages = " ".join(f"{k}={v}" for k, v in spec["apt_packages"].items())
        out.append(f"RUN apt-get update && apt-get install -y --no-install-recommends {packages} "
                   "&& rm -rf /var/lib/apt/lists/*")
    out.append("COPY --from=build /wheels /wheels")
    out.append("RUN pip install --no-cache-dir --no-index --find-links=/wheels /wheels/*.whl && rm -rf /wheels "
               "&& groupadd --system --gid 10001 svc && useradd --system --uid 10001 --gid svc svc")
    out.append("COPY --chown=10001:10001 . .")
    out.append("USER 10001:10001")
    out.append(f"EXPOSE {port}/tcp")
    out.append('ENTRYPOINT ["uvicorn"]')
    out.append("CMD " + json.dumps([app, "--host=0.0.0.0", f"--port={port}"]))
    return "\n".join(out) + "\n"
