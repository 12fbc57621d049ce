"""The notices outbox (通知发件箱): what readers are to be told (a hold is ready, expired,
cancelled), newest first, filtered by pickup point, kind, status or reader.

The same query as ``wenjin notices list`` and ``/api/v1/notices``, with the same
permission: ``notices.read`` (at the point, when one is chosen).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from starlette.responses import Response

from wenjin.accounts.queries import place_of_point
from wenjin.accounts.rules import NOTICES_READ
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.network.models import ServicePoint
from wenjin.network.queries import descendant_ids, get_point_by_code
from wenjin.notices.queries import count_notices, list_notices
from wenjin.notices.states import NoticeKind, NoticeStatus
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import render_with_flash
from wenjin.web.staff.auth import StaffActor, require_staff

router = APIRouter()

PER_PAGE = 50


@router.get("/notices", name="staff_notices")
def notices(
    request: Request,
    actor: StaffActor,
    point: Annotated[str, Query(max_length=32)] = "",
    kind: Annotated[str, Query(max_length=32)] = "",
    status: Annotated[str, Query(max_length=16)] = "",
    card: Annotated[str, Query(max_length=64)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    lang = get_lang(request)
    the_kind = NoticeKind(kind) if kind in {k.value for k in NoticeKind} else None
    the_status = NoticeStatus(status) if status in {s.value for s in NoticeStatus} else None
    code = point.strip().upper()
    lines: list[Any] = []
    total = 0
    problem: str | None = None
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        point_ids: set[int] | None = None
        if code:
            try:
                the_point = get_point_by_code(uow.session, code)
            except WenjinError as error:
                problem = error.message(lang)
            else:
                require_staff(
                    request, actor, NOTICES_READ, at=place_of_point(uow.session, the_point)
                )
                point_ids = descendant_ids(uow.session, the_point.id)
        else:
            require_staff(request, actor, NOTICES_READ)
        filters: dict[str, Any] = {
            "status": the_status,
            "kind": the_kind,
            "card_number": card.strip() or None,
            "pickup_point_ids": point_ids,
        }
        if problem is None:
            try:
                lines = list_notices(
                    uow.session, **filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
                )
                total = count_notices(uow.session, **filters)
            except WenjinError as error:
                problem = error.message(lang)
        points = [
            (c, n)
            for c, n in uow.session.execute(
                select(ServicePoint.code, ServicePoint.name)
                .where(ServicePoint.is_pickup_point.is_(True))
                .order_by(ServicePoint.sort_order, ServicePoint.code)
            )
        ]
    return render_with_flash(
        request,
        "staff/notices.html",
        {
            "actor": actor,
            "active_nav": "more",
            "lines": lines,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PER_PAGE)),
            "point": code,
            "kind": the_kind.value if the_kind else "",
            "status": the_status.value if the_status else "",
            "card": card.strip(),
            "points": points,
            "kinds": list(NoticeKind),
            "statuses": list(NoticeStatus),
            "problem": problem,
        },
        status_code=422 if problem else 200,
    )
