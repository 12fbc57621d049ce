"""Spine labels (书标) in the staff client: a sheet of labels ready to print on A4.

The librarian types or scans barcodes (one a line), or picks a point for the copies
it added today; each label shows the call number as class number over book number,
the point's name and the item barcode as a Code128 image (inline SVG). Barcodes that
are no item are listed above the sheet, and the rest are printed. Needs
``catalog.write`` (at the point, when printing a point's new copies); the same labels
are at ``/api/v1/labels``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from wenjin.accounts.queries import place_of_point
from wenjin.accounts.rules import CATALOG_WRITE
from wenjin.db.uow import UnitOfWork
from wenjin.network.queries import get_point_by_code
from wenjin.web.deps import get_engine, get_settings
from wenjin.web.flash import render_with_flash
from wenjin.web.spine_labels import barcodes_of, label_sheet
from wenjin.web.staff.auth import StaffActor, require_staff
from wenjin.web.staff.records import holding_points

router = APIRouter()


@router.get("/catalogue/labels", name="staff_labels")
def labels_page(
    request: Request,
    actor: StaffActor,
    barcodes: Annotated[str, Query(max_length=40_000)] = "",
    point: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    require_staff(request, actor, CATALOG_WRITE)
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
        at = get_point_by_code(uow.session, point) if point else None
        if at is not None:
            require_staff(request, actor, CATALOG_WRITE, at=place_of_point(uow.session, at))
        if at is not None or barcodes.strip():
            labels, unknown = label_sheet(
                uow.session,
                get_settings(request),
                barcodes=barcodes_of(barcodes),
                added_today_at=at,
            )
            context |= {"labels": labels, "unknown": unknown}
    return render_with_flash(request, "staff/labels.html", context)
