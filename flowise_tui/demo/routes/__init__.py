"""HTTP routes of the demo server, grouped like Flowise's controllers."""
