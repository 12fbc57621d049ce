"""Staff accounts (员工账户管理), for an administrator of the whole network: list the
accounts, open one (username, name, role, scope point, a password under the same rules as
``wenjin admin create``), disable it, reset its password, change its role and scope, issue
and revoke its API tokens (a new token is shown once, on the page that issued it). And,
for every signed-in member of staff, changing their own password.

The same services as ``wenjin admin`` and ``/api/v1/accounts``, with the same
permission: ``accounts.manage``, which only an account of the whole network holds.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from wenjin.accounts.errors import PasswordsDiffer
from wenjin.accounts.models import StaffAccount
from wenjin.accounts.queries import get_account, list_accounts, tokens_of
from wenjin.accounts.rules import ACCOUNTS_MANAGE, Actor
from wenjin.accounts.services import (
    change_own_password,
    change_role,
    create_account,
    disable_account,
    issue_token,
    revoke_token,
    set_password,
)
from wenjin.accounts.states import Role
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.network.models import ServicePoint
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.sessions import sign_in
from wenjin.web.staff.auth import StaffActor, require_staff

router = APIRouter()

ACCOUNTS_URL = "/staff/accounts"
Username = Annotated[str, Path(min_length=1, max_length=40)]
TokenId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def account_url(username: str) -> str:
    return f"{ACCOUNTS_URL}/{quote(username, safe='')}"


def _points(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(ServicePoint.code, ServicePoint.name)
        .where(ServicePoint.active.is_(True))
        .order_by(ServicePoint.sort_order, ServicePoint.code)
    ).all()
    return [(code, name) for code, name in rows]


def _list_context(session: Session, actor: Actor, values: dict[str, str]) -> dict[str, Any]:
    return {
        "actor": actor,
        "active_nav": "more",
        "accounts": list_accounts(session),
        "roles": list(Role),
        "points": _points(session),
        "values": values,
    }


@router.get("/accounts", name="staff_accounts")
def accounts(request: Request, actor: StaffActor) -> Response:
    require_staff(request, actor, ACCOUNTS_MANAGE)
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        context = _list_context(uow.session, actor, {})
        return render_with_flash(request, "staff/accounts.html", {**context, "error": None})


@router.post("/accounts", name="staff_account_create")
def create(
    request: Request,
    actor: StaffActor,
    username: Annotated[str, Form(max_length=40)] = "",
    display_name: Annotated[str, Form(max_length=100)] = "",
    role: Annotated[str, Form(max_length=32)] = "",
    scope: Annotated[str, Form(max_length=32)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    password_again: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    require_staff(request, actor, ACCOUNTS_MANAGE)
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            if password != password_again:
                raise PasswordsDiffer()
            account = create_account(
                uow.session,
                username=username,
                display_name=display_name,
                password=password,
                role=role,
                scope=scope.strip() or None,
            )
        except WenjinError as error:
            uow.session.rollback()
            values = {"username": username, "display_name": display_name, "role": role}
            context = _list_context(uow.session, actor, {**values, "scope": scope})
            return render_with_flash(
                request,
                "staff/accounts.html",
                {**context, "error": error.message(lang)},
                status_code=422,
            )
        name = account.username
        uow.commit()
    return redirect_with_message(account_url(name), "ok", t("acct.created", lang, username=name))


def _account_page(
    request: Request,
    actor: Actor,
    username: str,
    *,
    new_token: str | None = None,
    status_code: int = 200,
) -> Response:
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        account = get_account(uow.session, username)
        return render_with_flash(
            request,
            "staff/account.html",
            {
                "actor": actor,
                "active_nav": "more",
                "account": account,
                "tokens": tokens_of(uow.session, account.id),
                "roles": list(Role),
                "points": _points(uow.session),
                "new_token": new_token,
            },
            status_code=status_code,
        )


@router.get("/accounts/{username}", name="staff_account")
def account_page(request: Request, actor: StaffActor, username: Username) -> Response:
    require_staff(request, actor, ACCOUNTS_MANAGE)
    try:
        return _account_page(request, actor, username)
    except WenjinError as error:
        return redirect_with_message(ACCOUNTS_URL, "error", error.message(get_lang(request)))


def _change(request: Request, actor: Actor, username: str, action: str, **form: str) -> Response:
    require_staff(request, actor, ACCOUNTS_MANAGE)
    lang = get_lang(request)
    back = account_url(username)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            account: StaffAccount = get_account(uow.session, username)
            if action == "disable":
                disable_account(uow.session, account=account, acting_account_id=actor.account_id)
            elif action == "password":
                if form["password"] != form["password_again"]:
                    raise PasswordsDiffer()
                set_password(uow.session, account=account, password=form["password"])
            elif action == "role":
                change_role(
                    uow.session, account=account, role=form["role"], scope=form["scope"] or None
                )
            else:
                revoke_token(uow.session, account=account, token=form["token"])
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        uow.commit()
    return redirect_with_message(back, "ok", t(f"acct.done.{action}", lang, username=username))


@router.post("/accounts/{username}/disable", name="staff_account_disable")
def disable(request: Request, actor: StaffActor, username: Username) -> Response:
    return _change(request, actor, username, "disable")


@router.post("/accounts/{username}/password", name="staff_account_password")
def reset_password(
    request: Request,
    actor: StaffActor,
    username: Username,
    password: Annotated[str, Form(max_length=200)] = "",
    password_again: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    return _change(
        request, actor, username, "password", password=password, password_again=password_again
    )


@router.post("/accounts/{username}/role", name="staff_account_role")
def role(
    request: Request,
    actor: StaffActor,
    username: Username,
    role: Annotated[str, Form(max_length=32)] = "",
    scope: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    return _change(request, actor, username, "role", role=role, scope=scope.strip())


@router.post("/accounts/{username}/tokens/{token_id}/revoke", name="staff_account_token_revoke")
def revoke(request: Request, actor: StaffActor, username: Username, token_id: TokenId) -> Response:
    return _change(request, actor, username, "revoke", token=str(token_id))


@router.post("/accounts/{username}/tokens", name="staff_account_token_issue")
def issue(
    request: Request,
    actor: StaffActor,
    username: Username,
    name: Annotated[str, Form(max_length=100)] = "",
    days: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """The new token is shown on this page, once: it is never kept in clear."""
    require_staff(request, actor, ACCOUNTS_MANAGE)
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            account = get_account(uow.session, username)
            issued = issue_token(
                uow.session,
                account=account,
                name=name,
                days=int(days) if days.strip().isdigit() else None,
            )
        except WenjinError as error:
            return redirect_with_message(account_url(username), "error", error.message(lang))
        uow.commit()
    return _account_page(request, actor, username, new_token=issued.token, status_code=201)


@router.get("/me/password", name="staff_my_password")
def my_password_page(request: Request, actor: StaffActor) -> Response:
    return render_with_flash(
        request, "staff/my_password.html", {"actor": actor, "active_nav": "more"}
    )


@router.post("/me/password", name="staff_my_password_change")
def change_my_password(
    request: Request,
    actor: StaffActor,
    current: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    password_again: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Every browser of the account is signed out; this one signs in again at once."""
    lang = get_lang(request)
    page = request.app.url_path_for("staff_my_password")
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        account = uow.session.get(StaffAccount, actor.account_id)
        assert account is not None  # the actor was read from it on this request
        try:
            change_own_password(
                uow.session, account=account, current=current, new=password, repeated=password_again
            )
        except WenjinError as error:
            return redirect_with_message(page, "error", error.message(lang))
        uow.commit()
    response = redirect_with_message(page, "ok", t("acct.my_password_changed", lang))
    sign_in(request, response, kind="staff", staff_account_id=actor.account_id)
    return response
