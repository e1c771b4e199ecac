"""Decoding an image for the log: what a server or a file may hold, refused with a reason."""

from __future__ import annotations

import base64
import io
import struct
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from flowise_tui import images
from flowise_tui.demo.files import bar_chart_png
from flowise_tui.images import ImageProblem, ImagesUnavailable
from flowise_tui.returned_files import ReturnedFile, as_markdown

CHART = bar_chart_png([3, 5, 2, 8])


def encoded(size: tuple[int, int], fmt: str, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 40, 40)).save(buffer, format=fmt)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` and holds a few bytes of pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    pixels = chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + pixels


def test_a_png_and_a_jpeg_decode_to_their_size() -> None:
    chart = images.decode(CHART)
    assert (chart.width, chart.height, chart.format) == (32, 48, "PNG")
    assert chart.picture.mode == "RGB" and chart.picture.size == (32, 48)
    photo = images.decode(encoded((300, 200), "JPEG"))
    assert (photo.width, photo.height, photo.format) == (300, 200, "JPEG")
    assert images.decode(encoded((10, 10), "PNG", "RGBA")).picture.mode == "RGBA"


def test_a_large_image_is_kept_at_most_max_side_pixels() -> None:
    decoded = images.decode(encoded((4000, 1000), "PNG"))
    assert (decoded.width, decoded.height) == (4000, 1000)
    assert decoded.picture.size == (images.MAX_SIDE, images.MAX_SIDE // 4)


@pytest.mark.parametrize("side", [100_000, 7_000])
def test_a_decompression_bomb_is_refused_before_its_pixels(side: int) -> None:
    # Pillow refuses past twice its limit on opening; up to that, the size is checked here
    with pytest.raises(ImageProblem, match="too large to show"):
        images.decode(png_header_only(side, side))


@pytest.mark.parametrize(
    "data",
    [CHART[: len(CHART) // 2], b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"<svg/>", b""],
    ids=["truncated", "corrupt", "svg", "empty"],
)
def test_broken_or_unknown_data_is_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(ImageProblem, match="not a readable image"):
        images.decode(data)


def test_only_the_formats_a_chat_sends_are_opened() -> None:
    with pytest.raises(ImageProblem, match="not a readable image"):
        images.decode(encoded((4, 4), "BMP"))


def test_more_bytes_than_the_limit_are_refused(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", len(CHART) - 1)
    with pytest.raises(ImageProblem, match="larger than"):
        images.decode(CHART)
    path = tmp_path / "chart.png"
    path.write_bytes(CHART)
    with pytest.raises(ImageProblem, match="larger than"):
        images.read_local(path)
    with pytest.raises(ImageProblem, match="cannot read it"):
        images.read_local(tmp_path / "gone.png")


def test_without_pillow_the_reason_names_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImagesUnavailable, match="`images` extra"):
        images.decode(CHART)


def test_a_data_url_gives_its_bytes_and_a_damaged_one_a_reason() -> None:
    url = "data:image/png;base64," + base64.b64encode(CHART).decode()
    assert images.is_data_url(url) and images.data_url_bytes(url) == CHART
    assert images.data_url_size(url) == len(CHART)
    with pytest.raises(ImageProblem, match="damaged"):
        images.data_url_bytes("data:image/png;base64,@@@@")
    with pytest.raises(ImageProblem, match="not an image data URL"):
        images.data_url_bytes("https://example.com/chart.png")


def test_an_inline_image_artifact_is_named_and_sized_never_shown_as_base64() -> None:
    url = "data:image/png;base64," + base64.b64encode(CHART).decode()
    item = ReturnedFile("artifact.png", "png", "image/png", url)
    assert item.size == len(CHART)
    shown = as_markdown(item)
    assert "base64" not in shown and "artifact.png · png image" in shown
