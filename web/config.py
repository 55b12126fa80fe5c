"""Configuration: defaults, then environment variables (`DATABASE_URL`, `PINGYI_*`)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from web import rate_store

REPO_ROOT = Path(__file__).resolve().parent.parent
UPLOADS_AT_ONCE = 5  # files at their full size that one task form may send together


def default_database_url(instance_path: str) -> str:
    return f"sqlite:///{Path(instance_path) / 'pingyi.db'}"


def load_secret_key(instance_path: str) -> str:
    """`PINGYI_SECRET_KEY`, else a random key kept in instance/secret_key (never in the repository)."""
    if os.environ.get("PINGYI_SECRET_KEY"):
        return os.environ["PINGYI_SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def build_config(instance_path: str, overrides: dict | None = None) -> dict:
    config = {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or default_database_url(instance_path),
        "PROCESSES_DIR": os.environ.get("PINGYI_PROCESSES_DIR") or str(REPO_ROOT / "processes"),
        "MIGRATIONS_DIR": str(REPO_ROOT / "migrations"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("PINGYI_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": os.environ.get("PINGYI_SECURE_COOKIES", "0") == "1",
        "TIMER_INTERVAL_SECONDS": float(os.environ.get("PINGYI_TIMER_INTERVAL", "30")),
        "ATTACHMENTS_DIR": os.environ.get("PINGYI_ATTACHMENTS_DIR") or str(Path(instance_path) / "attachments"),
        "ATTACHMENT_MAX_SIZE": int(os.environ.get("PINGYI_ATTACHMENT_MAX_MB", "20")) * 1024 * 1024,
        # opinion channels (评议码, 代表码): see web/opinion_kit.py
        "OPINION_PHOTOS_DIR": os.environ.get("PINGYI_OPINION_PHOTOS_DIR") or str(Path(instance_path) / "opinions"),
        "OPINION_PHOTO_MAX_SIZE": int(os.environ.get("PINGYI_OPINION_PHOTO_MAX_MB", "5")) * 1024 * 1024,
        "OPINION_RATE_LIMIT_DEVICE": os.environ.get("PINGYI_OPINION_LIMIT_DEVICE", "5 per minute; 30 per day"),
        "OPINION_RATE_LIMIT_IP": os.environ.get("PINGYI_OPINION_LIMIT_IP", "60 per minute; 1000 per day"),
        "OPINION_HASH_SALT": os.environ.get("PINGYI_OPINION_HASH_SALT"),  # None: derived from SECRET_KEY
        "PUBLIC_BASE_URL": os.environ.get("PINGYI_PUBLIC_BASE_URL"),  # e.g. https://pingyi.example.gov.cn
        "DEPUTY_GROUP": os.environ.get("PINGYI_DEPUTY_GROUP", "代表"),
        "DEPUTY_CODE_MAX_AGE": int(os.environ.get("PINGYI_DEPUTY_CODE_MAX_DAYS", "400")) * 24 * 3600,
        "DEPUTY_CODE_SALT": "pingyi.deputy-code",
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "WTF_CSRF_TIME_LIMIT": None,  # tokens live as long as the session
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        # behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto/-Host (0: none, trust nothing)
        "PROXY_HOPS": int(os.environ.get("PINGYI_PROXY_HOPS", "0")),
        "LOGIN_RATE_LIMIT_IP": os.environ.get("PINGYI_LOGIN_LIMIT_IP", "300 per minute"),
        "RATELIMIT_ENABLED": True,  # explicit: the limiter otherwise keeps the last app's setting
    }
    config.update(overrides or {})
    # a task form may send several files at their limit at once (the public form has its own, lower cap)
    config.setdefault("MAX_CONTENT_LENGTH", UPLOADS_AT_ONCE * config["ATTACHMENT_MAX_SIZE"] + 1024 * 1024)
    if "SECRET_KEY" not in config:
        config["SECRET_KEY"] = load_secret_key(instance_path)
    for key, value in rate_store.storage_config(config["DATABASE_URL"], config["SECRET_KEY"]).items():
        config.setdefault(key, value)
    return config
