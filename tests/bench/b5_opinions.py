"""B5: 200 public opinions in one minute over HTTP, against gunicorn on a SQLite file.

Each simulated citizen is a phone of its own: it opens the channel's page (which sets its device
cookie and gives it a CSRF token), then sends one opinion (every tenth with a photo). Citizens
start every 0.3 s, several at a time. The per-device limit is the default one ("5 per minute;
30 per day"); the per-IP limit is raised, because every citizen here comes from 127.0.0.1. At
the end one more phone sends 6 opinions in a row to show the device limit is in force (5
accepted, the 6th refused), and the rows in the database are counted: none may be lost.

    .venv/bin/python -m tests.bench.b5_opinions [citizens] [seconds]
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from engine.models import Opinion, OpinionPhoto
from engine.services import opinion_channels, users
from tests.bench.b8_peer_http import free_port
from tests.bench.common import ROOT, fresh_database, summary
from tests.images import image

PNG = image("PNG", (80, 80), noise=True)  # about 20 KB; written again without metadata
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def prepare() -> tuple[str, str, object]:
    url, engine, sessions = fresh_database()
    with sessions() as session:
        office = users.create_user(session, "office", "Office", None)
        for name in ("评议办", "教育局", "教育局调查组"):
            users.create_group(session, name, None)
        users.add_to_group(session, "office", "评议办", None)
        channel = opinion_channels.create_channel(
            session, year=2024, department_name="教育局", department_key="D01", department_group="教育局",
            investigation_group="教育局调查组", content_items=["法治政府建设"], actor=office)
        slug = channel.slug
        session.commit()
    return url, slug, (engine, sessions)


def serve(url: str, port: int, photos: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "PINGYI_SECRET_KEY": "bench-" + os.urandom(8).hex(),
           "PINGYI_ATTACHMENTS_DIR": photos, "PINGYI_OPINION_PHOTOS_DIR": photos,
           "PINGYI_OPINION_LIMIT_IP": "2000 per minute"}
    env.pop("PINGYI_OPINION_LIMIT_DEVICE", None)  # the default device limit stays in force
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "-k", "gthread", "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "web:create_app()"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=0.5).read()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def multipart(fields: dict, photo: bytes | None) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    if photo is not None:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="photo.png"\r\n'
                     f"Content-Type: image/png\r\n\r\n".encode() + photo + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Phone:
    """One citizen's phone: its own cookies (device cookie, session with the CSRF token)."""

    def __init__(self, base: str, slug: str):
        self.base, self.slug = base, slug
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open_page(self) -> str:
        with self.opener.open(f"{self.base}/o/{self.slug}", timeout=30) as response:
            return TOKEN.search(response.read().decode()).group(1)

    def send(self, token: str, text: str, photo: bytes | None = None) -> tuple[int, float]:
        body, content_type = multipart({"csrf_token": token, "rating": "dissatisfied", "text": text,
                                        "name": "", "phone": "", "website": ""}, photo)
        request = urllib.request.Request(f"{self.base}/o/{self.slug}", data=body,
                                         headers={"Content-Type": content_type})
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:  # follows the redirect to the thanks page
                response.read()
                status = 302 if response.url.endswith("/thanks") else response.status
        except urllib.error.HTTPError as error:
            status = error.code
        return status, time.perf_counter() - start


def main(citizens: int = 200, seconds: float = 60.0) -> None:
    url, slug, (engine, sessions) = prepare()
    port, photos = free_port(), tempfile.mkdtemp(prefix="pingyi-b5-")
    server = serve(url, port, photos)
    base = f"http://127.0.0.1:{port}"
    results: list[tuple[int, float]] = []
    lock = threading.Lock()
    begin = time.perf_counter()

    def citizen(index: int) -> None:
        delay = begin + index * seconds / citizens - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        phone = Phone(base, slug)
        token = phone.open_page()
        outcome = phone.send(token, f"第{index}位群众：学校周边交通需要改善，建议高峰时段增派交警。",
                             PNG if index % 10 == 0 else None)
        with lock:
            results.append(outcome)

    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(citizen, range(citizens)))
        elapsed = time.perf_counter() - begin
        greedy = Phone(base, slug)
        token = greedy.open_page()
        control = [greedy.send(token, f"同一部手机的第{n}条意见：窗口服务需要改进。")[0] for n in range(6)]
    finally:
        server.terminate()
        server.wait(timeout=10)
    accepted = sum(1 for status, _ in results if status == 302)
    with sessions() as session:
        rows = session.scalar(select(func.count(Opinion.id)))
        devices = session.scalar(select(func.count(func.distinct(Opinion.device_hash))))
        photo_rows = session.scalar(select(func.count(OpinionPhoto.id)))
    engine.dispose()
    stored_files = sum(1 for p in Path(photos).rglob("*") if p.is_file())
    statuses = sorted({status for status, _ in results})
    print("B5 public opinions over HTTP, gunicorn 1 worker x 4 threads, SQLite file, CSRF on")
    print(f"  citizens                 : {citizens} in {elapsed:.1f} s, statuses {statuses}")
    print(f"  accepted                 : {accepted}")
    print(f"  send (POST + thanks page): {summary([t for _, t in results])}")
    print(f"  one phone, 6 in a row    : {control}   (device limit 5 per minute)")
    print(f"  rows in the database     : {rows} opinions from {devices} devices, {photo_rows} photos "
          f"({stored_files} files on disk)")
    expected = accepted + control.count(302)
    print(f"  lost                     : {expected - rows}")
    assert rows == expected, f"{expected} accepted but {rows} stored"
    assert control == [302] * 5 + [429], control


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200, float(sys.argv[2]) if len(sys.argv) > 2 else 60.0)
