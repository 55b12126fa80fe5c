"""Exports of audit events and instance lists as CSV (UTF-8 with a BOM, so Excel reads Chinese)
and .xlsx, produced as they are read: generators of bytes over keyset batches (constant memory).

Column titles, event names and the integrity words come from the caller (in the user's language).
CSV cells that a spreadsheet would run as a formula (starting with = + - @ or a tab) get a leading
apostrophe; .xlsx cells are plain text and need none.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from engine import xlsx
from engine.audit import HASHED, JSON_FIELDS, compute_hash
from engine.dates import LOCAL_TZ
from engine.db import canonical_json

BOM = "\ufeff"
_FORMULA = frozenset("=+-@\t\r")
EVENT_FIELDS = ("seq", "time", "event", "event_type", "actor", "instance", "process", "task", "element", "reason",
                "before", "after", "details", "hash", "integrity")
EVENT_COLUMNS = (*HASHED, "hash")
INSTANCE_FIELDS = ("id", "process", "version", "title", "business_key", "status", "started_by", "started_at",
                   "ended_at", "updated_at")


@dataclass
class Words:
    """What the caller translated: column titles by field, event names by type, the two integrity marks."""

    columns: dict[str, str] = field(default_factory=dict)
    event_names: dict[str, str] = field(default_factory=dict)
    intact: str = "ok"
    tampered: str = "TAMPERED"

    def header(self, fields: tuple[str, ...]) -> list[str]:
        return [self.columns.get(f, f) for f in fields]


def local_time(moment) -> str:
    return moment.astimezone(LOCAL_TZ).isoformat(" ", "seconds")[:19] if moment else ""


def event_row(event, words: Words, *, json_text: bool = False) -> list:
    """One event as export cells: an AuditEvent, or (`json_text`) a dict from history.iter_events
    whose JSON columns are their stored text. The JSON cells are written the way the hash reads
    them (sorted keys, no spaces), so each is encoded once for both.

    Stored text is canonical (engine.db.canonical_json), so it is hashed as it is; only a row whose
    hash then differs (written before JSON was stored canonically, or edited) is parsed and encoded
    again before it is called tampered."""
    if json_text:
        e = event
        encoded = {name: _stored(e[name]) for name in JSON_FIELDS}
        intact = compute_hash(e, encoded) == e["hash"]
        if not intact:
            encoded = {name: _recoded(text) for name, text in encoded.items()}
            intact = compute_hash(e, encoded) == e["hash"]
    else:
        e = {name: getattr(event, name) for name in EVENT_COLUMNS}
        encoded = {name: canonical_json(e[name]) for name in JSON_FIELDS}
        intact = compute_hash(e, encoded) == e["hash"]
    before, after, details = (("" if text == "null" else text) for text in encoded.values())
    return [e["seq"], local_time(e["created_at"]), words.event_names.get(e["event_type"], e["event_type"]),
            e["event_type"], e["actor_name"], e["instance_id"], e["process_id"] or "", e["task_guid"] or "",
            e["element_id"] or "", e["reason"] or "", before, after, details, e["hash"],
            words.intact if intact else words.tampered]


def _stored(text: str | None) -> str:
    return "null" if text is None else text


def _recoded(text: str) -> str:
    try:
        return canonical_json(json.loads(text))
    except ValueError:  # not even JSON any more: shown as it is (and the row as tampered)
        return text


def instance_row(row, statuses: dict[str, str] | None = None) -> list:
    """A row of engine.services.instance_list (columns, not an entity)."""
    return [row.id, row.process_id, row.version, row.title, row.business_key or "",
            (statuses or {}).get(row.status, row.status), row.started_by or "", local_time(row.started_at),
            local_time(row.ended_at), local_time(row.updated_at)]


def _safe(row: list) -> list:
    return [("'" + v) if v.__class__ is str and v[:1] in _FORMULA else v for v in row]


def csv_stream(header: list[str], rows: Iterable[list], chunk: int = 256 * 1024) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(header)
    for row in rows:
        writer.writerow(_safe(row))
        if buffer.tell() >= chunk:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_stream(sheet: str, header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    return xlsx.stream(sheet, header, rows)


def stream(kind: str, sheet: str, header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """kind: "csv" or "xlsx"."""
    return csv_stream(header, rows) if kind == "csv" else xlsx_stream(sheet, header, rows)
