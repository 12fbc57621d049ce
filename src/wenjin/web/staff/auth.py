"""Signing in and out of the staff client, and what a staff page asks for.

A page takes ``actor: StaffActor``: the signed-in member of staff, or a redirect to
the login page that comes back to the page afterwards. :func:`require_staff`
checks a permission where the action happens, as the REST API does, and answers
403 with a page saying which permission is missing.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from wenjin.accounts.models import StaffAccount
from wenjin.accounts.queries import actor_of
from wenjin.accounts.rules import PERMISSION_LABELS, Actor, Place, may
from wenjin.accounts.services import authenticate
from wenjin.db.uow import UnitOfWork
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.i18n import t
from wenjin.web.login_limits import WAIT_MINUTES, client_address, sign_in_limiter
from wenjin.web.sessions import sign_in, sign_out, signed_in
from wenjin.web.templating import render

router = APIRouter()

STAFF_HOME = "/staff/"


def _safe_next(target: str | None) -> str:
    """Where to go after login: a path on this site only (never an open redirect)."""
    if not target:
        return STAFF_HOME
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return STAFF_HOME
    return target


def current_staff(request: Request) -> Actor:
    """The signed-in member of staff; otherwise a redirect to the login page."""
    cached = getattr(request.state, "staff_actor", None)
    if cached is not None:
        actor: Actor = cached
        return actor
    found = signed_in(request, kind="staff")
    if found is not None and found.staff_account_id is not None:
        with UnitOfWork(get_engine(request), readonly=True) as uow:
            account = uow.session.get(StaffAccount, found.staff_account_id)
            if account is not None and account.active:
                actor = actor_of(account)
                request.state.staff_actor = actor
                return actor
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise StarletteHTTPException(
        303, headers={"Location": f"{request.app.url_path_for('staff_login')}?next={quote(target)}"}
    )


StaffActor = Annotated[Actor, Depends(current_staff)]


def require_staff(
    request: Request, actor: Actor, permission: str, *, at: Place | None = None
) -> None:
    """Go on only if ``actor`` may do ``permission`` at ``at``; else a 403 page saying why."""
    if may(actor, permission, at):
        return
    lang = get_lang(request)
    zh, en = PERMISSION_LABELS[permission]
    where = (
        ""
        if at is None
        else (f"（在 {at.label('zh')}）" if lang == "zh" else f" at {at.label('en')}")
    )
    raise StarletteHTTPException(
        403,
        detail=t(
            "staff.permission_denied",
            lang,
            username=actor.username,
            action=zh if lang == "zh" else en,
            where=where,
            permission=permission,
        ),
    )


@router.get("/login", name="staff_login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(
        request, "staff/login.html", {"next": _safe_next(next), "error": None, "username": ""}
    )


@router.post("/login", name="staff_login_submit")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form(max_length=2000)] = STAFF_HOME,
) -> Response:
    target = _safe_next(next)
    limiter, address = sign_in_limiter(request), client_address(request)
    if limiter.refused("staff", address):
        return render(
            request,
            "staff/login.html",
            {
                "next": target,
                "error": t("signin.too_many", get_lang(request), minutes=WAIT_MINUTES),
                "username": username,
            },
            status_code=429,
        )
    with UnitOfWork(get_engine(request)) as uow:
        outcome = authenticate(uow.session, username=username, password=password)
        uow.commit()  # a refusal is kept too: the failed count, the lock
    if outcome.actor is None:
        assert outcome.refusal is not None
        limiter.failed("staff", address)
        error = outcome.refusal.message(get_lang(request))
        return render(
            request,
            "staff/login.html",
            {"next": target, "error": error, "username": username},
            status_code=401,
        )
    response = RedirectResponse(target, status_code=303)
    sign_in(request, response, kind="staff", staff_account_id=outcome.actor.account_id)
    return response


@router.post("/logout", name="staff_logout")
def logout(request: Request) -> Response:
    response = RedirectResponse(request.app.url_path_for("staff_login"), status_code=303)
    sign_out(request, response, kind="staff")
    return response
