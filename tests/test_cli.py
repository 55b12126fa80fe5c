"""The `pingyi` command line, driven through Flask's CLI test runner on the test database."""
from __future__ import annotations

import re
import shutil
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine import clock, dates
from engine.models import (
    AuditEvent,
    Ballot,
    CommitteeOffice,
    Department,
    DeputyProfile,
    Group,
    MemberProfile,
    Notification,
    Opinion,
    ProcessInstance,
    ProcessVersion,
    Publication,
    User,
)
from engine.services import ballots, tasks, term_plans, tokens, users
from tests.conftest import DATA, ROOT
from web import create_app
from web.demo import GROUPS, PEOPLE

APPROVAL = DATA / "approval"


@pytest.fixture
def app(database_url, sessions):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test", "TESTING": True})
    yield app
    app.extensions["pingyi.engine"].dispose()


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(args=list(args), input=input)

    return invoke


def ok(result) -> str:
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}{result.exception!r}"
    return result.output


def count(sessions, column) -> int:
    with sessions() as session:
        return session.scalar(select(func.count(column)))


def count_in(session, column) -> int:
    return session.scalar(select(func.count(column)))


def test_db_upgrade_is_idempotent(cli):
    assert "Database is up to date." in ok(cli("db", "upgrade"))
    assert "Database is up to date." in ok(cli("db", "upgrade"))


def test_deploy_stores_a_version_once(cli, sessions):
    assert ok(cli("deploy", str(APPROVAL))).splitlines() == ["approval: v1 (deployed)"]
    assert ok(cli("deploy", str(APPROVAL))).splitlines() == ["approval: v1 (unchanged)"]
    assert count(sessions, ProcessVersion.id) == 1


def test_a_broken_bundle_is_refused_with_its_location(cli, sessions, tmp_path):
    bundle = tmp_path / "broken"
    bundle.mkdir()
    text = (APPROVAL / "approval.bpmn").read_text(encoding="utf-8")
    assert "approved == True" in text
    text = text.replace("approved == True", "approved == = True")
    (bundle / "approval.bpmn").write_text(text, encoding="utf-8")
    for form in ("draft-schema.json", "review-schema.json"):
        shutil.copy(APPROVAL / form, bundle / form)
    gateway_line = next(i for i, line in enumerate(text.splitlines(), 1) if '<bpmn:exclusiveGateway id="gw"' in line)

    result = cli("deploy", str(bundle))

    assert result.exit_code == 1, result.output
    assert "refused; nothing was stored" in result.stderr
    assert "approval.bpmn" in result.stderr
    assert "'gw'" in result.stderr
    assert f"line {gateway_line}" in result.stderr
    assert count(sessions, ProcessVersion.id) == 0
    assert count(sessions, AuditEvent.id) == 0


def test_users_and_groups(cli, sessions):
    password = "correct horse battery"
    assert "User alice created." in ok(cli("users", "create", "alice", "--name", "爱丽丝", "--password", "-",
                                           input=password + "\n"))
    assert "Group 评议办 created." in ok(cli("groups", "create", "评议办"))
    assert "alice added to 评议办." in ok(cli("users", "add-to-group", "alice", "评议办"))
    assert "alice is already in 评议办." in ok(cli("users", "add-to-group", "alice", "评议办"))

    [line] = [line for line in ok(cli("users", "list")).splitlines() if line.startswith("alice\t")]
    assert line.split("\t") == ["alice", "爱丽丝", "", "评议办"]

    with sessions() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "alice"))
        assert stored != password and password not in stored
        assert stored.startswith("$argon2")
        assert users.authenticate(session, "alice", password) is not None
        assert users.authenticate(session, "alice", "wrong password") is None


def test_an_engine_error_exits_1_with_its_message(cli, sessions):
    result = cli("users", "create", "bob", "--password", "-", input="short\n")
    assert result.exit_code == 1
    assert "Error: A password needs at least 8 characters." in result.stderr
    assert "Traceback" not in result.output
    assert count(sessions, User.id) == 0


def test_start_an_instance_fire_timers_and_verify_the_audit_chain(cli, sessions):
    ok(cli("deploy", str(APPROVAL)))
    output = ok(cli("instances", "start", "approval", "--data", '{"unit": "教育局"}'))
    assert re.fullmatch(r"Instance \d+ of approval: \w+\n", output), output
    assert "approval v1" in ok(cli("instances", "list"))

    assert ok(cli("run-timers", "--once")).splitlines() == [
        "0 timer(s) fired, 0 ballot(s) closed, 0 told of overdue tasks"]

    output = ok(cli("verify-audit"))
    assert "intact" in output
    events = count(sessions, AuditEvent.id)
    assert events >= 2 and f"{events} event(s)" in output


def test_start_refuses_bad_input(cli):
    result = cli("instances", "start", "approval", "--data", "[1, 2]")
    assert result.exit_code == 2 and "must be a JSON object" in result.output
    result = cli("instances", "start", "nosuch")
    assert result.exit_code == 1 and "Error: No process 'nosuch' is deployed." in result.stderr


def test_demo_creates_users_with_the_password_from_the_environment(cli, sessions, monkeypatch):
    monkeypatch.setenv("PINGYI_DEMO_PASSWORD", "demo-password-42")
    output = ok(cli("demo"))
    assert "Demo password: demo-password-42" in output

    with sessions() as session:
        names = set(session.scalars(select(User.username)))
        assert {username for username, *_ in PEOPLE} <= names
        assert set(session.scalars(select(Group.name))) >= {name for name, _ in GROUPS}
        office = users.authenticate(session, "office", "demo-password-42")
        assert office is not None and [g.name for g in office.groups] == ["评议办"]
        assert users.get_user(session, "admin").is_admin
        # the county: only the listed demo accounts have a password
        with_password = set(session.scalars(select(User.username).where(User.password_hash.is_not(None))))
        assert with_password == {username for username, *_ in PEOPLE}
        assert count_in(session, Department.id) == 30 and count_in(session, CommitteeOffice.id) == 7
        assert count_in(session, MemberProfile.id) == 30 and count_in(session, DeputyProfile.id) == 200
        assert len(set(session.scalars(select(DeputyProfile.delegation)))) == 12
        assert len(users.get_group(session, "常委会组成人员").members) == 30
        assert len(users.get_group(session, "代表").members) == 200
        this_year = dates.today().year
        assert [len(term_plans.planned_departments(session, year))
                for year in range(this_year - 4, this_year + 1)] == [6] * 5
        users_before, events_before = count_in(session, User.id), count_in(session, AuditEvent.id)

    ok(cli("demo"))  # idempotent
    assert count(sessions, User.id) == users_before
    with sessions() as session:  # a second run changes nothing
        assert count_in(session, AuditEvent.id) == events_before


def test_demo_year_gives_every_role_work(cli, sessions, monkeypatch, tmp_path):
    monkeypatch.setenv("PINGYI_DEMO_PASSWORD", "demo-password-42")
    monkeypatch.setenv("PINGYI_OPINION_PHOTOS_DIR", str(tmp_path))
    ok(cli("deploy", str(ROOT / "processes")))
    ok(cli("demo"))
    with sessions() as session:
        year = session.scalar(select(ProcessInstance).where(ProcessInstance.process_id == "annual_evaluation"))
        assert year.status == "running"
        waiting = {name: sorted(t.element_id for t in tasks.my_tasks(session, users.get_user(session, name)))
                   for name in ("office", "committee", "dept_edu", "dept_health", "investigator", "chair")}
        assert waiting == {"office": ["plan_overdue_followup"], "committee": ["review_plan"],
                           "dept_edu": ["self_inspection"], "dept_health": ["self_inspection", "submit_plan"],
                           "investigator": ["investigation_log", "write_report"],
                           "chair": ["leader_review"]}  # the group's leader approves its report, not its writer
        for name in ("chair", "member1", "deputy1"):
            assert len(ballots.my_open_ballots(session, users.get_user(session, name))) == 1
        assert session.scalar(select(func.count()).select_from(Publication)) == 1  # the public notice
        assert session.scalar(select(func.count()).select_from(Opinion)) == 3
        # 卫健局's overdue plan: its contact and the office's follow-up are already marked as overdue
        overdue = session.execute(select(User.username, Notification.title).join(User, User.id == Notification.user_id)
                                  .where(Notification.kind == "overdue")).all()
        assert ("dept_health", "整改方案已逾期：卫健局") in overdue  # the reminder, late, says so (once)


def test_verify_audit_names_a_tampered_event(cli, sessions):
    ok(cli("deploy", str(APPROVAL)))
    ok(cli("instances", "start", "approval", "--data", '{"unit": "教育局"}'))
    with sessions() as session:
        target = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "instance_started")).one()
        target.reason = "edited later"
        session.commit()
        seq, row_id = target.seq, target.id
    result = cli("verify-audit")
    assert result.exit_code == 1
    assert f"BROKEN at event #{seq} (row id {row_id})" in result.stderr and "edited" in result.stderr


def test_api_tokens_from_the_command_line(cli, sessions):
    ok(cli("users", "create", "robot", "--no-password"))
    output = ok(cli("tokens", "create", "robot", "报表系统"))
    secret = re.search(r"(pyt_\S+)", output).group(1)
    with sessions() as session:
        assert tokens.user_for_token(session, secret).username == "robot"
        session.commit()
    token_id = re.search(r"Token (\d+)", output).group(1)
    ok(cli("tokens", "revoke", token_id))
    with sessions() as session:
        assert tokens.user_for_token(session, secret) is None
    assert cli("tokens", "revoke", "999").exit_code == 1


def test_run_timers_closes_ballots_past_their_time(cli, sessions):
    with sessions() as session:
        office = users.create_user(session, "office", "Office", None, is_admin=True)
        voter = users.create_user(session, "v1", "V1", None)
        ballot = ballots.open_ballot(session, office, title="测评", subject="县教育局", year=2026,
                                     voters={voter.id: "committee"}, closes_at=clock.now() + timedelta(seconds=1))
        session.commit()
        envelope = ballots.issue_envelope(session, ballot.public_id, voter, "basic")
        session.commit()
        ballots.cast(session, envelope, "basic")
        session.commit()
    clock.advance(timedelta(seconds=2))
    assert ok(cli("run-timers", "--once")).splitlines() == [
        "0 timer(s) fired, 1 ballot(s) closed, 0 told of overdue tasks"]
    with sessions() as session:
        closed = session.scalar(select(Ballot))
        assert closed.status == "closed" and closed.tally["grade"] == "基本满意"


def test_a_deactivated_account_stops_signing_in_and_its_token_stops_working(cli, sessions):
    password = "correct horse battery"
    ok(cli("users", "create", "alice", "--password", "-", input=password + "\n"))
    with sessions() as session:
        alice = users.get_user(session, "alice")
        _token, secret = tokens.create_token(session, alice, "robot", alice)
        session.commit()
    refused = cli("users", "deactivate", "alice")
    assert refused.exit_code != 0  # a reason is required
    assert "alice deactivated." in ok(cli("users", "deactivate", "alice", "--reason", "调离"))
    assert "alice was inactive already." in ok(cli("users", "deactivate", "alice", "--reason", "调离"))
    with sessions() as session:
        assert users.authenticate(session, "alice", password) is None
        assert tokens.user_for_token(session, secret) is None
        event = session.scalar(select(AuditEvent).where(AuditEvent.event_type == "user_deactivated"))
        assert event.reason == "调离" and event.details["username"] == "alice"
    assert "alice may sign in again." in ok(cli("users", "activate", "alice"))
    with sessions() as session:
        assert users.authenticate(session, "alice", password) is not None


def test_an_operator_sets_a_forgotten_password_or_a_temporary_one(cli, sessions):
    ok(cli("users", "create", "bob", "--no-password"))
    assert "Password of bob set." in ok(cli("users", "set-password", "bob", "--password", "-",
                                            input="quiet-harbour-7\n"))
    with sessions() as session:
        assert users.authenticate(session, "bob", "quiet-harbour-7") is not None
    assert cli("users", "set-password", "bob", "--password", "-", input="short\n").exit_code != 0
    weak = cli("users", "set-password", "bob", "--password", "-", input="12345678\n")
    assert weak.exit_code != 0 and "too easy to guess" in weak.output
    printed = ok(cli("users", "set-password", "bob", "--temporary"))
    temporary = printed.rsplit(": ", 1)[1].strip()
    with sessions() as session:
        bob = users.authenticate(session, "bob", temporary)
        assert bob is not None and bob.must_change_password
        assert users.authenticate(session, "bob", "quiet-harbour-7") is None
        assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.event_type == "password_reset")) == 1
    assert cli("users", "set-password", "nobody", "--temporary").exit_code != 0


def test_the_last_administrator_cannot_be_deactivated(cli):
    ok(cli("users", "create", "root", "--admin", "--password", "-", input="root-password-1\n"))
    refused = cli("users", "deactivate", "root", "--reason", "离职")
    assert refused.exit_code != 0 and "last active administrator" in refused.output
    ok(cli("users", "create", "root2", "--admin", "--no-password"))
    assert "root deactivated." in ok(cli("users", "deactivate", "root", "--reason", "离职"))
