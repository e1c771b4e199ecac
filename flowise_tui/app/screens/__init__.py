"""The screens of the app: chat, connect, history, feedback, a source document."""
