"""Bulk reads and writes for the import, straight through the database driver.

SQLAlchemy's executemany binds parameters row by row in Python (and inserts one row
at a time when RETURNING is asked of SQLite), and an ``IN`` list of a thousand
values costs it more to expand than the database takes to answer. For the import,
which writes a catalogue of millions of rows, these helpers use the driver
directly, inside the session's own transaction: COPY on PostgreSQL (and ``= ANY``
with one array parameter), ``executemany`` and plain ``IN (?, …)`` on SQLite. They
are several times faster, and only the import and the demo generator use them.

Values must already be in the driver's terms: see :class:`DbValues`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

# SQLite allows 32,766 parameters a statement since 3.32.
_SQLITE_IN_CHUNK = 5000


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _driver(session: Session) -> Any:
    return session.connection().connection.driver_connection


class DbValues:
    """Python values in the form the driver stores for the session's database.

    SQLite keeps dates and timestamps as ISO text (the way SQLAlchemy's types write
    them, so the ORM reads these rows back as usual); psycopg takes the objects.
    """

    def __init__(self, session: Session) -> None:
        self.sqlite = _dialect(session) == "sqlite"
        self._texts: dict[Any, str] = {}

    def date(self, value: date | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.isoformat()

    def timestamp(self, value: datetime) -> Any:
        if not self.sqlite:
            return value
        text = self._texts.get(value)
        if text is None:
            text = self._texts[value] = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return text


def allocate_ids(session: Session, table: str, count: int) -> list[int]:
    """``count`` new primary keys for ``table``, taken before a bulk insert."""
    if count == 0:
        return []
    raw = _driver(session)
    if _dialect(session) == "postgresql":
        with raw.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                (table, count),
            )
            return [row[0] for row in cursor.fetchall()]
    # SQLite: the writing transaction began with BEGIN IMMEDIATE and holds the only
    # write lock, so nobody else can take these ids before the insert.
    (start,) = raw.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
    return list(range(start + 1, start + 1 + count))


def select_in(session: Session, sql: str, values: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` for ``values``; ``sql`` writes ``{IN}`` after the column.

    ``select_in(session, "SELECT id, barcode FROM items WHERE barcode {IN}", barcodes)``
    """
    if not values:
        return []
    raw = _driver(session)
    if _dialect(session) == "postgresql":
        with raw.cursor() as cursor:
            cursor.execute(sql.replace("{IN}", "= ANY(%s)"), (list(values),))
            return list(cursor.fetchall())
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(values), _SQLITE_IN_CHUNK):
        chunk = values[start : start + _SQLITE_IN_CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows.extend(raw.execute(sql.replace("{IN}", f"IN ({marks})"), tuple(chunk)).fetchall())
    return rows


def execute_in(session: Session, sql: str, values: Sequence[Any]) -> None:
    """Run a DELETE or UPDATE written like :func:`select_in` for ``values``."""
    if not values:
        return
    raw = _driver(session)
    if _dialect(session) == "postgresql":
        with raw.cursor() as cursor:
            cursor.execute(sql.replace("{IN}", "= ANY(%s)"), (list(values),))
        return
    for start in range(0, len(values), _SQLITE_IN_CHUNK):
        chunk = values[start : start + _SQLITE_IN_CHUNK]
        marks = ", ".join("?" * len(chunk))
        raw.execute(sql.replace("{IN}", f"IN ({marks})"), tuple(chunk))


def bulk_insert(
    session: Session, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values in the order of ``columns``): COPY, or ``executemany``."""
    if not rows:
        return
    column_list = ", ".join(columns)
    raw = _driver(session)
    if _dialect(session) == "postgresql":
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    raw.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({marks})", rows)


def bulk_update(
    session: Session,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    versioned: bool = False,
) -> None:
    """Update rows by id; each row is ``(id, *values)`` in the order of ``columns``.

    ``updated_at`` is set, and ``version`` raised when the table is ``versioned`` (the
    ORM's optimistic lock then sees the change).
    """
    if not rows:
        return
    raw = _driver(session)
    if _dialect(session) == "postgresql":
        staging = f"wenjin_staging_{table}"
        column_list = ", ".join(("id", *columns))
        assignments = ", ".join(f"{c} = s.{c}" for c in columns)
        version = ", version = t.version + 1" if versioned else ""
        with raw.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE {staging} ON COMMIT DROP AS "
                f"SELECT {column_list} FROM {table} WITH NO DATA"
            )
            with cursor.copy(f"COPY {staging} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments}, updated_at = now(){version} "
                f"FROM {staging} AS s WHERE t.id = s.id"
            )
            cursor.execute(f"DROP TABLE {staging}")
        return
    assignments = ", ".join(f"{c} = ?" for c in columns)
    version = ", version = version + 1" if versioned else ""
    raw.executemany(
        f"UPDATE {table} SET {assignments}, updated_at = CURRENT_TIMESTAMP{version} WHERE id = ?",
        [(*row[1:], row[0]) for row in rows],
    )
