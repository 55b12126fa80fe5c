"""B8: the peer benchmark over HTTP, against Pingyi served the production way on SQLite.

The two peer models (tests/bench/peer/, from ../shared/bench) are deployed unchanged; gunicorn
serves the app with one worker on a SQLite file; requests are sent one after another to the JSON
API on 127.0.0.1. SpiffArena's backend reached (median): create and run to the first task
78.7 ms, my tasks 21.3 ms, submit through the gateway 107.7 ms; all 60 multi-instance submits
13.4 s. Goal: ten times better (8 ms, 2 ms, 10 ms, 1.3 s).

    .venv/bin/python -m tests.bench.b8_peer_http [rounds]
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import forms
from engine import bpmn
from engine.services import processes, tokens, users
from tests.bench.common import ROOT, fresh_database, summary

PEER = Path(__file__).resolve().parent / "peer"
REQUEST = {"title": "New laptop", "amount": 1200, "justification": "old one died", "urgent": False}


class Client:
    """Serial requests over one keep-alive connection (what a script or a proxy does)."""

    def __init__(self, port: int, token: str):
        self.port, self.headers = port, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[float, dict]:
        payload = json.dumps(body).encode() if body is not None else None
        start = time.perf_counter()
        try:
            self.connection.request(method, "/api/v1" + path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
            data = response.read()
        except (http.client.HTTPException, ConnectionError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.connection.request(method, "/api/v1" + path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
            data = response.read()
        elapsed = time.perf_counter() - start
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
        return elapsed, json.loads(data)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare() -> tuple[str, str]:
    url, engine, sessions = fresh_database()
    with sessions() as session:
        admin = users.create_user(session, "bench", "Bench", None, is_admin=True)
        processes.deploy(session, bpmn.read_bundle(PEER), admin, form_checker=forms.check_bundle_form)
        _, secret = tokens.create_token(session, admin, "bench", admin)
        session.commit()
    engine.dispose()
    return url, secret


def serve(url: str, port: int, app: str = "web:create_app()") -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "PINGYI_SECRET_KEY": "bench-" + os.urandom(8).hex(),
           "PINGYI_ATTACHMENTS_DIR": tempfile.mkdtemp(prefix="pingyi-files-")}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "-k", "gthread", "--threads", "1",
         "-b", f"127.0.0.1:{port}", "--keep-alive", "30", "--log-level", "warning", app],
        cwd=ROOT, env=env)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def main(rounds: int = 40) -> None:
    url, secret = prepare()
    port = free_port()
    server = serve(url, port)
    try:
        client = Client(port, secret)
        client.call("GET", "/tasks")  # warm up
        creates, lists, submits = [], [], []
        for _ in range(rounds):
            elapsed, started = client.call("POST", "/instances", {"process_id": "peer_form_gateway"})
            creates.append(elapsed)
            elapsed, _ = client.call("GET", "/tasks?per_page=20")
            lists.append(elapsed)
            task = started["tasks"][0]
            elapsed, done = client.call("POST", f"/tasks/{task['id']}/submit", {"data": REQUEST})
            submits.append(elapsed)
            assert done["next_task"]["element"] == "ut_review", done
        _, started = client.call("POST", "/instances", {"process_id": "peer_mi60"})
        items = [t for t in started["tasks"] if t["element"] == "ut_item"]
        if len(items) < 60:
            items = [t for t in client.call("GET", "/tasks?per_page=100&sort=created")[1]["tasks"]
                     if t["element"] == "ut_item" and t["instance"] == started["id"]]
        assert len(items) == 60, len(items)
        begin = time.perf_counter()
        for index, task in enumerate(items):
            client.call("POST", f"/tasks/{task['id']}/submit", {"data": {"result": {"ok": True, "note": f"n{index}"}}})
        all_60 = time.perf_counter() - begin
        print(f"B8 peer models over HTTP, gunicorn 1 worker, SQLite file, {rounds} rounds")
        print(f"  create and run to the first task : {summary(creates)}   (SpiffArena 78.7 ms, goal <= 8)")
        print(f"  my tasks                         : {summary(lists)}   (SpiffArena 21.3 ms, goal <= 2)")
        print(f"  submit through the gateway       : {summary(submits)}   (SpiffArena 107.7 ms, goal <= 10)")
        print(f"  all 60 multi-instance submits    : {all_60:.3f} s total, "
              f"{statistics.median([all_60 / 60]) * 1000:.1f} ms each   (SpiffArena 13.4 s, goal <= 1.3 s)")
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"  reference: an empty Flask app over the same gunicorn answers in {empty_request_ms(url):.2f} ms "
          f"(median; the machine's speed drifts)")


def empty_request_ms(url: str, requests: int = 300) -> float:
    port = free_port()
    server = serve(url, port, "tests.bench.empty_app:app")
    try:
        client, samples = Client(port, "none"), []
        for _ in range(requests):
            samples.append(client.call("GET", "/tasks")[0])
        return statistics.median(samples) * 1000
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
