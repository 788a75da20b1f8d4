# mistake: unpinned-base
# expect: never latest
def make_dockerfile(spec):
    """Dockerfile text for a uvicorn service described by `spec` (python_version, requirements, app, port,
    apt_packages)."""
    lines = ["FROM python:latest", "",
             "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1", "WORKDIR /app", ""]
    if spec["apt_packages"]:
        pinned = " ".join(f"{name}={version}" for name, version in sorted(spec["apt_packages"].items()))
        lines += ["RUN apt-get update \\",
                  f"    && apt-get install -y --no-install-recommends {pinned} \\",
                  "    && rm -rf /var/lib/apt/lists/*", ""]
    lines += ["# dependencies first: this layer is rebuilt only when the requirements change",
              f"COPY {spec['requirements']} requirements.txt",
              "RUN pip install --no-cache-dir -r requirements.txt", "",
              "COPY . .",
              "RUN useradd --create-home --uid 10001 app", "USER app", "",
              f"EXPOSE {spec['port']}",
              'CMD ["uvicorn", "{}", "--host", "0.0.0.0", "--port", "{}"]'.format(spec["app"], spec["port"]), ""]
    return "\n".join(lines)
