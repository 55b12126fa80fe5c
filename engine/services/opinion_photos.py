"""Opinion photos made safe to keep and to show: checked, turned upright, scaled down, without metadata.

Anyone may send photos through a 评议码, so a photo is judged by its header before it is decoded: one
whose decoded image would hold more than MAX_PIXELS pixels is refused (a small PNG can claim 90 million
pixels and cost a gigabyte and seconds to decode). A JPEG is decoded at a reduced scale (1/2, 1/4 or
1/8, Pillow's draft mode), so a phone's 48 or 108 megapixel photo stays cheap; one over Pillow's own
limit (about 179 million pixels) is refused too. Every photo is kept at most MAX_SIDE
pixels on its long side. A GIF is kept as it is, after the same pixel check.

`clean` does this for a submission's photos before the caller opens its database transaction (on
SQLite each transaction holds the write lock); the opinion service takes a CleanPhoto as it is and
cleans any other stream itself.
"""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

from engine.errors import InvalidInput
from engine.services import attachments

MAX_PHOTOS = 3
MAX_PIXELS = 20_000_000  # as decoded: a 20-megapixel camera's PNG, or any phone's JPEG
MAX_SIDE = 2560
REENCODED = frozenset({"JPEG", "PNG", "WEBP"})


class CleanPhoto(io.BytesIO):
    """A photo already through `without_metadata`: written again, or judged to be kept as it is."""


def _too_many_pixels() -> InvalidInput:
    return InvalidInput("A photo has too many pixels.", errors={"photos": "pixels"},
                        max_megapixels=MAX_PIXELS // 1_000_000)


def _draft_size(size: tuple[int, int]) -> tuple[int, int]:
    """The size to decode a JPEG at: 1/8, 1/4 or 1/2 of it (the scales JPEG decodes cheaply), the
    smallest that is still at least MAX_SIDE long."""
    width, height = size
    scale = next((s for s in (8, 4, 2) if max(width, height) // s >= MAX_SIDE), 1)
    return max(width // scale, 1), max(height // scale, 1)


def without_metadata(stream, max_size: int) -> CleanPhoto:
    """The photo turned upright, scaled down and written again without its metadata (EXIF, XMP,
    comments: the camera, the time and the place could name the sender). A file over `max_size`, an
    empty one or a GIF passes as it is (write_file judges it); what is no readable image, or has too
    many pixels, is refused."""
    data = stream.read(max_size + 1)
    if len(data) > max_size or not data:  # too large, or empty: write_file says which
        return CleanPhoto(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            if kind == "JPEG":  # only the header is read so far
                image.draft(None, _draft_size(image.size))
            if image.width * image.height > MAX_PIXELS:
                raise _too_many_pixels()
            if kind not in REENCODED:
                return CleanPhoto(data)
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR, reducing_gap=1.0)  # then turn it
            upright = ImageOps.exif_transpose(image)
            if kind == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
            clean = CleanPhoto()
            upright.save(clean, format=kind, **({"quality": 90} if kind == "JPEG" else {}))
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except (OSError, ValueError, SyntaxError):
        raise InvalidInput("A photo could not be read as an image.", errors={"photos": "content"}) from None
    clean.seek(0)
    return clean


def clean_one(name: str, stream, max_size: int) -> CleanPhoto:
    if isinstance(stream, CleanPhoto):
        return stream
    if Path(name or "").suffix.lower() not in attachments.IMAGE_TYPES:  # before reading it as an image
        raise InvalidInput("Only photos are accepted.", errors={"photos": "type"})
    return without_metadata(stream, max_size)


def clean(files, max_size: int) -> list[tuple[str, CleanPhoto]]:
    """A submission's photos, each cleaned (see the module): call it outside a database transaction."""
    if len(files) > MAX_PHOTOS:
        raise InvalidInput("Too many photos.", errors={"photos": "too_many"}, max_photos=MAX_PHOTOS)
    return [(name, clean_one(name, stream, max_size)) for name, stream in files]
