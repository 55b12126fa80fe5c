"""B4: 500 voters cast a secret ballot at once over HTTP, against the production setup.

gunicorn with 4 workers (gthread, 2 threads each: README's production command) on PostgreSQL.
Every voter is a deputy with a 代表码 link (no password, as on the phones in the hall); each first
scans it (the token becomes a cookie), opens the vote page (its session cookie and CSRF token),
then all press "vote" together (a barrier), each on its own connection.
Then the chair closes the vote while a "big screen" polls the status every second, as the page
does. Checked: no ballot lost or doubled, the tally is exact, p99 of the vote requests, and the
time from pressing "close" until the screen has the result. Goal: p99 <= 300 ms, result <= 2 s.
Last, the same presses go to an empty Flask app under the same gunicorn: the floor of this machine
and this load generator, printed next to the figures (both drift with the machine's speed).

    BENCH_DATABASE_URL=postgresql://user@host/bench .venv/bin/python -m tests.bench.b4_ballot [voters] [spread]

`spread` (seconds, default 0) spreads the 500 presses evenly over that time instead of one instant.
The load generator runs on the same machine (2 cores), so its own threads cost the server time.
"""
from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from engine.models import Ballot, BallotEnvelope, BallotVote, BallotVoter
from engine.services import ballots, deputy_codes, users
from tests.bench.b8_peer_http import free_port
from tests.bench.common import ROOT, database_url_from_env, fresh_database, summary

KEPT_COOKIES = ("session=", "pingyi_deputy=")
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CHOICES = ("satisfied", "basic", "dissatisfied")
SECRET = "bench-" + os.urandom(8).hex()
PASSWORD = "bench-" + os.urandom(6).hex()


def prepare(url: str, voters: int):
    url, engine, sessions = fresh_database(url)
    keys = deputy_codes.Keys(secret=SECRET)
    with sessions() as session:
        office = users.create_user(session, "office", "Office", None, password=PASSWORD, is_admin=True)
        users.create_group(session, "代表", None)
        people = [users.create_user(session, f"d{i:04d}", f"代表{i}", None) for i in range(voters)]
        session.flush()
        for person in people:
            users.add_to_group(session, person.username, "代表", None)
        tokens = [deputy_codes.token_for(session, p.id, keys, office)[1] for p in people]
        ballot = ballots.open_ballot(session, office, title="满意度测评", subject="县教育局", year=2026,
                                     voters={p.id: "deputy" for p in people})
        public_id = ballot.public_id
        session.commit()
    return url, engine, sessions, public_id, tokens


def serve(url: str, port: int, app: str = "web:create_app()") -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "PINGYI_SECRET_KEY": SECRET}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "4", "-k", "gthread", "--threads", "2",
         "--backlog", "2048", "-b", f"127.0.0.1:{port}", "--keep-alive", "30", "--log-level", "warning",
         app], cwd=ROOT, env=env)
    for _ in range(150):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


class Browser:
    """One phone: one keep-alive connection and its cookies (the session, the scanned 代表码)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, form: dict | None = None, accept: str = "text/html"):
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        headers = {"Accept": accept, "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith(KEPT_COOKIES):
                name, _, value = value.split(";", 1)[0].partition("=")
                self.cookies[name] = value
        return response.status, data.decode("utf-8", "replace")

    def form_token(self, path: str) -> str:
        status, page = self.request("GET", path)
        assert status == 200, (path, status)
        return TOKEN.search(page).group(1)


def main(voters: int = 500, spread: float = 0.0) -> None:
    url = database_url_from_env()
    if not url or not url.startswith("postgresql"):
        sys.exit("B4 runs against PostgreSQL: set BENCH_DATABASE_URL=postgresql://…/bench (it is emptied).")
    url, engine, sessions, public_id, tokens = prepare(url, voters)
    port = free_port()
    server = serve(url, port)
    try:
        phones = [Browser(port) for _ in range(voters)]
        for phone, token in zip(phones, tokens, strict=True):
            assert phone.request("GET", f"/d/{token}")[0] == 302  # the scan
        csrf = [phone.form_token(f"/d/v/{public_id}") for phone in phones]
        statuses, latencies, wall = burst(phones, lambda i: (f"/d/v/{public_id}", {
            "csrf_token": csrf[i], "choice": CHOICES[i % 3]}), spread)

        chair, screen = Browser(port), Browser(port)
        login_token = chair.form_token("/login")
        status, _ = chair.request("POST", "/login", {"csrf_token": login_token, "username": "office",
                                                     "password": PASSWORD})
        assert status == 302, status
        close_token = chair.form_token(f"/ballots/{public_id}")
        screen.cookies = chair.cookies  # the big screen runs in the office's browser
        seen: dict[str, float] = {}
        pressed = threading.Event()

        def big_screen() -> None:  # polls every second, like web/static/screen.js
            while "result" not in seen:
                _status, body = screen.request("GET", f"/ballots/{public_id}/status.json",
                                               accept="application/json")
                if pressed.is_set() and '"status":"closed"' in body.replace(" ", ""):
                    seen["result"] = time.perf_counter()
                    break
                time.sleep(1.0)

        poller = threading.Thread(target=big_screen)
        poller.start()
        time.sleep(0.35)  # the press falls somewhere between two polls
        close_start = time.perf_counter()
        pressed.set()
        status, _ = chair.request("POST", f"/ballots/{public_id}/close", {"csrf_token": close_token})
        close_took = time.perf_counter() - close_start
        assert status == 302, status
        poller.join(timeout=10)
        on_screen = seen["result"] - close_start

        expected = Counter(CHOICES[i % 3] for i in range(voters))
        with sessions() as session:
            stored = Counter(dict(session.execute(select(BallotVote.choice, func.count())
                                                  .group_by(BallotVote.choice)).all()))
            marked = session.scalar(select(func.count()).where(BallotVoter.has_voted.is_(True)))
            envelopes = session.scalar(select(func.count()).select_from(BallotEnvelope))
            ballot = session.scalar(select(Ballot))
            tally = ballot.tally["pooled"]["counts"]
        ok = [s for s in statuses if s == 302]
        ordered = sorted(x for x in latencies if x is not None)
        print(f"B4 secret ballot over HTTP: {voters} voters, gunicorn 4 workers x 2 threads, PostgreSQL, "
              f"{'all at once' if not spread else f'spread over {spread:g} s'}")
        others = Counter(s for s in statuses if s != 302)
        print(f"  votes accepted        : {len(ok)} of {voters} (other statuses: {dict(others)})")
        print(f"  vote request latency  : {summary(ordered)}, p99 {p99(ordered) * 1000:.1f} ms, "
              f"max {ordered[-1] * 1000:.1f} ms (goal p99 <= 300 ms)")
        print(f"  all {voters} in        : {wall:.2f} s ({voters / wall:.0f} votes/s)")
        print(f"  stored votes          : {dict(stored)}; expected {dict(expected)}; "
              f"{'EXACT' if stored == expected else 'MISMATCH'}")
        print(f"  voters marked         : {marked}; envelopes left {envelopes}; tally {tally}")
        print(f"  close and count       : {close_took * 1000:.0f} ms; result on the big screen "
              f"{on_screen:.2f} s after pressing close (goal <= 2 s)")
        if stored != expected or marked != voters or len(ok) != voters:
            sys.exit("B4 FAILED: ballots lost or doubled")
    finally:
        server.terminate()
        server.wait(timeout=10)
        engine.dispose()
    floor = sorted(empty_burst(url, voters, spread))
    print(f"  reference: an empty Flask app under the same gunicorn and the same {voters} presses: "
          f"{summary(floor)}, p99 {p99(floor) * 1000:.1f} ms (the machine's floor; its speed drifts)")


def p99(ordered: list[float]) -> float:
    return ordered[max(0, int(round(0.99 * len(ordered))) - 1)]


def burst(phones: list[Browser], press_of, spread: float) -> tuple[list[int], list[float | None], float]:
    """Every phone sends its press (path, form) at once (or spread evenly over `spread` seconds):
    statuses, latencies and the wall time until the last answer."""
    count = len(phones)
    latencies: list[float | None] = [None] * count
    statuses: list[int] = [0] * count
    barrier = threading.Barrier(count + 1)

    def press(index: int) -> None:
        path, form = press_of(index)
        barrier.wait()
        if spread:
            time.sleep(index * spread / count)
        start = time.perf_counter()
        statuses[index], _ = phones[index].request("POST", path, form)
        latencies[index] = time.perf_counter() - start

    threads = [threading.Thread(target=press, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    begin = time.perf_counter()
    for thread in threads:
        thread.join()
    return statuses, latencies, time.perf_counter() - begin


def empty_burst(url: str, count: int, spread: float) -> list[float]:
    port = free_port()
    server = serve(url, port, "tests.bench.empty_app:app")
    try:
        phones = [Browser(port) for _ in range(count)]
        for phone in phones:  # open the connections first, as the voters' vote pages do
            phone.request("GET", "/api/v1/tasks", accept="application/json")
        statuses, latencies, _wall = burst(phones, lambda i: ("/vote", {"choice": CHOICES[i % 3]}), spread)
        assert set(statuses) == {302}, set(statuses)
        return [x for x in latencies if x is not None]
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500, float(sys.argv[2]) if len(sys.argv) > 2 else 0.0)
