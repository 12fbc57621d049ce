"""``/api/v1/audit``: the audit trail, as ``wenjin audit list`` reads it."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder

from wenjin.accounts.rules import ACCOUNTS_MANAGE
from wenjin.audit.queries import audit_trail, count_audit_trail
from wenjin.audit.rules import FOLLOWED
from wenjin.web.api.deps import ActorDep, PageDep, ReadSession, require
from wenjin.web.api.errors import ApiError

router = APIRouter(tags=["audit 操作日志"])


class UnknownEntity(ApiError):
    status_code = 422
    code = "audit_entity_unknown"


@router.get("/audit", summary="操作日志 Audit trail: who changed what, newest first")
def audit(
    request: Request,
    actor: ActorDep,
    session: ReadSession,
    page: PageDep,
    entity: Annotated[
        str | None,
        Query(min_length=1, max_length=64, description=f"表 table: {', '.join(sorted(FOLLOWED))}"),
    ] = None,
    entity_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    by: Annotated[
        str | None, Query(min_length=1, max_length=100, description="经办人 account or channel")
    ] = None,
    since: Annotated[
        date | None, Query(description="自某日起 from this day (network time)")
    ] = None,
) -> dict[str, Any]:
    require(actor, ACCOUNTS_MANAGE)
    if entity is not None and entity not in FOLLOWED:
        raise UnknownEntity(
            f"操作日志不记录表 {entity!r}；可选：{', '.join(sorted(FOLLOWED))}",
            f"the audit trail does not follow {entity!r}; choose one of {', '.join(sorted(FOLLOWED))}",
        )
    start = None
    if since is not None:
        start = datetime.combine(since, time(), tzinfo=request.app.state.settings.tz)
    filters: dict[str, Any] = {
        "entity": entity,
        "entity_id": entity_id,
        "actor": by,
        "since": start,
    }
    entries = audit_trail(session, **filters, limit=page.per_page, offset=page.offset)
    return {
        "items": jsonable_encoder(entries),
        "page": page.page,
        "per_page": page.per_page,
        "total": count_audit_trail(session, **filters),
    }
