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
    # SQLite's DDL is transactional too: all the migrations of one run commit together, or none
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=is_sqlite(url), compare_type=True, transactional_ddl=True)
    if not is_sqlite(url):
        with context.begin_transaction():
            context.run_migrations()
        return
    # SQLite changes a table in batch mode by copying it and dropping the old one. With foreign keys
    # on, that DROP deletes the rows of other tables that cascade from it (a user's groups) or fails
    # on those that refer to it (their tasks). So they are off while migrating (the pragma only takes
    # outside a transaction), and every reference is checked before the work is committed: a
    # database with a broken reference is not changed, and the error names the rows.
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        with context.begin_transaction():
            context.run_migrations()
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError("rows refer to rows that do not exist (table, rowid, referred table, key): "
                                   f"{broken[:5]}; nothing was changed")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
