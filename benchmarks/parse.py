"""Target 6: events per second the client's parser reaches, next to the official SDK and to
reading the raw bytes, on the same loopback stream (no UI)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
from flowise import Flowise, PredictionData

from flowise_tui.demo.flows import CHAT_FLOW_ID
from flowise_tui.flowise import FlowiseClient, PredictionRequest
from flowise_tui.flowise.events import TokenEvent

from .server import loopback_server


@dataclass
class Rate:
    reader: str
    seconds: list[float]
    events: int

    @property
    def per_second(self) -> float:
        return self.events / statistics.median(self.seconds)


def _raw(url: str, question: str) -> int:
    with httpx.stream(
        "POST",
        f"{url}/api/v1/prediction/{CHAT_FLOW_ID}",
        json={"question": question, "streaming": True},
    ) as response:
        return sum(chunk.count(b"\n\n") for chunk in response.iter_raw())


def _sdk(url: str, question: str) -> int:
    client = Flowise(base_url=url)
    data = PredictionData(chatflowId=CHAT_FLOW_ID, question=question, streaming=True)
    return sum(1 for chunk in client.create_prediction(data) if json.loads(chunk))


def _sdk_strings(url: str, question: str) -> int:
    client = Flowise(base_url=url)
    data = PredictionData(chatflowId=CHAT_FLOW_ID, question=question, streaming=True)
    return sum(1 for _ in client.create_prediction(data))


def _ours(url: str, question: str) -> int:
    async def read() -> int:
        async with FlowiseClient(url) as client:
            count = 0
            async for event in client.stream_prediction(CHAT_FLOW_ID, PredictionRequest(question)):
                count += isinstance(event, TokenEvent) or 1
            return count

    return asyncio.run(read())


READERS: dict[str, Callable[[str, str], int]] = {
    "raw bytes (httpx)": _raw,
    "flowise SDK + json.loads": _sdk,
    "flowise SDK, strings only": _sdk_strings,
    "flowise-tui client (typed events)": _ours,
}


def _raw_warm(url: str, question: str, runs: int) -> tuple[list[float], int]:
    seconds, events = [], 0
    with httpx.Client() as client:
        for run in range(runs + 1):
            start = time.perf_counter()
            with client.stream(
                "POST",
                f"{url}/api/v1/prediction/{CHAT_FLOW_ID}",
                json={"question": question, "streaming": True},
            ) as response:
                events = sum(chunk.count(b"\n\n") for chunk in response.iter_raw())
            if run:
                seconds.append(time.perf_counter() - start)
    return seconds, events


def _ours_warm(url: str, question: str, runs: int) -> tuple[list[float], int]:
    async def read() -> tuple[list[float], int]:
        seconds, events = [], 0
        async with FlowiseClient(url) as client:
            for run in range(runs + 1):
                start = time.perf_counter()
                events = 0
                request = PredictionRequest(question)
                async for event in client.stream_prediction(CHAT_FLOW_ID, request):
                    events += isinstance(event, TokenEvent) or 1
                if run:
                    seconds.append(time.perf_counter() - start)
        return seconds, events

    return asyncio.run(read())


WARM_READERS: dict[str, Callable[[str, str, int], tuple[list[float], int]]] = {
    "raw bytes (httpx)": _raw_warm,
    "flowise-tui client (typed events)": _ours_warm,
}
"""The same answers through a client opened once beforehand (the SDK opens one per call)."""


def measure_warm(url: str, tokens: int, runs: int) -> list[Rate]:
    rates = []
    for name, reader in WARM_READERS.items():
        seconds, events = reader(url, f"/long {tokens}", runs)
        rates.append(Rate(name, seconds, events))
    return rates


def measure(url: str, tokens: int, runs: int) -> list[Rate]:
    question = f"/long {tokens}"
    rates = []
    for name, reader in READERS.items():
        reader(url, question)
        seconds = []
        events = 0
        for _ in range(runs):
            start = time.perf_counter()
            events = reader(url, question)
            seconds.append(time.perf_counter() - start)
        rates.append(Rate(name, seconds, events))
    return rates


@contextlib.contextmanager
def replay_server(demo_url: str, tokens: int) -> Iterator[str]:
    """A replay of the demo server's answer to `/long tokens`, on its own port."""
    body = httpx.post(
        f"{demo_url}/api/v1/prediction/{CHAT_FLOW_ID}",
        json={"question": f"/long {tokens}", "streaming": True},
    ).content
    with tempfile.NamedTemporaryFile(suffix=".sse") as recording:
        recording.write(body)
        recording.flush()
        probe = "/api/v1/chatflows-streaming/x"
        with loopback_server("benchmarks.replay", recording.name, probe=probe) as url:
            yield url
