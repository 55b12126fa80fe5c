"""Small real images for the photo tests (the opinion channels write photos again without metadata)."""
from __future__ import annotations

import io

from PIL import Image

GPS = 0x8825  # the EXIF tag of the GPS block


def image(kind: str = "PNG", size: tuple[int, int] = (8, 6), *, gps: bool = False, noise: bool = False) -> bytes:
    """An image of `kind` (PNG, JPEG, WEBP); with `gps`, EXIF naming a camera and a place."""
    picture = Image.effect_noise(size, 64).convert("RGB") if noise else Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "Phone maker"                      # Make
        exif[0x0112] = 6                                  # Orientation: turned 90 degrees
        exif.get_ifd(GPS).update({1: "N", 2: (29.0, 12.0, 30.0), 3: "E", 4: (119.0, 28.0, 0.0)})
        picture.save(out, format=kind, exif=exif)
    else:
        picture.save(out, format=kind)
    return out.getvalue()


def facts(source) -> tuple[str, tuple[int, int], dict]:
    """(format, size, EXIF) of an image file path or bytes, the file closed again."""
    with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as picture:
        return picture.format, picture.size, dict(picture.getexif())
