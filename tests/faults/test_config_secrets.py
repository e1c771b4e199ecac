"""A key from the environment or the command line never lands in the config file unless
the user types it into Connect and saves."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from flowise_tui.config import (
    API_KEY_ENV_VAR,
    Config,
    Connection,
    KeySource,
    Profile,
    load_config,
    remember_connection,
    resolve_connection,
    update_config,
)
from tests.faults.helpers import run_app_with
from tests.faults.test_environment import connect_screen

KEY = "sk-from-the-environment-0123456789"
FILE_KEY = "sk-in-the-file-0123456789"
TYPED_KEY = "sk-typed-into-connect-0123456789"


def config_with(path: Path, work: str) -> Path:
    path.write_text(f'active_profile = "work"\n\n[profiles.work]\n{work}')
    return path


# Through the functions.


@pytest.mark.parametrize(
    ("work", "env", "flag", "source"),
    [
        ('url = "http://w"\n', {API_KEY_ENV_VAR: KEY}, None, KeySource.ENVIRONMENT),
        (f'url = "http://w"\napi_key = "{FILE_KEY}"\n', {API_KEY_ENV_VAR: KEY}, None, "env"),
        ('url = "http://w"\napi_key_env = "WORK_KEY"\n', {"WORK_KEY": KEY}, None, "env"),
        (f'url = "http://w"\napi_key = "{FILE_KEY}"\n', {}, KEY, KeySource.GIVEN),
        ('url = "http://w"\n', {}, KEY, KeySource.GIVEN),
    ],
)
def test_a_key_not_from_the_file_is_never_saved(
    tmp_path: Path, work: str, env: dict[str, str], flag: str | None, source: object
) -> None:
    path = config_with(tmp_path / "config.toml", work)
    config = load_config(path)
    connection = resolve_connection(config, api_key=flag, env=env)
    assert connection.api_key == KEY
    expected = KeySource.ENVIRONMENT if source == "env" else source
    assert connection.api_key_source is expected
    before = load_config(path).profiles["work"]
    update_config(config, remember_connection(connection))
    assert KEY not in path.read_text()
    after = load_config(path).profiles["work"]
    assert (after.api_key, after.api_key_env) == (before.api_key, before.api_key_env)
    assert config.profiles["work"].api_key == before.api_key, "nor kept in memory as saved"


def test_a_key_from_the_file_resolves_as_such_and_stays(tmp_path: Path) -> None:
    path = config_with(tmp_path / "config.toml", f'url = "http://w"\napi_key = "{FILE_KEY}"\n')
    config = load_config(path)
    connection = resolve_connection(config, env={})
    assert connection.api_key_source is KeySource.FILE
    update_config(config, remember_connection(connection))
    assert load_config(path).profiles["work"].api_key == FILE_KEY


def test_a_file_key_saved_under_a_new_name_is_copied(tmp_path: Path) -> None:
    path = config_with(tmp_path / "config.toml", f'url = "http://w"\napi_key = "{FILE_KEY}"\n')
    config = load_config(path)
    connection = resolve_connection(config, env={})
    update_config(config, remember_connection(Connection(**{**vars(connection), "profile": "b"})))
    assert load_config(path).profiles["b"].api_key == FILE_KEY


def test_an_environment_key_saved_under_a_new_name_is_not(tmp_path: Path) -> None:
    path = config_with(tmp_path / "config.toml", 'url = "http://w"\n')
    config = load_config(path)
    connection = resolve_connection(config, env={API_KEY_ENV_VAR: KEY})
    update_config(config, remember_connection(Connection(**{**vars(connection), "profile": "b"})))
    assert load_config(path).profiles["b"].api_key is None and KEY not in path.read_text()


def test_a_typed_key_is_saved_and_replaces_the_variable(tmp_path: Path) -> None:
    path = config_with(tmp_path / "config.toml", 'url = "http://w"\napi_key_env = "WORK_KEY"\n')
    config = load_config(path)
    connection = Connection(
        url="http://w",
        api_key=TYPED_KEY,
        profile="work",
        insecure=False,
        default_chatflow=None,
        api_key_source=KeySource.TYPED,
    )
    update_config(config, remember_connection(connection))
    work = load_config(path).profiles["work"]
    assert (work.api_key, work.api_key_env) == (TYPED_KEY, None)


def test_a_connection_with_no_stated_source_is_not_saved(tmp_path: Path) -> None:
    config = Config(path=tmp_path / "config.toml")
    connection = Connection(
        url="http://w", api_key=KEY, profile="p", insecure=False, default_chatflow=None
    )
    assert connection.api_key_source is KeySource.GIVEN
    update_config(config, remember_connection(connection))
    assert KEY not in config.path.read_text()


# Through the app, as the command line starts it: F2, then Enter.


async def _connect_and_save(pilot: Pilot, type_key: str | None = None) -> None:
    screen = await connect_screen(pilot)
    field = screen.query_one("#api-key", Input)
    assert field.value == KEY, "Connect shows the key in use (masked)"
    if type_key is not None:
        field.value = type_key
    screen.query_one("#url", Input).focus()
    await pilot.press("enter")
    await pilot.pause(0.2)


def _app_with_key(
    monkeypatch: pytest.MonkeyPatch, demo_url: str, script, **options: object
) -> None:
    async def f2_then(pilot: Pilot) -> None:
        await pilot.press("f2")
        await script(pilot)

    assert run_app_with(monkeypatch, f2_then, **options) == 0


@pytest.fixture
def settings_with_work(isolated_settings: Path, demo_url: str) -> Path:
    return config_with(
        isolated_settings / "config.toml", f'url = "{demo_url}"\nteam = "platform"\n'
    )


def test_f2_enter_keeps_the_environment_key_off_disk(
    monkeypatch: pytest.MonkeyPatch, settings_with_work: Path, demo_url: str
) -> None:
    monkeypatch.setenv(API_KEY_ENV_VAR, KEY)
    seen: dict[str, object] = {}

    async def script(pilot: Pilot) -> None:
        await _connect_and_save(pilot)
        seen["connection"] = pilot.app.connection  # type: ignore[attr-defined]

    _app_with_key(monkeypatch, demo_url, script)
    assert KEY not in settings_with_work.read_text()
    assert load_config(settings_with_work).profiles["work"] == Profile(
        name="work", url=demo_url, extra={"team": "platform"}
    )
    connection = seen["connection"]
    assert isinstance(connection, Connection) and connection.api_key == KEY, "still in use"


def test_f2_enter_keeps_a_command_line_key_off_disk(
    monkeypatch: pytest.MonkeyPatch, settings_with_work: Path, demo_url: str
) -> None:
    _app_with_key(monkeypatch, demo_url, _connect_and_save, api_key=KEY)
    assert KEY not in settings_with_work.read_text()


def test_f2_with_the_key_typed_saves_it(
    monkeypatch: pytest.MonkeyPatch, settings_with_work: Path, demo_url: str
) -> None:
    monkeypatch.setenv(API_KEY_ENV_VAR, KEY)

    async def script(pilot: Pilot) -> None:
        await _connect_and_save(pilot, type_key=TYPED_KEY)

    _app_with_key(monkeypatch, demo_url, script)
    work = load_config(settings_with_work).profiles["work"]
    assert work.api_key == TYPED_KEY and work.extra == {"team": "platform"}
    assert KEY not in settings_with_work.read_text()
