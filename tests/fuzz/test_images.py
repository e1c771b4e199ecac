"""Damaged images: any bytes either decode within the bounds or are refused with a reason."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from flowise_tui import images
from flowise_tui.demo.files import bar_chart_png
from flowise_tui.images import ImageProblem


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


SAMPLES = [bar_chart_png([3, 7, 1, 9]), jpeg()]


@given(
    sample=st.sampled_from(SAMPLES),
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=12),
    cut=st.integers(0, 10_000),
)
def test_a_damaged_image_decodes_in_bounds_or_is_refused(
    sample: bytes, edits: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(sample)
    for where, value in edits:
        data[where % len(data)] = value
    data = data[: max(cut, len(data) // 2)]
    try:
        decoded = images.decode(bytes(data))
    except ImageProblem as problem:
        assert str(problem)
        return
    assert decoded.picture.mode in ("RGB", "RGBA")
    assert max(decoded.picture.size) <= images.MAX_SIDE
    assert decoded.width * decoded.height <= images.MAX_PIXELS
