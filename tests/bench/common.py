"""Helpers for the benchmarks (run by hand, never by pytest: file names do not start with test_)."""
from __future__ import annotations

import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from engine import bpmn, repository
from engine.db import make_engine, make_session_factory
from engine.services import processes, users
from web.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def fresh_database(url: str | None = None):
    """A migrated database: a new SQLite file, or `url` (e.g. PostgreSQL) emptied first."""
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='pingyi-bench-')}/bench.db"
    else:
        from sqlalchemy import text

        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(url, str(ROOT / "migrations"))
    engine = make_engine(url)
    return url, engine, make_session_factory(engine)


def deploy_folder(sessions, folder: str):
    with sessions() as session:
        admin = users.create_user(session, "bench_admin", "Bench admin", None, is_admin=True)
        processes.deploy(session, bpmn.read_bundle(DATA / folder), admin)
        session.commit()


def parsed(folder: str, process_id: str):
    return next(p for p in bpmn.check_bundle(bpmn.read_bundle(DATA / folder)) if p.process_id == process_id)


@contextmanager
def timed(samples: list):
    start = time.perf_counter()
    yield
    samples.append(time.perf_counter() - start)


def summary(samples: list[float], unit: float = 1000.0) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return f"median {statistics.median(ordered) * unit:.2f} ms, p95 {p95 * unit:.2f} ms (n={len(ordered)})"


def database_url_from_env() -> str | None:
    return os.environ.get("BENCH_DATABASE_URL")


def reset_caches() -> None:
    repository.clear_caches()
