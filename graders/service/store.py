"""Where the service keeps everything: students' token hashes, submissions (the queue) and the mistakes seen.

SQLite by default (a file next to the course config), any SQLAlchemy URL otherwise (PostgreSQL:
``postgresql+psycopg://user:pw@host/db``). The schema is created and upgraded by Alembic
(``migrations/``) when the service starts. A submission is a row from the moment it is accepted:
``queued`` -> ``running`` -> ``graded`` | ``failed``; claiming one is a conditional UPDATE, so two
workers (threads, or Celery processes on other machines) never grade the same one twice at once.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, create_engine, event, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
QUEUED, RUNNING, GRADED, FAILED = "queued", "running", "graded", "failed"


def now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Student(Base):
    __tablename__ = "students"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    instructor: Mapped[bool] = mapped_column(default=False)


class Submission(Base):
    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student: Mapped[str] = mapped_column(ForeignKey("students.id"), index=True)
    module: Mapped[str] = mapped_column(String(64))
    exercise: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    started: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[dict | None] = mapped_column(JSON)
    points: Mapped[float | None] = mapped_column(Float)
    max_points: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)


class MistakeSeen(Base):
    __tablename__ = "mistakes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    exercise: Mapped[str] = mapped_column(String(64))
    mistake: Mapped[str] = mapped_column(String(128))


def migrate(url: str) -> None:
    """``alembic upgrade head`` on ``url``, programmatically (no alembic.ini to ship)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, "head")


def as_dict(s: Submission) -> dict:
    return {"id": s.id, "student": s.student, "module": s.module, "exercise": s.exercise, "status": s.status,
            "attempts": s.attempts, "points": s.points, "max_points": s.max_points, "result": s.result,
            "error": s.error, "created": s.created, "started": s.started, "finished": s.finished}


class Store:
    """The repository API the app, the dispatchers and the CLI use (they never write SQL)."""

    def __init__(self, url: str, upgrade: bool = True):
        if upgrade:
            migrate(url)
        sqlite = url.startswith("sqlite")
        self.engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False} if sqlite else {})
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.session = sessionmaker(self.engine, expire_on_commit=False)

    # ------------------------------------------------------------------ people
    def set_token(self, student: str, token_hash: str, instructor: bool = False) -> None:
        with self.session.begin() as db:
            row = db.get(Student, student) or Student(id=student)
            row.token_hash, row.instructor = token_hash, instructor
            db.add(row)

    def ensure_students(self, ids) -> None:
        with self.session.begin() as db:
            for sid in ids:
                if db.get(Student, sid) is None:
                    db.add(Student(id=sid))

    def who(self, token_hash: str) -> tuple[str, bool] | None:
        with self.session() as db:
            row = db.scalars(select(Student).where(Student.token_hash == token_hash)).first()
            return (row.id, row.instructor) if row else None

    # ------------------------------------------------------------------ submissions
    def add(self, student: str, module: str, exercise: str | None, payload: dict) -> int:
        with self.session.begin() as db:
            row = Submission(student=student, module=module, exercise=exercise, payload=payload, status=QUEUED)
            db.add(row)
            db.flush()
            return row.id

    def get(self, sid: int) -> dict | None:
        with self.session() as db:
            row = db.get(Submission, sid)
            return as_dict(row) if row else None

    def payload(self, sid: int) -> dict:
        with self.session() as db:
            row = db.get(Submission, sid)
            return {"module": row.module, "exercise": row.exercise, **row.payload}

    def claim(self, sid: int) -> bool:
        """queued -> running, one attempt more; False when someone else has it (or it is done)."""
        with self.session.begin() as db:
            done = db.execute(update(Submission).where(Submission.id == sid, Submission.status == QUEUED)
                              .values(status=RUNNING, attempts=Submission.attempts + 1, started=now()))
            return done.rowcount == 1

    def finish(self, sid: int, result: dict) -> None:
        with self.session.begin() as db:
            row = db.get(Submission, sid)
            # a crash or timeout of an earlier attempt stays on record next to the grade
            earlier = f"graded on attempt {row.attempts}; earlier: {row.error}" if row.error else None
            row.status, row.result, row.finished, row.error = GRADED, result, now(), result.get("error") or earlier
            row.points, row.max_points = result.get("points", 0), result.get("max_points", 0)
            for ex in result.get("exercises", ()):
                for mistake in ex.get("mistakes", ()):
                    db.add(MistakeSeen(submission=sid, exercise=ex["id"], mistake=mistake))

    def fail(self, sid: int, error: str, max_attempts: int) -> bool:
        """Record a crashed or timed-out grading; True when it goes back to the queue for another try."""
        with self.session.begin() as db:
            row = db.get(Submission, sid)
            retry = row.attempts < max_attempts
            row.status, row.error = (QUEUED if retry else FAILED), error
            row.finished = None if retry else now()
            return retry

    def recover(self, max_attempts: int) -> list[int]:
        """At start: gradings cut short by a stop go back to the queue (or fail when out of attempts);
        returns every queued id, oldest first."""
        with self.session.begin() as db:
            for row in db.scalars(select(Submission).where(Submission.status == RUNNING)):
                retry = row.attempts < max_attempts
                row.status = QUEUED if retry else FAILED
                row.error = "grading was interrupted by a server stop" + ("" if retry else " (twice): not retried")
                row.finished = None if retry else now()
            return list(db.scalars(select(Submission.id).where(Submission.status == QUEUED).order_by(Submission.id)))

    def running_attempts(self) -> list[tuple[int, int]]:
        """(id, attempts) of every submission being graded elsewhere (sent to Celery workers)."""
        with self.session() as db:
            rows = db.execute(select(Submission.id, Submission.attempts).where(Submission.status == RUNNING))
            return [(sid, attempts) for sid, attempts in rows]

    def queued(self) -> list[int]:
        with self.session() as db:
            return list(db.scalars(select(Submission.id).where(Submission.status == QUEUED).order_by(Submission.id)))

    def list(self, student: str | None = None, limit: int = 1000) -> list[dict]:
        with self.session() as db:
            query = select(Submission).order_by(Submission.id.desc()).limit(limit)
            if student is not None:
                query = query.where(Submission.student == student)
            return [as_dict(r) for r in db.scalars(query)]

    def passed(self, student: str, module: str, exercise: str) -> bool:
        """Has any graded submission of ``student`` full marks on ``exercise``?"""
        with self.session() as db:
            rows = db.scalars(select(Submission).where(Submission.student == student, Submission.module == module,
                                                       Submission.status == GRADED))
            return any(ex.get("id") == exercise and ex.get("status") == "passed"
                       for row in rows for ex in (row.result or {}).get("exercises", ()))


def _sqlite_pragmas(conn, _record) -> None:
    # WAL: readers (the API) never wait for the writer (a worker finishing a grading); synchronous=FULL:
    # an accepted submission survives a kill of the server
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
