"""What the opinion pages share: the form, the device cookie, rate limits, labels, QR codes.

Configuration (web/config.py): OPINION_PHOTOS_DIR, OPINION_PHOTO_MAX_SIZE, OPINION_RATE_LIMIT_DEVICE
("5 per minute; 30 per day"), OPINION_RATE_LIMIT_IP ("60 per minute; 1000 per day"),
OPINION_HASH_SALT (default: derived from SECRET_KEY), PUBLIC_BASE_URL, DEPUTY_GROUP (代表),
DEPUTY_CODE_MAX_AGE (seconds), DEPUTY_CODE_SALT.

Rate limits count submissions (POST) on the public and the deputy form together: per device
(a random long-lived cookie this module sets and signs; without one, or with one the server did not
sign, per IP address at the device rate) and, higher, per IP address (many phones share one behind
a carrier's NAT).
"""
from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
from pathlib import Path

import segno
from flask import Response, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, Signer
from wtforms import MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from engine.errors import InvalidInput, PermissionDenied
from engine.services import deputy_codes, opinion_photos
from engine.services.opinions import NAME_MAX, PHONE, TEXT_MAX, TEXT_MIN, OpinionInput, PhotoStore, Sender
from web.db import get_session
from web.extensions import limiter

DEVICE_COOKIE = "pingyi_device"
DEVICE_MAX_AGE = 2 * 365 * 24 * 3600
DEPUTY_COOKIE = "pingyi_deputy"  # the 代表码 after its scan, so that no other address carries it
DEPUTY_COOKIE_MAX_AGE = 30 * 24 * 3600
_DEVICE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")

RATINGS = {"satisfied": _l("Satisfied"), "basically_satisfied": _l("Basically satisfied"),
           "dissatisfied": _l("Dissatisfied")}
SOURCES = {"public": _l("Public (evaluation code)"), "deputy": _l("Deputy (deputy code)"),
           "offline": _l("Paper (entered by the office)")}
STATUSES = {"received": _l("received"), "classified": _l("classified"), "merged": _l("merged"),
            "adopted": _l("adopted")}
FIELD_ERRORS = {
    ("rating", "required"): _l("Please choose a rating."),
    ("text", "too_short"): _l("Please write at least %(n)s characters.", n=TEXT_MIN),
    ("text", "too_long"): _l("Please write at most %(n)s characters.", n=TEXT_MAX),
    ("name", "too_long"): _l("The name is too long."),
    ("phone", "invalid"): _l("Please enter a valid phone number."),
    ("photos", "too_many"): _l("At most 3 photos."),
    ("photos", "type"): _l("Only photos (JPG, PNG, GIF, WebP) are accepted."),
    ("photos", "size"): _l("A photo is too large."),
    ("photos", "content"): _l("A file is not a real photo."),
    ("photos", "pixels"): _l("A photo has too many pixels (at most %(n)s million). Please send a smaller one.",
                             n=opinion_photos.MAX_PIXELS // 1_000_000),
    ("photos", "empty"): _l("A photo is empty."),
}


class OpinionForm(FlaskForm):
    rating = RadioField(_l("Your rating"), choices=[SelectChoice(value, label) for value, label in RATINGS.items()],
                        validators=[InputRequired(message=_l("Please choose a rating."))])
    text = TextAreaField(_l("Your opinion or suggestion"), validators=[
        InputRequired(message=_l("Please write your opinion.")),
        Length(min=TEXT_MIN, max=TEXT_MAX, message=_l("Please write %(min)d to %(max)d characters."))])
    name = StringField(_l("Name (optional)"), validators=[Optional(), Length(max=NAME_MAX)])
    phone = StringField(_l("Phone (optional)"), validators=[
        Optional(), Regexp(PHONE.pattern, message=_l("Please enter a valid phone number."))])
    photos = MultipleFileField(_l("Photos (optional, up to 3)"))
    website = StringField(_l("Leave this empty"))  # the honeypot: hidden from people, filled by robots


class PaperOpinionForm(OpinionForm):
    """The same opinion, entered by the office from a letter, a call or a forum: the labels speak
    of the sender, not to them."""

    LABELS = {"rating": _l("The sender's rating"), "text": _l("The opinion, as written or said"),
              "name": _l("The sender's name (optional)"), "phone": _l("The sender's phone (optional)"),
              "photos": _l("Scans or photos (optional, up to 3)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in self.LABELS.items():
            self[name].label.text = text


def opinion_input(form: OpinionForm) -> OpinionInput:
    """The form's input with its photos already cleaned (engine/services/opinion_photos.py). Decoding
    them takes time, so the request's transaction is committed first and none is open meanwhile (on
    SQLite each one holds the write lock). Raises InvalidInput for a photo that is refused."""
    files = [(f.filename, f.stream) for f in request.files.getlist("photos") if f and f.filename]
    honeypot = form.website.data or ""
    get_session().commit()
    photos = [] if honeypot else opinion_photos.clean(files, current_app.config["OPINION_PHOTO_MAX_SIZE"])
    return OpinionInput(rating=form.rating.data or "", text=form.text.data or "", name=form.name.data or "",
                        phone=form.phone.data or "", photos=photos, honeypot=honeypot)


def add_errors(form: OpinionForm, exc: InvalidInput) -> None:
    for field, code in exc.errors.items():
        target = getattr(form, field, None)
        if target is not None:
            target.errors = [*target.errors, str(FIELD_ERRORS.get((field, code), _l("Please check this.")))]


def photo_store() -> PhotoStore:
    return PhotoStore(Path(current_app.config["OPINION_PHOTOS_DIR"]), current_app.config["OPINION_PHOTO_MAX_SIZE"])


def hash_salt() -> str:
    configured = current_app.config.get("OPINION_HASH_SALT")
    if configured:
        return configured
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"pingyi.opinion-hash", hashlib.sha256).hexdigest()


def _device_signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt="pingyi.device-cookie", digest_method=hashlib.sha256)


def device_id() -> str | None:
    """The random part of the device cookie this server signed; a value made up by the sender counts
    as no cookie (the device limit then counts the IP address)."""
    value = request.cookies.get(DEVICE_COOKIE, "")
    try:
        device = _device_signer().unsign(value[:200]).decode()
    except (BadSignature, UnicodeDecodeError):
        return None
    return device if _DEVICE.match(device) else None


def sender() -> Sender:
    return Sender(ip=request.remote_addr, device=device_id(), salt=hash_salt())


def deputy_keys() -> deputy_codes.Keys:
    config = current_app.config
    return deputy_codes.Keys(secret=config["SECRET_KEY"], salt=config["DEPUTY_CODE_SALT"],
                             max_age=config["DEPUTY_CODE_MAX_AGE"], group=config["DEPUTY_GROUP"])


def remember_deputy(response: Response, token: str) -> Response:
    """The scanned 代表码 kept in a cookie for the deputy's pages under /d/ (still checked on every
    request: a revoked or expired code stops working at once)."""
    response.set_cookie(DEPUTY_COOKIE, token, max_age=DEPUTY_COOKIE_MAX_AGE, path="/d", httponly=True,
                        samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def deputy_token() -> str:
    """The 代表码 this browser scanned; PermissionDenied (reason "missing") when it has none."""
    token = request.cookies.get(DEPUTY_COOKIE, "")
    if not token:
        raise PermissionDenied("No deputy code was scanned on this browser.", reason="missing")
    return token[:1000]


def protect(response: Response) -> Response:
    """After every public page: give the browser a device cookie, keep pages out of caches and
    never send the address (a scanned 代表码 is in it) to another site."""
    if device_id() is None:
        device = _device_signer().sign(secrets.token_urlsafe(32)).decode()
        response.set_cookie(DEVICE_COOKIE, device, max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _device_key() -> str:
    device = device_id()
    return f"device:{device}" if device else f"device-ip:{get_remote_address()}"


device_limit = limiter.shared_limit(lambda: current_app.config["OPINION_RATE_LIMIT_DEVICE"], scope="opinion-device",
                                    key_func=_device_key, methods=["POST"])
ip_limit = limiter.shared_limit(lambda: current_app.config["OPINION_RATE_LIMIT_IP"], scope="opinion-ip",
                                key_func=get_remote_address, methods=["POST"])


def public_url(endpoint: str, **values) -> str:
    """An absolute address for a QR code: PUBLIC_BASE_URL when configured, else this request's host."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def qr_code(data: str) -> segno.QRCode:
    return segno.make_qr(data, error="m")  # never a Micro QR: phone cameras do not read those


def qr_response(data: str, kind: str, name: str) -> Response:
    """The QR code as a PNG or SVG download (scale 10: about 4 cm at 300 dpi)."""
    buffer = io.BytesIO()
    qr_code(data).save(buffer, kind=kind, scale=10, border=4)
    response = Response(buffer.getvalue(), mimetype="image/png" if kind == "png" else "image/svg+xml")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.{kind}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def qr_inline(data: str) -> str:
    """An SVG element to put into a printable page."""
    return qr_code(data).svg_inline(scale=8, border=4, omitsize=True)


def labels() -> dict:
    return {"RATINGS": RATINGS, "SOURCES": SOURCES, "STATUSES": STATUSES}
