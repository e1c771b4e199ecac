"""The Textual app: screens, widgets, the action registry, one stylesheet.

It depends on the protocol client (`flowise_tui.flowise`), the domain model, the store and the
config; it never starts a server (the command line does, for `--demo`).
"""
