"""Where the layout changes with the terminal's size."""

NARROW = 100
"""Below this many columns the sidebar is a drawer (hidden while a chatflow is open) and
footers drop their spacing."""

SHORT = 32
"""Below this many rows forms drop their borders, so that all of a form fits."""
