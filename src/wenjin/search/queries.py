"""The read side of search: :func:`search`, what the OPAC, the API and the CLI call.

results = search(session, index=index_for(settings.data_dir, engine), query="红楼梦")
results.total, results.hits[0].title, results.facets["clc"]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wenjin.catalog.bulk import select_in
from wenjin.catalog.models import BibRecord
from wenjin.catalog.queries import SUMMARY_COLUMNS, RecordSummary, record_summaries
from wenjin.network.queries import descendant_ids, get_point_by_code
from wenjin.search.engine import Filters, SearchIndex
from wenjin.search.models import SearchDocument
from wenjin.search.query import parse
from wenjin.search.rules import (
    AVAILABILITY,
    DEFAULT_PER_PAGE,
    clc_label,
    language_label,
    page_window,
)


@dataclass(frozen=True)
class SearchHit:
    id: int
    control_number: str | None
    title: str
    author: str | None
    year: int | None
    available: int  # copies on the shelf (in the scope, when the search is scoped)
    copies: int
    publisher: str | None = None
    isbn: str | None = None
    clc: str | None = None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    label_en: str
    count: int


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    per_page: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    at: str | None = None
    characters_only: bool = False  # the words were not found; their characters were

    @property
    def pages(self) -> int:
        return (self.total + self.per_page - 1) // self.per_page


def search(
    session: Session,
    *,
    index: SearchIndex,
    query: str = "",
    at: str | None = None,
    available_at: str | None = None,
    available: bool | None = None,
    clc: str | None = None,
    language: str | None = None,
    year: int | None = None,
    item_type: str | None = None,
    page: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
    facets: bool = True,
) -> SearchResults:
    """Ranked records for ``query``, with facet counts; never refuses the query text.

    ``at``: a service point code; only records with a copy at that point or a point
    under it, and ``available`` counts only those copies. The other arguments are
    facet selections (``available_at`` is a point code). An unknown point code is
    refused (:class:`~wenjin.network.errors.PointNotFound`).
    """
    page, per_page, offset = page_window(page, per_page)
    scope: frozenset[int] | None = None
    if at:
        scope = frozenset(descendant_ids(session, get_point_by_code(session, at).id))
    available_point = get_point_by_code(session, available_at).id if available_at else None
    filters = Filters(
        points=scope,
        available_at=available_point,
        available=available,
        clc_top=clc,
        language=language,
        year=year,
        item_type=item_type,
    )
    found = index.search(
        session, parse(query), filters=filters, offset=offset, limit=per_page, facets=facets
    )
    return SearchResults(
        query=query,
        total=found.total,
        page=page,
        per_page=per_page,
        hits=_hits(session, found.bib_ids, scope),
        facets=_label_facets(session, found.facets, scope),
        at=at,
        characters_only=found.fallback,
    )


def _hits(session: Session, bib_ids: list[int], scope: frozenset[int] | None) -> list[SearchHit]:
    if not bib_ids:
        return []
    rows = {
        row[0]: row
        for row in select_in(
            session,
            "SELECT id, control_number, title, authors, responsibility, year, publisher, isbn, clc "
            "FROM bib_records WHERE id {IN}",
            bib_ids,
        )
    }
    # Through the driver, like the rows above: the ORM would cost more than the search.
    sql = (
        "SELECT bib_id, count(*), sum(CASE WHEN status = 'available' THEN 1 ELSE 0 END) "
        "FROM items WHERE status <> 'withdrawn' AND bib_id {IN}"
    )
    if scope is not None:
        sql += f" AND current_point_id IN ({', '.join(str(int(p)) for p in sorted(scope))})"
    copies = {
        bib_id: (int(total), int(on_shelf or 0))
        for bib_id, total, on_shelf in select_in(session, sql + " GROUP BY bib_id", bib_ids)
    }
    hits = []
    for bib_id in bib_ids:
        row = rows.get(bib_id)
        if row is None:  # deleted since it was indexed
            continue
        _, control_number, title, authors, responsibility, year, publisher, isbn, clc = row
        names = json.loads(authors) if isinstance(authors, str) else (authors or [])
        total, on_shelf = copies.get(bib_id, (0, 0))
        hits.append(
            SearchHit(
                id=bib_id,
                control_number=control_number,
                title=title,
                author=names[0] if names else responsibility,
                year=year,
                available=on_shelf,
                copies=total,
                publisher=publisher,
                isbn=isbn,
                clc=clc,
            )
        )
    return hits


def _label_facets(
    session: Session, raw: dict[str, list[tuple[Any, int]]], scope: frozenset[int] | None
) -> dict[str, list[FacetValue]]:
    if not raw:
        return {}
    facets: dict[str, list[FacetValue]] = {}
    point_ids = [int(k) for k, _ in raw.get("point", []) if scope is None or int(k) in scope]
    points = {
        row[0]: row[1:]
        for row in select_in(
            session, "SELECT id, code, name, name_en FROM service_points WHERE id {IN}", point_ids
        )
    }
    facets["point"] = [
        FacetValue(points[int(k)][0], points[int(k)][1], points[int(k)][2] or points[int(k)][1], n)
        for k, n in raw.get("point", [])
        if int(k) in points
    ]
    facets["availability"] = [
        FacetValue(str(k), AVAILABILITY.get(k, (k, k))[0], AVAILABILITY.get(k, (k, k))[1], n)
        for k, n in raw.get("availability", [])
    ]
    facets["clc"] = [FacetValue(k, *clc_label(k), n) for k, n in raw.get("clc", [])]
    facets["language"] = [FacetValue(k, *language_label(k), n) for k, n in raw.get("language", [])]
    facets["year"] = sorted(
        (FacetValue(str(k), str(k), str(k), n) for k, n in raw.get("year", [])),
        key=lambda f: f.value,
        reverse=True,
    )
    type_codes = [k for k, _ in raw.get("item_type", [])]
    types = {
        row[0]: (row[1], row[2] or row[1])
        for row in select_in(
            session, "SELECT code, name, name_en FROM item_types WHERE code {IN}", type_codes
        )
    }
    facets["item_type"] = [
        FacetValue(k, types.get(k, (k, k))[0], types.get(k, (k, k))[1], n)
        for k, n in raw.get("item_type", [])
    ]
    return facets


def search_record_count(session: Session) -> int:
    """Records in the catalogue (what a full reindex will index)."""
    return int(session.scalar(select(func.count()).select_from(BibRecord)) or 0)


def popular_records(session: Session, limit: int = 10) -> list[RecordSummary]:
    """The most borrowed titles (every loan of any copy counts; the search documents keep
    the count), most borrowed first; titles never borrowed are left out."""
    return record_summaries(
        session.execute(
            select(*SUMMARY_COLUMNS)
            .join(SearchDocument, SearchDocument.bib_id == BibRecord.id)
            .where(SearchDocument.loan_count > 0)
            .order_by(SearchDocument.loan_count.desc(), BibRecord.id)
            .limit(limit)
        )
    )
