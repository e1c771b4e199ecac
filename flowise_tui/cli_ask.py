"""`flowise-tui ask` and `flowise-tui chatflows`: the headless commands, for scripts.

Imported only when one of them runs, so the app's start never loads what they need.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from flowise_tui.cli_form import FormRefused, as_text, checked_form
from flowise_tui.cli_hints import with_hint
from flowise_tui.cli_messages import EXIT_EMPTY, EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail, warn
from flowise_tui.cli_runtime import (
    checked_overrides,
    save_speech,
    saved_settings,
    speech_listener,
)
from flowise_tui.conversation import Turn
from flowise_tui.flowise.client import FlowiseClient
from flowise_tui.flowise.errors import FlowiseError
from flowise_tui.flowise.events import (
    ActionEvent,
    ErrorEvent,
    FlowiseEvent,
    InvalidEvent,
    MetadataEvent,
    TokenEvent,
)
from flowise_tui.flowise.ids import ID_RULE, is_safe_id, looks_like_id
from flowise_tui.flowise.models import PredictionRequest
from flowise_tui.terminal_text import for_terminal, strict_json

if TYPE_CHECKING:
    from flowise_tui.config import Config, Connection
    from flowise_tui.flowise.limits import Limits


def _client(connection: Connection, limits: Limits) -> FlowiseClient:
    return FlowiseClient(
        connection.url, connection.api_key, verify=not connection.insecure, limits=limits
    )


def ask_limits(args: argparse.Namespace, limits: Limits) -> Limits:
    """The config's limits, with `--timeout` for the wait for a stream to start and for a
    whole answer that is not streamed, and `--idle-timeout` for every gap."""
    changes: dict[str, float] = {}
    if args.timeout is not None:
        changes.update(reply_timeout=args.timeout, first_byte_timeout=args.timeout)
    if args.idle_timeout is not None:
        changes.update(idle_timeout=args.idle_timeout)
    return dataclasses.replace(limits, **changes)


async def ask(
    args: argparse.Namespace, connection: Connection, limits: Limits, config: Config | None = None
) -> int:
    if args.session is not None and not is_safe_id(args.session):
        shown = for_terminal(args.session, one_line=True)
        fail(f"--session '{shown}' is not a usable id: an id is {ID_RULE}.")
        return EXIT_USAGE
    if (args.question is None) == (not args.form):
        fail("give a question, or --form KEY=VALUE for a flow that starts with a form.")
        return EXIT_USAGE
    question = sys.stdin.read() if args.question == "-" else args.question or ""
    given = _override_config(args.override, args.var)
    session = {"chat_id": args.session, "session_id": args.session} if args.session else {}
    if args.show and args.json:
        fail("--show prints panes as text; --json already holds every event.")
        return EXIT_USAGE
    if args.file:
        from flowise_tui.cli_uploads import FileRefused, local_files, uploads_for

        try:
            files = local_files(args.file)
        except FileRefused as exc:
            fail(str(exc))
            return EXIT_USAGE
    from flowise_tui.cli_leads import LeadRefused, lead_answers, send_lead

    try:
        lead = lead_answers(args.lead)
    except LeadRefused as exc:
        fail(str(exc))
        return EXIT_USAGE
    printer = JsonPrinter(sys.stdout) if args.json else TextPrinter(sys.stdout)
    turn = Turn(question)
    async with _client(connection, limits) as client:
        chatflow_id = await _chatflow_id(client, args.chatflow)
        kept = saved_settings(config, connection.profile, chatflow_id)
        override = await checked_overrides(client, chatflow_id, kept, given, warn)
        request = PredictionRequest(question, override_config=override, **session)
        if args.file:
            try:
                request.uploads = await uploads_for(client, chatflow_id, request.chat_id, files)
            except FileRefused as exc:
                fail(str(exc))
                return EXIT_USAGE
        if args.form:
            try:
                request.form = await checked_form(client, chatflow_id, args.form)
            except FormRefused as exc:
                fail(str(exc))
                return EXIT_USAGE
            turn = Turn(as_text(request.form))
        try:
            await send_lead(
                client,
                chatflow_id,
                request.chat_id,
                lead,
                answered_in_app=kept.lead is not None,
                say=fail,
            )
        except LeadRefused as exc:
            fail(str(exc))
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
                fail(f"the audio was not saved to {args.speech}: {exc.strerror or exc}")
                return EXIT_FAILED
            print(f"flowise-tui: {for_terminal(said)}", file=sys.stderr, flush=True)
    _show_panes(turn, args.show, printer.chat_id)
    if unsaved:
        fail(f"{unsaved} of the answer's files could not be saved.")
        return EXIT_FAILED
    if printer.error:
        fail(f"the chatflow failed: {with_hint(printer.error.message, printer.error.cause)}")
        return EXIT_FAILED
    if not turn.answer.text.strip() and turn.answer.action is None:
        fail("the chatflow ended without an answer: no text came back.")
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
            fail(f"the flow waits for a person to choose ({labels}); answer it in the app.")
        elif isinstance(event, InvalidEvent):
            fail(f"warning: skipped a malformed event ({event.reason})")

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


async def chatflows(args: argparse.Namespace, connection: Connection, limits: Limits) -> int:
    async with _client(connection, limits) as client:
        flows = await client.list_chatflows(type=args.type)
    if (skipped := flows.skipped_summary()) is not None:
        fail(f"warning: {skipped}")
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
