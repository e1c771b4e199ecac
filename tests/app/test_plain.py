"""The app's door for server text: plain `Content`, one-line names, web links only."""

from __future__ import annotations

import pytest

from flowise_tui.app import plain
from flowise_tui.app.widgets.picker import count_note


def test_content_is_never_markup_and_carries_no_escape() -> None:
    shown = plain.content(
        "[b]x[/b] [@click=app.quit]q[/] [/bogus] \x1b]2;t\x07\x1b[31m\x9b1m", "bold"
    )
    assert shown.plain == "[b]x[/b] [@click=app.quit]q[/] [/bogus] 1m"
    assert all(not span.style or span.style == "bold" for span in shown.spans)


def test_a_name_is_one_line_and_cut() -> None:
    assert plain.name("two\nlines\t and  \u2028more") == "two lines and more"
    long = plain.name("x" * 100_000)
    assert len(long) == plain.NAME_LIMIT and long.endswith("…")


@pytest.mark.parametrize(
    ("href", "opened"),
    [
        ("https://example.com/a?b=c#d", True),
        ("http://127.0.0.1:3000/", True),
        ("HTTPS://EXAMPLE.COM", True),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("app.quit", False),
        ("xterm", False),
        ("/usr/bin/xterm", False),
        ("http://", False),
        ("https://example.com/\x1b]2;t\x07", False),
        ("https://example.com/ a", False),
        ("https://exa\u202emple.com", False),
        ("mailto:a@example.com", False),
    ],
)
def test_only_a_web_link_is_opened(href: str, opened: bool) -> None:
    assert (plain.web_link(href) == href) is opened
    assert opened or plain.web_link(href) is None


def test_the_count_says_what_was_skipped_and_why() -> None:
    assert count_note(1).plain == "1 chatflow"
    note = count_note(3, ["no id", "repeated id", "no id", "[/bogus] \x1b]2;t\x07"])
    assert note.plain == "3 chatflows\n4 skipped: no id (2), repeated id (1), [/bogus] (1)"
