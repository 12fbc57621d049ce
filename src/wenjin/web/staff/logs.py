"""The logs in the staff client: the circulation log (流通日志, ``wenjin circ log``) of a
copy, a reader or a point, for anyone who may see circulation there; and the audit trail
(操作日志, ``wenjin audit list``) of who changed what, for account administrators."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from wenjin.accounts.queries import place_of_point
from wenjin.accounts.rules import ACCOUNTS_MANAGE, CIRCULATION_READ, WHOLE_NETWORK
from wenjin.audit.queries import audit_trail, count_audit_trail
from wenjin.audit.rules import FOLLOWED
from wenjin.catalog.queries import get_item_by_barcode
from wenjin.circulation.lookups import desk_patron_by_card
from wenjin.circulation.queries import count_events, events
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.network.queries import get_point_by_code
from wenjin.web.deps import get_engine, get_lang, get_settings
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff
from wenjin.web.templating import render

router = APIRouter()

PER_PAGE = 50
Text = Annotated[str, Query(max_length=64)]


def _pages(total: int, page: int) -> dict[str, int]:
    return {"page": page, "pages": max(1, (total + PER_PAGE - 1) // PER_PAGE), "total": total}


@router.get("/log", name="staff_circulation_log")
def circulation_log(
    request: Request,
    actor: StaffActor,
    item: Text = "",
    card: Text = "",
    point: Text = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    lang = get_lang(request)
    rows: list[Any] = []
    total = 0
    problem: str | None = None
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        session = uow.session
        point_id: int | None = None
        if point.strip():
            the_point = get_point_by_code(session, point.strip().upper())
            require_staff(request, actor, CIRCULATION_READ, at=place_of_point(session, the_point))
            point_id = the_point.id
        else:
            require_staff(request, actor, CIRCULATION_READ)
        try:
            item_id = get_item_by_barcode(session, item.strip()).id if item.strip() else None
            patron_id = (
                desk_patron_by_card(session, card.strip()).patron_id if card.strip() else None
            )
            filters = {"item_id": item_id, "patron_id": patron_id, "point_id": point_id}
            total = count_events(session, **filters)
            rows = events(session, **filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        except WenjinError as error:
            problem = error.message(lang)
    return render(
        request,
        "staff/circulation_log.html",
        {
            "actor": actor,
            "active_nav": "more",
            "rows": rows,
            "problem": problem,
            "filters": {"item": item, "card": card, "point": point},
            **_pages(total, page),
        },
    )


@router.get("/audit", name="staff_audit")
def audit_page(
    request: Request,
    actor: StaffActor,
    entity: Text = "",
    row: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    who: Annotated[str, Query(max_length=100)] = "",
    since: Annotated[str, Query(max_length=10)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    require_staff(request, actor, ACCOUNTS_MANAGE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    problem: str | None = None
    start = None
    if since.strip():
        try:
            start = datetime.combine(
                datetime.strptime(since.strip(), "%Y-%m-%d").date(),
                time(),
                tzinfo=get_settings(request).tz,
            )
        except ValueError:
            problem = t("logs.bad_day", lang, value=since)
    wanted = entity.strip() or None
    if wanted is not None and wanted not in FOLLOWED:
        problem = t("logs.bad_entity", lang, value=wanted)
        wanted = None
    filters: dict[str, Any] = {
        "entity": wanted,
        "entity_id": row,
        "actor": who.strip() or None,
        "since": start,
    }
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        total = count_audit_trail(uow.session, **filters)
        entries = audit_trail(uow.session, **filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return render(
        request,
        "staff/audit.html",
        {
            "actor": actor,
            "active_nav": "more",
            "entries": entries,
            "entities": sorted(FOLLOWED),
            "problem": problem,
            "filters": {"entity": entity, "row": row or "", "who": who, "since": since},
            **_pages(total, page),
        },
    )
