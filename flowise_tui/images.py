"""Images a flow returned or the user attached, decoded for a terminal to draw: bounded and
never trusted.

Pillow comes with the optional `images` extra and is imported only when an image is decoded
(never at start-up). The bytes are at most `MAX_IMAGE_BYTES`, the pixels at most `MAX_PIXELS`
(Pillow's decompression-bomb limit is set to it as well); only PNG, JPEG, GIF and WebP are
opened (the first frame of an animation), and a truncated or corrupt file is refused with a
reason, never a traceback. The decoded image is shrunk to at most `MAX_SIDE` pixels a side.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

MAX_IMAGE_BYTES = 16 * 1024 * 1024
MAX_PIXELS = 40_000_000
"""About 6300 x 6300: more is refused before a pixel is decoded."""
MAX_SIDE = 1600
NO_EXTRA = "images show here with the `images` extra installed"
TOO_LARGE = f"too large to show (more than {MAX_PIXELS:,} pixels)"
FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
_DATA_URL = re.compile(r"data:(image/[a-z0-9.+-]+)?(;[a-z0-9=.+-]+)*;base64,", re.IGNORECASE)


class ImageProblem(ValueError):
    """Why an image is not shown, in words for the person looking at the log."""


@dataclass(frozen=True)
class DecodedImage:
    """An image ready to draw: `picture` (RGB or RGBA, at most `MAX_SIDE` a side) and the
    file's own size in pixels and format."""

    picture: PILImage
    width: int
    height: int
    format: str

    @property
    def describe(self) -> str:
        return f"{self.format} {self.width}×{self.height}"


class ImagesUnavailable(ImageProblem):
    """Pillow is not installed: the `images` extra is not."""


def is_data_url(text: str) -> bool:
    return _DATA_URL.match(text[:200]) is not None


def data_url_size(text: str) -> int:
    """About how many bytes a base64 data URL holds, without decoding it."""
    match = _DATA_URL.match(text[:200])
    payload = text[match.end() :] if match else text
    return len(payload.rstrip().rstrip("=")) * 3 // 4


def data_url_bytes(text: str) -> bytes:
    """The bytes of a base64 `data:image/...` URL (an inline image artifact)."""
    match = _DATA_URL.match(text[:200])
    if match is None:
        raise ImageProblem("not an image data URL")
    payload = text[match.end() :]
    if len(payload) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise ImageProblem(f"larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    try:
        return base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ImageProblem("its base64 data is damaged") from None


def read_local(path: Path) -> bytes:
    """A local image file's bytes, refused past `MAX_IMAGE_BYTES` without reading it all."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_IMAGE_BYTES + 1)
    except OSError as exc:
        raise ImageProblem(f"cannot read it ({exc.strerror or exc})") from None
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageProblem(f"larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    return data


def decode(data: bytes) -> DecodedImage:
    """`data` decoded within the limits above; else ImageProblem saying why."""
    try:
        from PIL import Image
    except ImportError:
        raise ImagesUnavailable(NO_EXTRA) from None
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageProblem(f"larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _decode(data)
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(TOO_LARGE) from None
    except Exception as exc:  # a hostile file can make any decoder fail in any way
        raise ImageProblem(f"not a readable image ({type(exc).__name__})") from None


def _decode(data: bytes) -> DecodedImage:
    from PIL import Image

    with Image.open(io.BytesIO(data), formats=FORMATS) as opened:
        width, height = opened.size
        if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
            raise ImageProblem(f"{width}×{height} pixels: {TOO_LARGE}")
        fmt = opened.format or "image"
        opened.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG decodes at a fraction of its size
        opened.load()
        opened.thumbnail((MAX_SIDE, MAX_SIDE))
        has_alpha = opened.mode in ("RGBA", "LA", "PA") or "transparency" in opened.info
        picture = opened.convert("RGBA" if has_alpha else "RGB")
    return DecodedImage(picture, width, height, fmt)
