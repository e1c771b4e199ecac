"""Widgets the screens are made of: the chatflow picker, the prompt, a turn of the log."""
