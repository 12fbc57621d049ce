"""The results page: ranked records, facets to narrow them, pages. Plain links and a GET
form, so that it works without JavaScript and every state has its own address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from wenjin.search.engine import index_for
from wenjin.search.queries import SearchResults, search
from wenjin.search.rules import MAX_PAGE
from wenjin.web.deps import ReadSession, get_engine, get_settings
from wenjin.web.templating import render

router = APIRouter()

PER_PAGE = 20
# Facet name in the results → the URL parameter that selects one of its values.
FACET_PARAMS: dict[str, str] = {
    "point": "available_at",
    "availability": "available",
    "clc": "clc",
    "language": "language",
    "year": "year",
    "item_type": "item_type",
}
FACETS_SHOWN = 12


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    href: str
    selected: bool


@dataclass(frozen=True)
class Filter:
    """A selection in force, with the link that removes it."""

    facet: str
    label: str
    remove_href: str


def _href(request: Request, params: dict[str, Any]) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{request.url.path}?{urlencode(kept)}"


@router.get("/search", name="search")
def search_page(
    request: Request,
    session: ReadSession,
    q: Annotated[str, Query(max_length=500)] = "",
    at: Annotated[str | None, Query(max_length=32)] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    available_at: Annotated[str | None, Query(max_length=32)] = None,
    available: Annotated[str | None, Query(max_length=12)] = None,
    clc: Annotated[str | None, Query(pattern="^[A-Za-z]$")] = None,
    language: Annotated[str | None, Query(max_length=3)] = None,
    year: Annotated[int | None, Query(ge=0, le=9999)] = None,
    item_type: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    lang = getattr(request.state, "lang", "zh")
    params: dict[str, Any] = {
        "q": q,
        "at": at or None,
        "available_at": available_at or None,
        "available": available if available in ("available", "unavailable") else None,
        "clc": clc,
        "language": language or None,
        "year": year,
        "item_type": item_type or None,
    }
    results: SearchResults | None = None
    if q.strip() or any(v is not None for k, v in params.items() if k != "q"):
        index = index_for(get_settings(request).data_dir, get_engine(request))
        results = search(
            session,
            index=index,
            query=q,
            at=params["at"],
            available_at=params["available_at"],
            available=None if params["available"] is None else params["available"] == "available",
            clc=clc,
            language=params["language"],
            year=year,
            item_type=params["item_type"],
            page=page,
            per_page=PER_PAGE,
        )
    facets: dict[str, list[FacetLink]] = {}
    filters: list[Filter] = []
    if results is not None:
        for name, values in results.facets.items():
            param = FACET_PARAMS.get(name)
            if param is None:
                continue
            links = []
            for value in values[:FACETS_SHOWN]:
                label = value.label_en if lang == "en" else value.label
                selected = str(params[param]) == value.value
                target = {**params, param: None if selected else value.value}
                links.append(FacetLink(label, value.count, _href(request, target), selected))
                if selected:
                    filters.append(Filter(name, label, _href(request, {**params, param: None})))
            if links:
                facets[name] = links
    # A selection with no hits left has no facet value to show: still offer to remove it.
    shown = {f.facet for f in filters}
    for name, param in FACET_PARAMS.items():
        if params[param] is not None and name not in shown:
            filters.append(
                Filter(name, str(params[param]), _href(request, {**params, param: None}))
            )
    pages = results.pages if results else 0
    return render(
        request,
        "opac/search.html",
        {
            "q": q,
            "results": results,
            "facets": facets,
            "filters": filters,
            "prev_href": _href(request, {**params, "page": page - 1}) if page > 1 else None,
            "next_href": _href(request, {**params, "page": page + 1}) if page < pages else None,
            "page": page,
            "pages": pages,
            "active_nav": "search",
        },
    )
