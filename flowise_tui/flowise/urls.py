"""Where Flowise's API lives under a server's URL, and a server's URL fit to show."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

API = "/api/v1"


def display_url(url: str) -> str:
    """`url` without the user and password a URL may carry."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
