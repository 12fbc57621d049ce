"""The home page: the network at a glance and the newest titles."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from wenjin.catalog.queries import RecordSummary, catalogue_counts, recent_records
from wenjin.network.queries import points_by_kind
from wenjin.network.states import PointKind
from wenjin.search.queries import popular_records
from wenjin.web.deps import ReadSession
from wenjin.web.templating import render

router = APIRouter()

NEWEST_RECORDS = 10
POPULAR_RECORDS = 10
# Ranking every title by its loans reads the whole catalogue: once every few minutes is
# plenty for a list that moves by the week.
POPULAR_SECONDS = 600.0


def _popular(request: Request, session: Session) -> list[RecordSummary]:
    cached: tuple[float, list[RecordSummary]] | None = getattr(
        request.app.state, "popular_records", None
    )
    now = time.monotonic()
    if cached is None or now - cached[0] > POPULAR_SECONDS:
        cached = (now, popular_records(session, POPULAR_RECORDS))
        request.app.state.popular_records = cached
    return cached[1]


@router.get("/", name="home")
def home(request: Request, session: ReadSession) -> Response:
    by_kind = points_by_kind(session)
    # The network root is the organisation itself, not a place a reader visits.
    kinds = [
        (kind, by_kind[kind.value])
        for kind in PointKind
        if kind is not PointKind.NETWORK and by_kind.get(kind.value)
    ]
    return render(
        request,
        "opac/home.html",
        {
            "counts": catalogue_counts(session),
            "kinds": kinds,
            "points_total": sum(count for _, count in kinds),
            "newest": recent_records(session, NEWEST_RECORDS),
            "popular": _popular(request, session),
        },
    )
