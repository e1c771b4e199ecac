"""The chat log: the conversation's turns, and answers streamed into them as Markdown.

- `chat_log`: the scrolling log, and its small surface for the chat screen.
- `feed`: streaming Markdown into an answer at the speed of the wire; `groups` splits the
  text into top-level blocks with a lower bound of their height, `placeholder` is the blank
  space standing for blocks without widgets.
- `sight`: the one policy for what is out of sight (folded, parked, blank space).
- `pacing`: keys first, garbage collection last.
- `scrolling`: following the bottom, keeping what is on screen in place.
- `textual_adapter`: the only package in flowise-tui that touches Textual's private names
  (its `markdown` module loads with the first answer, not with the first screen).
"""
