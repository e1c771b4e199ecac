"""flowise-tui: a terminal chat client for Flowise servers."""

__version__ = "0.1.0"
