"""`pingyi db ...`: Alembic migrations, configured from the app (no alembic.ini needed)."""
from __future__ import annotations

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup


def alembic_config(database_url: str, migrations_dir: str) -> Config:
    config = Config()
    config.set_main_option("script_location", migrations_dir)
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, migrations_dir: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url, migrations_dir), revision)


def _config() -> Config:
    return alembic_config(current_app.config["DATABASE_URL"], current_app.config["MIGRATIONS_DIR"])


@click.group("db", cls=AppGroup)
def db_group():
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision):
    """Create or update the schema to REVISION (default: head)."""
    command.upgrade(_config(), revision)
    click.echo("Database is up to date.")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision):
    command.downgrade(_config(), revision)


@db_group.command("current")
def db_current():
    command.current(_config(), verbose=True)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate", is_flag=True)
def db_revision(message, autogenerate):
    """Write a new migration (compare models with the database when --autogenerate)."""
    command.revision(_config(), message=message, autogenerate=autogenerate)
