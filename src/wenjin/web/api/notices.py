"""``/api/v1/notices``: the outbox of notices to readers, as ``wenjin notices list`` reads it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.encoders import jsonable_encoder

from wenjin.accounts.rules import NOTICES_READ
from wenjin.notices.queries import count_notices, list_notices
from wenjin.notices.states import NoticeStatus
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
) -> dict[str, Any]:
    require(actor, NOTICES_READ)
    lines = list_notices(
        session, status=status, card_number=patron, limit=page.per_page, offset=page.offset
    )
    return {
        "items": jsonable_encoder(lines),
        "page": page.page,
        "per_page": page.per_page,
        "total": count_notices(session, status=status, card_number=patron),
    }
