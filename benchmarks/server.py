"""The demo server in its own process, `--token-delay 0`, with a sentinel as the last token.

`/long N` answers exactly N tokens; here the last one (a filler word ending a paragraph) is
replaced by `SENTINEL<N>.` so that "the last token is on screen" can be seen from outside
(numbered, so that an earlier answer's sentinel still on screen does not count), and
`/ticks N` answers N numbered words for the latency benchmark. Run as
`python -m benchmarks.server PORT [TOKEN_DELAY [SENT_LOG]]`.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx

from flowise_tui.demo.handlers import chat
from flowise_tui.demo.longtext import long_answer_tokens, parse_long_command

SENTINEL = "SENTINEL"


def sentinel(count: int) -> str:
    """The last word of the answer to `/long count`."""
    return f"{SENTINEL}{count}"


def tokens_with_sentinel(count: int) -> list[str]:
    tokens = long_answer_tokens(count)
    last = tokens[-1]
    if not (last.endswith(".") and last[:-1].isalpha()):
        raise ValueError(f"/long {count} does not end on a word: {last!r}")
    tokens[-1] = f"{sentinel(count)}."
    return tokens


def sizes_near(start: int, count: int) -> list[int]:
    """`count` answer sizes from `start` up whose answers end on a word (take a sentinel)."""
    found: list[int] = []
    size = start
    while len(found) < count:
        try:
            tokens_with_sentinel(size)
        except ValueError:
            pass
        else:
            found.append(size)
        size += 1
    return found


def ticks(count: int) -> list[str]:
    """`/ticks N`: N numbered words, ten to a line."""
    return [f"t{n:04d}" + ("\n\n" if n % 10 == 0 else " ") for n in range(1, count + 1)]


def answer_text(count: int) -> str:
    return "".join(tokens_with_sentinel(count))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{url} did not come up") from None
            time.sleep(0.05)


@contextlib.contextmanager
def loopback_server(module: str, *args: str, probe: str) -> Iterator[str]:
    """`python -m module PORT *args` on a free loopback port, until `probe` answers;
    yields its URL and stops it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", module, str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}{probe}", process)
        yield url
    finally:
        process.terminate()
        process.wait(5)


@contextlib.contextmanager
def demo_server(token_delay: float = 0.0, sent_log: str | None = None) -> Iterator[str]:
    """A demo server process on a free loopback port; yields its URL."""
    log = [sent_log] if sent_log else []
    with loopback_server("benchmarks.server", str(token_delay), *log, probe="/api/v1/ping") as url:
        yield url


def _patch_demo(sent_log: str | None) -> None:
    """`/long N` ends on the sentinel, `/ticks N` answers numbered words; with `sent_log`,
    the time each tick is sent goes there."""
    from flowise_tui.demo import output

    def parse(question: str) -> int | None:
        if question.strip().startswith("/ticks "):
            return -int(question.split()[1])
        return parse_long_command(question)

    def tokens(count: int) -> list[str]:
        return ticks(-count) if count < 0 else tokens_with_sentinel(count)

    chat.parse_long_command = parse  # type: ignore[assignment]
    chat.long_answer_tokens = tokens  # type: ignore[assignment]
    if sent_log is None:
        return
    log = open(sent_log, "a", buffering=1)  # noqa: SIM115 - open for the server's life
    token = output.Output.token

    async def token_logged(self: output.Output, text: str) -> None:
        await token(self, text)
        if text.startswith("t") and text[1:5].isdigit():
            log.write(f"{int(text[1:5])} {time.perf_counter()}\n")

    output.Output.token = token_logged  # type: ignore[method-assign]


def main() -> None:
    from flowise_tui.demo import serve

    port, delay = int(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    _patch_demo(sys.argv[3] if len(sys.argv) > 3 else None)
    serve(port=port, token_delay=delay)


if __name__ == "__main__":
    main()
