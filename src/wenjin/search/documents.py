"""Writing search documents: a record's analysed text, in the transaction that saves it.

:func:`write_documents` is called by the catalogue's bulk save
(:func:`wenjin.catalog.services.save_prepared`), and an ORM hook does the same for
records saved as ``BibRecord`` objects. Both write through the driver in the
session's own transaction, so a record is findable the moment it is committed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction

from wenjin.catalog.bulk import bulk_insert, execute_in, select_in
from wenjin.catalog.models import BibRecord
from wenjin.search import analysis
from wenjin.search.ddl import SEQUENCE

DOCUMENT_COLUMNS = (
    "bib_id",
    "seq",
    "xid",
    "title",
    "title_words",
    "title_exact",
    "author",
    "subject",
    "publisher",
    "isbns",
    "clc",
    "clc_top",
    "year",
    "language",
    "loan_count",
)


@dataclass(frozen=True)
class RecordText:
    """What search reads of a record (the extracted fields of ``bib_records``)."""

    bib_id: int
    title: str
    title_parallel: Sequence[str] = ()
    authors: Sequence[str] = ()
    responsibility: str | None = None
    subjects: Sequence[str] = ()
    series: Sequence[str] = ()
    publisher: str | None = None
    isbns: Sequence[str] = ()
    clc: str | None = None
    classes: Sequence[str] = ()
    year: int | None = None
    language: str | None = None


@dataclass(frozen=True)
class AnalysedText:
    title: str
    title_words: str
    title_exact: str
    author: str
    subject: str
    publisher: str
    isbns: str
    clc: str
    clc_top: str | None
    year: int | None
    language: str | None
    extra: dict[str, Any] = field(default_factory=dict)


def _join(values: Sequence[str]) -> str:
    return " ".join(dict.fromkeys(v for v in values if v))


def analyse(record: RecordText) -> AnalysedText:
    """The analysed text of ``record``: pure."""
    titles = [record.title, *record.title_parallel]
    title_tokens: list[str] = []
    title_words: list[str] = []
    exact: list[str] = []
    for text in titles:
        title_tokens.extend(analysis.tokens(text))
        title_words.extend(analysis.words(text))
        title_words.extend(analysis.pinyin_keys(text))
        exact.extend(analysis.exact_keys(text))
    for text in record.series:
        title_words.extend(analysis.words(text))
    names = list(record.authors) or ([record.responsibility] if record.responsibility else [])
    author: list[str] = []
    for name in names:
        author.extend(analysis.tokens(name))
        author.extend(analysis.pinyin_keys(name))
    subject: list[str] = []
    for text in record.subjects:
        subject.extend(analysis.tokens(text))
    isbns = [form for value in record.isbns for form in analysis.isbn_forms(value)]
    classes = [record.clc, *record.classes] if record.clc else list(record.classes)
    clc = [prefix for value in classes for prefix in analysis.clc_prefixes(value)]
    return AnalysedText(
        title=" ".join(title_tokens),
        title_words=_join(title_words),
        title_exact=_join(exact),
        author=" ".join(author),
        subject=" ".join(subject),
        publisher=" ".join(analysis.tokens(record.publisher)),
        isbns=_join(isbns),
        clc=_join(clc),
        clc_top=analysis.clc_top(record.clc),
        year=record.year,
        language=(record.language or None) and record.language.lower(),
    )


def _json_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return list(json.loads(value or "[]"))
    return list(value)


def _class_values(classes: Any) -> list[str]:
    values: list[str] = []
    for entry in _json_list(classes):
        if isinstance(entry, dict):
            scheme = str(entry.get("scheme", "")).lower()
            number = entry.get("number") or entry.get("class") or entry.get("value")
            if number and scheme in ("", "clc", "中图法"):
                values.append(str(number))
        elif isinstance(entry, str):
            values.append(entry)
    return values


def record_text(bib_id: int, columns: dict[str, Any], isbns: Sequence[str]) -> RecordText:
    """A :class:`RecordText` from ``bib_records`` column values (JSON columns as text or lists)."""
    return RecordText(
        bib_id=bib_id,
        title=columns.get("title") or "",
        title_parallel=_json_list(columns.get("title_parallel")),
        authors=_json_list(columns.get("authors")),
        responsibility=columns.get("responsibility"),
        subjects=_json_list(columns.get("subjects")),
        series=_json_list(columns.get("series")),
        publisher=columns.get("publisher"),
        isbns=[i for i in isbns if i] or ([columns["isbn"]] if columns.get("isbn") else []),
        clc=columns.get("clc"),
        classes=_class_values(columns.get("classes")),
        year=columns.get("year"),
        language=columns.get("language"),
    )


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def driver(session: Session) -> Any:
    """The DB-API connection under the session's transaction (sqlite3 or psycopg)."""
    return session.connection().connection.driver_connection


def next_seqs(session: Session, count: int) -> tuple[list[int], int]:
    """``count`` new change-sequence numbers, and the writing transaction's id (0 on SQLite)."""
    raw = driver(session)
    if _dialect(session) == "postgresql":
        with raw.cursor() as cursor:
            cursor.execute(
                f"SELECT nextval('{SEQUENCE}') FROM generate_series(1, %s)",
                (count,),
            )
            seqs = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT pg_current_xact_id()::text::bigint")
            (xid,) = cursor.fetchone()
        return seqs, int(xid)
    # SQLite: the writing transaction holds the only write lock (BEGIN IMMEDIATE).
    (last,) = raw.execute("SELECT coalesce(max(seq), 0) FROM search_documents").fetchone()
    return list(range(last + 1, last + 1 + count)), 0


def write_documents(
    session: Session, records: Sequence[RecordText], *, loan_counts: dict[int, int] | None = None
) -> None:
    """Write (or rewrite) the search documents of ``records``; never commits.

    A rewritten document keeps its loan count unless ``loan_counts`` gives it.
    """
    write_analysed(session, [(r.bib_id, analyse(r)) for r in records], loan_counts=loan_counts)


def write_analysed(
    session: Session,
    documents: Sequence[tuple[int, AnalysedText]],
    *,
    loan_counts: dict[int, int] | None = None,
) -> None:
    """:func:`write_documents` for text already analysed (by the import's worker process)."""
    if not documents:
        return
    ids = [bib_id for bib_id, _ in documents]
    kept = dict(
        select_in(session, "SELECT bib_id, loan_count FROM search_documents WHERE bib_id {IN}", ids)
    )
    present = list(kept)
    if loan_counts:
        kept.update(loan_counts)
    seqs, xid = next_seqs(session, len(documents))
    rows = [
        (
            bib_id,
            seq,
            xid,
            a.title,
            a.title_words,
            a.title_exact,
            a.author,
            a.subject,
            a.publisher,
            a.isbns,
            a.clc,
            a.clc_top,
            a.year,
            a.language,
            kept.get(bib_id, 0),
        )
        for (bib_id, a), seq in zip(documents, seqs, strict=True)
    ]
    if present:
        execute_in(session, "DELETE FROM search_documents WHERE bib_id {IN}", present)
    bulk_insert(session, "search_documents", DOCUMENT_COLUMNS, rows)


_TEXT_COLUMNS = (
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


@event.listens_for(Session, "after_flush")
def _index_flushed_records(session: Session, _flush: UOWTransaction) -> None:
    """Records saved as ORM objects (a cataloguer's edit, a test's builder) are indexed too."""
    changed = [
        obj
        for obj in (*session.new, *session.dirty)
        if isinstance(obj, BibRecord) and obj.id is not None
    ]
    if not changed:
        return
    records = []
    for bib in changed:
        columns = {name: getattr(bib, name) for name in _TEXT_COLUMNS}
        isbns = [i.isbn for i in bib.__dict__.get("isbns", [])]
        records.append(record_text(bib.id, columns, isbns))
    write_documents(session, records)
