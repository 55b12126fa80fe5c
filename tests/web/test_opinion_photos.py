"""Photos on the opinion forms (review G1): a photo with too many pixels is refused in the sender's
language with their input kept, and photos are decoded while no database transaction is open."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from engine.models import Opinion
from tests.web.conftest import PASSWORD
from tests.web.test_opinions import OPINION, deputy_token, world  # noqa: F401 (a fixture)
from tests.web.test_pages import all_of, text
from web import opinion_kit
from web.db import get_session


def bomb() -> bytes:
    """A 6 KB PNG of 49 M pixels."""
    out = io.BytesIO()
    Image.new("1", (7000, 7000)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def photo_dir(app, tmp_path):
    app.config["OPINION_PHOTOS_DIR"] = str(tmp_path / "photos")
    return tmp_path / "photos"


def test_a_photo_with_too_many_pixels_is_refused_and_the_input_kept(client, session, world, photo_dir):  # noqa: F811
    sent = client.post(f"/o/{world['slug']}", data={**OPINION, "photos": [(io.BytesIO(bomb()), "现场.png")]},
                       content_type="multipart/form-data")
    page = text(sent)
    assert sent.status_code == 422 and OPINION["text"] in page
    assert "照片像素过多（最多 20 百万像素），请换一张较小的照片" in page
    assert all_of(session, Opinion, "id") == [] and not photo_dir.exists()
    client.get("/lang/en")
    english = client.post(f"/o/{world['slug']}", data={**OPINION, "photos": [(io.BytesIO(bomb()), "a.png")]},
                          content_type="multipart/form-data")
    assert "A photo has too many pixels (at most 20 million)" in text(english)


def test_photos_are_decoded_outside_the_database_transaction(app, client, login, session, world, monkeypatch):  # noqa: F811
    seen = []
    real = opinion_kit.opinion_photos.clean

    def watched(files, max_size):
        seen.append(get_session().in_transaction())
        return real(files, max_size)

    monkeypatch.setattr(opinion_kit.opinion_photos, "clean", watched)
    token = deputy_token(app, session, world)
    photo = Image.new("RGB", (4000, 1000), (10, 120, 30))
    client.get(f"/d/{token}")
    for n, address in enumerate((f"/o/{world['slug']}", f"/d/c/{world['channel']}", "offline")):
        if address == "offline":
            login("office", PASSWORD)
            address = f"/opinions/channels/{world['channel']}/offline"
        data = io.BytesIO()
        photo.save(data, format="JPEG")
        data.seek(0)
        sent = client.post(address, data={**OPINION, "text": f"{OPINION['text']}{n}", "photos": [(data, "a.jpg")]},
                           content_type="multipart/form-data")
        assert sent.status_code == 302, text(sent)
    assert seen == [False, False, False]
    stored = session.scalars(Opinion.__table__.select()).all()
    assert len(stored) == 3
