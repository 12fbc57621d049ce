"""``/api/v1/notices``: the outbox of notices to readers, as ``wenjin notices list`` reads it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.encoders import jsonable_encoder

from wenjin.accounts.queries import place_of_point
from wenjin.accounts.rules import NOTICES_READ
from wenjin.network.queries import descendant_ids, get_point_by_code
from wenjin.notices.queries import count_notices, list_notices
from wenjin.notices.states import NoticeKind, NoticeStatus
from wenjin.web.api.deps import ActorDep, PageDep, ReadSession, require

router = APIRouter(tags=["notices 通知"])


@router.get("/notices", summary="通知 Notices to readers, newest first")
def notices(
    actor: ActorDep,
    session: ReadSession,
    page: PageDep,
    status: NoticeStatus | None = None,
    patron: Annotated[
        str | None, Query(min_length=1, max_length=32, description="读者证号")
    ] = None,
    kind: NoticeKind | None = None,
    point: Annotated[
        str | None,
        Query(min_length=1, max_length=32, description="holds to pick up here or below"),
    ] = None,
) -> dict[str, Any]:
    point_ids: set[int] | None = None
    if point is not None:
        the_point = get_point_by_code(session, point)
        require(actor, NOTICES_READ, at=place_of_point(session, the_point))
        point_ids = descendant_ids(session, the_point.id)
    else:
        require(actor, NOTICES_READ)
    filters: dict[str, Any] = {
        "status": status,
        "kind": kind,
        "card_number": patron,
        "pickup_point_ids": point_ids,
    }
    lines = list_notices(session, **filters, limit=page.per_page, offset=page.offset)
    return {
        "items": jsonable_encoder(lines),
        "page": page.page,
        "per_page": page.per_page,
        "total": count_notices(session, **filters),
    }
