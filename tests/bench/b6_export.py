"""B6: exporting the audit history over HTTP: 10,000 and 100,000 events to CSV and to Excel.

Pingyi is served the production way (gunicorn, one worker) on a SQLite file, or on
BENCH_DATABASE_URL (PostgreSQL). The events are realistic (task completions with before and after
data in Chinese, claims, views, votes' turnout), chained by hash like real ones. An auditor signs in
and downloads /audit/events.csv and /audit/events.xlsx; the response is read as it streams. Measured:
time to the first byte and to the last, size, and the worker's peak resident memory (VmHWM from
/proc, the high-water mark of the whole process) before and after each export. Goal: 100,000 events
in <= 10 s per format, with flat memory (the peak at 100,000 events close to the one at 10,000).

    .venv/bin/python -m tests.bench.b6_export [events ...]        # default: 10000 100000
"""
from __future__ import annotations

import contextlib
import http.cookiejar
import json
import re
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, update

from engine import audit
from engine.models import AuditEvent, AuditHead
from engine.services import users
from tests.bench.b8_peer_http import free_port, serve
from tests.bench.common import database_url_from_env, fresh_database

PASSWORD = "bench-password-42"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KINDS = ("task_completed", "task_claimed", "task_draft_saved", "auditor_viewed", "timer_fired")


def fake_event(seq: int, start: datetime) -> dict:
    kind = KINDS[seq % len(KINDS)]
    event = {"seq": seq, "event_type": kind, "created_at": start + timedelta(seconds=seq * 3),
             "actor_id": 2 + seq % 40, "actor_name": f"user{seq % 40:02d}", "instance_id": 1 + seq % 1000,
             "process_id": "department_rectification", "task_guid": f"{seq:08x}-0000-4000-8000-000000000000",
             "element_id": "submit_plan", "reason": "按评议意见整改" if seq % 7 == 0 else None,
             "data_before": None, "data_after": None, "details": {"title": f"提交整改方案：县第{seq % 30}局"}}
    if kind == "task_completed":
        event["data_before"] = {"plan_summary": None, "plan_items": None}
        event["data_after"] = {"plan_summary": "成立整改工作专班，对照评议意见逐条制定措施，明确时限和责任人。",
                               "plan_items": [{"problem": "课后服务覆盖不足", "deadline": "2026-01-31",
                                               "responsible": "基础教育科"}]}
    elif kind == "auditor_viewed":
        event["details"] = {"what": "instance", "title": "2026年度部门工作评议"}
    return event


def fill(sessions, count: int) -> None:
    """`count` chained events, written in batches with the head moved once at the end."""
    with sessions() as session:
        users.create_user(session, "auditor", "审计员", None, password=PASSWORD, is_auditor=True)
        session.commit()
        head = session.get(AuditHead, audit.HEAD_ID)
        seq, previous = head.last_seq, head.last_hash
    start, batch = datetime(2026, 1, 5, 1, 0, tzinfo=UTC), []
    for number in range(count):
        seq += 1
        event = fake_event(seq, start)
        event["prev_hash"] = previous
        event["hash"] = previous = audit.compute_hash(event)
        batch.append(event)
        if len(batch) == 5000 or number == count - 1:
            with sessions() as session:
                session.execute(insert(AuditEvent), batch)
                session.execute(update(AuditHead).where(AuditHead.id == audit.HEAD_ID)
                                .values(last_seq=seq, last_hash=previous))
                session.commit()
            batch = []


def memory_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process, in KiB: resident now, and the most it has been."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def reset_peak(pid: int) -> None:
    """Start the high-water mark afresh (Linux >= 4.0; needs the right to write the process's clear_refs)."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def worker_of(master: int) -> int:
    for _ in range(50):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("no gunicorn worker")


def sign_in(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    token = TOKEN.search(opener.open(base + "/login").read().decode()).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "username": "auditor", "password": PASSWORD}).encode()
    opener.open(base + "/login", data=form).read()
    return opener


def download(opener, url: str) -> tuple[float, float, int]:
    began = time.perf_counter()
    first, size = None, 0
    with opener.open(url, timeout=600) as response:
        while chunk := response.read(64 * 1024):
            first = first or time.perf_counter() - began
            size += len(chunk)
    return first or 0.0, time.perf_counter() - began, size


def run(count: int) -> dict:
    url, engine, sessions = fresh_database(database_url_from_env())
    began = time.perf_counter()
    fill(sessions, count)
    filled = time.perf_counter() - began
    engine.dispose()
    port = free_port()
    server = serve(url, port)
    result = {"events": count, "fill_s": filled}
    try:
        base = f"http://127.0.0.1:{port}"
        opener = sign_in(base)
        worker = worker_of(server.pid)
        opener.open(base + "/audit/").read()  # warm up: templates, imports
        for kind in ("csv", "xlsx"):
            download(opener, f"{base}/audit/events.{kind}?type=none")  # warm up this export's code
        for kind in ("csv", "xlsx"):
            before = memory_kib(worker)[0]
            reset_peak(worker)
            first, total, size = download(opener, f"{base}/audit/events.{kind}")
            result[kind] = {"first_byte_s": first, "total_s": total, "bytes": size, "rss_before_kib": before,
                            "peak_kib": memory_kib(worker)[1]}
    finally:
        server.terminate()
        server.wait(timeout=10)
    return result


def main(sizes: list[int]) -> None:
    where = "PostgreSQL" if database_url_from_env() else "SQLite file"
    print(f"B6 audit export over HTTP, gunicorn 1 worker, {where}")
    results = [run(n) for n in sizes]
    for r in results:
        print(f"  {r['events']:>7,} events (written in {r['fill_s']:.1f} s)")
        for kind in ("csv", "xlsx"):
            x = r[kind]
            print(f"    {kind:<4}: first byte {x['first_byte_s'] * 1000:5.0f} ms, all {x['total_s']:6.2f} s, "
                  f"{x['bytes'] / 1e6:5.1f} MB; worker resident {x['rss_before_kib'] / 1024:5.1f} MiB before, "
                  f"peak {x['peak_kib'] / 1024:5.1f} MiB during (+{(x['peak_kib'] - x['rss_before_kib']) / 1024:.1f})")
    if len(results) > 1:
        small, large = results[0], results[-1]
        for kind in ("csv", "xlsx"):
            growth = (large[kind]["peak_kib"] - small[kind]["peak_kib"]) / 1024
            print(f"  {kind} peak at {large['events']:,} vs {small['events']:,} events: {growth:+.1f} MiB "
                  "(flat memory: about 0)")
    print("  goal: 100,000 events in <= 10 s per format")
    print(json.dumps(results))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
