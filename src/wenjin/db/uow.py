"""Unit of work: the caller owns the transaction, services never commit.

    with UnitOfWork(engine) as uow:
        checkout(uow.session, ...)
        uow.commit()

Leaving the block without ``commit()`` rolls back. ``actor`` names who acts (a staff
account, ``opac:<card>``, ``sip2:<login>``, ``cli:<user>``) for the audit trail.
"""

from __future__ import annotations

import weakref
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from wenjin.audit.services import set_actor  # also installs the audit trail's flush hook

_factories: weakref.WeakKeyDictionary[Engine, dict[bool, sessionmaker[Session]]] = (
    weakref.WeakKeyDictionary()
)


def _factory(engine: Engine, readonly: bool) -> sessionmaker[Session]:
    per_engine = _factories.setdefault(engine, {})
    factory = per_engine.get(readonly)
    if factory is None:
        bind = engine.execution_options(sqlite_begin="DEFERRED") if readonly else engine
        factory = sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)
        per_engine[readonly] = factory
    return factory


class UnitOfWork:
    """One database transaction. ``readonly=True`` never takes the write lock."""

    def __init__(self, engine: Engine, *, readonly: bool = False, actor: str | None = None) -> None:
        self.engine = engine
        self.readonly = readonly
        self.session: Session = _factory(engine, readonly)()
        if actor is not None:
            set_actor(self.session, actor)

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        if self.readonly:
            raise RuntimeError("a read-only unit of work cannot commit")
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
