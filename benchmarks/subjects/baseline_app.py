"""The baseline: a minimal Textual app streaming the answer through `Markdown.get_stream`.

`python -m benchmarks.subjects.baseline_app URL`: type a question, Enter streams the Demo
Chat's answer into one `Markdown` in an anchored `VerticalScroll`, as Textual documents it.
"""

from __future__ import annotations

import sys

from textual import on, work
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Markdown

from benchmarks.subjects import BASELINE
from flowise_tui.demo.flows import CHAT_FLOW_ID
from flowise_tui.flowise import FlowiseClient, PredictionRequest
from flowise_tui.flowise.events import TokenEvent

READY = BASELINE.ready


class BaselineApp(App[None]):
    CSS = "VerticalScroll { height: 1fr; }"
    AUTO_FOCUS = "Input"

    def __init__(self, url: str) -> None:
        super().__init__()
        self.client = FlowiseClient(url)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown()
        yield Input(placeholder=READY)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).anchor()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.input.clear()
        self.answer(event.value)

    @work(exclusive=True)
    async def answer(self, question: str) -> None:
        stream = Markdown.get_stream(self.query_one(Markdown))
        try:
            request = PredictionRequest(question)
            async for event in self.client.stream_prediction(CHAT_FLOW_ID, request):
                if isinstance(event, TokenEvent) and event.text:
                    await stream.write(event.text)
        finally:
            await stream.stop()


if __name__ == "__main__":
    BaselineApp(sys.argv[1]).run()
