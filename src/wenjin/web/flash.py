"""A one-line message carried across a redirect (post/redirect/get): "renewed, due …",
"refused: …". It rides in a short-lived cookie and is shown once by the next page."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from wenjin.web.templating import render

FLASH_COOKIE = "wenjin_flash"
FLASH_KINDS = ("ok", "error")


def redirect_with_message(target: str, kind: str, text: str) -> RedirectResponse:
    """303 to ``target``, which will show ``text`` (kind ``ok`` or ``error``)."""
    response = RedirectResponse(target, status_code=303)
    payload = quote(json.dumps({"kind": kind, "text": text}, ensure_ascii=False))
    response.set_cookie(FLASH_COOKIE, payload, max_age=60, path="/", httponly=True, samesite="lax")
    return response


def take_flash(request: Request, response: Response) -> dict[str, str] | None:
    """The message the last redirect left, once (the cookie is deleted with this page)."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    response.delete_cookie(FLASH_COOKIE, path="/")
    try:
        value = json.loads(unquote(raw))
    except ValueError:
        return None
    if not isinstance(value, dict) or value.get("kind") not in FLASH_KINDS:
        return None
    return {"kind": value["kind"], "text": str(value.get("text", ""))[:2000]}


def render_with_flash(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    """Render a page with the waiting message, if any, as ``flash``."""
    probe = Response()
    flash = take_flash(request, probe)
    response = render(request, template, {**context, "flash": flash}, status_code=status_code)
    for header in probe.headers.getlist("set-cookie"):
        response.headers.append("set-cookie", header)
    return response
