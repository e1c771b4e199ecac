"""Bearer-token checks, as Flowise applies them to management routes and keyed flows."""

from __future__ import annotations


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def key_matches(authorization: str | None, expected: str) -> bool:
    return bearer_token(authorization) == expected
