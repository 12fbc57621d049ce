"""A catalogue record: its description, its copies at each service point, its MARC."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from wenjin.catalog.queries import RecordPage, record_page
from wenjin.web.deps import ReadSession
from wenjin.web.templating import render

router = APIRouter()

COVER_HUES = 12  # .cover--hue-0 … .cover--hue-11 in wenjin.css


@router.get("/records/{record_id}", name="record")
def record(request: Request, record_id: int, session: ReadSession) -> Response:
    page = record_page(session, record_id)
    return render(request, "opac/record.html", {"record": page, "cover_hue": cover_hue(page)})


def cover_hue(page: RecordPage) -> int:
    """Which of the placeholder cover colours a record gets: the same for a CLC main class."""
    key = page.clc[0] if page.clc else str(page.id)
    return sum(key.encode()) % COVER_HUES
