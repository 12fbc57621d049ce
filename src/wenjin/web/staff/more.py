"""More of the desk's day (更多): one page linking what is not scanned at the counter —
the item lookup, the takings, the amnesty windows, the notices outbox, the staff
accounts and one's own password — each shown only to an account that may use it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from wenjin.accounts.rules import (
    ACCOUNTS_MANAGE,
    CIRCULATION_READ,
    FEES_READ,
    FEES_WAIVE,
    NETWORK_WRITE,
    NOTICES_READ,
    WHOLE_NETWORK,
    may,
)
from wenjin.web.flash import render_with_flash
from wenjin.web.staff.auth import StaffActor

router = APIRouter()


@router.get("/more", name="staff_more")
def more(request: Request, actor: StaffActor) -> Response:
    links = [
        ("staff_item_find", "desk2.more.lookup", CIRCULATION_READ),
        ("staff_takings", "desk2.more.takings", FEES_READ),
        ("staff_amnesty", "desk2.more.amnesty", FEES_WAIVE),
        ("staff_notices", "desk2.more.notices", NOTICES_READ),
        ("staff_accounts", "desk2.more.accounts", ACCOUNTS_MANAGE),
        ("staff_kiosks", "kiosk.more", NETWORK_WRITE),
        ("staff_circulation_log", "logs.circ_more", CIRCULATION_READ),
        ("staff_audit", "logs.audit_more", ACCOUNTS_MANAGE),
    ]
    shown = [
        (route, key)
        for route, key, permission in links
        if may(
            actor,
            permission,
            WHOLE_NETWORK if permission in (NETWORK_WRITE, ACCOUNTS_MANAGE) else None,
        )
    ]
    shown.append(("staff_my_password", "desk2.more.my_password"))
    return render_with_flash(
        request, "staff/more.html", {"actor": actor, "active_nav": "more", "links": shown}
    )
