"""The chat log: the conversation's turns, and answers streamed into them as Markdown.

- `chat_log`: the scrolling log and its small surface for the chat screen.
- `feed`: streaming Markdown into an answer at the speed of the wire.
- `sight`: the one policy for what is out of sight (folded, parked, hidden, blank space).
- `pacing`: keys first, garbage collection last.
- `textual_adapter`: the only module in flowise-tui that touches Textual's private names.
"""
