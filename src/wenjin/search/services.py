"""Use cases of search that write: rewriting the search documents (``wenjin search reindex``).

Records are indexed when they are saved (:mod:`wenjin.search.documents`); a full
rewrite is for a database that had records before search existed, or after the
analysis changed (a new user dictionary, a new pinyin rule).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from wenjin.catalog.bulk import select_in
from wenjin.search.documents import driver, record_text, write_documents

_COLUMNS = (
    "title",
    "title_parallel",
    "authors",
    "responsibility",
    "subjects",
    "series",
    "publisher",
    "isbn",
    "clc",
    "classes",
    "year",
    "language",
)


def rewrite_documents(session: Session, *, after_id: int, limit: int = 2_000) -> int | None:
    """Rewrite the documents of the next ``limit`` records with an id above ``after_id``,
    loan counts recounted from the loans; the last id done, or None when there are no more.
    Never commits: the caller commits each batch, so an interrupted rewrite resumes."""
    raw = driver(session)
    marker = "%s" if session.get_bind().dialect.name == "postgresql" else "?"
    sql = (
        f"SELECT id, {', '.join(_COLUMNS)} FROM bib_records WHERE id > {marker} "
        f"ORDER BY id LIMIT {int(limit)}"
    )
    if marker == "%s":
        with raw.cursor() as cursor:
            cursor.execute(sql, (after_id,))
            rows = cursor.fetchall()
    else:
        rows = raw.execute(sql, (after_id,)).fetchall()
    if not rows:
        return None
    ids = [row[0] for row in rows]
    isbns: dict[int, list[str]] = {}
    for bib_id, isbn in select_in(
        session, "SELECT bib_id, isbn FROM bib_isbns WHERE bib_id {IN} ORDER BY position", ids
    ):
        isbns.setdefault(bib_id, []).append(isbn)
    loans = dict.fromkeys(ids, 0)
    for bib_id, count in select_in(
        session,
        "SELECT i.bib_id, count(*) FROM loans l JOIN items i ON i.id = l.item_id "
        "WHERE i.bib_id {IN} GROUP BY i.bib_id",
        ids,
    ):
        loans[bib_id] = int(count)
    records = [
        record_text(row[0], dict(zip(_COLUMNS, row[1:], strict=True)), isbns.get(row[0], []))
        for row in rows
    ]
    write_documents(session, records, loan_counts=loans)
    return int(ids[-1])


def record_ids_after(session: Session, after_id: int) -> int:
    """How many records have an id above ``after_id`` (for a progress bar)."""
    raw = driver(session)
    if session.get_bind().dialect.name == "postgresql":
        with raw.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM bib_records WHERE id > %s", (after_id,))
            return int(cursor.fetchone()[0])
    return int(
        raw.execute("SELECT count(*) FROM bib_records WHERE id > ?", (after_id,)).fetchone()[0]
    )
