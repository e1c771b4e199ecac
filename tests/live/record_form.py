"""Record the lab's form-start traffic into tests/fixtures/flowise-wire (run by hand).

    python tests/live/lab_form.py          # makes sure `TUI Lab Form Start` exists
    python -m tests.live.record_form FLOW_ID

Writes NAME.request / NAME.headers / NAME.json|.sse through tests/live/recording.py (keys
redacted, the install folder in node icon paths written as /opt/flowise, INDEX.tsv rows
replaced).
"""

from __future__ import annotations

import json
import sys
import uuid

from tests.live.recording import LAB, Recorder

FORM = {"userName": "Ada", "age": 36, "subscribe": True, "topic": "support"}


def main() -> None:
    flow = sys.argv[1]
    key = json.loads((LAB / "data" / "lab_api_key.json").read_text())["apiKey"]
    record = Recorder("http://127.0.0.1:3000", key).record
    predict = f"/api/v1/prediction/{flow}"
    record("form_chatbot_config", "GET", f"/api/v1/public-chatbotConfig/{flow}", key=False)
    record("form_chatflow_get", "GET", f"/api/v1/chatflows/{flow}")
    chat = str(uuid.uuid4())
    streamed = {
        "question": "",
        "form": FORM,
        "chatId": chat,
        "streaming": True,
        "overrideConfig": {"sessionId": chat},
    }
    record("form_stream", "POST", predict, key=False, json=streamed)
    turn2 = {
        "question": "And what next?",
        "chatId": chat,
        "streaming": True,
        "overrideConfig": {"sessionId": chat},
    }
    record("form_stream_turn2", "POST", predict, key=False, json=turn2)
    record("form_chatmessage", "GET", f"/api/v1/chatmessage/{flow}", params={"chatId": chat})
    other = str(uuid.uuid4())
    whole = {"question": "", "form": FORM, "chatId": other, "streaming": False}
    record("form_nonstream", "POST", predict, key=False, json=whole)
    both = {"question": "Hi", "form": FORM, "streaming": False}
    record("form_question_and_form", "POST", predict, key=False, json=both)


if __name__ == "__main__":
    main()
