"""The first schema: students, submissions, mistakes seen.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "students",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("token_hash", sa.String(64), unique=True),
        sa.Column("instructor", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_students_token_hash", "students", ["token_hash"])
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("student", sa.String(64), sa.ForeignKey("students.id"), nullable=False),
        sa.Column("module", sa.String(64), nullable=False),
        sa.Column("exercise", sa.String(64)),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started", sa.DateTime(timezone=True)),
        sa.Column("finished", sa.DateTime(timezone=True)),
        sa.Column("result", sa.JSON),
        sa.Column("points", sa.Float),
        sa.Column("max_points", sa.Float),
        sa.Column("error", sa.Text))
    op.create_index("ix_submissions_student", "submissions", ["student"])
    op.create_index("ix_submissions_status", "submissions", ["status"])
    op.create_table(
        "mistakes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("submission", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("exercise", sa.String(64), nullable=False),
        sa.Column("mistake", sa.String(128), nullable=False))
    op.create_index("ix_mistakes_submission", "mistakes", ["submission"])


def downgrade() -> None:
    op.drop_table("mistakes")
    op.drop_table("submissions")
    op.drop_table("students")
