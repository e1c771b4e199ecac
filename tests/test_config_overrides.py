"""Runtime overrides kept per profile and chatflow in the config file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flowise_tui.config import (
    Connection,
    KeySource,
    config_warnings,
    load_config,
    remember_connection,
    update_config,
)
from flowise_tui.config_overrides import (
    FlowSettings,
    flow_settings,
    parse_override,
    set_flow_settings,
)

FLOW = "3c5e9a71-2b8d-4f06-9e14-7a2d5c8b0f39"


def test_settings_round_trip_and_leave_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('active_profile = "work"\n[profiles.work]\nurl = "http://h:3000"\n')
    config = load_config(path)
    settings = FlowSettings(vars={"team": "ops"}, override={"temperature": 0.2, "x": None})
    update_config(config, set_flow_settings("work", FLOW, settings))
    again = load_config(path)
    assert flow_settings(again, "work", FLOW) == settings
    assert flow_settings(again, "other", FLOW) == FlowSettings()
    assert again.profile("work").url == "http://h:3000"
    update_config(again, set_flow_settings("work", FLOW, FlowSettings()))
    assert "chatflow_settings" not in path.read_text()


def test_a_key_from_the_environment_is_never_written(tmp_path: Path) -> None:
    config = load_config(tmp_path / "config.toml")
    connection = Connection(
        url="http://h:3000",
        api_key="env-secret-key",
        profile="p",
        insecure=False,
        default_chatflow=None,
        api_key_source=KeySource.ENVIRONMENT,
    )
    update_config(config, remember_connection(connection))
    update_config(config, set_flow_settings("p", FLOW, FlowSettings(vars={"a": "b"})))
    assert "env-secret-key" not in (tmp_path / "config.toml").read_text()


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ("chatflow_settings = 3", "is not a table"),
        ('[chatflow_settings.p."f"]\nvars = { a = 1 }', "table of strings"),
        ('[chatflow_settings.p."f"]\noverride = "[1]"', "JSON object"),
        ('[chatflow_settings.p."f"]\noverride = "{oops"', "JSON object"),
        ('[chatflow_settings.p."f"]\nlead = "maybe"', "'given' or 'skipped'"),
    ],
)
def test_malformed_values_warn_and_are_not_sent(tmp_path: Path, toml: str, says: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml + "\n")
    os.chmod(path, 0o600)
    config = load_config(path)
    assert any(says in warning for warning in config_warnings(config))
    assert flow_settings(config, "p", "f").override_config() == {}


def test_saved_then_given_overrides_merge() -> None:
    saved = FlowSettings(vars={"team": "ops"}, override={"temperature": 0.2, "vars": {"a": "1"}})
    merged = saved.override_config({"temperature": 0.5, "vars": {"team": "dev"}})
    assert merged == {"temperature": 0.5, "vars": {"a": "1", "team": "dev"}}
    assert saved.summary() == "vars 1 · overrides 1"
    assert FlowSettings().summary() == ""


@pytest.mark.parametrize(
    ("text", "says"), [("{", "not JSON"), ("[1]", "JSON object"), ('"x"', "JSON object")]
)
def test_typed_overrides_say_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_override(text)
