"""The HTTP API's request and response bodies (pydantic; they make the OpenAPI schema at /docs)."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from .config import safe_id


class SubmissionIn(BaseModel):
    module: str = Field(description="module id, e.g. 02_math")
    exercise: str | None = Field(None, description="grade only this exercise (default: the whole notebook)")
    cells: dict[str, str] | None = Field(None, description="answer cells: {grade_id: source}")
    notebook: dict | None = Field(None, description="a whole notebook, nbformat 4 JSON")

    @field_validator("module", "exercise")
    @classmethod
    def _ids(cls, v):
        return v if v is None else safe_id(v)

    @field_validator("cells")
    @classmethod
    def _cell_ids(cls, v):
        return v if v is None else {safe_id(k): src for k, src in v.items()}


class View(BaseModel):
    html: str
    text: str


class SubmissionOut(BaseModel):
    id: int
    status: str = Field(description="queued | running | graded | failed")
    module: str | None = None
    exercise: str | None = None
    student: str | None = None
    points: float | None = None
    max_points: float | None = None
    attempts: int = 0
    error: str | None = None
    created: datetime | None = None
    finished: datetime | None = None
    result: dict | None = Field(None, description="the JSON report of `mlkata grade --json` for this notebook")
    view: View | None = Field(None, description="the result as check() shows it (the inline renderer's output)")


class ModuleInfo(BaseModel):
    module: str
    exercises: list[str]
    answers: dict[str, list[str]] = Field(description="grade_id -> the names its answer cell must define")


class Hints(BaseModel):
    module: str
    exercise: str
    hints: list[str]


class Solution(BaseModel):
    module: str
    exercise: str
    source: str
    view: View


class TokensIn(BaseModel):
    students: list[str] | None = Field(None, description="default: the whole roster")
    instructor: bool = False

    @field_validator("students")
    @classmethod
    def _ids(cls, v):
        return v if v is None else [safe_id(x) for x in v]


class TokensOut(BaseModel):
    tokens: dict[str, str] = Field(description="id -> token, shown this once (stored hashed)")


class Health(BaseModel):
    status: str
    course: str
    queued: int
