"""The async Flowise client: one `httpx.AsyncClient`, typed results, typed errors."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import ssl
from collections.abc import AsyncIterator
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from flowise_tui.flowise.artifacts import safe_file_name
from flowise_tui.flowise.body import (
    ACCEPTED_ENCODINGS,
    BodyStalled,
    BodyTooLarge,
    BodyUndecodable,
    read_body,
)
from flowise_tui.flowise.coerce import as_dict, as_list, as_str, load_json
from flowise_tui.flowise.errors import (
    Cause,
    FlowiseAuthError,
    FlowiseConnectionError,
    FlowiseError,
    FlowiseHTTPError,
    FlowiseInvalidIdError,
    FlowiseNotFoundError,
    FlowiseProtocolError,
    FlowiseRateLimitError,
    FlowiseServerError,
    FlowiseTimeoutError,
    clean_server_message,
    describe_flow_error,
    quoted,
)
from flowise_tui.flowise.events import (
    EndEvent,
    FlowiseEvent,
    InvalidEvent,
    decode_sse,
    events_from_reply,
)
from flowise_tui.flowise.ids import ID_RULE, is_safe_id, looks_like_id
from flowise_tui.flowise.leads import lead_body
from flowise_tui.flowise.limits import Limits
from flowise_tui.flowise.listing import Listing, door_checked
from flowise_tui.flowise.models import (
    CHATFLOW_TYPES,
    ChatbotConfig,
    Chatflow,
    ChatMessage,
    Feedback,
    PredictionRequest,
)
from flowise_tui.flowise.overrides import OverridePolicy
from flowise_tui.flowise.speech import Speech, speech_from_stream, speech_request
from flowise_tui.flowise.sse import Meter, open_event_stream
from flowise_tui.flowise.uploads import UploadSettings
from flowise_tui.flowise.urls import API, display_url

ERROR_BODY_BYTES = 64 * 1024  # what is read of an error reply, for the server's message
__all__ = ["API", "FlowiseClient", "display_url", "looks_like_id"]


class _IdleWatchdog:
    """The idle timeout of a read loop, at no cost per read.

    `asyncio.timeout` around each read would arm and cancel a timer for every event, and
    even reading the clock per event shows in a fast stream. Here the loop only numbers
    its reads: `reading` is the number of the read under way, 0 between reads. A timer
    looks every tenth of the idle time (at least once a second); once it has seen the same
    read under way for `idle` seconds, it cancels the reading task, and `expired` tells the
    read loop why. Time the caller spends between reads never counts, and the timeout is
    never early: at most a tenth of it (or a second) late."""

    def __init__(self, loop: asyncio.AbstractEventLoop, idle: float) -> None:
        self._loop = loop
        self._idle = idle
        self._step = min(idle / 10, 1.0)
        self._task = asyncio.current_task()
        self.reading = 0
        self.expired = False
        self._watched = 0  # the read seen under way at the last look, and since when
        self._since = loop.time()
        self._timer = loop.call_at(self._since + self._step, self._check)

    def close(self) -> None:
        self._timer.cancel()

    def uncancel(self) -> int:
        """Take back this watchdog's cancellation; returns how many others remain."""
        return self._task.uncancel() if self._task is not None else 0

    def _check(self) -> None:
        now = self._loop.time()
        if self.reading != self._watched:
            self._watched, self._since = self.reading, now
        elif self.reading and now - self._since >= self._idle and self._task is not None:
            self.expired = True
            self._task.cancel()
            return
        self._timer = self._loop.call_at(now + self._step, self._check)


def _tls_context(base_url: str, verify: bool) -> ssl.SSLContext | bool:
    """Loading the trusted roots takes some 35 ms, wasted on a plain-http server. Every
    request goes to `base_url` and redirects are not followed, so such a client never uses
    TLS; it gets a context that trusts nothing, which fails closed if that ever changed."""
    if verify and base_url.lower().startswith("http://"):
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return verify


class FlowiseClient:
    """Talks to one Flowise server, within `limits` (see `Limits`).

    A reply that is not streamed must come whole within `reply_timeout`, with no gap
    longer than `idle_timeout`, and hold at most `max_reply_bytes` once decompressed. A
    stream must start within `first_byte_timeout` (a real Flowise never answers a
    streaming request for an unknown chatflow), send an event at least every
    `idle_timeout` (heartbeats not counted), and hold at most `max_event_bytes` per event
    and `max_stream_bytes` in all. Every id put in a URL path is checked first
    (`FlowiseInvalidIdError`); a base URL httpx cannot use fails each call with
    `Cause.BAD_URL`, never the constructor.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        verify: bool = True,
        limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.limits = limits
        self._api_key = api_key or None
        headers = {"User-Agent": "flowise-tui", "Accept-Encoding": ACCEPTED_ENCODINGS}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        # Only connecting is left to httpx's timeouts; every other wait is bounded here,
        # by the whole reply or by the gap between events, whatever the socket does.
        options: dict[str, Any] = {
            "headers": headers,
            "verify": _tls_context(self.base_url, verify),
            "timeout": httpx.Timeout(None, connect=limits.connect_timeout),
            "transport": transport,
        }
        self._bad_url: str | None = None
        try:
            self._http = httpx.AsyncClient(base_url=self.base_url, **options)
        except httpx.InvalidURL as exc:
            self._bad_url = str(exc)
            self._http = httpx.AsyncClient(**options)
        self._streaming_by_flow: dict[str, bool] = {}

    @property
    def has_api_key(self) -> bool:
        return self._api_key is not None

    @property
    def _shown_url(self) -> str:
        """The base URL as messages show it: without a user or password."""
        return display_url(self.base_url)

    def _redact(self, text: str) -> str:
        """Server text with our API key masked, should a server echo it back."""
        key = self._api_key
        if key and len(key) >= 8 and key in text:
            return text.replace(key, "***")
        return text

    def __repr__(self) -> str:
        key = "'***'" if self._api_key else "None"
        return f"FlowiseClient(base_url={self._shown_url!r}, api_key={key})"

    async def __aenter__(self) -> FlowiseClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def ping(self) -> str:
        _, body = await self._fetch("GET", f"{API}/ping")
        return body.decode("utf-8", "replace").strip()

    async def version(self) -> str:
        return as_str(as_dict(await self._json("GET", f"{API}/version")).get("version"))

    async def list_chatflows(self, type: str | None = None) -> Listing:
        """All chatflows, or those of one type, sorted by name. Needs an API key on a real
        server. Entries without a usable id, or repeating an earlier one's, are left out;
        the `Listing` says which and why (`skipped`, `skipped_summary()`)."""
        params = {}
        if type:
            if type.upper() not in CHATFLOW_TYPES:
                raise ValueError(f"type must be one of {', '.join(CHATFLOW_TYPES)}")
            params["type"] = type.upper()
        data = await self._json("GET", f"{API}/chatflows", params=params, listing=True)
        if not isinstance(data, list):
            raise FlowiseProtocolError(
                "The chatflow list from the server is not a list.", cause=Cause.BAD_SHAPE
            )
        return door_checked(data)

    async def get_chatflow(self, chatflow_id: str) -> Chatflow:
        flow = Chatflow.from_json(await self._json("GET", f"{API}/chatflows/{_path(chatflow_id)}"))
        # The server answered for the id asked: that is the id to use, whatever it says.
        return flow if flow.id == chatflow_id else dataclasses.replace(flow, id=chatflow_id)

    async def find_chatflow(self, id_or_name: str) -> Chatflow:
        """A chatflow by id (any listed id, exactly), or by exact name (then
        case-insensitive, when unambiguous)."""
        wanted = id_or_name.strip()
        if looks_like_id(wanted):
            try:
                return await self.get_chatflow(wanted)
            except FlowiseAuthError:
                return Chatflow(id=wanted, name=wanted)
        try:
            flows = await self.list_chatflows()
        except FlowiseAuthError as exc:
            raise FlowiseAuthError(
                f"'{wanted}' is not a chatflow id, and finding a chatflow by name needs an "
                "API key that may list chatflows. Give the chatflow's id, or an API key.",
                status_code=exc.status_code,
                cause=exc.cause,
                server_message=exc.server_message,
                url=exc.url,
            ) from None
        for match in (
            [f for f in flows if f.id == wanted],  # ids need not look like UUIDs
            [f for f in flows if f.name == wanted],
            [f for f in flows if f.name.lower() == wanted.lower()],
        ):
            if len(match) == 1:
                return match[0]
            if len(match) > 1:
                ids = ", ".join(f.id for f in match)
                raise FlowiseNotFoundError(
                    f"Several chatflows are named '{wanted}' ({ids}): give the id.",
                    status_code=404,
                    cause=Cause.AMBIGUOUS_NAME,
                    url=self._shown_url,
                )
        raise FlowiseNotFoundError(
            f"No chatflow is named '{wanted}'.", status_code=404, url=self._shown_url
        )

    async def is_streaming(self, chatflow_id: str) -> bool:
        """Whether the flow streams; also a cheap check that the chatflow exists."""
        cached = self._streaming_by_flow.get(chatflow_id)
        if cached is not None:
            return cached
        try:
            data = await self._json("GET", f"{API}/chatflows-streaming/{_path(chatflow_id)}")
        except FlowiseHTTPError as exc:
            raise self._unknown_chatflow(chatflow_id, exc) from None
        streaming = bool(as_dict(data).get("isStreaming"))
        self._streaming_by_flow[chatflow_id] = streaming
        return streaming

    async def chatbot_config(self, chatflow_id: str) -> ChatbotConfig:
        try:
            data = await self._json("GET", f"{API}/public-chatbotConfig/{_path(chatflow_id)}")
        except FlowiseHTTPError as exc:
            raise self._unknown_chatflow(chatflow_id, exc) from None
        return ChatbotConfig.from_json(data)

    async def upload_settings(self, chatflow_id: str) -> UploadSettings:
        """What the flow accepts: `chatflows-uploads` and the chatbot config's full-file upload."""
        try:
            uploads = await self._json("GET", f"{API}/chatflows-uploads/{_path(chatflow_id)}")
        except FlowiseHTTPError as exc:
            raise self._unknown_chatflow(chatflow_id, exc) from None
        return UploadSettings.from_json(uploads, (await self.chatbot_config(chatflow_id)).raw)

    async def create_attachments(
        self, chatflow_id: str, chat_id: str, files: list[tuple[str, bytes, str]]
    ) -> list[dict[str, Any]]:
        """Documents (name, content, MIME type) turned into text by the flow, for `file:full`."""
        path = f"{API}/attachments/{_path(chatflow_id)}/{_path(chat_id, 'chat id')}"
        parts = [("files", file) for file in files]
        data = await self._json("POST", path, files=parts, prediction=True)
        return [as_dict(item) for item in as_list(data)]

    async def upsert_files(
        self, chatflow_id: str, chat_id: str, files: list[tuple[str, bytes, str]]
    ) -> dict[str, Any]:
        """Documents added to the flow's vector store for this chat, for `file:rag`."""
        parts = [("files", file) for file in files]
        path = f"{API}/vector/upsert/{_path(chatflow_id)}"
        data = await self._json(
            "POST", path, files=parts, data={"chatId": chat_id}, prediction=True
        )
        return as_dict(data)

    async def override_policy(self, chatflow_id: str) -> OverridePolicy:
        """What the flow lets a caller override (`flowise/overrides.py`): from the chatflow
        (an API key), else from the public chatflow; unknown when the server shows neither."""
        for route in ("chatflows", "public-chatflows"):
            try:
                data = await self._json("GET", f"{API}/{route}/{_path(chatflow_id)}")
            except FlowiseHTTPError:
                continue
            return OverridePolicy.from_chatflow(data)
        return OverridePolicy()

    async def add_lead(self, chatflow_id: str, chat_id: str, answers: dict[str, str]) -> None:
        """Send a lead form's answers (`flowise/leads.py`)."""
        await self._json("POST", f"{API}/leads", json=lead_body(chatflow_id, chat_id, answers))

    async def speech(self, chatflow_id: str, text: str, chat_id: str, message_id: str) -> Speech:
        """The flow's text to speech of `text` (`flowise/speech.py`), read whole."""
        body = speech_request(_path(chatflow_id), text, chat_id, message_id)
        _, reply = await self._fetch("POST", f"{API}/text-to-speech/generate", json=body)
        return speech_from_stream(reply.decode("utf-8", "replace"))

    def _unknown_chatflow(self, chatflow_id: str, exc: FlowiseHTTPError) -> FlowiseHTTPError:
        """A 404, or the 500 "Chatflow ID not found" of a real Flowise, as a FlowiseNotFoundError;
        any other error as it was."""
        said_not_found = (
            exc.status_code == 500 and "not found" in (exc.server_message or "").lower()
        )
        if not isinstance(exc, FlowiseNotFoundError) and not said_not_found:
            return exc
        return FlowiseNotFoundError(
            f"Chatflow {chatflow_id} was not found on {self._shown_url}.",
            status_code=404,
            server_message=exc.server_message,
            url=self._shown_url,
        )

    async def predict(self, chatflow_id: str, request: PredictionRequest) -> list[FlowiseEvent]:
        """A whole answer at once, as the events a stream would have given."""
        data = await self._json(
            "POST",
            f"{API}/prediction/{_path(chatflow_id)}",
            content=request.to_bytes(streaming=False),
            headers={"Content-Type": "application/json"},
            prediction=True,
        )
        return list(events_from_reply(data))

    async def stream_prediction(
        self, chatflow_id: str, request: PredictionRequest
    ) -> AsyncIterator[FlowiseEvent]:
        """Events as they arrive. Closing the iterator closes the response.

        A flow that cannot stream answers JSON; that answer comes out as the same
        event sequence. An `ErrorEvent` is the flow failing (the HTTP status is 200).
        """
        path = f"{API}/prediction/{_path(chatflow_id)}"
        await self.is_streaming(chatflow_id)
        limits = self.limits
        try:
            http_request = self._http.build_request(
                "POST",
                path,
                content=request.to_bytes(streaming=True),
                headers={"Content-Type": "application/json", "Accept": "text/event-stream"},
            )
            async with asyncio.timeout(limits.first_byte_timeout):
                response = await self._http.send(http_request, stream=True)
        except TimeoutError:
            raise FlowiseTimeoutError(
                f"The server accepted the request but sent no answer within "
                f"{limits.first_byte_timeout:g} s.",
                cause=Cause.NO_ANSWER,
                url=self._shown_url,
            ) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise self._transport_error(exc) from None
        try:
            content_type = response.headers.get("content-type", "")
            if response.status_code >= 400 or "text/event-stream" not in content_type:
                async with self._whole_reply(path):
                    body = await self._receive(response, prediction=True)
                for event in events_from_reply(self._decode(body, path)):
                    yield event
                return
            # The stream's events, up to its end event, read here rather than in a generator
            # of their own (one step fewer per event). Only events are progress: heartbeat
            # comments, unknown lines and bytes that complete nothing do not hold off the
            # idle timeout. The timeout covers reading, never the time the caller spends on
            # the events.
            try:
                source, meter = open_event_stream(
                    response, limits.max_event_bytes, limits.max_stream_bytes
                )
            except BodyUndecodable as exc:
                raise self._undecodable(exc) from None
            messages = source.aiter_sse()
            redact = self._redact if self._api_key else None
            events = 0
            watchdog = _IdleWatchdog(asyncio.get_running_loop(), limits.idle_timeout)
            reads = watchdog.reading = 1
            try:
                async for message in messages:
                    data = message.data if redact is None else redact(message.data)
                    event = decode_sse(message.event, data)
                    if event is None:
                        continue  # not progress: the same read goes on
                    watchdog.reading = 0
                    kind = type(event)
                    if kind is not InvalidEvent:
                        events += 1
                    yield event
                    if kind is EndEvent:
                        return
                    reads += 1
                    watchdog.reading = reads
            except asyncio.CancelledError:
                if not watchdog.expired or watchdog.uncancel() > 0:
                    raise  # cancelled by someone else (too)
                raise self._stalled(meter, events) from None
            except httpx.HTTPError as exc:
                raise self._transport_error(exc, during_stream=True) from None
            except BodyUndecodable as exc:
                raise self._undecodable(exc) from None
            except FlowiseError as exc:
                exc.url = exc.url or self._shown_url
                raise
            finally:
                watchdog.close()
                await messages.aclose()
                await source.response.aclose()
            raise self._unfinished(meter, events)
        finally:
            await response.aclose()

    def _unfinished(self, meter: Meter, events: int) -> FlowiseError:
        """Why a stream that ended without an end event is not an answer."""
        if events:
            return FlowiseConnectionError(
                "The server closed the stream before the answer was complete (no end event).",
                cause=Cause.INCOMPLETE,
                url=self._shown_url,
            )
        if meter.bytes_seen:
            return FlowiseProtocolError(
                f"The answer stream from {self._shown_url} held no Flowise events "
                f"({meter.bytes_seen:,} bytes of something else). Is this a Flowise server?",
                cause=Cause.NOT_FLOWISE,
                url=self._shown_url,
            )
        return FlowiseConnectionError(
            "The server closed the answer stream without sending anything.",
            cause=Cause.EMPTY,
            url=self._shown_url,
        )

    def _stalled(self, meter: Meter, events: int) -> FlowiseTimeoutError:
        heartbeats = " (only keep-alive heartbeats)" if meter.heartbeats else ""
        if events:
            message = (
                f"The answer stalled: no event for {self.limits.idle_timeout:g} s{heartbeats}."
            )
        else:
            message = (
                f"The server opened the answer stream but sent no event within "
                f"{self.limits.idle_timeout:g} s{heartbeats}."
            )
        return FlowiseTimeoutError(message, cause=Cause.STALLED, url=self._shown_url)

    async def abort(self, chatflow_id: str, chat_id: str) -> None:
        """Ask the server to stop generating. Classic chatflows ignore it."""
        await self._json(
            "PUT", f"{API}/chatmessage/abort/{_path(chatflow_id)}/{_path(chat_id, 'chat id')}"
        )

    async def chat_messages(
        self,
        chatflow_id: str,
        *,
        chat_id: str | None = None,
        session_id: str | None = None,
        order: str | None = None,
        chat_type: str | None = None,
    ) -> list[ChatMessage]:
        """Server-side history (needs an API key), oldest first unless order='DESC'."""
        params = {
            "chatId": chat_id,
            "sessionId": session_id,
            "order": order.upper() if order else None,
            "chatType": chat_type,
        }
        data = await self._json(
            "GET",
            f"{API}/chatmessage/{_path(chatflow_id)}",
            params={k: v for k, v in params.items() if v},
        )
        return [ChatMessage.from_json(item) for item in as_list(data)]

    async def send_feedback(
        self,
        chatflow_id: str,
        *,
        chat_id: str,
        message_id: str,
        rating: str,
        content: str | None = None,
    ) -> Feedback:
        body = {
            "chatflowid": chatflow_id,
            "chatId": chat_id,
            "messageId": message_id,
            "rating": _rating(rating),
        }
        if content:
            body["content"] = content
        return Feedback.from_json(
            await self._json("POST", f"{API}/feedback/{_path(chatflow_id)}", json=body)
        )

    async def list_feedback(self, chatflow_id: str) -> list[Feedback]:
        data = await self._json("GET", f"{API}/feedback/{_path(chatflow_id)}")
        return [Feedback.from_json(item) for item in as_list(data)]

    async def update_feedback(
        self, feedback_id: str, *, rating: str | None = None, content: str | None = None
    ) -> Feedback:
        body: dict[str, Any] = {}
        if rating:
            body["rating"] = _rating(rating)
        if content is not None:
            body["content"] = content
        data = await self._json(
            "PUT", f"{API}/feedback/{_path(feedback_id, 'feedback id')}", json=body
        )
        feedback = Feedback.from_json(data)
        if feedback.id:
            return feedback
        # Flowise 3.1.4 answers {"status": "OK"}: what was sent is what is now stored.
        return Feedback(
            id=feedback_id,
            chatflow_id="",
            chat_id="",
            message_id="",
            rating=body.get("rating", ""),
            content=content,
        )

    async def download_file(
        self, chatflow_id: str, chat_id: str, file_name: str, *, annotation: bool = False
    ) -> bytes:
        """A file of the chat's storage: an artifact's image (`get-upload-file`) or, with
        `annotation`, a file annotation through the route the web chat uses. At most
        `limits.max_file_bytes`, whole within the reply timeout."""
        if safe_file_name(file_name) != file_name:
            raise FlowiseInvalidIdError(f"{quoted(file_name, 60)} is not a usable file name.")
        where = {"chatflowId": _path(chatflow_id), "chatId": _path(chat_id, "chat id")}
        where["fileName"] = file_name
        if annotation:
            request = ("POST", f"{API}/openai-assistants-file/download", {"json": where})
        else:
            request = ("GET", f"{API}/get-upload-file", {"params": where})
        method, path, kwargs = request
        _, body = await self._fetch(method, path, limit=self.limits.max_file_bytes, **kwargs)
        return body

    async def _fetch(
        self,
        method: str,
        path: str,
        *,
        listing: bool = False,
        prediction: bool = False,
        want_json: bool = False,
        limit: int | None = None,
        **kwargs: Any,
    ) -> tuple[httpx.Response, bytes]:
        """One request whose reply is read whole, within the reply timeout and `limit` bytes
        (`limits.max_reply_bytes` unless given)."""
        if self._http.is_closed:  # a request racing a switch of server, or the app ending
            raise FlowiseConnectionError(f"The connection to {self._shown_url} is closed.")
        async with self._whole_reply(path):
            try:
                request = self._http.build_request(method, path, **kwargs)
                response = await self._http.send(request, stream=True)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise self._transport_error(exc) from None
            try:
                body = await self._receive(
                    response,
                    listing=listing,
                    prediction=prediction,
                    want_json=want_json,
                    limit=limit,
                )
            finally:
                await response.aclose()
        return response, body

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        _, body = await self._fetch(method, path, want_json=True, **kwargs)
        return self._decode(body, path)

    @contextlib.asynccontextmanager
    async def _whole_reply(self, path: str) -> AsyncIterator[None]:
        """Bounds everything inside by the reply timeout."""
        if self._bad_url is not None:
            raise self._transport_error(httpx.InvalidURL(self._bad_url))
        timeout = self.limits.reply_timeout
        try:
            async with asyncio.timeout(timeout):
                yield
        except TimeoutError:
            raise FlowiseTimeoutError(
                f"{self._shown_url} sent no complete answer to {path} within {timeout:g} s.",
                cause=Cause.REPLY_TIMEOUT,
                url=self._shown_url,
            ) from None

    async def _receive(
        self,
        response: httpx.Response,
        *,
        listing: bool = False,
        prediction: bool = False,
        want_json: bool = True,
        limit: int | None = None,
    ) -> bytes:
        """The body of a reply that is not streamed, or the error it stands for."""
        if response.status_code >= 400:
            prefix = await self._body(response, ERROR_BODY_BYTES, truncate=True)
            raise self._status_error(response, prefix, listing=listing, prediction=prediction)
        if want_json:
            content_type = response.headers.get("content-type", "")
            if "json" not in content_type:
                raise self._not_json(response.request.url.path, content_type)
        if limit is None:
            limit = self.limits.max_reply_bytes
        return await self._body(response, limit)

    async def _body(self, response: httpx.Response, limit: int, *, truncate: bool = False) -> bytes:
        path = response.request.url.path
        idle = self.limits.idle_timeout
        try:
            return await read_body(response, limit, idle=idle, truncate=truncate)
        except BodyTooLarge:
            raise FlowiseProtocolError(
                f"The server's answer to {path} is larger than {_size(limit)}; it was not read "
                "further.",
                cause=Cause.TOO_LARGE,
                url=self._shown_url,
            ) from None
        except BodyStalled:
            raise FlowiseTimeoutError(
                f"{self._shown_url} stopped sending its answer to {path}: "
                f"nothing came for {idle:g} s.",
                cause=Cause.READ_TIMEOUT,
                url=self._shown_url,
            ) from None
        except BodyUndecodable as exc:
            raise self._undecodable(exc) from None
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from None

    def _undecodable(self, exc: BodyUndecodable) -> FlowiseProtocolError:
        return FlowiseProtocolError(
            f"{self._shown_url} sent {exc}, which this client cannot read.",
            cause=Cause.UNDECODABLE,
            url=self._shown_url,
        )

    def _not_json(self, path: str, content_type: str) -> FlowiseProtocolError:
        kind = "a web page" if "html" in content_type else quoted(content_type or "no type")
        return FlowiseProtocolError(
            f"{self._shown_url} answered {path} with {kind} instead of JSON. Is this the address "
            "of a Flowise server?",
            cause=Cause.NOT_FLOWISE,
            url=self._shown_url,
        )

    def _decode(self, body: bytes, path: str) -> Any:
        try:
            return load_json(self._redact(body.decode("utf-8", "replace")))
        except ValueError:
            raise FlowiseProtocolError(
                f"The server's answer to {path} is not valid JSON.",
                cause=Cause.NOT_JSON,
                url=self._shown_url,
            ) from None

    def _status_error(
        self,
        response: httpx.Response,
        body: bytes,
        *,
        listing: bool = False,
        prediction: bool = False,
    ) -> FlowiseHTTPError:
        status = response.status_code
        server_message = _server_message(response, body)
        if server_message:
            server_message = self._redact(server_message)
        said = f": {clean_server_message(server_message)}" if server_message else ""
        path = response.request.url.path
        facts: dict[str, Any] = {
            "status_code": status,
            "server_message": server_message,
            "url": self._shown_url,
        }
        if status in (401, 403):
            cause = Cause.KEY_REJECTED if self.has_api_key else Cause.KEY_MISSING
            if listing and self.has_api_key:
                message = f"The server refused the API key for listing chatflows (HTTP {status})."
            elif listing:
                message = f"Listing chatflows needs an API key (HTTP {status})."
            elif self.has_api_key:
                message = f"The server refused the API key (HTTP {status}{said})."
            else:
                message = f"The server needs an API key for {path} (HTTP {status}{said})."
            return FlowiseAuthError(message, cause=cause, **facts)
        if status == 404:
            return FlowiseNotFoundError(f"Not found (HTTP 404{said or ': ' + path}).", **facts)
        if status == 429:
            retry_after = _retry_after(response)
            wait = f" Try again in {retry_after:g} s." if retry_after is not None else ""
            return FlowiseRateLimitError(
                f"The server is rate limiting requests (HTTP 429).{wait}",
                retry_after=retry_after,
                **facts,
            )
        if status >= 500:
            cause = Cause.SERVER_FAILED
            if prediction and server_message:
                text, cause = describe_flow_error(server_message)
                if cause is Cause.FLOW_KEY_REJECTED:
                    return FlowiseAuthError(text, cause=cause, **facts)
                message = f"The chatflow failed (HTTP {status}): {text}"
            elif status in (502, 503, 504) and not server_message:
                cause = Cause.GATEWAY_FAILED
                message = (
                    f"HTTP {status} {response.reason_phrase}: a proxy or gateway in front of "
                    "Flowise could not get an answer from it."
                )
            elif _is_html(response):
                message = (
                    f"The server failed (HTTP {status}) and sent a web page instead of a "
                    "Flowise error: a proxy or web server in front of Flowise may be failing."
                )
            else:
                message = f"The server failed (HTTP {status}{said})."
            return FlowiseServerError(message, cause=cause, **facts)
        return FlowiseHTTPError(f"The server rejected the request (HTTP {status}{said}).", **facts)

    def _transport_error(
        self, exc: httpx.HTTPError | httpx.InvalidURL, *, during_stream: bool = False
    ) -> FlowiseError:
        where = self._shown_url
        if isinstance(exc, httpx.TimeoutException):
            if isinstance(exc, httpx.ConnectTimeout):
                return FlowiseTimeoutError(
                    f"Connecting to {where} timed out.", cause=Cause.CONNECT_TIMEOUT, url=where
                )
            return FlowiseTimeoutError(f"{where} stopped answering (read timed out).", url=where)
        if isinstance(exc, httpx.ConnectError):
            message, cause = _connect_problem(where, exc)
            return FlowiseConnectionError(message, cause=cause, url=where)
        if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
            if during_stream:
                return FlowiseConnectionError(
                    f"The connection to {where} dropped in the middle of the answer.",
                    cause=Cause.DROPPED,
                    url=where,
                )
            return FlowiseConnectionError(
                f"{where} closed the connection without answering ({_dropped_reason(exc)}). "
                "The server or a proxy in front of it may have crashed or restarted.",
                cause=Cause.CLOSED,
                url=where,
            )
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
            return FlowiseConnectionError(
                f"'{where}' is not a usable http(s) URL.", cause=Cause.BAD_URL, url=where
            )
        return FlowiseConnectionError(f"Talking to {where} failed: {_reason(exc)}.", url=where)


def _path(value: str, what: str = "chatflow id") -> str:
    """`value`, checked fit for a URL path (see `ids.py`)."""
    if is_safe_id(value):
        return value
    raise FlowiseInvalidIdError(f"{quoted(value, 60)} is not a usable {what}: an id is {ID_RULE}.")


def _size(limit: int) -> str:
    mib = limit / (1024 * 1024)
    return f"{mib:g} MB" if mib >= 1 else f"{limit:,} bytes"


def _rating(rating: str) -> str:
    value = rating.strip().upper()
    aliases = {"UP": "THUMBS_UP", "DOWN": "THUMBS_DOWN", "+": "THUMBS_UP", "-": "THUMBS_DOWN"}
    value = aliases.get(value, value)
    if value not in ("THUMBS_UP", "THUMBS_DOWN"):
        raise ValueError("rating must be THUMBS_UP or THUMBS_DOWN")
    return value


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__


def _dropped_reason(exc: httpx.HTTPError) -> str:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ConnectionResetError):
            return "connection reset"
        cause = cause.__cause__ or cause.__context__
    text = str(exc).strip().rstrip(".")
    return text[:1].lower() + text[1:] if text else "connection closed"


def _connect_problem(where: str, exc: httpx.ConnectError) -> tuple[str, Cause]:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return (
                f"The TLS certificate of {where} could not be verified ({cause.verify_message}).",
                Cause.TLS_UNVERIFIED,
            )
        if isinstance(cause, ssl.SSLError):
            return f"The TLS handshake with {where} failed ({_reason(cause)}).", Cause.TLS_FAILED
        if isinstance(cause, ConnectionRefusedError):
            return _refused(where)
        cause = cause.__cause__ or cause.__context__
    text = _reason(exc).lower()
    if (
        "name or service not known" in text
        or "nodename nor servname" in text
        or "getaddrinfo" in text
    ):
        return f"Cannot find the host of {where}: the name does not resolve.", Cause.HOST_UNKNOWN
    if "refused" in text:
        return _refused(where)
    if "certificate" in text or "ssl" in text:
        # No ssl exception in the chain, only its words: most likely a certificate.
        return f"The TLS connection to {where} failed ({_reason(exc)}).", Cause.TLS_UNVERIFIED
    return f"Cannot connect to {where}: {_reason(exc)}.", Cause.UNREACHABLE


def _refused(where: str) -> tuple[str, Cause]:
    return (
        f"Cannot connect to {where}: connection refused. Is Flowise running there?",
        Cause.REFUSED,
    )


def _server_message(response: httpx.Response, body: bytes) -> str | None:
    """What an error reply says, from the first `ERROR_BODY_BYTES` of its body."""
    content_type = response.headers.get("content-type", "")
    if "json" in content_type:
        try:
            data = load_json(body)
        except ValueError:
            data = None
        if isinstance(data, dict):
            for key in ("message", "error", "detail"):
                value = data.get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip()
        return None
    if "html" in content_type or not body:
        return None
    text = body.decode("utf-8", "replace").strip()
    return text[:300] or None


def _is_html(response: httpx.Response) -> bool:
    return "html" in response.headers.get("content-type", "").lower()


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, round((when - dt.datetime.now(dt.UTC)).total_seconds()))
