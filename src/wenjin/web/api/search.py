"""``/api/v1/search``: the catalogue search the OPAC pages call (public, no token).

The catalogue is what a library shows everyone, so the search needs no token;
it reads nothing about readers.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from wenjin.search.engine import index_for
from wenjin.search.queries import SearchResults, search
from wenjin.search.rules import MAX_PAGE, MAX_PER_PAGE
from wenjin.web.api.deps import ReadSession
from wenjin.web.deps import get_engine, get_settings

router = APIRouter(prefix="/search", tags=["search 检索"])


def results_json(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "at": results.at,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "pages": results.pages,
        "characters_only": results.characters_only,
        "items": [
            {
                "id": hit.id,
                "control_number": hit.control_number,
                "title": hit.title,
                "author": hit.author,
                "year": hit.year,
                "available": hit.available,
                "copies": hit.copies,
                "publisher": hit.publisher,
                "isbn": hit.isbn,
                "clc": hit.clc,
            }
            for hit in results.hits
        ],
        "facets": {
            name: [
                {"value": v.value, "label": v.label, "label_en": v.label_en, "count": v.count}
                for v in values
            ]
            for name, values in results.facets.items()
        },
    }


@router.get("", summary="检索书目 Search the catalogue: ranked records with facets")
def search_catalogue(
    request: Request,
    session: ReadSession,
    q: Annotated[
        str, Query(max_length=500, description="检索式 query: 红楼梦, hlm, title:…, isbn:…")
    ] = "",
    at: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=32,
            description="服务点代码 scope: a point and the points under it",
        ),
    ] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="第几页 page")] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="每页条数 per page")] = 20,
    available_at: Annotated[
        str | None, Query(min_length=1, max_length=32, description="分面：有可借副本的服务点")
    ] = None,
    available: Annotated[bool | None, Query(description="分面：只看可借 available only")] = None,
    clc: Annotated[
        str | None, Query(pattern="^[A-Za-z]$", description="分面：中图法大类 CLC main class")
    ] = None,
    language: Annotated[
        str | None, Query(min_length=2, max_length=3, description="分面：语种 language code")
    ] = None,
    year: Annotated[int | None, Query(ge=0, le=9999, description="分面：出版年 year")] = None,
    item_type: Annotated[
        str | None, Query(min_length=1, max_length=16, description="分面：文献类型 item type")
    ] = None,
) -> dict[str, Any]:
    index = index_for(get_settings(request).data_dir, get_engine(request))
    results = search(
        session,
        index=index,
        query=q,
        at=at,
        available_at=available_at,
        available=available,
        clc=clc,
        language=language,
        year=year,
        item_type=item_type,
        page=page,
        per_page=per_page,
    )
    return results_json(results)
