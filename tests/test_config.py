from __future__ import annotations

import os
import signal
import stat
import tempfile
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowise_tui.config import (
    DEFAULT_PROFILE,
    DEFAULT_URL,
    Config,
    ConfigError,
    Connection,
    Profile,
    config_path,
    load_config,
    normalize_url,
    resolve_connection,
    save_config,
)

SECRET = "sk-very-secret-0123456789"

FULL_CONFIG = """\
# a user comment
active_profile = "work"
future_setting = 42
colors = ["red", "green"]

[ui]
theme = "textual-dark"
show_sources = true
sidebar = { width = 30, collapsed = false }

[ui.keys]
send = "ctrl+enter"

[plugins.spell]
enabled = true
lang = "en"

[profiles.default]
url = "http://localhost:3000"

[profiles.work]
url = "https://flowise.example.com/"
api_key_env = "WORK_FLOWISE_KEY"
default_chatflow = "support-bot"
insecure = true
team = "platform"

[profiles."my laptop"]
url = "localhost:8080"
api_key = "sk-laptop"
"""


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("FLOWISE_URL", "FLOWISE_API_KEY", "FLOWISE_TUI_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("FLOWISE_TUI_CONFIG", str(tmp_path / "env-config" / "config.toml"))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def leftovers(directory: Path, keep: set[str]) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name not in keep)


# --- locating and loading -----------------------------------------------------------


def test_config_path_honours_env_override(tmp_path: Path) -> None:
    assert config_path() == tmp_path / "env-config" / "config.toml"


def test_config_path_defaults_to_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLOWISE_TUI_CONFIG")
    assert config_path() == platformdirs.user_config_path("flowise-tui") / "config.toml"


def test_load_without_argument_uses_env_path(tmp_path: Path) -> None:
    write(tmp_path / "env-config" / "config.toml", 'active_profile = "x"\n')
    config = load_config()
    assert config.active_profile == "x"
    assert config.path == tmp_path / "env-config" / "config.toml"


def test_missing_file_gives_default_config_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "config.toml"
    config = load_config(path)
    assert config == Config(path=path)
    assert config.active_profile == DEFAULT_PROFILE
    assert config.profiles == {}
    assert config.ui == {}
    assert not path.parent.exists()


def test_load_reads_all_fields(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "config.toml", FULL_CONFIG))
    assert config.active_profile == "work"
    work = config.profiles["work"]
    assert work == Profile(
        name="work",
        url="https://flowise.example.com/",
        api_key_env="WORK_FLOWISE_KEY",
        default_chatflow="support-bot",
        insecure=True,
        extra={"team": "platform"},
    )
    assert config.profiles["my laptop"].api_key == "sk-laptop"
    assert config.ui_get("theme") == "textual-dark"
    assert config.ui_get("missing", "fallback") == "fallback"
    assert config.extra == {
        "future_setting": 42,
        "colors": ["red", "green"],
        "plugins": {"spell": {"enabled": True, "lang": "en"}},
    }


def test_profile_lookup_and_set_profile(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "config.toml", FULL_CONFIG))
    assert config.profile().name == "work"
    assert config.profile("default").url == DEFAULT_URL
    assert config.profile("nope") == Profile(name="nope")
    assert "nope" not in config.profiles

    config.set_profile(Profile(name="new", url="http://new:1"))
    assert config.profile("new").url == "http://new:1"


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbfactive_profile = 'bom'\n")
    assert load_config(path).active_profile == "bom"


# --- round trip ---------------------------------------------------------------------


def test_round_trip_preserves_profiles_ui_and_unknown_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", FULL_CONFIG)
    original = load_config(path)
    save_config(original)
    reloaded = load_config(path)
    assert reloaded == original
    assert reloaded.extra["plugins"] == {"spell": {"enabled": True, "lang": "en"}}
    assert reloaded.ui["sidebar"] == {"width": 30, "collapsed": False}
    assert reloaded.profiles["work"].extra == {"team": "platform"}


def test_round_trip_after_edits(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", FULL_CONFIG)
    config = load_config(path)
    config.ui_set("theme", "nord")
    config.ui_set("show_sources", None)
    config.set_profile(Profile(name="staging", url="http://staging:3000", api_key=SECRET))
    config.active_profile = "staging"
    save_config(config)

    reloaded = load_config(path)
    assert reloaded == config
    assert reloaded.ui_get("theme") == "nord"
    assert "show_sources" not in reloaded.ui
    assert reloaded.profile().api_key == SECRET


def test_none_values_are_omitted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = Config(path=path, ui={"theme": "x", "gone": None, "nested": {"a": None, "b": 1}})
    config.set_profile(Profile(name="default"))
    save_config(config)
    text = path.read_text()
    for absent in ("api_key", "api_key_env", "default_chatflow", "insecure", "gone", "a ="):
        assert absent not in text
    reloaded = load_config(path)
    assert reloaded.ui == {"theme": "x", "nested": {"b": 1}}
    assert reloaded.profile("default") == Profile(name="default")


def test_save_fresh_config_creates_private_directory_and_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "flowise-tui" / "config.toml"
    config = Config(path=path)
    config.set_profile(Profile(name="default", api_key=SECRET))
    save_config(config)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert leftovers(path.parent, {"config.toml"}) == []
    assert load_config(path) == config


def test_save_replaces_permissive_file_with_0600(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'active_profile = "a"\n')
    path.chmod(0o644)
    (tmp_path / "neighbour.txt").write_text("keep me")
    save_config(load_config(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert leftovers(tmp_path, {"config.toml", "neighbour.txt"}) == []
    assert (tmp_path / "neighbour.txt").read_text() == "keep me"


def test_save_through_symlink_updates_target(tmp_path: Path) -> None:
    target = write(tmp_path / "dotfiles" / "flowise.toml", 'active_profile = "a"\n')
    link = tmp_path / "config" / "config.toml"
    link.parent.mkdir()
    link.symlink_to(target)

    config = load_config(link)
    config.active_profile = "b"
    save_config(config)

    assert link.is_symlink()
    assert load_config(target).active_profile == "b"


_toml_scalars = (
    st.text(max_size=20)
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.booleans()
    | st.floats(allow_nan=False)
)
_ui_values = st.recursive(
    _toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(ui=st.dictionaries(st.text(max_size=10), _ui_values, max_size=5), name=st.text(max_size=12))
def test_round_trip_arbitrary_ui_and_profile_names(ui: dict[str, Any], name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(path=Path(tmp) / "config.toml", active_profile=name, ui=ui)
        config.set_profile(Profile(name=name, api_key="k", default_chatflow="c"))
        save_config(config)
        assert load_config(config.path) == config


# --- corrupt and mis-shaped files ---------------------------------------------------


CORRUPT = b'active_profile = "default"\n[ui]\ntheme = = "dark"\n'


def test_corrupt_file_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(CORRUPT)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    error = info.value
    assert error.path == path
    assert error.line == 3
    assert error.column == 9
    message = str(error)
    assert message.startswith(f"Config file {path} is not valid TOML (line 3, column 9): ")
    assert message.endswith("It was left untouched; fix or remove it.")
    assert path.read_bytes() == CORRUPT


def test_error_at_end_of_document_still_has_a_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'active_profile = "a"\ncolors = ["red",\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.line == 3
    assert "line 3" in str(info.value)


def test_invalid_utf8_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    original = b'active_profile = "a"\nname = "\xff"\n'
    path.write_bytes(original)
    with pytest.raises(ConfigError, match="not valid UTF-8") as info:
        load_config(path)
    assert info.value.line == 2
    assert path.read_bytes() == original


def test_save_refuses_to_overwrite_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(CORRUPT)
    with pytest.raises(ConfigError) as info:
        save_config(Config(path=path, active_profile="other"))
    assert info.value.path == path
    assert info.value.line == 3
    assert "Refusing to overwrite" in str(info.value)
    assert str(path) in str(info.value)
    assert path.read_bytes() == CORRUPT
    assert leftovers(tmp_path, {"config.toml"}) == []


def test_save_refuses_to_overwrite_misshapen_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    original = b"profiles = 3\n"
    path.write_bytes(original)
    with pytest.raises(ConfigError, match="Refusing to overwrite"):
        save_config(Config(path=path))
    assert path.read_bytes() == original


def test_force_overwrites_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(CORRUPT)
    save_config(Config(path=path, active_profile="fresh"), force=True)
    assert load_config(path).active_profile == "fresh"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("active_profile = 3\n", "active_profile", "a string"),
        ('ui = "dark"\n', "ui", "a table"),
        ('profiles = "x"\n', "profiles", "a table"),
        ("[profiles]\nwork = 1\n", "profiles.work", "a table"),
        ("[profiles.work]\nurl = 3000\n", "profiles.work.url", "a string"),
        ("[profiles.work]\napi_key = true\n", "profiles.work.api_key", "a string"),
        ("[profiles.work]\napi_key_env = []\n", "profiles.work.api_key_env", "a string"),
        ("[profiles.work]\ndefault_chatflow = 1.5\n", "profiles.work.default_chatflow", "a string"),
        ('[profiles.work]\ninsecure = "yes"\n', "profiles.work.insecure", "a boolean"),
        ('[profiles."my box"]\nurl = 1\n', 'profiles."my box".url', "a string"),
    ],
)
def test_wrong_shapes_name_the_key(tmp_path: Path, text: str, key: str, expected: str) -> None:
    path = write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert str(path) in message
    assert f"'{key}' must be {expected}" in message
    assert path.read_text() == text


# --- unreadable files and failing writes --------------------------------------------


def test_config_path_that_is_a_directory_cannot_be_loaded_or_saved(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()
    (path / "inside").write_text("x")

    with pytest.raises(ConfigError, match="could not be read") as info:
        load_config(path)
    assert info.value.path == path

    for force in (False, True):
        with pytest.raises(ConfigError) as info:
            save_config(Config(path=path), force=force)
        assert str(path) in str(info.value)
        assert path.is_dir()
        assert os.listdir(path) == ["inside"]
    assert leftovers(tmp_path, {"config.toml"}) == []


def test_parent_that_is_a_file_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "flowise-tui"
    blocker.write_bytes(b"not a directory")
    path = blocker / "config.toml"

    with pytest.raises(ConfigError, match="could not be read"):
        load_config(path)
    for force in (False, True):
        with pytest.raises(ConfigError, match="is not a directory"):
            save_config(Config(path=path), force=force)
    assert blocker.read_bytes() == b"not a directory"


def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'active_profile = "a"\n')
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that ignore file permissions")
        with pytest.raises(ConfigError, match="could not be read"):
            load_config(path)
    finally:
        path.chmod(0o600)


def test_read_only_directory_leaves_existing_file_unchanged(tmp_path: Path) -> None:
    directory = tmp_path / "ro"
    path = write(directory / "config.toml", 'active_profile = "a"\n')
    before = path.read_bytes()
    directory.chmod(0o500)
    try:
        if os.access(directory, os.W_OK):
            pytest.skip("running with privileges that ignore directory permissions")
        with pytest.raises(ConfigError, match="Could not save"):
            save_config(Config(path=path, active_profile="b"))
    finally:
        directory.chmod(0o700)
    assert path.read_bytes() == before
    assert leftovers(directory, {"config.toml"}) == []


def test_failed_write_leaves_existing_file_and_no_temp_file(tmp_path: Path) -> None:
    """A file-size limit makes the kernel fail the write part-way, like a full disk."""
    resource = pytest.importorskip("resource")
    path = write(tmp_path / "config.toml", 'active_profile = "a"\n')
    before = path.read_bytes()
    config = Config(path=path, active_profile="b", ui={"padding": "x" * 4096})

    old_limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, old_limits[1]))
    try:
        with pytest.raises(ConfigError, match="Could not save") as info:
            save_config(config)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limits)
        signal.signal(signal.SIGXFSZ, old_handler)

    assert "left unchanged" in str(info.value)
    assert path.read_bytes() == before
    assert leftovers(tmp_path, {"config.toml"}) == []


@pytest.mark.parametrize(
    "config_kwargs",
    [
        {"ui": {"bad": {1, 2}}},
        {"profiles": {"x": Profile(name="x", insecure="yes")}},  # type: ignore[arg-type]
        {"profiles": {"x": Profile(name="x", url=3000)}},  # type: ignore[arg-type]
    ],
)
def test_unsaveable_values_are_rejected_before_touching_disk(
    tmp_path: Path, config_kwargs: dict[str, Any]
) -> None:
    path = write(tmp_path / "config.toml", 'active_profile = "a"\n')
    before = path.read_bytes()
    with pytest.raises(ConfigError, match="not saved"):
        save_config(Config(path=path, **config_kwargs))
    assert path.read_bytes() == before
    assert leftovers(tmp_path, {"config.toml"}) == []


# --- secrets ------------------------------------------------------------------------


def test_reprs_mask_the_api_key(tmp_path: Path) -> None:
    profile = Profile(name="p", api_key=SECRET, api_key_env="MY_KEY")
    connection = Connection(
        url=DEFAULT_URL, api_key=SECRET, profile="p", insecure=False, default_chatflow=None
    )
    config = Config(path=tmp_path / "c.toml", profiles={"p": profile})
    for text in (repr(profile), str(profile), repr(connection), str(connection), repr(config)):
        assert SECRET not in text
        assert "api_key='***'" in text
    assert "api_key_env='MY_KEY'" in repr(profile)
    assert "api_key=None" in repr(Profile(name="p"))


def test_resolved_api_key() -> None:
    env = {"MY_KEY": "from-env"}
    assert Profile(name="p", api_key="inline", api_key_env="MY_KEY").resolved_api_key(env) == (
        "inline"
    )
    assert Profile(name="p", api_key_env="MY_KEY").resolved_api_key(env) == "from-env"
    assert Profile(name="p", api_key_env="UNSET").resolved_api_key(env) is None
    assert Profile(name="p").resolved_api_key(env) is None


# --- connection resolution ----------------------------------------------------------


@pytest.fixture
def layered(tmp_path: Path) -> Config:
    return load_config(
        write(
            tmp_path / "config.toml",
            """\
active_profile = "main"

[profiles.main]
url = "http://profile:1"
api_key = "profile-key"
insecure = true
default_chatflow = "bot"

[profiles.other]
url = "http://other:5"
api_key_env = "OTHER_KEY"
""",
        )
    )


FLAGS = {"url": "http://flag:3", "api_key": "flag-key", "insecure": False}
ENV = {"FLOWISE_URL": "http://env:2", "FLOWISE_API_KEY": "env-key"}


@pytest.mark.parametrize(
    ("flags", "env", "expected"),
    [
        ({}, {}, ("http://profile:1", "profile-key", True)),
        ({}, ENV, ("http://env:2", "env-key", True)),
        (FLAGS, {}, ("http://flag:3", "flag-key", False)),
        (FLAGS, ENV, ("http://flag:3", "flag-key", False)),
        ({"url": "http://flag:3"}, ENV, ("http://flag:3", "env-key", True)),
        ({"api_key": "flag-key"}, ENV, ("http://env:2", "flag-key", True)),
        ({}, {"FLOWISE_URL": "", "FLOWISE_API_KEY": ""}, ("http://profile:1", "profile-key", True)),
        ({"api_key": ""}, ENV, ("http://env:2", None, True)),
    ],
    ids=[
        "profile",
        "env-beats-profile",
        "flags-beat-profile",
        "flags-beat-env",
        "url-flag-only",
        "key-flag-only",
        "empty-env-ignored",
        "empty-key-flag-clears",
    ],
)
def test_precedence_flags_env_profile(
    layered: Config,
    flags: dict[str, Any],
    env: dict[str, str],
    expected: tuple[str, str | None, bool],
) -> None:
    connection = resolve_connection(layered, env=env, **flags)
    assert (connection.url, connection.api_key, connection.insecure) == expected
    assert connection.profile == "main"
    assert connection.default_chatflow == "bot"


def test_defaults_when_config_is_empty(tmp_path: Path) -> None:
    connection = resolve_connection(Config(path=tmp_path / "none.toml"), env={})
    assert connection == Connection(
        url=DEFAULT_URL,
        api_key=None,
        profile=DEFAULT_PROFILE,
        insecure=False,
        default_chatflow=None,
    )


@pytest.mark.parametrize(
    ("flag", "env_profile", "expected"),
    [
        (None, None, "main"),
        (None, "other", "other"),
        ("main", "other", "main"),
        ("other", None, "other"),
    ],
)
def test_profile_choice_precedence(
    layered: Config, flag: str | None, env_profile: str | None, expected: str
) -> None:
    env = {"OTHER_KEY": "other-secret"}
    if env_profile is not None:
        env["FLOWISE_TUI_PROFILE"] = env_profile
    connection = resolve_connection(layered, profile=flag, env=env)
    assert connection.profile == expected
    assert connection.url == layered.profiles[expected].url
    assert connection.api_key == {"main": "profile-key", "other": "other-secret"}[expected]


def test_uses_process_environment_by_default(
    layered: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLOWISE_TUI_PROFILE", "other")
    monkeypatch.setenv("OTHER_KEY", "from-os-environ")
    connection = resolve_connection(layered)
    assert (connection.profile, connection.api_key) == ("other", "from-os-environ")


@pytest.mark.parametrize(
    ("kwargs", "env", "source"),
    [
        ({"profile": "typo"}, {}, "requested explicitly"),
        ({}, {"FLOWISE_TUI_PROFILE": "typo"}, "from FLOWISE_TUI_PROFILE"),
    ],
)
def test_unknown_explicit_profile_lists_known_profiles(
    layered: Config, kwargs: dict[str, str], env: dict[str, str], source: str
) -> None:
    with pytest.raises(ConfigError) as info:
        resolve_connection(layered, env=env, **kwargs)
    message = str(info.value)
    assert "'typo'" in message
    assert source in message
    assert "'main', 'other'" in message
    assert str(layered.path) in message
    assert info.value.path == layered.path


def test_explicit_profile_allowed_when_config_has_no_profiles(tmp_path: Path) -> None:
    connection = resolve_connection(Config(path=tmp_path / "c.toml"), profile="adhoc", env={})
    assert (connection.profile, connection.url) == ("adhoc", DEFAULT_URL)


def test_missing_active_profile_falls_back_to_defaults(tmp_path: Path) -> None:
    config = Config(path=tmp_path / "c.toml", active_profile="gone")
    config.set_profile(Profile(name="main", url="http://main:1"))
    connection = resolve_connection(config, env={})
    assert (connection.profile, connection.url) == ("gone", DEFAULT_URL)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://localhost:3000", "http://localhost:3000"),
        ("http://localhost:3000/", "http://localhost:3000"),
        ("https://flowise.example.com///", "https://flowise.example.com"),
        ("localhost:3000", "http://localhost:3000"),
        ("flowise.example.com/", "http://flowise.example.com"),
        ("  HTTPS://Flowise.example.com/base/  ", "https://Flowise.example.com/base"),
        ("http://[::1]:3000/", "http://[::1]:3000"),
        ("10.0.0.5:8080", "http://10.0.0.5:8080"),
    ],
)
def test_url_normalisation(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("ftp://files.example.com", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("ws://example.com", "only http and https"),
        ("", "empty"),
        ("http://", "no host"),
        ("http://exa mple.com", "whitespace"),
        ("localhost:notaport", "neither an http"),
        ("mailto:me@example.com", "neither an http"),
        ("javascript:alert(1)", "neither an http"),
        ("http://localhost:99999", "not a valid URL"),
        ("http://host/?q=1", "query"),
    ],
)
def test_invalid_urls_are_rejected(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        normalize_url(raw)


def test_resolve_normalises_and_reports_url_source(layered: Config) -> None:
    assert resolve_connection(layered, url="example.com/", env={}).url == "http://example.com"

    with pytest.raises(ConfigError, match=r"from FLOWISE_URL.*only http and https"):
        resolve_connection(layered, env={"FLOWISE_URL": "ftp://x"})
    with pytest.raises(ConfigError, match="from the url option"):
        resolve_connection(layered, url="gopher://x", env={})

    layered.set_profile(Profile(name="main", url="mailto:me@example.com"))
    with pytest.raises(ConfigError) as info:
        resolve_connection(layered, env={})
    assert "profiles.main.url" in str(info.value)
    assert str(layered.path) in str(info.value)


def test_keys_table_round_trips_in_either_spelling(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\nchat.new_chat = "ctrl+t"\n"answer.copy" = "c,ctrl+y"\n')
    config = load_config(path)
    assert config.keys == {"chat.new_chat": "ctrl+t", "answer.copy": "c,ctrl+y"}
    config.ui_set("theme", "nord")
    save_config(config)
    assert load_config(path).keys == config.keys


def test_keys_that_are_not_strings_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"chat.new_chat" = 3\n')
    with pytest.raises(ConfigError, match=r"must be a string"):
        load_config(path)
