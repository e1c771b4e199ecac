"""Record the override, lead and speech traffic of the lab into tests/fixtures/flowise-wire
(a developer tool, run by hand).

    eval "$(python tests/live/lab_env.py)" && python tests/live/lab_overrides.py
    python -m tests.live.record_overrides

Writes NAME.request / NAME.headers / NAME.json|.sse through tests/live/recording.py (keys
redacted, the lab's install folder read as /opt/flowise, INDEX.tsv rows replaced), and prints
what the fake model received for the override prediction.
"""

from __future__ import annotations

import json

from tests.live.recording import MODEL_LOG, Recorder

OVERRIDES = {
    "temperature": 0.9,
    "modelName": "gpt-not-allowed",
    "systemMessagePrompt": "Overridden: you answer for team {{$vars.team}}.",
    "vars": {"team": "ops", "secret": "not-allowed"},
}
recorder = Recorder()
record = recorder.record


def main() -> None:
    ids = recorder.flow_ids()
    allowed, off = ids["TUI Lab Overrides"], ids["TUI Lab Overrides Off"]
    leads, speech = ids["TUI Lab Leads"], ids["TUI Lab Speech"]
    record("overrides_chatflow", "GET", f"/api/v1/chatflows/{allowed}", "apiConfig with overrides")
    record("overrides_off_chatflow", "GET", f"/api/v1/chatflows/{off}", "no apiConfig")
    record("overrides_chatflow_no_key", "GET", f"/api/v1/chatflows/{allowed}", "no key", key=False)
    record(
        "overrides_public_chatflow_private",
        "GET",
        f"/api/v1/public-chatflows/{allowed}",
        "not public, no key",
        key=False,
    )
    seen = MODEL_LOG.stat().st_size
    body = {
        "question": "Which overrides arrived?",
        "streaming": False,
        "chatId": "tui-lab-overrides-1",
        "overrideConfig": OVERRIDES,
    }
    record(
        "overrides_prediction", "POST", f"/api/v1/prediction/{allowed}", "some dropped", json=body
    )
    with MODEL_LOG.open("rb") as log:
        log.seek(seen)
        for line in log:
            sent = json.loads(line).get("body") or {}
            if "messages" in sent:
                print("model got:", sent.get("model"), sent.get("temperature"), sent["messages"][0])
    record("public_chatbot_config_leads", "GET", f"/api/v1/public-chatbotConfig/{leads}", key=False)
    lead = {
        "chatflowid": leads,
        "chatId": "tui-lab-lead-1",
        "name": "Ada Lovelace",
        "email": "ada@example.com",
    }
    record("leads_create", "POST", "/api/v1/leads", "no key needed", key=False, json=lead)
    record(
        "public_chatbot_config_speech", "GET", f"/api/v1/public-chatbotConfig/{speech}", key=False
    )
    ask = {"chatflowId": speech, "chatId": "tui-lab-tts-1", "chatMessageId": "m-1", "text": "Hello"}
    record(
        "speech_generate_no_provider",
        "POST",
        "/api/v1/text-to-speech/generate",
        "the lab reaches no TTS provider",
        key=False,
        json=ask,
    )
    recorder.print_rows()


if __name__ == "__main__":
    main()
