"""The Alembic migrations build exactly the schema the models describe, and can be undone."""
from __future__ import annotations

import pprint

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import engine.models  # noqa: F401  (registers every table on the metadata)
from engine.db import Base, make_engine
from tests.conftest import ROOT
from web.migrate import alembic_config, upgrade

MIGRATIONS = str(ROOT / "migrations")


def schema_differences(url: str) -> list:
    """What `alembic revision --autogenerate` would write: [] when migrations and models agree."""
    db_engine = make_engine(url)
    try:
        with db_engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        db_engine.dispose()


def table_names(url: str) -> set[str]:
    db_engine = make_engine(url)
    try:
        return set(inspect(db_engine).get_table_names())
    finally:
        db_engine.dispose()


def test_models_match_the_migrations(database_url):
    # The session fixture built this database with `upgrade(url, migrations_dir)` to head.
    differences = schema_differences(database_url)
    assert differences == [], (
        "The models and the migrations differ; write a migration "
        "(`pingyi db revision --autogenerate -m ...`):\n" + pprint.pformat(differences))


def test_a_fresh_database_upgrades_to_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url, MIGRATIONS)
    assert schema_differences(url) == []


def test_downgrade_to_base_and_upgrade_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    model_tables = set(Base.metadata.tables)
    assert model_tables, "no model registered a table"

    upgrade(url, MIGRATIONS)
    assert model_tables <= table_names(url)

    command.downgrade(alembic_config(url, MIGRATIONS), "base")
    assert table_names(url) & model_tables == set()

    upgrade(url, MIGRATIONS)
    assert model_tables <= table_names(url)
    assert schema_differences(url) == []


def _row_with(connection, table, **values) -> None:
    """A row of the schema as it stands (not as the models describe it now): required columns
    this test does not care about get a placeholder of their type."""
    from datetime import datetime

    from sqlalchemy import DateTime, Integer, MetaData, String, Text, text

    reflected = MetaData()
    reflected.reflect(connection, only=[table])
    placeholders = {Integer: 1, String: "x", Text: "x", DateTime: datetime(2026, 1, 1)}
    row = dict(values)
    for column in reflected.tables[table].columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        row[column.name] = next((v for t, v in placeholders.items() if isinstance(column.type, t)), "x")
    columns = ", ".join(row)  # raw values: a JSON column gets the text given, as the old code stored it
    connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + c for c in row)})"), row)


def test_json_null_left_by_earlier_versions_becomes_sql_null(tmp_path):
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'nulls.db'}"
    upgrade(url, MIGRATIONS, "0009")
    db_engine = create_engine(url)  # plain SQLite: the rows are written as they stand
    try:
        with db_engine.begin() as connection:  # rows as core updates wrote None before 0010: JSON null
            _row_with(connection, "process_version", id=1)
            _row_with(connection, "process_instance", id=1, process_version_id=1, error="null")
            _row_with(connection, "human_task", instance_id=1, task_guid="g", draft="null", submitted="null")
        upgrade(url, MIGRATIONS)
        with db_engine.connect() as connection:
            assert connection.execute(text("SELECT error IS NULL FROM process_instance")).scalar_one() == 1
            assert connection.execute(text("SELECT draft IS NULL AND submitted IS NULL FROM human_task")).all() \
                == [(1,)]
    finally:
        db_engine.dispose()


def test_downgrade_with_accounts_in_groups_and_upgrade_again(tmp_path):
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'populated.db'}"
    upgrade(url, MIGRATIONS)
    db_engine = make_engine(url)
    with db_engine.begin() as connection:
        connection.execute(text("""INSERT INTO "group" (id, name, title, created_at)
                                   VALUES (1, '评议办', '', '2026-01-01 00:00:00')"""))
        _row_with(connection, "user", id=1, username="office", display_name="王秀英", session_epoch="e")
        connection.execute(text("INSERT INTO user_group (user_id, group_id) VALUES (1, 1)"))
    db_engine.dispose()
    command.downgrade(alembic_config(url, MIGRATIONS), "0012")  # the columns of accounts added since go
    upgrade(url, MIGRATIONS)
    assert schema_differences(url) == []
    db_engine = make_engine(url)
    with db_engine.connect() as connection:
        assert connection.execute(text("SELECT username, session_epoch FROM user")).all() == [("office", None)]
        assert connection.execute(text("SELECT user_id, group_id FROM user_group")).all() == [(1, 1)]  # kept
    db_engine.dispose()


def test_an_upgrade_that_would_leave_a_broken_reference_changes_nothing(tmp_path):
    import sqlite3

    import pytest
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'broken.db'}"
    upgrade(url, MIGRATIONS, "0015")
    raw = sqlite3.connect(tmp_path / "broken.db")
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("INSERT INTO user_group (user_id, group_id) VALUES (999, 999)")  # a membership of nobody
    raw.commit()
    raw.close()
    with pytest.raises(RuntimeError, match="nothing was changed"):
        upgrade(url, MIGRATIONS)
    db_engine = make_engine(url)
    with db_engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0015"
        assert "session_epoch" not in {c["name"] for c in inspect(connection).get_columns("user")}
    db_engine.dispose()
