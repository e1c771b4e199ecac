"""The `[limits]` table: each key sets one bound, a wrong value names its key, and saving
writes back what the file had plus what the program changed."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

import pytest

from flowise_tui.config import (
    DEFAULT_ANSWER_LIMIT,
    Config,
    ConfigError,
    config_warnings,
    load_config,
    save_config,
    set_ui,
    update_config,
)
from flowise_tui.config_limits import LIMIT_KEYS
from flowise_tui.flowise.limits import MIB, Limits


def load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return load_config(path)


def test_a_file_without_the_table_has_the_defaults(tmp_path: Path) -> None:
    config = load(tmp_path, 'active_profile = "a"\n')
    assert config.limits == Limits() and config.answer_limit == DEFAULT_ANSWER_LIMIT


def test_every_key_sets_its_bound(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        "[limits]\n"
        "connect_timeout = 2\n"
        "reply_timeout = 7.5\n"
        "first_byte_timeout = 3\n"
        "idle_timeout = 45\n"
        "max_reply_mb = 1\n"
        "max_event_mb = 0.5\n"
        "max_stream_mb = 64\n"
        "answer_chars = 1000\n",
    )
    assert config.limits == Limits(
        connect_timeout=2.0,
        reply_timeout=7.5,
        first_byte_timeout=3.0,
        idle_timeout=45.0,
        max_reply_bytes=MIB,
        max_event_bytes=MIB // 2,
        max_stream_bytes=64 * MIB,
    )
    assert config.answer_limit == 1000
    assert isinstance(config.limits.connect_timeout, float)


def test_keys_left_out_keep_their_defaults(tmp_path: Path) -> None:
    config = load(tmp_path, "[limits]\nidle_timeout = 10\n")
    assert config.limits == replace(Limits(), idle_timeout=10.0)
    assert config.answer_limit == DEFAULT_ANSWER_LIMIT


def test_every_limit_has_a_key() -> None:
    assert {spec.field for spec in LIMIT_KEYS.values()} == {f.name for f in fields(Limits)}


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('idle_timeout = "30"', "'limits.idle_timeout' must be a positive number, not a string"),
        ("idle_timeout = true", "'limits.idle_timeout' must be a positive number, not a boolean"),
        ("reply_timeout = 0", "'limits.reply_timeout' must be a positive number, not 0"),
        ("connect_timeout = -1.5", "'limits.connect_timeout' must be a positive number, not -1.5"),
        ("first_byte_timeout = inf", "'limits.first_byte_timeout' must be a positive number"),
        ("max_reply_mb = nan", "'limits.max_reply_mb' must be a positive number, not nan"),
        ("max_event_mb = [1]", "'limits.max_event_mb' must be a positive number, not an array"),
        ("max_stream_mb = -3", "'limits.max_stream_mb' must be a positive number, not -3"),
        ("answer_chars = 1.5", "'limits.answer_chars' must be a positive whole number, not 1.5"),
        ("answer_chars = 0", "'limits.answer_chars' must be a positive whole number, not 0"),
        ('answer_chars = "all"', "'limits.answer_chars' must be a positive whole number, not a"),
    ],
)
def test_wrong_values_name_the_key(tmp_path: Path, line: str, says: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[limits]\n{line}\n")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert str(path) in message and says in message and "left untouched" in message
    with pytest.raises(ConfigError, match="Refusing to overwrite"):
        update_config(Config(path=path), set_ui("theme", "nord"))
    assert path.read_text() == f"[limits]\n{line}\n"


def test_limits_that_is_not_a_table(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'limits' must be a table, not an integer"):
        load(tmp_path, "limits = 5\n")


def test_unknown_keys_are_kept_and_named_in_a_warning(tmp_path: Path) -> None:
    config = load(tmp_path, "[limits]\nidle_timout = 10\nidle_timeout = 20\n")
    assert config.limits.idle_timeout == 20.0
    (warning,) = config_warnings(config)
    assert "[limits] has no setting 'idle_timout'" in warning and "idle_timeout" in warning
    update_config(config, set_ui("theme", "nord"))
    assert (tmp_path / "config.toml").read_text().count("idle_timout = 10") == 1


def test_an_untouched_table_is_written_back_as_it_was(tmp_path: Path) -> None:
    table = "[limits]\nidle_timeout = 300\nmax_reply_mb = 16\nanswer_chars = 2000000\n"
    config = load(tmp_path, table)
    assert config.limits == Limits(), "these are the defaults, spelled out"
    save_config(config)
    assert table in (tmp_path / "config.toml").read_text()
    update_config(config, set_ui("theme", "nord"))
    assert table in (tmp_path / "config.toml").read_text()


def test_no_table_is_written_while_the_defaults_hold(tmp_path: Path) -> None:
    config = load(tmp_path, 'active_profile = "a"\n')
    save_config(config)
    assert "limits" not in (tmp_path / "config.toml").read_text()


def test_values_the_program_changes_are_written_in_the_file_units(tmp_path: Path) -> None:
    config = load(tmp_path, "[limits]\nreply_timeout = 60\n")
    config.limits = replace(
        config.limits, max_reply_bytes=32 * MIB, max_event_bytes=MIB + MIB // 2, idle_timeout=9.5
    )
    config.answer_limit = 5000
    save_config(config)
    text = (tmp_path / "config.toml").read_text()
    for line in ("reply_timeout = 60\n", "max_reply_mb = 32\n", "max_event_mb = 1.5\n"):
        assert line in text
    assert "idle_timeout = 9.5\n" in text and "answer_chars = 5000\n" in text
    reloaded = load_config(tmp_path / "config.toml")
    assert (reloaded.limits, reloaded.answer_limit) == (config.limits, 5000)


def test_a_limit_set_back_to_its_default_is_written_as_such(tmp_path: Path) -> None:
    config = load(tmp_path, "[limits]\nidle_timeout = 20\n")
    config.limits = Limits()
    save_config(config)
    assert load_config(tmp_path / "config.toml").limits == Limits()


def test_a_limit_change_merges_with_another_instance(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[limits]\nidle_timeout = 20\n")
    mine, theirs = load_config(path), load_config(path)

    def shorter_replies(config: Config) -> None:
        config.limits = replace(config.limits, reply_timeout=30.0)

    update_config(theirs, set_ui("theme", "nord"))
    update_config(mine, shorter_replies)
    on_disk = load_config(path)
    assert on_disk.limits == replace(Limits(), idle_timeout=20.0, reply_timeout=30.0)
    assert on_disk.ui_get("theme") == "nord"
