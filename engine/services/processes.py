"""Deploying process bundles as immutable versions."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from engine import audit, bpmn, clock, serializer
from engine.errors import NotFound
from engine.models import ProcessVersion, User


@dataclass(frozen=True)
class Deployed:
    process_id: str
    version: int
    is_new: bool


def deploy(session: Session, files: dict[str, bytes], actor: User | None,
           form_checker=None, pair_checker=None) -> list[Deployed]:
    """Check the whole bundle, then store a new version of each process whose content changed.

    Identical content is a no-op. Any problem anywhere refuses the whole bundle (nothing stored).
    `form_checker(name, form) -> list[str]` may refuse form definitions (the web layer passes
    the `forms` package's checker); its messages become located problems.
    """
    parsed = bpmn.check_bundle(files)
    if form_checker is not None:
        bpmn.check_forms(parsed, files, form_checker, pair_checker)
    results = []
    for item in parsed:
        latest = latest_version(session, item.process_id, required=False)
        if latest is not None and latest.content_hash == item.content_hash:
            results.append(Deployed(item.process_id, latest.version, False))
            continue
        number = (latest.version if latest else 0) + 1
        version = ProcessVersion(
            process_id=item.process_id, version=number, name=item.name, file_name=item.file_name,
            bpmn_xml=item.bpmn_xml, other_files=item.other_files, forms=item.forms,
            spec_json=serializer.dump_spec(item.spec, item.subprocess_specs),
            content_hash=item.content_hash, is_startable=item.is_startable, start_lane=item.start_lane,
            start_form_key=item.start_form_key, start_ui_form_key=item.start_ui_form_key,
            deployed_by_id=actor.id if actor else None, deployed_at=clock.now())
        session.add(version)
        session.flush()
        audit.record(session, "version_deployed", actor, process_id=item.process_id,
                     details={"version": number, "file": item.file_name, "hash": item.content_hash,
                              "previous_version": latest.version if latest else None})
        results.append(Deployed(item.process_id, number, True))
    return results


def deploy_directory(session: Session, directory: str | Path, actor: User | None,
                     form_checker=None, pair_checker=None) -> list[Deployed]:
    return deploy(session, bpmn.read_bundle(directory), actor, form_checker=form_checker,
                  pair_checker=pair_checker)


_LATEST = (select(ProcessVersion).where(ProcessVersion.process_id == bindparam("process_id"))
           .order_by(ProcessVersion.version.desc()).limit(1))


def latest_version(session: Session, process_id: str, required: bool = True) -> ProcessVersion | None:
    version = session.scalars(_LATEST, {"process_id": process_id}).first()
    if version is None and required:
        raise NotFound(f"No process '{process_id}' is deployed.", process=process_id)
    return version


def _latest(*columns):
    newest = (select(ProcessVersion.process_id, func.max(ProcessVersion.version).label("v"))
              .group_by(ProcessVersion.process_id).subquery())
    return select(*columns).join(newest, (ProcessVersion.process_id == newest.c.process_id)
                                 & (ProcessVersion.version == newest.c.v))


def list_latest(session: Session) -> list[ProcessVersion]:
    """The latest version of every deployed process, by process id."""
    return list(session.scalars(_latest(ProcessVersion).order_by(ProcessVersion.process_id)))


def start_lanes(session: Session) -> set[str]:
    """The start lanes of the processes whose latest version may be started (one small query)."""
    return set(session.scalars(_latest(ProcessVersion.start_lane).where(
        ProcessVersion.is_startable.is_(True), ProcessVersion.start_lane.is_not(None))))


def versions_of(session: Session, process_id: str) -> list[ProcessVersion]:
    return list(session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                                .order_by(ProcessVersion.version)))
