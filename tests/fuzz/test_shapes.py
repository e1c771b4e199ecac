"""Property tests: JSON of any shape, where Flowise puts a payload, never breaks anything."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from flowise_tui.flowise.events import build_event, events_from_reply
from flowise_tui.flowise.models import (
    ChatbotConfig,
    Chatflow,
    ChatMessage,
    ChatMetadata,
    Feedback,
    SourceDocument,
)
from tests.fuzz.profile import FUZZ
from tests.fuzz.strategies import EVENT_NAMES, json_values
from tests.fuzz.test_decoder import use_like_the_app

MODELS = [Chatflow, ChatbotConfig, ChatMessage, ChatMetadata, Feedback, SourceDocument]


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(EVENT_NAMES), json_values), max_size=8), json_values)
def test_every_event_with_any_payload(pairs: list[tuple[str, object]], extra: object) -> None:
    events = [build_event(name, payload, {"duration": extra}) for name, payload in pairs]
    use_like_the_app(events)


@FUZZ
@given(st.sampled_from(MODELS), json_values | st.dictionaries(st.text(max_size=20), json_values))
def test_models_read_any_json(model: type, value: object) -> None:
    model.from_json(value)
    model.from_json(json.dumps(value))


@FUZZ
@given(json_values | st.dictionaries(st.sampled_from(["text", "json", "sourceDocuments",
       "usedTools", "agentFlowExecutedData", "followUpPrompts", "chatId", "action",
       "artifacts"]), json_values))  # fmt: skip
def test_a_json_answer_of_any_shape_becomes_events(reply: object) -> None:
    events = list(events_from_reply(reply))
    assert events[0].event == "start" and events[-1].event == "end"
    use_like_the_app(events)


@FUZZ
@given(st.text(alphabet="0123456789²³¹٣۴߅", min_size=1, max_size=5000))
def test_starter_prompts_keyed_by_any_digits(key: str) -> None:
    config = ChatbotConfig.from_json({"starterPrompts": {key: {"prompt": "p"}, "q": "q"}})
    assert sorted(config.starter_prompts) == ["p", "q"]
