"""The course a service grades: one TOML or YAML file (``mlkata serve --config course.toml``).

Example (TOML)::

    course = "ml-2026"
    modules = ["02_math", "05_evaluation"]
    roster = ["ada", "grace"]
    # database_url = "postgresql+psycopg://mlkata:secret@db.internal/mlkata"   # default: SQLite next to this file
    [solution_policy]
    mode = "after_pass"            # never | after_pass | after_deadline
    # deadline = 2026-12-24T23:59:00Z
    [limits]
    max_body_bytes = 2_000_000
    checks_per_minute = 30
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

import tomllib
from pydantic import BaseModel, Field, field_validator, model_validator

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")   # ids end up in URLs, CSV cells and log lines


def safe_id(value: str) -> str:
    if not SAFE_ID.match(value) or ".." in value:
        raise ValueError(f"{value!r} is not a valid id (letters, digits, '_', '-', '.'; no '..')")
    return value


class SolutionPolicy(BaseModel):
    mode: Literal["never", "after_pass", "after_deadline"] = "after_pass"
    deadline: datetime | None = None

    @model_validator(mode="after")
    def _deadline_given(self):
        if self.mode == "after_deadline" and self.deadline is None:
            raise ValueError("solution_policy.mode = after_deadline needs a deadline")
        if self.deadline is not None and self.deadline.tzinfo is None:
            self.deadline = self.deadline.replace(tzinfo=timezone.utc)
        return self


class Limits(BaseModel):
    max_body_bytes: int = Field(2_000_000, gt=0)      # a released notebook is ~100 kB; 2 MB leaves room
    checks_per_minute: int = Field(30, gt=0)          # per student, all submission kinds together


class Timeouts(BaseModel):
    check_wait_s: float = Field(60.0, gt=0)           # POST /check waits this long, then answers 202 + id
    grading_s: float = Field(600.0, gt=0)             # a grading running longer is recorded as failed


class ServiceConfig(BaseModel):
    course: str
    modules: list[str]
    roster: list[str] = []
    database_url: str | None = None
    solution_policy: SolutionPolicy = SolutionPolicy()
    limits: Limits = Limits()
    workers: int = Field(2, ge=1)
    timeouts: Timeouts = Timeouts()
    max_attempts: int = Field(2, ge=1)                # a crashed or timed-out grading is retried once
    base_dir: Path = Path(".")

    @field_validator("course")
    @classmethod
    def _course(cls, v):
        return safe_id(v)

    @field_validator("modules", "roster")
    @classmethod
    def _ids(cls, v):
        return [safe_id(x) for x in v]

    @field_validator("roster")
    @classmethod
    def _not_the_instructor(cls, v):
        if "instructor" in v:          # the admin token's row (security.INSTRUCTOR)
            raise ValueError("'instructor' is reserved for the admin token; name that student differently")
        return v

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.base_dir / 'mlkata-service.db').resolve()}"


def load_config(path: str | Path) -> ServiceConfig:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        import yaml

        data = yaml.safe_load(text) or {}
    else:
        data = tomllib.loads(text)
    data.setdefault("base_dir", str(path.resolve().parent))
    return ServiceConfig.model_validate(data)
