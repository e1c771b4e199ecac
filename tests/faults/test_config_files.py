"""A hostile or careless config file: too deep, too big, readable by others. Each gives a
clear message, never a traceback, and is never overwritten."""

from __future__ import annotations

import os
import stat
import tracemalloc
from pathlib import Path

import pytest
from textual.pilot import Pilot

from flowise_tui.cli import main
from flowise_tui.config import (
    MAX_CONFIG_BYTES,
    Config,
    ConfigError,
    config_warnings,
    load_config,
    save_config,
    set_ui,
    update_config,
)
from flowise_tui.demo.flows import CHAT_FLOW_ID
from tests.app.conftest import opened
from tests.faults.helpers import notifications, run_app_with

KEY = "sk-flowise-SECRET-0123456789abcdef"
DEEP = {
    "array nested 1,000 deep": "a = " + "[" * 1000 + "]" * 1000 + "\n",
    "inline tables nested 1,000 deep": "a = " + "{b = " * 1000 + "1" + "}" * 1000 + "\n",
    "dotted keys 1,000 deep": "[ui]\n" + ".".join(["k"] * 1000) + " = 1\n",
    "keymap 100 deep": "[keys]\n" + ".".join(["k"] * 100) + ' = "x"\n',
    "array nested 40 deep": "a = " + "[" * 40 + "]" * 40 + "\n",
}


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_a_clear_message(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(raised.value) == (
        f"Config file {path} nests tables or arrays more than 32 levels deep. "
        "It was left untouched; fix or remove it."
    )
    with pytest.raises(ConfigError, match="Refusing to overwrite"):
        update_config(Config(path=path), set_ui("theme", "nord"))
    assert path.read_text() == text


def test_nesting_a_config_needs_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("a = " + "[" * 30 + "]" * 30 + '\n[keys]\nchat.new_chat = "ctrl+t"\n')
    assert load_config(path).keys == {"chat.new_chat": "ctrl+t"}


def test_a_deep_value_set_by_the_program_is_not_saved(tmp_path: Path) -> None:
    deep: object = 1
    for _ in range(1000):
        deep = [deep]
    with pytest.raises(ConfigError, match=r"not saved.*more than 32 levels deep"):
        save_config(Config(path=tmp_path / "config.toml", ui={"x": deep}))
    assert not (tmp_path / "config.toml").exists()


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with path.open("wb") as file:
        file.truncate(200 * 1024 * 1024)  # sparse: 200 MB that costs no disk
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError) as raised:
            load_config(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(raised.value) == (
        f"Config file {path} is larger than 1024 KiB, far more than settings take. "
        "It was left untouched; fix or remove it."
    )
    assert peak < 4 * MAX_CONFIG_BYTES
    with pytest.raises(ConfigError, match=r"Refusing to overwrite.*larger than"):
        update_config(Config(path=path), set_ui("theme", "nord"))
    assert path.stat().st_size == 200 * 1024 * 1024


def test_a_file_just_under_the_limit_loads(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    padding = "# " + "x" * (MAX_CONFIG_BYTES - 40) + "\n"
    path.write_text(padding + 'active_profile = "a"\n')
    assert path.stat().st_size <= MAX_CONFIG_BYTES
    assert load_config(path).active_profile == "a"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_an_endless_device_as_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="larger than 1024 KiB"):
        load_config(Path("/dev/zero"))


def test_the_cli_says_so_without_a_traceback(
    isolated_settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = isolated_settings / "config.toml"
    config.write_text(DEEP["array nested 1,000 deep"])
    assert main(["chatflows", "--url", "http://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "nests tables or arrays more than 32 levels deep" in err
    assert "Traceback" not in err and "RecursionError" not in err


def test_the_app_starts_with_defaults_and_says_why(
    monkeypatch: pytest.MonkeyPatch, isolated_settings: Path, demo_url: str
) -> None:
    config = isolated_settings / "config.toml"
    text = DEEP["array nested 1,000 deep"]
    config.write_text(text)
    seen: list[str] = []

    async def script(pilot: Pilot) -> None:
        app = await opened(pilot, CHAT_FLOW_ID)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause(0.1)
        seen.extend(notifications(app))

    assert run_app_with(monkeypatch, script, url=demo_url, chatflow=CHAT_FLOW_ID) == 0
    notes = "\n".join(seen)
    assert "more than 32 levels deep" in notes and "Running with default settings" in notes
    assert "Settings not saved" in notes and "Refusing to overwrite" in notes
    assert config.read_text() == text


# A file that holds a key and that others can read.


def keyed_config(directory: Path, mode: int, *, key: str | None = KEY) -> Path:
    path = directory / "config.toml"
    line = f'api_key = "{key}"\n' if key else ""
    path.write_text(f'active_profile = "work"\n[profiles.work]\nurl = "http://127.0.0.1:9"\n{line}')
    path.chmod(mode)
    return path


@pytest.mark.parametrize(
    ("mode", "readers"), [(0o644, "other users"), (0o604, "other users"), (0o640, "its group")]
)
def test_a_readable_file_with_a_key_is_warned_about(
    tmp_path: Path, mode: int, readers: str
) -> None:
    path = keyed_config(tmp_path, mode)
    (warning,) = config_warnings(load_config(path))
    assert f"holds an API key (profile 'work') and can be read by {readers}" in warning
    assert f"(mode {mode:o})" in warning and f"chmod 600 {path}" in warning
    assert KEY not in warning


@pytest.mark.parametrize(("mode", "key"), [(0o600, KEY), (0o400, KEY), (0o644, None)])
def test_a_private_file_or_one_without_a_key_is_not(tmp_path: Path, mode: int, key) -> None:
    assert config_warnings(load_config(keyed_config(tmp_path, mode, key=key))) == []


def test_saving_makes_the_file_private_and_the_warning_goes(tmp_path: Path) -> None:
    path = keyed_config(tmp_path, 0o644)
    config = load_config(path)
    update_config(config, set_ui("theme", "nord"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert config_warnings(config) == []


def test_the_app_shows_the_warning_at_start(
    monkeypatch: pytest.MonkeyPatch, isolated_settings: Path, demo_url: str
) -> None:
    path = keyed_config(isolated_settings, 0o644)
    seen: list[str] = []

    async def script(pilot: Pilot) -> None:
        app = await opened(pilot, CHAT_FLOW_ID)
        seen.extend(notifications(app))

    assert run_app_with(monkeypatch, script, url=demo_url, chatflow=CHAT_FLOW_ID) == 0
    notes = "\n".join(seen)
    assert f"Config: Config file {path} holds an API key" in notes and KEY not in notes
