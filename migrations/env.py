"""Alembic environment: the models' metadata, and our engine factory (SQLite pragmas included)."""
from alembic import context

import engine.models  # noqa: F401  (registers every table on the metadata)
from engine.db import Base, is_sqlite, make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=is_sqlite(url), compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    connectable = config.attributes.get("connection")
    if connectable is None:
        db_engine = make_engine(url)
        with db_engine.connect() as connection:
            _run(connection, url)
        db_engine.dispose()
    else:
        _run(connectable, url)


def _run(connection, url) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=is_sqlite(url), compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
