"""The floor: the same tokens printed straight to the terminal as they arrive.

`python -m benchmarks.subjects.printer URL`: each line read from stdin is a question whose
answer is written to stdout token by token.
"""

from __future__ import annotations

import asyncio
import sys

from benchmarks.subjects import PRINTER
from flowise_tui.demo.flows import CHAT_FLOW_ID
from flowise_tui.flowise import FlowiseClient, PredictionRequest
from flowise_tui.flowise.events import TokenEvent

READY = PRINTER.ready


async def main(url: str) -> None:
    loop = asyncio.get_running_loop()
    async with FlowiseClient(url) as client:
        await client.is_streaming(CHAT_FLOW_ID)
        while True:
            print(READY, end=" ", flush=True)
            question = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
            if not question:
                return
            async for event in client.stream_prediction(CHAT_FLOW_ID, PredictionRequest(question)):
                if isinstance(event, TokenEvent) and event.text:
                    sys.stdout.write(event.text)
                    sys.stdout.flush()
            print(flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
