"""The versions of each process for administrators: who deployed them and when, how many
instances run on each, and what changed from the version before."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import versions
from engine.cache import LRU
from engine.models import InstanceStatus, ProcessDraft, ProcessInstance, ProcessVersion, User
from engine.permissions import require_admin

OPEN = tuple(str(s) for s in (InstanceStatus.RUNNING, InstanceStatus.WAITING, InstanceStatus.ERROR,
                              InstanceStatus.SUSPENDED))
# (process, old content hash, new content hash) -> VersionDiff: keyed by content, not by row ids,
# which a different database (a restored backup, the test suite) gives to other versions
_diffs = LRU(256)


@dataclass
class VersionInfo:
    version: ProcessVersion
    deployed_by: str | None
    open: int
    completed: int
    ended: int  # terminated
    diff: versions.VersionDiff | None  # from the version before; None for the first


@dataclass
class ProcessInfo:
    process_id: str
    name: str
    versions: list[VersionInfo]  # newest first
    draft: ProcessDraft | None

    @property
    def latest(self) -> VersionInfo | None:
        return self.versions[0] if self.versions else None


def diff_between(old: ProcessVersion, new: ProcessVersion) -> versions.VersionDiff:
    key = (new.process_id, old.content_hash, new.content_hash)
    result = _diffs.get(key)
    if result is None:
        result = versions.diff_versions(old, new)
        _diffs.put(key, result)
    return result


def _counts(session: Session, process_id: str | None) -> dict[int, dict[str, int]]:
    query = select(ProcessInstance.process_version_id, ProcessInstance.status, func.count()) \
        .group_by(ProcessInstance.process_version_id, ProcessInstance.status)
    if process_id is not None:
        query = query.where(ProcessInstance.process_id == process_id)
    counts: dict[int, dict[str, int]] = {}
    for version_id, status, number in session.execute(query):
        counts.setdefault(version_id, {})[status] = number
    return counts


def _infos(rows: list[ProcessVersion], counts: dict, names: dict[int, str]) -> list[VersionInfo]:
    result = []
    previous = None
    for version in rows:  # oldest first
        by_status = counts.get(version.id, {})
        result.append(VersionInfo(
            version=version, deployed_by=names.get(version.deployed_by_id),
            open=sum(by_status.get(s, 0) for s in OPEN), completed=by_status.get("completed", 0),
            ended=by_status.get("terminated", 0),
            diff=diff_between(previous, version) if previous is not None else None))
        previous = version
    return list(reversed(result))


def _user_names(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def overview(session: Session, actor: User, process_id: str | None = None) -> list[ProcessInfo]:
    """Every process (or one) with its versions, newest first, and its draft if any."""
    require_admin(actor, "see the process versions")
    query = select(ProcessVersion).order_by(ProcessVersion.process_id, ProcessVersion.version)
    drafts = select(ProcessDraft)
    if process_id is not None:
        query = query.where(ProcessVersion.process_id == process_id)
        drafts = drafts.where(ProcessDraft.process_id == process_id)
    rows = list(session.scalars(query))
    counts = _counts(session, process_id)
    names = _user_names(session, [v.deployed_by_id for v in rows])
    by_process: dict[str, list[ProcessVersion]] = {}
    for version in rows:
        by_process.setdefault(version.process_id, []).append(version)
    draft_rows = {d.process_id: d for d in session.scalars(drafts)}
    result = [ProcessInfo(pid, found[-1].name or pid, _infos(found, counts, names), draft_rows.get(pid))
              for pid, found in by_process.items()]
    for pid, draft in draft_rows.items():  # a new process not deployed yet
        if pid not in by_process:
            result.append(ProcessInfo(pid, pid, [], draft))
    return sorted(result, key=lambda p: p.process_id)
