"""The one Jinja2 environment of the web application, and how pages are rendered.

Templates autoescape everything; data from the catalogue (titles, MARC
subfields) is never trusted as markup. Every template gets ``lang``, ``t`` (the
translation function bound to that language), ``localised`` (a stored name in
that language), ``path_for`` (a route's path), the network's name and the link
that switches language, and ``csrf_field()`` for forms that post.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from starlette.responses import Response

from wenjin.web.i18n import (
    LANG_PARAM,
    format_date,
    format_yuan,
    html_lang,
    other_lang,
    t,
)
from wenjin.web.sessions import csrf_field, csrf_token_of


def language_switch_url(request: Request, lang: str) -> str:
    """The current page, relative, with ``lang`` set to ``lang`` and other parameters kept."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != LANG_PARAM]
    params.append((LANG_PARAM, lang))
    # The ASGI path already includes any root_path a proxy mounted the app under.
    return f"{request.url.path}?{urlencode(params)}"


@pass_context
def _path_for(context: Any, name: str, /, **path_params: Any) -> str:
    """A root-relative link to the route ``name``: works behind a proxy prefix too."""
    request: Request = context["request"]
    return f"{request.scope.get('root_path', '')}{route_path(request, name, **path_params)}"


def route_path(request: Request, name: str, /, **path_params: Any) -> str:
    """``app.url_path_for``, remembered per application: the routes never change once the
    app is built, and the lookup walks every route (the API's too), a fifth of a
    millisecond a link on a page with twenty links."""
    cache: dict[tuple[str, tuple[tuple[str, str], ...]], str] | None = getattr(
        request.app.state, "route_paths", None
    )
    if cache is None:
        cache = request.app.state.route_paths = {}
    key = (name, tuple(sorted((k, str(v)) for k, v in path_params.items())))
    path = cache.get(key)
    if path is None:
        path = str(request.app.url_path_for(name, **path_params))
        if len(cache) < 100_000:  # record ids make many keys; never grow without bound
            cache[key] = path
    return path


def _localised(lang: str, zh: str | None, en: str | None) -> str:
    """A stored name in the reader's language: the English one when asked and when there is one."""
    if lang == "en" and en:
        return en
    return zh or en or ""


def _page_context(request: Request) -> dict[str, Any]:
    lang: str = getattr(request.state, "lang", "zh")
    settings = request.app.state.settings
    return {
        "lang": lang,
        "html_lang": html_lang(lang),
        "other_lang": other_lang(lang),
        "other_html_lang": html_lang(other_lang(lang)),
        "t": lambda key, **params: t(key, lang, **params),
        "localised": lambda zh, en=None: _localised(lang, zh, en),
        "format_date": lambda day: format_date(day, lang),
        "switch_url": language_switch_url(request, other_lang(lang)),
        "network_name": settings.network_name,
        # Callables, so that a page without a form sets no CSRF cookie.
        "csrf_field": lambda: csrf_field(request),
        "csrf_token": lambda: csrf_token_of(request),
    }


def _make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("wenjin.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["path_for"] = _path_for
    env.filters["yuan"] = format_yuan
    return env


templates = Jinja2Templates(env=_make_environment(), context_processors=[_page_context])


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    """Render ``template`` to an HTML response (rendering happens here, inside the request)."""
    return templates.TemplateResponse(request, template, context or {}, status_code=status_code)
