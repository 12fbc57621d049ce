"""Self-check machines (自助设备) in the staff client: the SIP2 kiosk accounts that
``wenjin sip2 account add|list`` keeps — add one at a point, move it, change its text
encoding or checksum rule, switch it off or on, give it a new password. Needs
``network.write`` over the whole network, as the API does."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from starlette.responses import Response

from wenjin.accounts.rules import NETWORK_WRITE, WHOLE_NETWORK
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.network.queries import flatten_tree, network_tree
from wenjin.protocols.sip2.kiosks import (
    ENCODINGS,
    add_kiosk_account,
    change_kiosk_account,
    kiosk_summary,
    list_kiosk_accounts,
)
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff

router = APIRouter()

KIOSKS_PAGE = "/staff/kiosks"
Login = Annotated[str, Path(min_length=1, max_length=40)]


@router.get("/kiosks", name="staff_kiosks")
def kiosks_page(request: Request, actor: StaffActor) -> Response:
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        accounts = [kiosk_summary(a) for a in list_kiosk_accounts(uow.session)]
        points = [
            (row["code"], row["name"])
            for row in flatten_tree(network_tree(uow.session, active_only=True))
            if row.get("kind") != "network"
        ]
    return render_with_flash(
        request,
        "staff/kiosks.html",
        {
            "actor": actor,
            "active_nav": "more",
            "accounts": accounts,
            "points": points,
            "encodings": ENCODINGS,
        },
    )


@router.post("/kiosks", name="staff_kiosk_add")
def add(
    request: Request,
    actor: StaffActor,
    login: Annotated[str, Form(max_length=40)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    point: Annotated[str, Form(max_length=32)] = "",
    encoding: Annotated[str, Form(max_length=16)] = "utf-8",
    checksums: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            account = add_kiosk_account(
                uow.session,
                login=login,
                password=password,
                point_code=point,
                encoding=encoding,
                checksums=checksums == "on",
            )
            text = t("kiosk.added", lang, login=account.login, point=account.point.name)
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(KIOSKS_PAGE, "error", error.message(lang))
    return redirect_with_message(KIOSKS_PAGE, "ok", text)


@router.post("/kiosks/{login}", name="staff_kiosk_change")
def change(
    request: Request,
    actor: StaffActor,
    login: Login,
    point: Annotated[str, Form(max_length=32)] = "",
    encoding: Annotated[str, Form(max_length=16)] = "",
    checksums: Annotated[str, Form(max_length=8)] = "",
    active: Annotated[str, Form(max_length=8)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            change_kiosk_account(
                uow.session,
                login=login,
                point_code=point or None,
                encoding=encoding or None,
                checksums=checksums == "on",
                active=active == "on",
                password=password or None,
            )
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(KIOSKS_PAGE, "error", error.message(lang))
    return redirect_with_message(KIOSKS_PAGE, "ok", t("kiosk.changed", lang, login=login))
