"""Who is signed in on this browser, and forms that only this site can post.

Two kinds of web session share one table (:class:`wenjin.accounts.models.WebSession`):
a member of staff (cookie ``wenjin_staff``, staff client) and a reader (cookie
``wenjin_reader``, OPAC account). A browser may hold both. The cookie carries a
random value whose hash is the row's key; cookies are HttpOnly, SameSite=Lax and
Secure when the request came over https.

CSRF: every HTML request gets a token (cookie ``wenjin_csrf``, made when absent)
that templates write into each form with ``{{ csrf_field() }}``; routers that take
forms depend on :func:`verify_csrf`, which compares the posted token with the
cookie (a page on another site can make the browser send the cookie, but it
cannot read it to put it in the form) and refuses a foreign ``Origin``.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from fastapi import Request
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from wenjin.accounts.services import end_web_session, open_web_session, resolve_web_session
from wenjin.db.uow import UnitOfWork
from wenjin.web.i18n import t

SessionKind = Literal["staff", "reader"]

STAFF_COOKIE = "wenjin_staff"
READER_COOKIE = "wenjin_reader"
CSRF_COOKIE = "wenjin_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
STAFF_IDLE = timedelta(minutes=30)
READER_IDLE = timedelta(minutes=20)

_COOKIES: dict[str, str] = {"staff": STAFF_COOKIE, "reader": READER_COOKIE}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class SignedIn:
    """The live session of this request: who, and since when."""

    session_id: int
    kind: str
    staff_account_id: int | None
    patron_id: int | None


def idle_limit(request: Request, kind: str) -> timedelta:
    """How long a browser of this kind may stay idle (settings, else the defaults)."""
    settings = request.app.state.settings
    minutes = getattr(settings, f"{kind}_idle_minutes", None)
    if minutes:
        return timedelta(minutes=minutes)
    return STAFF_IDLE if kind == "staff" else READER_IDLE


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def sign_in(
    request: Request,
    response: Response,
    *,
    kind: SessionKind,
    staff_account_id: int | None = None,
    patron_id: int | None = None,
) -> None:
    """Open a session for this browser (its own transaction) and set its cookie.

    Any session of the same kind the browser held before is ended first, so that a
    cookie planted before login is never promoted (session fixation).
    """
    engine = request.app.state.engine
    cookie = _COOKIES[kind]
    with UnitOfWork(engine) as uow:
        old = request.cookies.get(cookie)
        if old:
            end_web_session(uow.session, token=old)
        token = open_web_session(
            uow.session, kind=kind, staff_account_id=staff_account_id, patron_id=patron_id
        )
        uow.commit()
    response.set_cookie(
        cookie, token, path="/", httponly=True, samesite="lax", secure=_secure(request)
    )
    request.state.__dict__.pop(f"signed_in_{kind}", None)


def signed_in(request: Request, *, kind: SessionKind) -> SignedIn | None:
    """The live session this browser's cookie names, or None (idle, ended, unknown)."""
    cached = f"signed_in_{kind}"
    if cached in request.state.__dict__:
        found: SignedIn | None = request.state.__dict__[cached]
        return found
    token = request.cookies.get(_COOKIES[kind])
    found = None
    if token:
        with UnitOfWork(request.app.state.engine) as uow:
            row = resolve_web_session(
                uow.session, token=token, kind=kind, idle=idle_limit(request, kind)
            )
            if row is not None:
                found = SignedIn(row.id, row.kind, row.staff_account_id, row.patron_id)
            if uow.session.dirty:
                uow.commit()
    request.state.__dict__[cached] = found
    return found


def sign_out(request: Request, response: Response, *, kind: SessionKind) -> None:
    """End this browser's session of ``kind`` and delete its cookie."""
    cookie = _COOKIES[kind]
    token = request.cookies.get(cookie)
    if token:
        with UnitOfWork(request.app.state.engine) as uow:
            end_web_session(uow.session, token=token)
            uow.commit()
    response.delete_cookie(cookie, path="/", httponly=True, samesite="lax", secure=_secure(request))
    request.state.__dict__[f"signed_in_{kind}"] = None


# -- CSRF ---------------------------------------------------------------------------


def _plausible_token(value: str | None) -> bool:
    return bool(value) and 20 <= len(value or "") <= 100


def csrf_token_of(request: Request) -> str:
    """This request's CSRF token (the cookie's, or the one the middleware just made)."""
    token: str | None = getattr(request.state, "csrf_token", None)
    if token is None:
        token = request.cookies.get(CSRF_COOKIE)
        if not _plausible_token(token):
            token = secrets.token_urlsafe(32)
        request.state.csrf_token = token
    return token


def csrf_field(request: Request) -> Markup:
    """The hidden input every form that posts carries."""
    return Markup(
        f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf_token_of(request))}">'
    )


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Give the browser the token its forms carry, when it does not have it yet."""
    token = getattr(request.state, "csrf_token", None)
    if token and token != request.cookies.get(CSRF_COOKIE):
        response.set_cookie(
            CSRF_COOKIE, token, path="/", httponly=True, samesite="lax", secure=_secure(request)
        )


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        referer = request.headers.get("referer")
        if not referer:
            # Browsers send Origin on every cross-site POST; only the token decides here.
            return origin is None
        origin = "/".join(referer.split("/", 3)[:3])
    return origin == f"{request.url.scheme}://{request.url.netloc}"


def _refuse(request: Request) -> StarletteHTTPException:
    lang = getattr(request.state, "lang", "zh")
    return StarletteHTTPException(403, detail=t("csrf.refused", lang))


async def verify_csrf(request: Request) -> None:
    """Router dependency: a form posted to this site must come from one of its pages."""
    if request.method in _SAFE_METHODS:
        return
    if not _same_origin(request):
        raise _refuse(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    cookie = request.cookies.get(CSRF_COOKIE)
    if not sent or not cookie or not hmac.compare_digest(sent.encode(), cookie.encode()):
        raise _refuse(request)
