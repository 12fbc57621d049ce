"""The home page: the network at a glance and the newest titles."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from wenjin.catalog.queries import catalogue_counts, recent_records
from wenjin.network.queries import points_by_kind
from wenjin.network.states import PointKind
from wenjin.web.deps import ReadSession
from wenjin.web.templating import render

router = APIRouter()

NEWEST_RECORDS = 10


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
        },
    )
