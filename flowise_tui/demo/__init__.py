"""The embedded demo server: a deterministic, Flowise-compatible API for the TUI and tests."""

from .runner import DemoServer, serve
from .server import create_app

__all__ = ["DemoServer", "create_app", "serve"]
