from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

import wenjin.db.models  # noqa: F401
from wenjin.db.base import Base
from wenjin.db.migrate import current_revision, head_revision


def test_the_test_database_is_migrated_to_head(engine: Engine) -> None:
    assert current_revision(engine) == head_revision(engine)


def test_the_migrations_create_exactly_the_tables_the_models_declare(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], "models changed without a migration: run scripts/new-migration"
