"""``/api/v1/sip2/accounts``: the self-check machines' accounts (自助机账户), as
``wenjin sip2 account add|list`` keeps them, and their changes. Network-wide
``network.write``: a kiosk acts at its point with the whole desk's powers."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import Field

from wenjin.accounts.rules import NETWORK_WRITE, WHOLE_NETWORK
from wenjin.protocols.sip2.kiosks import (
    add_kiosk_account,
    change_kiosk_account,
    get_kiosk_account,
    kiosk_summary,
    list_kiosk_accounts,
)
from wenjin.web.api.deps import ActorDep, ReadSession, WriteUoW, require
from wenjin.web.api.schemas import Body, Code

router = APIRouter(prefix="/sip2/accounts", tags=["sip2 自助机"])

Login = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")]
Password = Annotated[
    str, Field(min_length=6, max_length=200, pattern=r"^[^|\x00-\x1f]*$", description="密码")
]
Encoding = Literal["utf-8", "gb18030"]


class KioskCreate(Body):
    login: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")]
    password: Password
    point: Code
    encoding: Encoding = "utf-8"
    checksums: bool = False


class KioskChange(Body):
    point: Code | None = None
    encoding: Encoding | None = None
    checksums: bool | None = None
    active: bool | None = None
    password: Password | None = None


@router.get("", summary="自助机账户 Kiosk accounts")
def kiosks(actor: ActorDep, session: ReadSession) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    return {"accounts": [kiosk_summary(a) for a in list_kiosk_accounts(session)]}


@router.post("", status_code=201, summary="添加自助机账户 Add a kiosk account at a point")
def add(actor: ActorDep, body: KioskCreate, uow: WriteUoW) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    account = add_kiosk_account(
        uow.session,
        login=body.login,
        password=body.password,
        point_code=body.point,
        encoding=body.encoding,
        checksums=body.checksums,
    )
    result = kiosk_summary(account)
    uow.commit()
    return {"account": result}


@router.get("/{login}", summary="一台自助机 One kiosk account")
def kiosk(actor: ActorDep, session: ReadSession, login: Login) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    return {"account": kiosk_summary(get_kiosk_account(session, login))}


@router.patch(
    "/{login}",
    summary="修改自助机账户 Move a kiosk, change its encoding or checksums, switch it off, "
    "give it a new password",
)
def change(actor: ActorDep, login: Login, body: KioskChange, uow: WriteUoW) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    account = change_kiosk_account(
        uow.session,
        login=login,
        point_code=body.point,
        encoding=body.encoding,
        checksums=body.checksums,
        active=body.active,
        password=body.password,
    )
    result = kiosk_summary(account)
    uow.commit()
    return {"account": result}
