"""Opinion photos: judged by their header before decoding, JPEGs decoded at a reduced scale, every
photo kept at most MAX_SIDE pixels long (review G1: three small PNGs of 88 M pixels held the server)."""
from __future__ import annotations

import io
import time
import zlib
from functools import cache

import pytest
from PIL import Image

from engine.errors import InvalidInput
from engine.services import opinion_photos
from engine.services.opinion_photos import MAX_PIXELS, MAX_SIDE, CleanPhoto, clean, without_metadata
from tests.images import facts, image

LIMIT = 5 * 1024 * 1024


def encoded(mode: str, size: tuple[int, int], kind: str) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format=kind)
    return out.getvalue()


@cache
def big_jpeg() -> bytes:
    """48 M pixels, as a phone's high-resolution mode takes them: more than MAX_PIXELS in the file."""
    return encoded("L", (8000, 6000), "JPEG")


@pytest.mark.parametrize("kind,mode", [("PNG", "1"), ("GIF", "P"), ("WEBP", "RGB")])
def test_a_photo_with_too_many_pixels_is_refused_from_its_header(kind, mode):
    side = 7000 if kind != "WEBP" else 16383  # WebP's largest side; 7000 × 7000 = 49 M pixels
    bomb = encoded(mode, (side, side) if kind != "WEBP" else (side, 2500), kind)
    assert len(bomb) < 2 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(InvalidInput) as refused:
        without_metadata(io.BytesIO(bomb), LIMIT)
    assert refused.value.errors == {"photos": "pixels"} and refused.value.params["max_megapixels"] == 20
    assert time.perf_counter() - started < 0.2  # never decoded


def test_beyond_pillows_own_limit_is_the_same_refusal():
    header = io.BytesIO()
    Image.new("1", (8, 8)).save(header, format="PNG")
    data = bytearray(header.getvalue())
    data[16:24] = (20000).to_bytes(4, "big") * 2  # IHDR: 400 M pixels, with its checksum
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    with pytest.raises(InvalidInput) as refused:
        without_metadata(io.BytesIO(bytes(data)), LIMIT)
    assert refused.value.errors == {"photos": "pixels"}


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_and_kept_at_most_max_side_long():
    assert MAX_PIXELS < 8000 * 6000
    kept = without_metadata(io.BytesIO(big_jpeg()), LIMIT)
    assert isinstance(kept, CleanPhoto) and facts(kept.getvalue())[:2] == ("JPEG", (MAX_SIDE, 1920))


def test_every_kept_photo_is_at_most_max_side_long_and_turned_upright():
    png = without_metadata(io.BytesIO(encoded("RGB", (3000, 1000), "PNG")), LIMIT)
    assert facts(png.getvalue())[:2] == ("PNG", (MAX_SIDE, 853))
    turned = without_metadata(io.BytesIO(image("JPEG", (3000, 1000), gps=True)), LIMIT)  # EXIF: turned 90 degrees
    kind, size, exif = facts(turned.getvalue())
    assert (kind, size) == ("JPEG", (853, MAX_SIDE)) and not exif
    small = image("PNG")
    assert facts(without_metadata(io.BytesIO(small), LIMIT).getvalue())[:2] == facts(small)[:2]


def test_a_gif_within_the_limit_is_kept_as_it_is():
    gif = encoded("P", (40, 30), "GIF")
    assert without_metadata(io.BytesIO(gif), LIMIT).getvalue() == gif


def test_clean_checks_the_count_and_names_first_and_a_clean_photo_is_not_decoded_again(monkeypatch):
    with pytest.raises(InvalidInput) as many:
        clean([("a.png", io.BytesIO(b"x"))] * 4, LIMIT)
    assert many.value.errors == {"photos": "too_many"}
    with pytest.raises(InvalidInput) as named:
        clean([("a.exe", io.BytesIO(image("PNG")))], LIMIT)
    assert named.value.errors == {"photos": "type"}
    [(name, photo)] = clean([("现场.png", io.BytesIO(image("PNG")))], LIMIT)
    monkeypatch.setattr(opinion_photos, "without_metadata", lambda *_: pytest.fail("decoded twice"))
    assert name == "现场.png" and opinion_photos.clean_one(name, photo, LIMIT) is photo


def test_a_jpeg_is_decoded_at_the_smallest_cheap_scale_still_max_side_long():
    assert opinion_photos._draft_size((12000, 9000)) == (3000, 2250)  # a 108 megapixel phone photo: 6.75 M
    assert opinion_photos._draft_size((8000, 6000)) == (4000, 3000)
    assert opinion_photos._draft_size((4032, 3024)) == (4032, 3024)
    assert opinion_photos._draft_size((20480, 100)) == (2560, 12)
