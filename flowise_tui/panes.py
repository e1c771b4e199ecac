"""The panes of an answer, as the app, the export and `ask --show` name them."""

PANES = ("sources", "tools", "steps", "metadata", "artifacts")
