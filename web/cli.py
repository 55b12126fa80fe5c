"""The `pingyi` command: Flask's CLI plus thin wrappers over engine services.

Each command runs in one transaction: it calls services, commits once, and rolls back and
exits with status 1 on any engine error (the message is printed, never a traceback).
"""
from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

import forms
from engine import audit
from engine.errors import DeploymentError, EngineError
from engine.models import ApiToken, User
from engine.services import (
    accounts,
    counting,
    instances,
    messages,
    notifications,
    processes,
    timers,
    tokens,
    users,
)
from web.db import get_session, session_factory

# Deployment refuses forms the `forms` package cannot render (the engine cannot import it).
FORM_CHECKS = {"form_checker": forms.check_bundle_form,
               "pair_checker": lambda schema, ui: forms.check_form("", schema, ui)}


def main() -> None:
    from web import create_app

    FlaskGroup(create_app=create_app, help="Pingyi (评议通) command line.")()


@contextmanager
def unit_of_work():
    session = get_session()
    try:
        yield session
        session.commit()
    except EngineError as exc:
        session.rollback()
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(1)
    except Exception:
        session.rollback()
        raise


def _json_value(value: str | None, name: str):
    if value is None:
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not valid JSON: {exc.msg}", param_hint=name) from None


def _json_option(value: str | None, name: str) -> dict | None:
    parsed = _json_value(value, name)
    if parsed is not None and not isinstance(parsed, dict):
        raise click.BadParameter("must be a JSON object", param_hint=name)
    return parsed


def init_app(app) -> None:
    from web import demo, migrate

    app.cli.add_command(migrate.db_group)
    app.cli.add_command(demo.demo_command)
    for command in (deploy_command, run_timers_command, verify_audit_command):
        app.cli.add_command(command)
    for group in (users_group, groups_group, instances_group, messages_group, tokens_group):
        app.cli.add_command(group)


@click.command("deploy")
@with_appcontext
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
def deploy_command(path):
    """Deploy the BPMN/DMN/form bundle in PATH (default: processes/)."""
    directory = path or current_app.config["PROCESSES_DIR"]
    session = get_session()
    try:
        results = processes.deploy_directory(session, directory, None, **FORM_CHECKS)
        session.commit()
    except DeploymentError as exc:
        session.rollback()
        click.echo(f"Deployment of {directory} refused; nothing was stored:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    for item in results:
        state = "deployed" if item.is_new else "unchanged"
        click.echo(f"{item.process_id}: v{item.version} ({state})")


@click.command("run-timers")
@with_appcontext
@click.option("--once", is_flag=True, help="Fire what is due now and exit.")
@click.option("--interval", type=float, default=None, help="Seconds between polls (default from config).")
def run_timers_command(once, interval):
    """Fire due BPMN timers, close ballots past their closing time and tell the holders of overdue tasks;
    loops until stopped unless --once."""
    factory = session_factory()
    pause = interval if interval is not None else current_app.config["TIMER_INTERVAL_SECONDS"]
    while True:
        fired = timers.run_due_timers(factory)
        closed = counting.close_due(factory)
        told = notifications.notify_overdue(factory)
        if fired or closed or told or once:
            click.echo(f"{fired} timer(s) fired, {closed} ballot(s) closed, {told} told of overdue tasks")
        if once:
            return
        time.sleep(pause)


@click.command("verify-audit")
@with_appcontext
def verify_audit_command():
    """Check the audit hash chain; names the first broken link."""
    count, broken = audit.verify(get_session())
    if broken is None:
        click.echo(f"Audit chain intact: {count} event(s) verified.")
        return
    where = f"event #{broken.seq}" + (f" (row id {broken.event_id})" if broken.event_id else "")
    click.echo(f"Audit chain BROKEN at {where}: {broken.problem}", err=True)
    sys.exit(1)


@click.group("users", cls=AppGroup)
def users_group():
    """Manage users."""


@users_group.command("create")
@click.argument("username")
@click.option("--name", "display_name", default="", help="Display name (e.g. 张三).")
@click.option("--email", default=None)
@click.option("--password", default=None, help="Prompted for when omitted; '-' reads it from stdin.")
@click.option("--no-password", is_flag=True, help="Create an account that cannot sign in yet.")
@click.option("--admin", is_flag=True)
@click.option("--auditor", is_flag=True)
def users_create(username, display_name, email, password, no_password, admin, auditor):
    if no_password:
        password = None
    elif password == "-":
        password = sys.stdin.readline().rstrip("\n")
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with unit_of_work() as session:
        user = users.create_user(session, username, display_name or username, None, password=password,
                                 email=email, is_admin=admin, is_auditor=auditor)
    click.echo(f"User {user.username} created.")


@users_group.command("add-to-group")
@click.argument("username")
@click.argument("group")
def users_add_to_group(username, group):
    with unit_of_work() as session:
        added = users.add_to_group(session, username, group, None)
    click.echo(f"{username} {'added to' if added else 'is already in'} {group}.")


@users_group.command("remove-from-group")
@click.argument("username")
@click.argument("group")
def users_remove_from_group(username, group):
    with unit_of_work() as session:
        removed = users.remove_from_group(session, username, group, None)
    click.echo(f"{username} {'removed from' if removed else 'was not in'} {group}.")


@users_group.command("set-password")
@click.argument("username")
@click.option("--password", default=None, help="Prompted for when omitted; '-' reads it from stdin.")
@click.option("--temporary", is_flag=True, help="Generate a temporary password, print it once; its holder "
                                               "chooses their own at the next sign-in.")
def users_set_password(username, password, temporary):
    """Give an account a password (someone forgot theirs, or never had one). Signs it out everywhere."""
    if temporary:
        with unit_of_work() as session:
            password = accounts.reset_password(session, username, None)
        click.echo(f"Temporary password for {username} (shown once): {password}")
        return
    if password == "-":
        password = sys.stdin.readline().rstrip("\n")
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with unit_of_work() as session:
        user = users.get_user(session, username)
        users.set_password(session, user, password, None)
        user.must_change_password = False
    click.echo(f"Password of {username} set.")


@users_group.command("deactivate")
@click.argument("username")
@click.option("--reason", required=True, help="Why (kept in the audit history), e.g. 调离.")
def users_deactivate(username, reason):
    """Stop an account: its sessions, remember-me cookies, API tokens and 代表码 stop working."""
    with unit_of_work() as session:
        changed = accounts.set_active(session, username, False, None, reason)
    click.echo(f"{username} {'deactivated' if changed else 'was inactive already'}.")


@users_group.command("activate")
@click.argument("username")
def users_activate(username):
    with unit_of_work() as session:
        changed = accounts.set_active(session, username, True, None)
    click.echo(f"{username} {'may sign in again' if changed else 'was active already'}.")


@users_group.command("list")
def users_list():
    from sqlalchemy import select

    from engine.models import User

    for user in get_session().scalars(select(User).order_by(User.username)):
        flags = ",".join(f for f, on in (("admin", user.is_admin), ("auditor", user.is_auditor),
                                         ("inactive", not user.is_active)) if on)
        groups = ", ".join(g.name for g in user.groups)
        click.echo(f"{user.username}\t{user.display_name}\t{flags}\t{groups}")


@click.group("groups", cls=AppGroup)
def groups_group():
    """Manage groups (lanes name groups)."""


@groups_group.command("create")
@click.argument("name")
@click.option("--title", default="")
def groups_create(name, title):
    with unit_of_work() as session:
        users.create_group(session, name, None, title=title)
    click.echo(f"Group {name} created.")


@click.group("instances", cls=AppGroup)
def instances_group():
    """Start and inspect process instances."""


@instances_group.command("start")
@click.argument("process_id")
@click.option("--data", default=None, help="Initial data as a JSON object.")
@click.option("--title", default=None)
@click.option("--key", "business_key", default=None, help="Business key (e.g. department code).")
def instances_start(process_id, data, title, business_key):
    with unit_of_work() as session:
        instance = instances.start_instance(session, process_id, None, _json_option(data, "--data"),
                                            title=title, business_key=business_key)
    click.echo(f"Instance {instance.id} of {process_id}: {instance.status}")


@instances_group.command("list")
def instances_list():
    from sqlalchemy import select

    from engine.models import ProcessInstance

    for item in get_session().scalars(select(ProcessInstance).order_by(ProcessInstance.id)):
        click.echo(f"{item.id}\t{item.process_id} v{item.version.version}\t{item.status}\t{item.title}")


@click.group("messages", cls=AppGroup)
def messages_group():
    """Deliver BPMN messages."""


@messages_group.command("send")
@click.argument("name")
@click.option("--payload", default=None, help="JSON payload.")
@click.option("--correlation", default=None, help='JSON object, e.g. {"department": "D07"}.')
@click.option("--instance", "instance_id", type=int, default=None)
def messages_send(name, payload, correlation, instance_id):
    with unit_of_work() as session:
        delivered = messages.deliver(session, name, _json_value(payload, "--payload"), None,
                                     correlation=_json_option(correlation, "--correlation"),
                                     instance_id=instance_id)
    click.echo(f"Delivered to instance(s): {', '.join(map(str, delivered))}")


@click.group("tokens", cls=AppGroup)
def tokens_group():
    """API tokens for machine clients (/api/v1)."""


@tokens_group.command("create")
@click.argument("username")
@click.argument("name")
def tokens_create(username, name):
    """Create a token acting for USERNAME; the secret is shown once."""
    with unit_of_work() as session:
        user = users.get_user(session, username)
        token, secret = tokens.create_token(session, user, name, user)
    click.echo(f"Token {token.id} for {username}: {secret}")
    click.echo("Keep it secret; it is not stored and cannot be shown again.")


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id):
    with unit_of_work() as session:
        token = session.get(ApiToken, token_id)
        owner = session.get(User, token.user_id) if token else None
        tokens.revoke_token(session, token_id, owner)
    click.echo(f"Token {token_id} revoked.")
