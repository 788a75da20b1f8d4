"""Run the grading service for a class (FastAPI + uvicorn): students check against hidden tests here."""
from __future__ import annotations

HELP = "serve the grading service of a course (config: course, modules, roster, store); see `Run a class`"


def add_arguments(p):
    p.add_argument("--config", required=True, metavar="FILE", help="the course's TOML or YAML file")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1: put TLS in front)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--broker", default=None, metavar="URL",
                   help="grade on Celery workers through this broker (redis://...) instead of in-process")


def run(args) -> int:
    import uvicorn

    from graders.service.api import create_app
    from graders.service.config import load_config

    config = load_config(args.config)
    app = create_app(config, broker=args.broker)
    # proxy_headers off: behind a TLS proxy the client address is for logs only, never for decisions
    uvicorn.run(app, host=args.host, port=args.port, proxy_headers=False, log_level="info")
    return 0
