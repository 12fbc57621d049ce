"""Hot-path statements run straight on the DBAPI cursor of the session's connection.

On this class of machine SQLAlchemy spends about 60–80 µs of Python on every
``Connection.execute`` (execution context, result metadata, events) for a
statement SQLite answers in 5 µs; a checkout and a checkin run about fifteen
statements against a 2 ms budget. A :class:`Prepared` statement is an ordinary
Core statement, compiled once per dialect by SQLAlchemy itself, whose bind and
result processors (UTC timestamps, dates on SQLite, enums, JSON) are looked up
once and then applied by hand: the same SQL and the same values, without the
machinery around them.

It runs inside the session's transaction (``session.connection()``), so it sees
and takes part in everything the unit of work does. It does not autoflush: read
with it before changing ORM objects in the same unit of work, as the rest of the
hot path does. Statements with expanding ``IN`` parameters are not supported.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapper, Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.selectable import SelectBase

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Plan:
    sql: str
    names: tuple[str, ...]  # bind names in the order the SQL wants them
    keys: tuple[str, ...]  # the same names as the SQL spells them (pyformat dialects)
    positional: bool
    defaults: dict[str, Any]  # values fixed in the statement (literal(), LIMIT …)
    bind_processors: tuple[Processor, ...]
    result_processors: tuple[Processor, ...]
    row_type: type[tuple[Any, ...]] | None


class Prepared:
    """A Core statement compiled once per dialect and run on the raw DBAPI cursor."""

    __slots__ = ("_plans", "statement")

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._plans: dict[str, _Plan] = {}

    def _plan(self, dialect: Dialect) -> _Plan:
        plan = self._plans.get(dialect.name)
        if plan is None:
            plan = self._plans[dialect.name] = _make_plan(self.statement, dialect)
        return plan

    def execute(
        self, session: Session | Connection, params: Mapping[str, Any] | None = None
    ) -> Any:
        """Run the statement; returns the DBAPI cursor (for ``rowcount``) with its plan."""
        connection = _connection(session) if isinstance(session, Session) else session
        plan = self._plan(connection.dialect)
        values = plan.defaults if not params else {**plan.defaults, **params}
        if plan.positional:
            bound: Any = [
                value if processor is None else processor(value)
                for value, processor in zip(
                    [values[name] for name in plan.names], plan.bind_processors, strict=True
                )
            ]
        else:
            bound = {
                key: values[name] if processor is None else processor(values[name])
                for name, key, processor in zip(
                    plan.names, plan.keys, plan.bind_processors, strict=True
                )
            }
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(plan.sql, bound)
        return _Ran(cursor, plan)

    def all(
        self, session: Session | Connection, params: Mapping[str, Any] | None = None
    ) -> list[Any]:
        return self.execute(session, params).all()

    def first(self, session: Session | Connection, params: Mapping[str, Any] | None = None) -> Any:
        return self.execute(session, params).first()

    def scalar(self, session: Session | Connection, params: Mapping[str, Any] | None = None) -> Any:
        row = self.first(session, params)
        return None if row is None else row[0]

    def rowcount(
        self, session: Session | Connection, params: Mapping[str, Any] | None = None
    ) -> int:
        ran = self.execute(session, params)
        count = int(ran.cursor.rowcount)
        ran.cursor.close()
        return count


def _connection(session: Session) -> Connection:
    """The session's connection, remembered for its current transaction.

    ``Session.connection()`` walks the transaction machinery on every call (a
    few tens of µs); the hot path asks for it a dozen times per transaction.
    """
    transaction = session.get_transaction()
    cached = session.info.get(_CONNECTION_KEY)
    if transaction is not None and cached is not None and cached[0] is transaction:
        connection: Connection = cached[1]
        if not connection.closed:
            return connection
    connection = session.connection()
    session.info[_CONNECTION_KEY] = (session.get_transaction(), connection)
    return connection


_CONNECTION_KEY = "wenjin.fastsql.connection"


class _Ran:
    __slots__ = ("cursor", "plan")

    def __init__(self, cursor: Any, plan: _Plan) -> None:
        self.cursor = cursor
        self.plan = plan

    def _row(self, raw: Sequence[Any]) -> Any:
        values = [
            value if processor is None or value is None else processor(value)
            for value, processor in zip(raw, self.plan.result_processors, strict=True)
        ]
        row_type = self.plan.row_type
        return tuple(values) if row_type is None else row_type(*values)

    def first(self) -> Any:
        raw = self.cursor.fetchone()
        self.cursor.close()
        return None if raw is None else self._row(raw)

    def all(self) -> list[Any]:
        rows = [self._row(raw) for raw in self.cursor.fetchall()]
        self.cursor.close()
        return rows


class Loader:
    """Rows of one mapped class, read with a :class:`Prepared` statement, placed in the
    session as if the ORM had loaded them (persistent, nothing to flush).

    Select :attr:`columns` first in the statement, then anything else; :meth:`adopt`
    takes the row and returns the object. An object of the same identity already in
    the session gets the row's values (the row may have been read ``FOR UPDATE``,
    after another transaction changed it). Flush pending ORM changes before the read:
    a Prepared statement does not autoflush.
    """

    __slots__ = ("_keys", "_mapper", "_pk_index", "columns", "width")

    def __init__(self, model: type[Any]) -> None:
        mapper: Mapper[Any] = inspect(model)
        self._mapper = mapper
        self._keys: tuple[str, ...] = tuple(mapper.columns.keys())
        self.columns: tuple[Column[Any], ...] = tuple(mapper.columns.values())  # type: ignore[arg-type]
        (primary_key,) = mapper.primary_key
        self._pk_index = self.columns.index(primary_key)  # type: ignore[arg-type]
        self.width = len(self.columns)

    def adopt(self, session: Session, row: Sequence[Any]) -> Any:
        values = row[: self.width]
        identity = self._mapper.identity_key_from_primary_key([values[self._pk_index]])
        existing = session.identity_map.get(identity)
        if existing is not None:
            for key, value in zip(self._keys, values, strict=True):
                set_committed_value(existing, key, value)
            return existing
        obj = self._mapper.class_manager.new_instance()
        obj.__dict__.update(zip(self._keys, values, strict=True))
        make_transient_to_detached(obj)
        session.add(obj)
        return obj


def flush_pending(session: Session) -> None:
    """Flush ORM changes, if any, so that a Prepared read sees them."""
    if session.new or session.dirty or session.deleted:
        session.flush()


def _make_plan(statement: Executable, dialect: Dialect) -> _Plan:
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    binds = compiled.binds
    if any(bind.expanding for bind in binds.values()):
        raise ValueError("Prepared statements take no expanding IN parameters")
    positional = bool(dialect.positional)
    names = tuple(compiled.positiontup or ()) if positional else tuple(binds)
    defaults = {
        name: bind.effective_value
        for name, bind in binds.items()
        if bind.value is not None or bind.callable is not None
    }
    bind_processors = tuple(
        binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    result_processors: tuple[Processor, ...] = ()
    row_type = None
    columns = _returned_columns(statement)
    if columns:
        result_processors = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        )
        keys = [getattr(column, "key", None) or f"_{n}" for n, column in enumerate(columns)]
        row_type = namedtuple("Row", keys, rename=True)  # type: ignore[misc]
    escaped = getattr(compiled, "escaped_bind_names", None) or {}
    return _Plan(
        sql=compiled.string,
        names=names,
        keys=tuple(escaped.get(name, name) for name in names),
        positional=positional,
        defaults=defaults,
        bind_processors=bind_processors,
        result_processors=result_processors,
        row_type=row_type,
    )


def _returned_columns(statement: Executable) -> list[Any]:
    if isinstance(statement, SelectBase):
        return list(statement.selected_columns)
    returning = getattr(statement, "_returning", ())
    return list(returning)
