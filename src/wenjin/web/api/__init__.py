"""The REST API, ``/api/v1``: a sub-application with its own OpenAPI document and Swagger UI.

Mounted by :func:`wenjin.web.app.create_app`; it shares the application's engine
and settings. Every error is one JSON body (see :mod:`wenjin.web.api.errors`).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from wenjin import __version__
from wenjin.config import Settings
from wenjin.errors import WenjinError
from wenjin.web.api import (
    accounts,
    audit,
    catalog,
    circulation,
    fees,
    holds,
    items,
    kiosks,
    network,
    notices,
    patrons,
    policy,
    records,
    rotation,
    search,
    transfers,
)
from wenjin.web.api.errors import (
    ApiError,
    ErrorBodyModel,
    api_error_response,
    domain_error_response,
    http_error_response,
    server_error_response,
    validation_error_response,
)

log = logging.getLogger(__name__)

API_V1 = "/api/v1"

_ERRORS = {
    status: {"model": ErrorBodyModel, "description": text}
    for status, text in (
        (401, "没有有效令牌 no valid token"),
        (403, "无权 not allowed"),
        (404, "不存在 not found"),
        (409, "被拒绝 refused, with the reason"),
        (422, "参数无效 invalid request"),
    )
}


def create_api(settings: Settings, engine: Engine) -> FastAPI:
    api = FastAPI(
        title=f"文津 Wenjin API — {settings.network_name}",
        version=__version__,
        description=(
            "总分馆服务平台接口 REST API of the Wenjin library platform. "
            "Authenticate with `Authorization: Bearer <token>` (`wenjin admin token create`). "
            "Errors: `{error: {code, message, message_en, details}}`. Lists: "
            "`?page=&per_page=` (≤200) → `{items, page, per_page, total}`."
        ),
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        responses=_ERRORS,  # type: ignore[arg-type]
    )
    api.state.settings = settings
    api.state.engine = engine
    for module in (
        patrons,
        circulation,
        holds,
        transfers,
        rotation,
        notices,
        fees,
        policy,
        network,
        items,
        records,
        kiosks,
        accounts,
        audit,
        catalog,
        search,
    ):
        api.include_router(module.router)
    _add_error_handlers(api)
    return api


def _add_error_handlers(api: FastAPI) -> None:
    async def api_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return api_error_response(exc)

    async def domain_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WenjinError)
        return domain_error_response(exc)

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return http_error_response(exc)

    async def invalid_request(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return validation_error_response(exc)

    async def server_error(_request: Request, exc: Exception) -> Response:
        return server_error_response()

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(WenjinError, domain_error)
    api.add_exception_handler(StarletteHTTPException, http_error)
    api.add_exception_handler(RequestValidationError, invalid_request)
    api.add_exception_handler(Exception, server_error)
