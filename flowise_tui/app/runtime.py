"""The chat screen's runtime overrides, lead form and answer audio, kept out of the screen.

Answer audio: an answer spoken in its stream (the flow's text to speech has auto-play) is
kept as a file in the app's data folder (`speech/`, next to the history) and shown under
the answer; "Save" copies it to the current folder, as "Save answer audio" writes there.

Settings live in the config per profile and chatflow (`config_overrides.py`); for a
connection that lives only as long as this run (the demo's) they stay in memory.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from weakref import WeakKeyDictionary

from flowise_tui.app import speech_files
from flowise_tui.config_overrides import FlowSettings, flow_settings, set_flow_settings
from flowise_tui.flowise.errors import FlowiseError
from flowise_tui.flowise.leads import LeadForm
from flowise_tui.flowise.models import ChatbotConfig, Chatflow
from flowise_tui.flowise.overrides import describe_dropped, dropped_overrides

if TYPE_CHECKING:
    from textual.screen import Screen

    from flowise_tui.app.host import ChatHost
    from flowise_tui.app.widgets.speech import SpeechLine
    from flowise_tui.app.widgets.turn import TurnView
    from flowise_tui.conversation import Turn
    from flowise_tui.flowise.events import TTSEvent
    from flowise_tui.flowise.models import ChatbotConfig, Chatflow
    from flowise_tui.flowise.stream_speech import StreamedSpeech

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


class RuntimeScreen(Protocol):
    host: ChatHost
    chatflow: Chatflow | None

    def refresh_flow_bar(self) -> None: ...


def settings_of(host: ChatHost, chatflow_id: str) -> FlowSettings:
    return flow_settings(host.config, host.connection.profile, chatflow_id)


def header(host: ChatHost, chatflow: Chatflow | None) -> str:
    """`  vars 2 · overrides 1` for the session header, or ""."""
    if chatflow is None:
        return ""
    summary = settings_of(host, chatflow.id).summary()
    return f"  {summary}" if summary else ""


def store(host: ChatHost, chatflow_id: str, settings: FlowSettings) -> None:
    change = set_flow_settings(host.connection.profile, chatflow_id, settings)
    if host.connection.temporary:
        change(host.config)
    else:
        host.save_config_quietly(change)


def edit_overrides(screen: Screen[None]) -> None:
    from flowise_tui.app.screens.overrides import OverridesScreen

    owner: RuntimeScreen = screen  # type: ignore[assignment]
    chatflow = owner.chatflow
    if chatflow is None:
        screen.notify("Pick a chatflow first: overrides are kept per chatflow.", severity="warning")
        return

    def saved(settings: FlowSettings | None) -> None:
        if settings is None:
            return
        store(owner.host, chatflow.id, settings)
        owner.refresh_flow_bar()
        screen.run_worker(check_dropped(screen, chatflow, settings), group="overrides")

    name = chatflow.name or chatflow.id
    screen.app.push_screen(OverridesScreen(name, settings_of(owner.host, chatflow.id)), saved)


async def check_dropped(screen: Screen[None], chatflow: Chatflow, settings: FlowSettings) -> None:
    """Tell the user which saved overrides the flow will ignore, and why."""
    override = settings.override_config()
    if not override:
        return
    owner: RuntimeScreen = screen  # type: ignore[assignment]
    try:
        policy = await owner.host.client.override_policy(chatflow.id)
    except FlowiseError:
        return
    if not policy.known:
        screen.notify(
            "Saved. The server does not show this flow's override settings without an API "
            "key, so whether it keeps them cannot be checked.",
            title="Overrides",
        )
        return
    dropped = dropped_overrides(policy, override)
    if dropped:
        screen.notify(
            "Flowise will ignore these:\n" + describe_dropped(dropped),
            title="Overrides",
            severity="warning",
            timeout=15,
        )


def lead_form_wanted(host: ChatHost, chatflow: Chatflow, config: ChatbotConfig) -> LeadForm | None:
    """The lead form to offer now: the flow asks for one, and it was neither given nor skipped."""
    form = LeadForm.from_chatbot_config(config.raw)
    if form is None or settings_of(host, chatflow.id).lead is not None:
        return None
    return form


def offer_lead(screen: Screen[None], chatflow: Chatflow, chat_id: str, form: LeadForm) -> None:
    from flowise_tui.app.screens.lead import LeadScreen

    owner: RuntimeScreen = screen  # type: ignore[assignment]

    def answered(answers: dict[str, str] | None) -> None:
        settings = settings_of(owner.host, chatflow.id)
        if answers is None:
            store(owner.host, chatflow.id, _with_lead(settings, "skipped"))
            return
        screen.run_worker(_send_lead(screen, chatflow, chat_id, form, answers), group="lead")

    screen.app.push_screen(LeadScreen(form), answered)


async def _send_lead(
    screen: Screen[None], chatflow: Chatflow, chat_id: str, form: LeadForm, answers: dict[str, str]
) -> None:
    owner: RuntimeScreen = screen  # type: ignore[assignment]
    try:
        await owner.host.client.add_lead(chatflow.id, chat_id, answers)
    except FlowiseError as exc:
        screen.notify(f"The contact details were not sent: {exc}", severity="error")
        return
    store(owner.host, chatflow.id, _with_lead(settings_of(owner.host, chatflow.id), "given"))
    if answers.get("email"):
        _lead_emails[owner.host.connection.profile, chatflow.id] = answers["email"]
    screen.notify(form.success_message or "Thanks: your details were sent.", title="Contact")


_lead_emails: dict[tuple[str, str], str] = {}
"""The email of a lead sent in this run, per profile and chatflow. Flowise's web chat sends
it with every later question (`leadEmail`, kept on the user message); it is not saved."""


def lead_email(host: ChatHost, chatflow_id: str) -> str | None:
    return _lead_emails.get((host.connection.profile, chatflow_id))


def _with_lead(settings: FlowSettings, state: str) -> FlowSettings:
    return FlowSettings(vars=settings.vars, override=settings.override, lead=state)


_listening: WeakKeyDictionary[Turn, StreamedSpeech] = WeakKeyDictionary()


def speech_folder(host: ChatHost) -> Path:
    return speech_files.speech_folder(host.history)


async def hear(screen: Screen[None], view: TurnView, event: TTSEvent) -> None:
    """One `tts_*` event of the answer streaming into `view`: at `tts_end` its audio is
    written to the speech folder, the turn notes the file, and the answer shows it."""
    from flowise_tui.flowise.stream_speech import SpeechFile, StreamedSpeech, speech_file_name

    owner: RuntimeScreen = screen  # type: ignore[assignment]
    turn = view.turn
    listener = _listening.get(turn)
    if listener is None:
        listener = _listening[turn] = StreamedSpeech(owner.host.client.limits.max_speech_bytes)
    speech = listener.feed(event)
    if speech is None:
        if event.event in ("tts_end", "tts_abort") and listener.problem:
            screen.notify(listener.problem, title="Answer audio", severity="warning")
        return
    folder = speech_folder(owner.host)
    name = speech_file_name(speech, listener.message_id)
    try:
        await asyncio.to_thread(_write_audio, folder / name, speech.audio)
    except OSError as exc:
        said = f"The answer's audio was not kept in {folder}: {exc.strerror or exc}"
        screen.notify(said, title="Answer audio", severity="error")
        return
    turn.keep_speech(SpeechFile(name, len(speech.audio), speech.format))
    view.refresh_panes()


def _write_audio(path: Path, audio: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(audio)


def speech_requested(screen: Screen[None], request: SpeechLine.Requested) -> None:
    """Save or Open under an answer spoken in its stream."""
    owner: RuntimeScreen = screen  # type: ignore[assignment]
    speech = request.turn.speech
    if speech is None:
        return
    kept = speech_folder(owner.host) / speech.name
    if not kept.is_file():
        screen.notify(f"The audio file is gone: {kept}", title="Answer audio", severity="error")
    elif request.open:
        screen.app.open_url(kept.as_uri())
    else:
        screen.run_worker(_copy_speech(screen, kept, Path.cwd()), group="speech")


async def _copy_speech(screen: Screen[None], kept: Path, folder: Path) -> None:
    path = folder / kept.name
    try:
        if path.resolve() != kept.resolve():
            await asyncio.to_thread(shutil.copyfile, kept, path)
    except OSError as exc:
        screen.notify(f"The audio was not saved to {path}: {exc.strerror or exc}", severity="error")
        return
    size = path.stat().st_size
    screen.notify(f"Saved {size} bytes of audio to {path}", title="Answer audio")


def save_speech(screen: Screen[None], view: TurnView | None, folder: Path | None = None) -> None:
    owner: RuntimeScreen = screen  # type: ignore[assignment]
    if view is None or owner.chatflow is None:
        return
    speech = view.turn.speech
    if speech is not None and (kept := speech_folder(owner.host) / speech.name).is_file():
        screen.run_worker(_copy_speech(screen, kept, folder or Path.cwd()), group="speech")
        return
    text = view.turn.answer.text
    if not text.strip():
        screen.notify("The last answer has no text to speak.", severity="warning")
        return
    screen.run_worker(
        _speak(screen, owner.chatflow, view, folder or Path.cwd()), group="speech", exclusive=True
    )


async def _speak(screen: Screen[None], chatflow: Chatflow, view: TurnView, folder: Path) -> None:
    owner: RuntimeScreen = screen  # type: ignore[assignment]
    meta = view.turn.answer.metadata
    chat_id = (meta.chat_id if meta else None) or ""
    message_id = (meta.chat_message_id if meta else None) or ""
    try:
        speech = await owner.host.client.speech(
            chatflow.id, view.turn.answer.text, chat_id, message_id
        )
    except FlowiseError as exc:
        screen.notify(str(exc), title="Answer audio", severity="error", timeout=10)
        return
    stem = _UNSAFE.sub("", (message_id or chat_id)[:36]) or "answer"
    path = folder / f"flowise-answer-{stem}.{speech.format}"
    try:
        path.write_bytes(speech.audio)
    except OSError as exc:
        screen.notify(f"The audio was not saved to {path}: {exc.strerror or exc}", severity="error")
        return
    screen.notify(f"Saved {len(speech.audio)} bytes of audio to {path}", title="Answer audio")
