"""Benchmarks for flowise-tui: `python -m benchmarks` (see benchmarks/README.md)."""
