"""The instructor's API: issue tokens, list every submission, export the gradebook as CSV."""
from __future__ import annotations

import csv
import io

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import Response

from .config import ServiceConfig
from .models import SubmissionOut, TokensIn, TokensOut
from .security import issue_tokens

FIELDS = ["student", "assignment", "module", "exercise", "points", "max_points", "status"]   # grade-batch's


def gradebook_rows(rows: list[dict]) -> list[dict]:
    """The best graded result per student and exercise (a later, worse check never lowers a grade)."""
    best: dict[tuple, dict] = {}
    for row in rows:
        for ex in (row["result"] or {}).get("exercises", ()):
            key = (row["student"], row["module"], ex["id"])
            if key not in best or ex["points"] > best[key]["points"]:
                best[key] = {"student": row["student"], "assignment": row["module"], "module": row["module"],
                             "exercise": ex["id"], "points": ex["points"], "max_points": ex["max_points"],
                             "status": ex["status"]}
    return [best[k] for k in sorted(best)]


def add_routes(app: FastAPI, config: ServiceConfig, caller) -> None:
    def instructor(who=Depends(caller)):
        if not who[1]:
            raise HTTPException(403, "this needs the instructor token")
        return who

    @app.post("/api/v1/admin/tokens", response_model=TokensOut)
    def tokens(request: Request, body: TokensIn, who=Depends(instructor)):
        students = config.roster if body.students is None else body.students
        strangers = sorted(set(students) - set(config.roster))
        if strangers:
            raise HTTPException(422, f"not on the roster: {', '.join(strangers)} (add them to the config first)")
        return TokensOut(tokens=issue_tokens(request.app.state.store, students, instructor=body.instructor))

    @app.get("/api/v1/admin/submissions", response_model=list[SubmissionOut])
    def submissions(request: Request, limit: int = 1000, who=Depends(instructor)):
        from .content import out

        return [out(r, full=False) for r in request.app.state.store.list(limit=limit)]

    @app.get("/api/v1/admin/export.csv")
    def export(request: Request, who=Depends(instructor)):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(gradebook_rows(request.app.state.store.list(limit=10**9)))
        return Response(buffer.getvalue(), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{config.course}-gradebook.csv"'})
