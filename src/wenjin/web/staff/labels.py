"""Spine labels (书标) in the staff client: a sheet of labels ready to print on A4.

The librarian types or scans barcodes (one a line), or picks a point for the copies
it added today; each label shows the call number as class number over book number,
the point's name and the item barcode as a Code128 image (inline SVG). Barcodes that
are no item are listed above the sheet, and the rest are printed. Needs
``catalog.write`` (at the point, when printing a point's new copies); the same labels
are at ``/api/v1/labels``.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from wenjin.accounts.queries import place_of_point
from wenjin.accounts.rules import CATALOG_WRITE
from wenjin.catalog.queries import SpineLabel, items_added, spine_labels
from wenjin.config import Settings
from wenjin.db.uow import UnitOfWork
from wenjin.network.queries import get_point_by_code
from wenjin.web.barcodes import code128_svg
from wenjin.web.deps import get_engine, get_settings, network_today
from wenjin.web.flash import render_with_flash
from wenjin.web.staff.auth import StaffActor, require_staff
from wenjin.web.staff.records import holding_points

router = APIRouter()

MAX_LABELS = 1000


def barcodes_of(text: str) -> list[str]:
    """The barcodes typed or scanned into a box: one a line (commas and blanks also split)."""
    return [b for b in text.replace(",", "\n").split() if b][:MAX_LABELS]


def today_bounds(settings: Settings) -> tuple[datetime, datetime]:
    """Where today, in the network's time zone, starts and ends, as UTC instants."""
    day = network_today(settings)
    start = datetime.combine(day, time.min, tzinfo=settings.tz)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def label_view(label: SpineLabel) -> dict[str, Any]:
    return {
        "barcode": label.barcode,
        "class_number": label.class_number,
        "book_number": label.book_number,
        "call_number": label.call_number,
        "volume": label.volume,
        "point_code": label.point_code,
        "point_name": label.point_name,
        "title": label.title,
        "svg": code128_svg(label.barcode),
    }


@router.get("/catalogue/labels", name="staff_labels")
def labels_page(
    request: Request,
    actor: StaffActor,
    barcodes: Annotated[str, Query(max_length=40_000)] = "",
    point: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    require_staff(request, actor, CATALOG_WRITE)
    wanted = barcodes_of(barcodes)
    context: dict[str, Any] = {
        "actor": actor,
        "active_nav": "records",
        "barcodes": barcodes,
        "point": point,
        "labels": None,
        "unknown": [],
    }
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        context["points"] = holding_points(uow.session)
        if point:
            at = get_point_by_code(uow.session, point)
            require_staff(request, actor, CATALOG_WRITE, at=place_of_point(uow.session, at))
            since, until = today_bounds(get_settings(request))
            wanted += items_added(uow.session, point_id=at.id, since=since, until=until)
        if wanted:
            labels, unknown = spine_labels(uow.session, wanted)
            context |= {"labels": [label_view(label) for label in labels], "unknown": unknown}
    return render_with_flash(request, "staff/labels.html", context)
