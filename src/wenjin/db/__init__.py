"""Storage: engine, unit of work, declarative base, column types, migrations."""

from wenjin.db.base import Base
from wenjin.db.engine import make_engine
from wenjin.db.uow import UnitOfWork

__all__ = ["Base", "UnitOfWork", "make_engine"]
