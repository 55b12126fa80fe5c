"""Attachments: files uploaded for a task, kept on disk under a storage directory.

The database keeps the name (sanitised), type, size and SHA-256; the bytes are stored under a
random key, never under the user's file name. Only office documents, PDF, images and plain
text are accepted, and the first bytes must match the extension. Files are served only to
people who may see the instance.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit
from engine.errors import InvalidInput, NotFound, PermissionDenied
from engine.models import Attachment, HumanTask, User
from engine.permissions import can_work_on, instance_view
from engine.services.tasks import get_task, require_workable

DEFAULT_MAX_SIZE = 20 * 1024 * 1024
CHUNK = 64 * 1024

# extension -> (content type, the signatures its first bytes may start with; None: text)
TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".ppt": ("application/vnd.ms-powerpoint", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".wps": ("application/vnd.ms-works", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".ofd": ("application/ofd", (b"PK\x03\x04",)),
    ".txt": ("text/plain; charset=utf-8", None),
    ".csv": ("text/csv; charset=utf-8", None),
}
_UNSAFE = re.compile(r"[^\w.\-()\[\] ]+", re.UNICODE)


def sanitise_name(filename: str) -> str:
    """Keep letters (Chinese too), digits and a few marks; no paths, no control characters."""
    name = unicodedata.normalize("NFC", os.path.basename((filename or "").replace("\\", "/")))
    name = _UNSAFE.sub("_", name).strip(" ._")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem[:120] or "file"
    return f"{stem}.{ext.lower()[:10]}" if ext else stem


IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})


def sniff_ok(ext: str, head: bytes) -> bool:
    """Whether the first bytes of a file match what its extension promises."""
    signatures = TYPES[ext][1]
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:  # a multi-byte character cut at the end is fine
            return exc.start >= len(head) - 3
        return b"\x00" not in head
    if ext == ".webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return any(head.startswith(sig) for sig in signatures)


@dataclass(frozen=True)
class StoredFile:
    public_id: str
    storage_key: str
    filename: str
    content_type: str
    size: int
    sha256: str


def allowed_for(accept) -> frozenset[str] | None:
    """The extensions a file field accepts, from its picker's `accept` list (extensions such as
    ".pdf" and types such as "image/*"); None when it names none. An extension counts with every
    other one of the same content type (".jpg" with ".jpeg")."""
    wanted = [a.strip().lower() for a in accept or () if isinstance(a, str) and a.strip()]
    if not wanted:
        return None
    kinds = {TYPES[a][0] for a in wanted if a in TYPES}
    prefixes = tuple(a[:-1] for a in wanted if a.endswith("/*"))
    return frozenset(ext for ext, (kind, _) in TYPES.items()
                     if kind in kinds or kind.split(";")[0] in wanted or kind.startswith(prefixes))


def write_file(storage: Path, filename: str, stream, *, field: str = "", max_size: int = DEFAULT_MAX_SIZE,
               allowed=None) -> StoredFile:
    """Check and write one upload under a random key in `storage`; nothing is written when it is
    refused (no file, no directory).

    `allowed` limits the extensions (default: every one in TYPES); the first bytes must match it."""
    name = sanitise_name(filename)
    ext = os.path.splitext(name)[1].lower()
    accepted = TYPES.keys() if allowed is None else [e for e in allowed if e in TYPES]
    if ext not in accepted:
        raise InvalidInput(f"Files of type '{ext or name}' are not accepted.", errors={field or "file": "type"},
                           allowed=", ".join(sorted(accepted)))
    public_id = secrets.token_hex(16)
    key = f"{public_id[:2]}/{public_id[2:4]}/{public_id}"
    Path(storage).mkdir(parents=True, exist_ok=True)
    partial = Path(storage) / f"{public_id}.part"  # its directories are made once the file passed
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with open(partial, "wb") as out:
            while chunk := stream.read(CHUNK):
                if len(head) < 512:
                    head += chunk[:512 - len(head)]
                size += len(chunk)
                if size > max_size:
                    raise InvalidInput(f"The file is larger than {max_size // (1024 * 1024)} MB.",
                                       errors={field or "file": "size"}, limit_mb=max_size // (1024 * 1024),
                                       limit=max_size)
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise InvalidInput("The file is empty.", errors={field or "file": "empty"})
        if not sniff_ok(ext, head):
            raise InvalidInput(f"The file's content does not match its type '{ext}'.",
                               errors={field or "file": "content"})
        final = Path(storage) / key
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return StoredFile(public_id, key, name, TYPES[ext][0], size, digest.hexdigest())


def discard(storage: Path, storage_keys) -> None:
    """Remove files written by a request that was then refused (their rows were rolled back), and
    the directories that held only them."""
    root = Path(storage)
    for key in storage_keys:
        path = root / key
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == root:
                break
            try:
                folder.rmdir()
            except OSError:  # not empty: other files live there
                break


def store(session: Session, storage: Path, task_id: int, filename: str, stream, actor: User, *,
          field: str = "", max_size: int = DEFAULT_MAX_SIZE, allowed=None) -> Attachment:
    """Save an uploaded file for an open task its uploader may work on (`allowed`: the extensions
    its field accepts, see allowed_for; default every one in TYPES)."""
    task = get_task(session, task_id)
    require_workable(task)
    if not can_work_on(session, task, actor) and not actor.is_admin:
        raise PermissionDenied("You may not add files to this task.", task=task.title)
    saved = write_file(storage, filename, stream, field=field, max_size=max_size, allowed=allowed)
    attachment = Attachment(public_id=saved.public_id, instance_id=task.instance_id, human_task_id=task.id,
                            field=field, filename=saved.filename, content_type=saved.content_type, size=saved.size,
                            sha256=saved.sha256, storage_key=saved.storage_key, uploaded_by_id=actor.id)
    session.add(attachment)
    session.flush()
    audit.record(session, "attachment_uploaded", actor, instance=task.instance, task_guid=task.task_guid,
                 element_id=task.element_id, details={"attachment": saved.public_id, "filename": saved.filename,
                                                      "size": saved.size, "sha256": saved.sha256, "field": field})
    return attachment


def get(session: Session, public_id: str, actor: User) -> Attachment:
    attachment = session.scalar(select(Attachment).where(Attachment.public_id == public_id))
    if attachment is None:
        raise NotFound("No such file.", attachment=public_id)
    view = instance_view(session, attachment.instance_id, actor)
    if view is not None and not view.whole:  # seen from some branches: the file's task must be in one
        task_id = attachment.human_task_id
        if task_id is None or not view.sees_task(task_id, session.scalar(select(HumanTask.branch)
                                                                         .where(HumanTask.id == task_id))):
            view = None
    if view is None:
        raise PermissionDenied("You may not see this file.", attachment=public_id)
    return attachment


def path_of(storage: Path, attachment: Attachment) -> Path:
    return Path(storage) / attachment.storage_key


def for_instance(session: Session, instance_id: int) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(Attachment.instance_id == instance_id)
                                .order_by(Attachment.id)))


def remove(session: Session, public_id: str, actor: User) -> None:
    """The uploader takes a file back while its task is still open.

    The bytes stay on disk: a request that fails after this point must not have lost a file
    the database still lists (unreferenced files can be swept later)."""
    attachment = get(session, public_id, actor)
    task = get_task(session, attachment.human_task_id) if attachment.human_task_id else None
    if task is None or attachment.uploaded_by_id != actor.id:
        raise PermissionDenied("Only the uploader may remove a file, while its task is open.")
    require_workable(task)
    session.delete(attachment)
    session.flush()
    audit.record(session, "attachment_removed", actor, instance=task.instance, task_guid=task.task_guid,
                 element_id=task.element_id, details={"attachment": public_id, "filename": attachment.filename})
