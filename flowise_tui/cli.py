"""The `flowise-tui` command: the TUI by default, plus headless subcommands for scripts."""

from __future__ import annotations

import argparse
import asyncio
import errno
import gc
import ipaddress
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flowise_tui import __version__, startup  # noqa: F401 - startup before httpx loads
from flowise_tui.cli_messages import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    fail,
    silence_stdout,
    warn,
)
from flowise_tui.config import (
    DEFAULT_PROFILE,
    DEFAULT_URL,
    URL_ENV_VAR,
    Config,
    ConfigError,
    Connection,
    config_path,
    config_warnings,
    load_config,
    resolve_connection,
)
from flowise_tui.flowise.errors import FlowiseError
from flowise_tui.panes import PANES

SHOWABLE = (*PANES, "session")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    connection = common.add_argument_group("connection")
    connection.add_argument(
        "--url", default=argparse.SUPPRESS, help="Flowise base URL (env FLOWISE_URL)"
    )
    connection.add_argument(
        "--api-key",
        default=argparse.SUPPRESS,
        help="API key; prefer FLOWISE_API_KEY or a profile, since command lines are visible "
        "to other users and kept in shell history",
    )
    connection.add_argument(
        "--profile", default=argparse.SUPPRESS, help="config profile (env FLOWISE_TUI_PROFILE)"
    )
    connection.add_argument(
        "--insecure",
        action="store_true",
        default=argparse.SUPPRESS,
        help="do not verify the server's TLS certificate",
    )

    parser = argparse.ArgumentParser(
        prog="flowise-tui",
        description="A terminal chat client for Flowise. Without a command it opens the chat app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"flowise-tui {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="open the app on the embedded demo server"
    )
    parser.add_argument("--chatflow", metavar="ID_OR_NAME", help="open this chatflow directly")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = commands.add_parser(
        "ask", parents=[common], help="ask a chatflow one question, answer on stdout"
    )
    ask.add_argument("chatflow", metavar="CHATFLOW", help="chatflow id or exact name")
    ask.add_argument(
        "question", metavar="QUESTION", nargs="?", help="the question ('-' reads stdin)"
    )
    ask.add_argument(
        "--form",
        type=_variable,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a field of a flow that starts with a form (instead of a question), repeatable",
    )
    ask.add_argument(
        "--lead",
        type=_variable,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="contact details for a flow that asks for them (name, email, phone), sent "
        "before the question, repeatable",
    )
    ask.add_argument(
        "--json", action="store_true", help='one {"event": NAME, "data": PAYLOAD} per line'
    )
    ask.add_argument(
        "--session", metavar="ID", help="continue a conversation (chatId and sessionId)"
    )
    ask.add_argument("--no-stream", action="store_true", help="ask for the whole answer at once")
    ask.add_argument(
        "--var",
        type=_variable,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a flow variable for this question ($vars.KEY), repeatable",
    )
    ask.add_argument(
        "--override",
        type=_json_object,
        default={},
        metavar="JSON",
        help="overrideConfig for this question, a JSON object (the flow must allow each key)",
    )
    ask.add_argument(
        "--file",
        action="append",
        default=[],
        metavar="PATH",
        help="send this file with the question (image, document or audio, as the chatflow "
        "accepts), repeatable",
    )
    ask.add_argument(
        "--speech",
        type=Path,
        metavar="FILE",
        help="also save the answer as audio to FILE, with the flow's text to speech",
    )
    ask.add_argument(
        "--show",
        type=_panes,
        default=(),
        metavar="PANES",
        help="after the answer, print these of what the flow did, comma-separated: "
        f"{', '.join(SHOWABLE)}",
    )
    ask.add_argument(
        "--save-files",
        type=Path,
        metavar="DIR",
        help="save the files the answer returned (artifacts, file annotations) in DIR, "
        "each under a name not yet taken",
    )
    ask.add_argument(
        "--timeout",
        type=_seconds,
        metavar="S",
        help="seconds to wait for a stream to start, or for a whole answer that is not "
        "streamed (default: the config's [limits], 30 and 120)",
    )
    ask.add_argument(
        "--idle-timeout",
        type=_seconds,
        metavar="S",
        help="seconds without an event, or without a byte of an answer that is not streamed, "
        "before giving up; heartbeats do not count (default: the config's [limits], 300)",
    )

    chatflows = commands.add_parser("chatflows", parents=[common], help="list chatflows")
    chatflows.add_argument("--json", action="store_true", help="print a JSON array")
    chatflows.add_argument(
        "--type",
        choices=["chatflow", "agentflow", "multiagent", "assistant"],
        help="only this type",
    )

    demo = commands.add_parser(
        "demo-server", help="run the embedded Flowise-compatible demo server"
    )
    demo.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    demo.add_argument("--port", type=int, default=3000, help="port (default 3000)")
    demo.add_argument(
        "--token-delay",
        type=float,
        default=0.02,
        metavar="S",
        help="seconds between tokens; 0 streams as fast as possible (default 0.02)",
    )
    demo.add_argument(
        "--api-key",
        dest="demo_api_key",
        metavar="KEY",
        help="require this key for listing chatflows, history and feedback",
    )
    demo.add_argument(
        "--max-body",
        type=_megabytes,
        metavar="MB",
        help="answer 413 to a request body larger than this (default 32)",
    )
    return parser


def _variable(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key.strip():
        raise argparse.ArgumentTypeError(f"not KEY=VALUE: {text!r}")
    return key.strip(), value


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object, such as '{\"temperature\": 0.2}'")
    return value


def _panes(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in SHOWABLE]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"not something to show: {', '.join(unknown) or repr(text)} "
            f"(choose from {', '.join(SHOWABLE)})"
        )
    return names


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text!r}")
    return value


def _megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of megabytes: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of megabytes: {text!r}")
    return value


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """`parse_args`, except that ask's optional QUESTION may follow options: argparse (before
    Python 3.12) leaves a `nargs="?"` positional empty when options separate it from CHATFLOW."""
    args, extra = parser.parse_known_args(argv)
    late_question = getattr(args, "command", None) == "ask" and args.question is None
    if late_question and len(extra) == 1 and (extra[0] == "-" or not extra[0].startswith("-")):
        args.question = extra[0]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = _parse(parser, argv)
    try:
        if args.command == "demo-server":
            return _demo_server(args)
        if args.command is None:
            return run_app(args)
        config = load_config()
        for warning in config_warnings(config):
            warn(warning)
        connection = _connection(args, config)
        if args.command == "ask":
            from flowise_tui.cli_ask import ask, ask_limits

            return asyncio.run(ask(args, connection, ask_limits(args, config.limits), config))
        if args.command == "chatflows":
            from flowise_tui.cli_ask import chatflows

            return asyncio.run(chatflows(args, connection, config.limits))
    except ConfigError as exc:
        fail(str(exc))
        return EXIT_USAGE
    except FlowiseError as exc:
        from flowise_tui.cli_hints import describe

        fail(describe(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        fail("stopped.")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        return EXIT_OK
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE


def _connection(args: argparse.Namespace, config: Config | None = None) -> Connection:
    """The connection the options ask for (connection options may come before or after the
    command, so each may be missing from `args`)."""
    return resolve_connection(
        load_config() if config is None else config,
        profile=getattr(args, "profile", None),
        url=getattr(args, "url", None),
        api_key=getattr(args, "api_key", None),
        insecure=True if getattr(args, "insecure", False) else None,
    )


def _demo_server(args: argparse.Namespace) -> int:
    from flowise_tui.demo.runner import serve

    if not _is_loopback(args.host):
        fail(
            f"warning: listening on {args.host}, beyond this machine: anyone who can reach it "
            "can use the demo server. Use --host 127.0.0.1 to keep it local."
        )
    limit = {} if args.max_body is None else {"max_body_bytes": int(args.max_body * 1024 * 1024)}
    try:
        serve(
            host=args.host,
            port=args.port,
            token_delay=args.token_delay,
            api_key=args.demo_api_key,
            **limit,
        )
    except OSError as exc:
        busy = " (another program listens there: try another --port)" if _in_use(exc) else ""
        fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}{busy}")
        return EXIT_FAILED
    return EXIT_OK


def _in_use(exc: OSError) -> bool:
    return exc.errno == errno.EADDRINUSE


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any address


def run_app(args: argparse.Namespace) -> int:
    """The chat app, on the demo server when `--demo` asks for it (started here: the app
    itself never starts a server)."""
    # What is built before the first screen lives as long as the app: collecting garbage
    # meanwhile only costs time. The app's pacing turns collection back on once that screen
    # is up (flowise_tui/app/log/pacing.py).
    gc.disable()
    from flowise_tui.app.app import FlowiseApp

    startup_error: str | None = None
    try:
        config = load_config()
    except ConfigError as exc:
        config = Config(path=exc.path)
        startup_error = f"{exc} Running with default settings."
    demo = None
    first_run = False
    if args.demo:
        from flowise_tui.demo.runner import DemoServer

        demo = DemoServer()
        demo.start()
        connection = Connection(
            url=demo.url,
            api_key=None,
            profile="demo",
            insecure=False,
            default_chatflow=None,
            temporary=True,
        )
    else:
        try:
            connection = _connection(args, config)
        except ConfigError as exc:
            connection = Connection(
                url=DEFAULT_URL,
                api_key=None,
                profile=DEFAULT_PROFILE,
                insecure=False,
                default_chatflow=None,
            )
            startup_error = str(exc)
        url_given = getattr(args, "url", None) or os.environ.get(URL_ENV_VAR)
        first_run = not config_path().exists() and not url_given
    app = FlowiseApp(
        config,
        connection,
        chatflow=args.chatflow,
        connect_first=first_run and not args.chatflow,
        startup_error=startup_error,
    )
    try:
        app.run()
    finally:
        if demo is not None:
            demo.stop()
    return app.return_code or 0
