"""A catalogue record: its description, its copies at each service point, its MARC."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from wenjin.catalog.queries import CopiesAtPoint, RecordPage, record_page
from wenjin.network.models import ServicePoint
from wenjin.network.queries import route_map
from wenjin.web.deps import ReadSession
from wenjin.web.flash import render_with_flash
from wenjin.web.opac.account import pickup_points, signed_in_reader

router = APIRouter()

COVER_HUES = 12  # .cover--hue-0 … .cover--hue-11 in wenjin.css


NEAREST_SHOWN = 5


@dataclass(frozen=True)
class NearPoint:
    group: CopiesAtPoint
    days: int | None  # courier days from the reader's point; None: no route


def nearest_with_copies(session: Session, page: RecordPage, near: str) -> list[NearPoint]:
    """The points with a copy on the shelf, nearest to ``near`` first (courier days: the
    network's own measure of distance, no map needed)."""
    groups = [g for g in page.holdings if g.available]
    if not groups:
        return []
    codes = [g.point_code for g in groups] + [near]
    ids = dict(
        session.execute(
            select(ServicePoint.code, ServicePoint.id).where(ServicePoint.code.in_(codes))
        )
        .tuples()
        .all()
    )
    if near not in ids:
        return [NearPoint(g, None) for g in groups[:NEAREST_SHOWN]]
    days = route_map(session).distances_from(ids[near])
    days[ids[near]] = 0
    ranked = sorted(
        (NearPoint(g, days.get(ids[g.point_code])) for g in groups),
        key=lambda p: (p.days is None, p.days or 0, -p.group.available),
    )
    return ranked[:NEAREST_SHOWN]


@router.get("/records/{record_id}", name="record")
def record(
    request: Request,
    record_id: int,
    session: ReadSession,
    near: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    page = record_page(session, record_id)
    reader = signed_in_reader(request)
    near_code = near or (reader.home_code if reader else None)
    return render_with_flash(
        request,
        "opac/record.html",
        {
            "record": page,
            "cover_hue": cover_hue(page),
            "reader": reader,
            "pickups": pickup_points(session) if page.copies_total else [],
            "near": near_code,
            "nearest": nearest_with_copies(session, page, near_code) if near_code else [],
        },
    )


def cover_hue(page: RecordPage) -> int:
    """Which of the placeholder cover colours a record gets: the same for a CLC main class."""
    key = page.clc[0] if page.clc else str(page.id)
    return sum(key.encode()) % COVER_HUES
