"""The one error body of the REST API, and the errors only the API raises.

Every error under ``/api/`` reads::

    {"error": {"code": "...", "message": "<中文>", "message_en": "<English>", "details": ...}}

Domain errors keep their own code (``item_on_loan``) and become 404 (not found),
400 (invalid input) or 409 (a refusal); the API adds 401 (no valid token), 403
(the account may not) and 422 (the request does not parse).
"""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from wenjin.errors import InvalidInput, NotFound, WenjinError

_HTTP_MESSAGES: dict[int, tuple[str, str]] = {
    400: ("请求有误", "Bad request"),
    401: (
        "需要登录：请在 Authorization 头中提供有效的 API 令牌",
        "Sign in: send a valid API token",
    ),
    403: ("无权执行此操作", "Not allowed"),
    404: ("没有这个地址", "No such address"),
    405: ("该地址不支持此请求方法", "Method not allowed at this address"),
    409: ("操作被拒绝", "Refused"),
    413: ("请求内容过大", "Request too large"),
    415: ("不支持的内容类型", "Unsupported content type"),
    422: ("请求参数无效", "Invalid request"),
}


class ApiError(Exception):
    """An error the API itself raises (not the domain): it carries its HTTP status."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message_zh: str, message_en: str, details: Any = None) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en
        self.details = details


class NotAuthenticated(ApiError):
    status_code = 401
    code = "not_authenticated"


class PermissionDenied(ApiError):
    status_code = 403
    code = "permission_denied"


def error_body(code: str, message_zh: str, message_en: str, details: Any = None) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message_zh,
            "message_en": message_en,
            "details": jsonable_encoder(details),
        }
    }


def status_for(exc: WenjinError) -> int:
    if isinstance(exc, NotFound) or exc.code.endswith("not_found"):
        return 404
    if isinstance(exc, InvalidInput):
        return 400
    return 409


def api_error_response(exc: ApiError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    return JSONResponse(
        error_body(exc.code, exc.message_zh, exc.message_en, exc.details),
        status_code=exc.status_code,
        headers=headers,
    )


def domain_error_response(exc: WenjinError) -> JSONResponse:
    return JSONResponse(
        error_body(exc.code, exc.message_zh, exc.message_en), status_code=status_for(exc)
    )


def http_error_response(exc: StarletteHTTPException) -> JSONResponse:
    zh, en = _HTTP_MESSAGES.get(exc.status_code, ("请求失败", "Request failed"))
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != en else None
    return JSONResponse(
        error_body(f"http_{exc.status_code}", zh, en, detail),
        status_code=exc.status_code,
        headers=exc.headers,
    )


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc if part not in ("body", "query", "path", "header"))


def validation_error_response(exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    fields = ", ".join(dict.fromkeys(_field(tuple(e.get("loc", ()))) for e in errors)) or "-"
    details = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors
    ]
    return JSONResponse(
        error_body(
            "invalid_request",
            f"请求参数无效，请检查：{fields}",
            f"Invalid request; check: {fields}",
            details,
        ),
        status_code=422,
    )


def server_error_response() -> JSONResponse:
    return JSONResponse(
        error_body(
            "server_error",
            "服务器内部错误，已记录，请稍后再试",
            "Internal error; it has been logged, try again later",
        ),
        status_code=500,
    )


class ErrorFields(BaseModel):
    code: str
    message: str
    message_en: str
    details: Any = None


class ErrorBodyModel(BaseModel):
    """The error body, as the OpenAPI document describes it."""

    error: ErrorFields
