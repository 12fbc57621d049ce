"""Alembic environment: uses the engine handed over by wenjin.db.migrate, or the settings."""

from __future__ import annotations

from alembic import context

import wenjin.db.models  # noqa: F401  (registers every table)
from wenjin.db.base import Base


def run_migrations() -> None:
    engine = context.config.attributes.get("engine")
    if engine is None:
        from wenjin.config import get_settings
        from wenjin.db.engine import make_engine

        engine = make_engine(get_settings().effective_database_url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
