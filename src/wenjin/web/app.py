"""The FastAPI application: ``create_app()`` builds it, ``wenjin serve`` runs it.

Areas are routers: the public pages (``opac/``) now; the staff client
(``staff/``) and the REST API (``/api/v1``, JSON errors) slot in beside them.
Every HTML page goes through one Jinja2 environment (:mod:`wenjin.web.templating`)
and one translation table (:mod:`wenjin.web.i18n`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wenjin import __version__
from wenjin.config import Settings
from wenjin.db.engine import (
    make_engine,
    start_background_checkpoints,
    stop_background_checkpoints,
)
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.web.api import API_V1, create_api
from wenjin.web.api.errors import (
    domain_error_response,
    error_body,
    http_error_response,
    server_error_response,
    status_for,
    validation_error_response,
)
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.i18n import (
    DEFAULT_LANG,
    LANG_COOKIE,
    LANG_COOKIE_MAX_AGE,
    LANG_PARAM,
    normalise_lang,
    t,
)
from wenjin.web.login_limits import SignInLimiter
from wenjin.web.opac import router as opac_router
from wenjin.web.sessions import set_csrf_cookie
from wenjin.web.staff import router as staff_router
from wenjin.web.templating import render

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
API_PREFIX = "/api/"

# Pages load nothing from elsewhere: no CDN, no inline script, no external image.
_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web application over the database that ``settings`` names (one engine per app)."""
    settings = settings or Settings()
    engine = make_engine(settings.effective_database_url, echo=settings.sql_echo)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        start_background_checkpoints(engine)  # a server: no commit waits for a checkpoint
        yield
        stop_background_checkpoints(engine)
        engine.dispose()

    app = FastAPI(
        title=settings.network_name,
        version=__version__,
        lifespan=lifespan,
        # The public site has no OpenAPI page; the REST API publishes its own under /api/v1.
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sign_in_limiter = SignInLimiter()

    app.add_middleware(PageFrame)
    _add_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_api_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
    app.include_router(opac_router)
    app.include_router(staff_router)
    # After the pages: url_path_for() finds the first route of a name, and the API's
    # operations may share names with pages ("point").
    app.mount(API_V1, create_api(settings, engine))
    return app


class PageFrame:
    """What every request and answer of the site gets, as plain ASGI (Starlette's
    ``BaseHTTPMiddleware`` costs a task and a queue per request, twice over):

    * a NUL character in the path or the query string is answered 422 at once
      (PostgreSQL refuses it in text; nobody means it);
    * the language: ``?lang=`` wins and is remembered in the ``lang`` cookie; else the
      cookie; else Chinese;
    * the headers: the CSRF cookie when a page handed out a new token, ``Vary: Cookie``
      and the content security policy on HTML, no MIME sniffing, same-origin referrers.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = scope.get("query_string", b"")
        if "\x00" in scope["path"] or b"%00" in raw.lower() or b"\x00" in raw:
            body = error_body(
                "invalid_request",
                "请求中含有空字符（NUL），无法处理",
                "the request contains a NUL character",
            )
            await JSONResponse(body, status_code=422)(scope, receive, send)
            return
        request = Request(scope)
        asked = normalise_lang(request.query_params.get(LANG_PARAM))
        request.state.lang = (
            asked or normalise_lang(request.cookies.get(LANG_COOKIE)) or DEFAULT_LANG
        )

        async def send_framed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                cookies = Response()
                if asked:
                    cookies.set_cookie(
                        LANG_COOKIE,
                        asked,
                        max_age=LANG_COOKIE_MAX_AGE,
                        path="/",
                        samesite="lax",
                        httponly=True,
                    )
                set_csrf_cookie(request, cookies)
                for cookie in cookies.headers.getlist("set-cookie"):
                    headers.append("set-cookie", cookie)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.append("Vary", "Cookie")
                    headers.setdefault("Content-Security-Policy", _CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
            await send(message)

        await self.app(scope, receive, send_framed)


def healthz(request: Request) -> JSONResponse:
    """For load balancers and monitoring: is the app up, and does the database answer?"""
    try:
        with UnitOfWork(get_engine(request), readonly=True) as uow:
            uow.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("health check: the database does not answer")
        return JSONResponse({"status": "error", "database": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _error_page(request: Request, status_code: int, *, detail: str | None = None) -> Response:
    lang = get_lang(request)
    if status_code == 404:
        kind = "not_found"
    elif status_code == 403:
        kind = "forbidden"
    elif status_code >= 500:
        kind = "server"
    else:
        kind = "bad_request"
    return render(
        request,
        "error.html",
        {
            "status_code": status_code,
            "title": t(f"error.{kind}.title", lang),
            "body": t(f"error.{kind}.body", lang),
            "detail": detail,
        },
        status_code=status_code,
    )


def _phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return ""


def _add_error_handlers(app: FastAPI) -> None:
    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if _wants_json(request):
            return http_error_response(exc)
        # A refusal that explains itself (a stale form, a missing permission) says so.
        explained = isinstance(exc.detail, str) and exc.detail != _phrase(exc.status_code)
        response = _error_page(request, exc.status_code, detail=exc.detail if explained else None)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def domain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WenjinError)
        if _wants_json(request):
            return domain_error_response(exc)
        return _error_page(request, status_for(exc), detail=exc.message(get_lang(request)))

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if _wants_json(request):
            return validation_error_response(exc)
        # A path that does not parse (/records/abc) names no page: not found, not "bad request".
        in_path = any(error.get("loc", ("",))[0] == "path" for error in exc.errors())
        return _error_page(request, 404 if in_path else 400)

    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette logs the exception and re-raises it to the server after this response.
        if _wants_json(request):
            return server_error_response()
        return _error_page(request, 500)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(WenjinError, domain_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, server_error)
