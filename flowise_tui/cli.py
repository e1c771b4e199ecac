"""The `flowise-tui` command: the TUI by default, plus headless subcommands for scripts."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import errno
import gc
import ipaddress
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from flowise_tui import __version__, startup  # noqa: F401 - startup before httpx loads
from flowise_tui.cli_form import FormRefused, as_text, checked_form
from flowise_tui.cli_hints import describe, with_hint
from flowise_tui.cli_runtime import (
    checked_overrides,
    save_speech,
    saved_settings,
    speech_listener,
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
from flowise_tui.conversation import PANES, Turn
from flowise_tui.flowise import (
    FlowiseClient,
    FlowiseError,
    Limits,
    PredictionRequest,
    is_safe_id,
    looks_like_id,
)
from flowise_tui.flowise.events import (
    ActionEvent,
    ErrorEvent,
    FlowiseEvent,
    InvalidEvent,
    MetadataEvent,
    TokenEvent,
)
from flowise_tui.flowise.ids import ID_RULE
from flowise_tui.terminal_text import for_terminal, strict_json

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_EMPTY, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
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
            _warn(warning)
        connection = _connection(args, config)
        if args.command == "ask":
            return asyncio.run(_ask(args, connection, _ask_limits(args, config.limits), config))
        if args.command == "chatflows":
            return asyncio.run(_chatflows(args, connection, config.limits))
    except ConfigError as exc:
        _fail(str(exc))
        return EXIT_USAGE
    except FlowiseError as exc:
        _fail(describe(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _fail("stopped.")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
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


def _client(connection: Connection, limits: Limits) -> FlowiseClient:
    return FlowiseClient(
        connection.url, connection.api_key, verify=not connection.insecure, limits=limits
    )


def _ask_limits(args: argparse.Namespace, limits: Limits) -> Limits:
    """The config's limits, with `--timeout` for the wait for a stream to start and for a
    whole answer that is not streamed, and `--idle-timeout` for every gap."""
    changes: dict[str, float] = {}
    if args.timeout is not None:
        changes.update(reply_timeout=args.timeout, first_byte_timeout=args.timeout)
    if args.idle_timeout is not None:
        changes.update(idle_timeout=args.idle_timeout)
    return dataclasses.replace(limits, **changes)


async def _ask(
    args: argparse.Namespace, connection: Connection, limits: Limits, config: Config | None = None
) -> int:
    if args.session is not None and not is_safe_id(args.session):
        shown = for_terminal(args.session, one_line=True)
        _fail(f"--session '{shown}' is not a usable id: an id is {ID_RULE}.")
        return EXIT_USAGE
    if (args.question is None) == (not args.form):
        _fail("give a question, or --form KEY=VALUE for a flow that starts with a form.")
        return EXIT_USAGE
    question = sys.stdin.read() if args.question == "-" else args.question or ""
    given = _override_config(args.override, args.var)
    session = {"chat_id": args.session, "session_id": args.session} if args.session else {}
    if args.show and args.json:
        _fail("--show prints panes as text; --json already holds every event.")
        return EXIT_USAGE
    if args.file:
        from flowise_tui.cli_uploads import FileRefused, local_files, uploads_for

        try:
            files = local_files(args.file)
        except FileRefused as exc:
            _fail(str(exc))
            return EXIT_USAGE
    from flowise_tui.cli_leads import LeadRefused, lead_answers, send_lead

    try:
        lead = lead_answers(args.lead)
    except LeadRefused as exc:
        _fail(str(exc))
        return EXIT_USAGE
    printer = JsonPrinter(sys.stdout) if args.json else TextPrinter(sys.stdout)
    turn = Turn(question)
    async with _client(connection, limits) as client:
        chatflow_id = await _chatflow_id(client, args.chatflow)
        kept = saved_settings(config, connection.profile, chatflow_id)
        override = await checked_overrides(client, chatflow_id, kept, given, _warn)
        request = PredictionRequest(question, override_config=override, **session)
        if args.file:
            try:
                request.uploads = await uploads_for(client, chatflow_id, request.chat_id, files)
            except FileRefused as exc:
                _fail(str(exc))
                return EXIT_USAGE
        if args.form:
            try:
                request.form = await checked_form(client, chatflow_id, args.form)
            except FormRefused as exc:
                _fail(str(exc))
                return EXIT_USAGE
            turn = Turn(as_text(request.form))
        try:
            await send_lead(
                client,
                chatflow_id,
                request.chat_id,
                lead,
                answered_in_app=kept.lead is not None,
                say=_fail,
            )
        except LeadRefused as exc:
            _fail(str(exc))
            return EXIT_USAGE
        request.lead_email = lead.get("email")
        heard = speech_listener(args.speech, limits)
        try:
            if args.no_stream:
                for event in await client.predict(chatflow_id, request):
                    turn.apply(event)
                    printer.show(event)
            else:
                async for event in client.stream_prediction(chatflow_id, request):
                    turn.apply(event)
                    printer.show(event)
                    if heard is not None:
                        heard.feed(event)
        except asyncio.CancelledError:
            printer.finish()
            with contextlib.suppress(FlowiseError, TimeoutError):
                async with asyncio.timeout(2):
                    await client.abort(chatflow_id, request.chat_id)
            raise
        except FlowiseError:
            printer.finish()
            raise
        unsaved = 0
        if args.save_files is not None:
            chat_id = printer.chat_id or request.chat_id
            from flowise_tui.returned_files import save_all, saved_lines  # --save-files only

            saved = await save_all(client, chatflow_id, chat_id, turn.answer, args.save_files)
            for line in saved_lines(saved):
                print(line, file=sys.stderr)
            unsaved = sum(1 for _, outcome in saved if not isinstance(outcome, Path))
        printer.finish()
        if args.speech and not printer.error and turn.answer.text.strip():
            meta = turn.answer.metadata
            message_id = (meta.chat_message_id if meta else None) or ""
            try:
                said = await save_speech(
                    client,
                    *(chatflow_id, turn.answer.text, request.chat_id, message_id, args.speech),
                    streamed=heard,
                )
            except OSError as exc:
                _fail(f"the audio was not saved to {args.speech}: {exc.strerror or exc}")
                return EXIT_FAILED
            print(f"flowise-tui: {for_terminal(said)}", file=sys.stderr, flush=True)
    _show_panes(turn, args.show, printer.chat_id)
    if unsaved:
        _fail(f"{unsaved} of the answer's files could not be saved.")
        return EXIT_FAILED
    if printer.error:
        _fail(f"the chatflow failed: {with_hint(printer.error.message, printer.error.cause)}")
        return EXIT_FAILED
    if not turn.answer.text.strip() and turn.answer.action is None:
        _fail("the chatflow ended without an answer: no text came back.")
        return EXIT_EMPTY
    if printer.chat_id and is_safe_id(printer.chat_id) and sys.stderr.isatty() and not args.json:
        print(f"(continue this conversation with --session {printer.chat_id})", file=sys.stderr)
    return EXIT_OK


def _override_config(override: dict[str, Any], variables: list[tuple[str, str]]) -> dict:
    """`--override`, with each `--var` added to its `vars`."""
    merged = dict(override)
    if variables:
        existing = merged.get("vars")
        merged["vars"] = {**(existing if isinstance(existing, dict) else {}), **dict(variables)}
    return merged


def _show_panes(turn: Turn, shown: Sequence[str], chat_id: str | None) -> None:
    """The panes asked for with --show, after the answer, each under its title."""
    for name in shown:
        if name == "session":
            lines = [f"Session: {chat_id} (continue with --session {chat_id})", ""]
            if not chat_id or not is_safe_id(chat_id):
                lines = ["Session: none (the server sent no usable chat id)", ""]
        else:
            from flowise_tui.export import pane_markdown  # only `ask --show` needs it

            lines = pane_markdown(turn, name) or [f"No {name}.", ""]
        sys.stdout.write("\n" + for_terminal("\n".join(lines).rstrip("\n")) + "\n")
    sys.stdout.flush()


async def _chatflow_id(client: FlowiseClient, wanted: str) -> str:
    if looks_like_id(wanted):
        return wanted.strip()
    return (await client.find_chatflow(wanted)).id


class TextPrinter:
    """The answer as plain text as it arrives, every character a terminal could act on
    shown as a visible escape (see `for_terminal`)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.error: ErrorEvent | None = None
        self.chat_id: str | None = None
        self._ends_with_newline = True
        self._carriage_return = False  # a token ended in CR: its LF may start the next

    def show(self, event: FlowiseEvent) -> None:
        if isinstance(event, TokenEvent) and event.text:
            self._write(event.text)
        elif isinstance(event, ErrorEvent):
            self.error = event
        elif isinstance(event, MetadataEvent):
            self.chat_id = event.metadata.chat_id
        elif isinstance(event, ActionEvent):
            labels = " / ".join(str(e.get("label", "")) for e in event.action.elements)
            _fail(f"the flow waits for a person to choose ({labels}); answer it in the app.")
        elif isinstance(event, InvalidEvent):
            _fail(f"warning: skipped a malformed event ({event.reason})")

    def _write(self, text: str) -> None:
        if self._carriage_return:
            self._carriage_return = False
            text = "\r" + text
        if text.endswith("\r"):
            self._carriage_return = True
            text = text[:-1]
        shown = for_terminal(text)
        if shown:
            self.out.write(shown)
            self.out.flush()
            self._ends_with_newline = shown.endswith("\n")

    def finish(self) -> None:
        if self._carriage_return:
            self._carriage_return = False
            self.out.write(for_terminal("\r"))
            self._ends_with_newline = False
        if not self._ends_with_newline:
            self.out.write("\n")
            self.out.flush()
            self._ends_with_newline = True


class JsonPrinter(TextPrinter):
    """One Flowise envelope per line: `{"event": NAME, "data": PAYLOAD}`."""

    def show(self, event: FlowiseEvent) -> None:
        if isinstance(event, InvalidEvent):
            super().show(event)
            return
        if isinstance(event, ErrorEvent):
            self.error = event
        self.out.write(strict_json(event.envelope()) + "\n")
        self.out.flush()

    def finish(self) -> None:
        return


async def _chatflows(args: argparse.Namespace, connection: Connection, limits: Limits) -> int:
    async with _client(connection, limits) as client:
        flows = await client.list_chatflows(type=args.type)
    if (skipped := flows.skipped_summary()) is not None:
        _fail(f"warning: {skipped}")
    if args.json:
        rows = [{"id": f.id, "name": f.name, "type": f.type, "deployed": f.deployed} for f in flows]
        print(strict_json(rows, indent=2))
        return EXIT_OK
    if not flows:
        print("No chatflows on this server.", file=sys.stderr)
        return EXIT_OK
    types = [for_terminal(flow.type, one_line=True) for flow in flows]
    width = max(len(shown) for shown in types)
    for flow, shown_type in zip(flows, types, strict=True):
        print(f"{flow.id}  {shown_type:<{width}}  {for_terminal(flow.name, one_line=True)}")
    return EXIT_OK


def _demo_server(args: argparse.Namespace) -> int:
    from flowise_tui.demo.runner import serve

    if not _is_loopback(args.host):
        _fail(
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
        _fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}{busy}")
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


def _warn(message: str) -> None:
    print(f"flowise-tui: warning: {for_terminal(message)}", file=sys.stderr, flush=True)


def _fail(message: str) -> None:
    """`message` on stderr; it may quote a server, so nothing in it reaches the terminal
    as a control character."""
    print(f"flowise-tui: {for_terminal(message)}", file=sys.stderr, flush=True)


def _silence_stdout() -> None:
    with contextlib.suppress(Exception):
        sys.stdout = open("/dev/null", "w")  # noqa: SIM115
