"""`python -m benchmarks`: every figure of the Performance section, side by side in one run.

See benchmarks/README.md for what each number means and how it is measured.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import statistics
import tempfile
from pathlib import Path

import textual

from . import conversation, history, latency, parse, picker, startup, stream, tmux
from .server import demo_server
from .subjects import BASELINE, CHECKOUT, LAYOUT, MINIMAL, PRINTER, flowise_tui


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Textual {textual.__version__}, {platform.system()} {platform.release()}"
    )


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def run_stream(url: str, sizes: list[int], runs: int) -> None:
    subjects = [PRINTER, BASELINE, flowise_tui()]
    timings = {(s.name, n): stream.time_answers(s, url, n, runs) for n in sizes for s in subjects}
    rows = []
    for n in sizes:
        ours = timings["flowise-tui", n].median
        base = timings[BASELINE.name, n].median
        printed = timings[PRINTER.name, n].median
        rows.append(
            [
                str(n),
                f"{printed:.2f} s",
                f"{base:.2f} s",
                f"{ours:.2f} s",
                f"{ours / base:.2f}",
                f"{ours / printed:.1f}",
            ]
        )
    print("\n## Enter → last token on screen (160x50 tmux, median of", runs, "runs)\n")
    print(
        table(
            ["N tokens", "print", "Markdown.get_stream app", "flowise-tui", "÷ app", "÷ print"],
            rows,
        )
    )
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        for name in (BASELINE.name, "flowise-tui"):
            growth = timings[name, large].median / timings[name, small].median
            print(f"\n{name}: time({large}) / time({small}) = {growth:.2f}")


def run_latency(runs: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        sent_log = Path(scratch) / "sent.log"
        with demo_server(token_delay=0.02, sent_log=str(sent_log)) as url:
            results = [latency.token_latency(s, url, sent_log) for s in (flowise_tui(), BASELINE)]
    print("\n## Token arrival → on screen, 50 tokens/s\n")
    print(
        table(
            ["app", "median", "90th percentile", "tokens"],
            [
                [r.subject, f"{r.median_ms:.0f} ms", f"{r.p90_ms:.0f} ms", str(r.tokens)]
                for r in results
            ],
        )
    )


def run_typing(url: str, tokens: int, runs: int) -> None:
    """Echo times pooled over `runs` streams for flowise-tui (one lasts about a second) and
    one stream for the baseline app (which takes most of a minute)."""
    ours: list[float] = []
    for _ in range(runs):
        ours += latency.typing_during_stream(flowise_tui(), url, tokens)
    baseline = latency.typing_during_stream(BASELINE, url, tokens)
    print(f"\n## Typing during a {tokens}-token stream at full speed: key → echo on screen\n")
    rows = []
    for name, echoes in (("flowise-tui", ours), (BASELINE.name, baseline)):
        echoes = sorted(echoes)
        rows.append(
            [
                name,
                str(len(echoes)),
                f"{statistics.median(echoes):.0f} ms",
                f"{echoes[int(len(echoes) * 0.9)]:.0f} ms",
                f"{echoes[-1]:.0f} ms",
            ]
        )
    print(table(["app", "keys", "median", "90th percentile", "max"], rows))


def run_startup(url: str, runs: int) -> None:
    minimal, layout, ours = startup.startups(
        [(MINIMAL, None), (LAYOUT, None), (flowise_tui(), url)], runs * 3
    )
    print(f"\n## Start → interactive prompt (median of {runs * 3}, the apps taking turns)\n")
    rows = [
        ["minimal Textual app (one Input)", f"{minimal.prompt:.3f} s", "1.00"],
        [
            "stock Textual widgets in flowise-tui's layout",
            f"{layout.prompt:.3f} s",
            f"{layout.prompt / minimal.prompt:.2f}",
        ],
        [
            "flowise-tui (demo server)",
            f"{ours.prompt:.3f} s",
            f"{ours.prompt / minimal.prompt:.2f}",
        ],
        [
            "flowise-tui: the chatflow's welcome",
            f"{ours.ready:.3f} s",
            f"{ours.ready / minimal.prompt:.2f}",
        ],
    ]
    print(table(["", "prompt on screen", "ratio to minimal"], rows))


def run_parse(url: str, tokens: int, runs: int) -> None:
    print(f"\n## Client parsing, {tokens}-token answer, events per second (median of {runs})\n")
    rows = []
    live = {r.reader: r.per_second for r in parse.measure(url, tokens, runs)}
    with parse.replay_server(url, tokens) as replay_url:
        replayed = {r.reader: r.per_second for r in parse.measure(replay_url, tokens, runs)}
        warm = {r.reader: r.per_second for r in parse.measure_warm(replay_url, tokens, runs)}
    for reader in parse.READERS:
        warm_rate = f"{warm[reader]:,.0f}" if reader in warm else "—"
        rows.append([reader, f"{live[reader]:,.0f}", f"{replayed[reader]:,.0f}", warm_rate])
    headers = ["reader", "demo server (live)", "replayed at once", "replayed, client already open"]
    print(table(headers, rows))


def run_conversation(url: str, tokens: int, earlier: int, runs: int) -> None:
    result = conversation.long_conversation(flowise_tui(), url, tokens, earlier, runs)
    print(f"\n## A {tokens}-token answer after {earlier} turns of ~500 tokens\n")
    print(
        table(
            ["after 1 warm-up turn", f"after {earlier} turns", "ratio", "RSS fresh", "RSS after"],
            [
                [
                    f"{result.first_seconds:.2f} s",
                    f"{result.after_seconds:.2f} s",
                    f"{result.ratio:.2f}",
                    f"{result.rss_fresh_mb:.0f} MB",
                    f"{result.rss_after_mb:.0f} MB",
                ]
            ],
        )
    )


def run_picker(runs: int) -> None:
    times = picker.filter_times(flowise_tui(), runs)
    print(f"\n## Picker filter over {picker.COUNT:,} chatflows: key → list updated on screen\n")
    rows = []
    for query in picker.QUERIES:
        for end in range(1, len(query) + 1):
            typed = query[:end]
            keys = [t for t in times if t.query == typed]
            if not keys:
                continue
            rows.append(
                [
                    f"`{typed}`",
                    str(keys[0].matches),
                    f"{statistics.median(t.list_ms for t in keys):.0f} ms",
                    f"{statistics.median(t.echo_ms for t in keys):.0f} ms",
                    "" if keys[0].list_changed else "same rows as before",
                ]
            )
    print(table(["typed", "matches", "list (median)", "echo (median)", ""], rows))
    total = picker.summary(times)
    floor = picker.minimal_echo_times(MINIMAL, runs)
    print(
        f"\nAll {total['keys']:.0f} keys: list median {total['list_median']:.0f} ms, "
        f"90th percentile {total['list_p90']:.0f} ms, max {total['list_max']:.0f} ms; "
        f"echo median {total['echo_median']:.0f} ms. The floor, the same keys echoed by a "
        f"minimal Textual app's Input: median {statistics.median(floor):.0f} ms, "
        f"90th percentile {picker.percentile(floor, 0.9):.0f} ms"
    )


def run_history(baseline: str, conversations: int) -> None:
    probes = history.compare(baseline, "--conversations", str(conversations))
    rare = probes[0].keys[-1]["typed"]
    print(
        f"\n## History search, {conversations:,} conversations of 4 turns: "
        f"per key, typing {rare!r} (median of 5 searches)\n"
    )
    rows = [
        [probe.version]
        + [f"{ms:.1f}" for ms in probe.key_ms]
        + [f"{statistics.median(probe.key_ms):.1f} ms", f"{max(probe.key_ms):.1f} ms"]
        for probe in probes
    ]
    typed = [key["typed"] for key in probes[0].keys]
    print(table(["version", *typed, "median", "max"], rows))
    print("\n## History file size per 1000-token answer\n")
    rows = [
        [p.version, f"{p.answer_bytes / 1000:.1f} kB", f"{p.answer_text_bytes / 1000:.1f} kB"]
        for p in probes
    ]
    print(table(["version", "file", "its text"], rows))


PARTS = (
    "stream",
    "latency",
    "typing",
    "startup",
    "parse",
    "conversation",
    "picker",
    "history",
)
NEEDS_TMUX = {"stream", "latency", "typing", "startup", "conversation", "picker"}


def compile_checkout() -> None:
    """Byte-compile this checkout, as `pip install` or a first run does for a user.

    Textual's modules come compiled from their wheel; with PYTHONDONTWRITEBYTECODE set (as on
    some CI machines) this checkout's would be compiled from source at every start, which no
    user pays after their first one.
    """
    for package in ("flowise_tui", "benchmarks"):
        compileall.compile_dir(os.path.join(CHECKOUT, package), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="2000,8000", help="answer sizes, in tokens")
    parser.add_argument("--only", default=",".join(PARTS), help=f"some of {','.join(PARTS)}")
    parser.add_argument("--turns", type=int, default=100, help="earlier turns (conversation)")
    parser.add_argument("--baseline", default=history.BASELINE, help="commit (history)")
    parser.add_argument(
        "--conversations", type=int, default=10_000, help="conversations in history (history)"
    )
    args = parser.parse_args()
    parts = set(args.only.split(","))
    if parts & NEEDS_TMUX and not tmux.available():
        parser.error("the benchmarks drive the apps in tmux, which is not installed")
    sizes = [int(size) for size in args.sizes.split(",")]
    compile_checkout()
    print(f"# flowise-tui benchmarks\n\n{machine()}")
    with demo_server() as url:
        if "stream" in parts:
            run_stream(url, sizes, args.runs)
        if "typing" in parts:
            run_typing(url, 20000, args.runs)
        if "startup" in parts:
            run_startup(url, args.runs)
        if "parse" in parts:
            run_parse(url, 20000, args.runs)
        if "conversation" in parts:
            run_conversation(url, max(sizes), args.turns, max(1, args.runs // 5))
    if "latency" in parts:
        run_latency(args.runs)
    if "picker" in parts:
        run_picker(args.runs)
    if "history" in parts:
        run_history(args.baseline, args.conversations)


if __name__ == "__main__":
    main()
