"""Loading, saving and resolving the flowise-tui TOML configuration file."""

from __future__ import annotations

import contextlib
import enum
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import platformdirs

from flowise_tui.config_limits import (
    DEFAULT_ANSWER_LIMIT,
    LIMIT_KEYS,
    LimitError,
    limits_from_table,
    limits_to_table,
    toml_type,
    unknown_limit_keys,
)
from flowise_tui.config_overrides import settings_warnings
from flowise_tui.files import LockTimeout, exclusive_lock, fsync_directory, staged_file
from flowise_tui.flowise.limits import Limits

if TYPE_CHECKING:
    import tomllib

__all__ = [
    "API_KEY_ENV_VAR",
    "CONFIG_ENV_VAR",
    "DEFAULT_ANSWER_LIMIT",
    "DEFAULT_PROFILE",
    "DEFAULT_URL",
    "MAX_CONFIG_BYTES",
    "PROFILE_ENV_VAR",
    "URL_ENV_VAR",
    "Change",
    "Config",
    "ConfigError",
    "Connection",
    "KeySource",
    "Profile",
    "activate_profile",
    "config_path",
    "config_warnings",
    "load_config",
    "normalize_url",
    "remember_connection",
    "resolve_connection",
    "save_config",
    "set_ui",
    "update_config",
]

APP_NAME = "flowise-tui"
CONFIG_FILENAME = "config.toml"
CONFIG_ENV_VAR = "FLOWISE_TUI_CONFIG"
URL_ENV_VAR = "FLOWISE_URL"
API_KEY_ENV_VAR = "FLOWISE_API_KEY"
PROFILE_ENV_VAR = "FLOWISE_TUI_PROFILE"

DEFAULT_URL = "http://localhost:3000"
DEFAULT_PROFILE = "default"

MAX_CONFIG_BYTES = 1024 * 1024
"""A config file is a few KB; a bigger one is refused before it is parsed."""
MAX_CONFIG_DEPTH = 32
"""Tables and arrays nested deeper than this are refused (TOML parsers and writers recurse)."""
LOCK_TIMEOUT = 5.0
"""Seconds a save waits for another process's save to finish."""

_UNTOUCHED = "It was left untouched; fix or remove it."
_PROFILE_STRING_FIELDS = ("url", "api_key", "api_key_env", "default_chatflow")
_TOP_LEVEL_KEYS = ("active_profile", "ui", "keys", "profiles", "limits")
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
_HAS_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# "mailto:x" or "localhost:abc", but not "localhost:3000" or "localhost:3000/path".
_SCHEME_WITHOUT_SLASHES = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?!\d*(?:[/?#]|$))")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class ConfigError(Exception):
    """The config file could not be read, parsed, validated or written."""

    def __init__(
        self,
        message: str,
        path: Path,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column


class _ShapeError(Exception):
    def __init__(self, key: str, expected: str, value: Any) -> None:
        super().__init__(f"{key!r} must be {expected}, not {toml_type(value)}")


def _mask(secret: str | None) -> str:
    return "None" if secret is None else "'***'"


@dataclass(repr=False)
class Profile:
    name: str
    url: str = DEFAULT_URL
    api_key: str | None = None
    api_key_env: str | None = None
    default_chatflow: str | None = None
    insecure: bool = False
    # Keys of the profile table this version does not know; written back on save.
    extra: dict[str, Any] = field(default_factory=dict)

    def resolved_api_key(self, env: Mapping[str, str]) -> str | None:
        if self.api_key:
            return self.api_key
        if self.api_key_env:
            return env.get(self.api_key_env) or None
        return None

    def __repr__(self) -> str:
        return (
            f"Profile(name={self.name!r}, url={self.url!r}, api_key={_mask(self.api_key)}, "
            f"api_key_env={self.api_key_env!r}, default_chatflow={self.default_chatflow!r}, "
            f"insecure={self.insecure!r})"
        )


@dataclass
class Config:
    path: Path
    active_profile: str = DEFAULT_PROFILE
    profiles: dict[str, Profile] = field(default_factory=dict)
    ui: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    """The user's keymap: binding id -> keys ("chat.new_chat" = "ctrl+t")."""
    limits: Limits = field(default_factory=Limits)
    """What the client accepts from a server: the `[limits]` table."""
    answer_limit: int = DEFAULT_ANSWER_LIMIT
    """Characters of one answer the app shows before it cuts the answer and stops it."""
    limits_table: dict[str, Any] = field(default_factory=dict)
    """The `[limits]` table as the file had it; saving writes it back with the values the
    program changed since put in."""
    # Unknown top-level keys; written back on save.
    extra: dict[str, Any] = field(default_factory=dict)

    def profile(self, name: str | None = None) -> Profile:
        name = self.active_profile if name is None else name
        if name in self.profiles:
            return self.profiles[name]
        return Profile(name=name)

    def set_profile(self, profile: Profile) -> None:
        self.profiles[profile.name] = profile

    def ui_get(self, key: str, default: Any = None) -> Any:
        return self.ui.get(key, default)

    def ui_set(self, key: str, value: Any) -> None:
        if value is None:
            self.ui.pop(key, None)
        else:
            self.ui[key] = value


Change = Callable[[Config], None]
"""One change to the settings, applied to the copy in memory and to the file on disk."""


class KeySource(enum.Enum):
    """Where a connection's API key came from. Only a key that was in the config file or that
    the user typed into Connect is ever written to the file."""

    NONE = "no key"
    FILE = "the config file"
    ENVIRONMENT = "the environment"
    GIVEN = "the command line"
    TYPED = "the Connect form"

    @property
    def may_be_saved(self) -> bool:
        return self in (KeySource.FILE, KeySource.TYPED)


@dataclass(frozen=True, repr=False)
class Connection:
    url: str
    api_key: str | None
    profile: str
    insecure: bool
    default_chatflow: str | None
    api_key_source: KeySource = KeySource.GIVEN
    """A key handed over without saying where it came from is never saved."""
    temporary: bool = False
    """A server that lives only as long as this run (the demo's): its address is never saved."""

    def __post_init__(self) -> None:
        if self.api_key is None:
            object.__setattr__(self, "api_key_source", KeySource.NONE)

    def __repr__(self) -> str:
        return (
            f"Connection(url={self.url!r}, api_key={_mask(self.api_key)}, "
            f"profile={self.profile!r}, insecure={self.insecure!r}, "
            f"default_chatflow={self.default_chatflow!r}, "
            f"api_key_source={self.api_key_source.name}, temporary={self.temporary!r})"
        )


def config_path() -> Path:
    override = os.environ.get(CONFIG_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path(APP_NAME) / CONFIG_FILENAME


def load_config(path: Path | None = None) -> Config:
    path = config_path() if path is None else Path(path)
    data = _read(path)
    if data is None:
        return Config(path=path)
    return _parse(data, path)


def save_config(config: Config, *, force: bool = False, lock_timeout: float = LOCK_TIMEOUT) -> None:
    """Write `config` whole, replacing the file. The app saves with `update_config`, which
    keeps what other processes saved meanwhile."""
    path = Path(config.path)
    data = _render(config, path).encode("utf-8")
    with _locked(path, lock_timeout) as target:
        if not force:
            _ensure_overwritable(path)
        _atomic_write(target, data, path)


def update_config(config: Config, *changes: Change, lock_timeout: float = LOCK_TIMEOUT) -> None:
    """Apply `changes` to `config`, then to the file as it is on disk now, under a lock: what
    another process saved in the meantime is kept, and so are keys this version does not know.

    The copy in memory keeps the changes even when the file cannot be written (the
    ConfigError then says why); a file that does not load is never overwritten.
    """
    for change in changes:
        change(config)
    path = Path(config.path)
    with _locked(path, lock_timeout) as target:
        on_disk = _read_for_overwrite(path)
        fresh = Config(path=path) if on_disk is None else on_disk
        for change in changes:
            change(fresh)
        _atomic_write(target, _render(fresh, path).encode("utf-8"), path)


def set_ui(key: str, value: Any) -> Change:
    """Set `[ui] key` (None removes it)."""
    return lambda config: config.ui_set(key, value)


def activate_profile(name: str) -> Change:
    def change(config: Config) -> None:
        config.active_profile = name

    return change


def remember_connection(connection: Connection) -> Change:
    """Save `connection` as its profile, which becomes the active one; the profile's other
    keys stay. Its API key is written only when it came from the config file or was typed
    into Connect: a key from the environment or the command line stays in memory."""

    def change(config: Config) -> None:
        previous = config.profiles.get(connection.profile)
        api_key, api_key_env = _key_fields(previous, connection)
        config.set_profile(
            Profile(
                name=connection.profile,
                url=connection.url,
                api_key=api_key,
                api_key_env=api_key_env,
                default_chatflow=previous.default_chatflow if previous else None,
                insecure=connection.insecure,
                extra=dict(previous.extra) if previous else {},
            )
        )
        config.active_profile = connection.profile

    return change


def _key_fields(previous: Profile | None, connection: Connection) -> tuple[str | None, str | None]:
    """`api_key` and `api_key_env` of a profile saved from `connection`."""
    if connection.api_key_source is KeySource.TYPED:
        return connection.api_key, None
    kept = (previous.api_key, previous.api_key_env) if previous else (None, None)
    if kept == (None, None) and connection.api_key_source.may_be_saved:
        # Another profile's key, saved under this name too.
        return connection.api_key, None
    return kept


def config_warnings(config: Config) -> list[str]:
    """What the user should know about a config file that loaded: one sentence each."""
    warnings: list[str] = []
    keyed = sorted(name for name, profile in config.profiles.items() if profile.api_key)
    mode = _file_mode(Path(config.path))
    if keyed and mode & (stat.S_IRGRP | stat.S_IROTH):
        import shlex

        readers = "other users" if mode & stat.S_IROTH else "its group"
        warnings.append(
            f"Config file {config.path} holds an API key (profile {keyed[0]!r}) and can be "
            f"read by {readers} (mode {mode:03o}). Make it private: "
            f"chmod 600 {shlex.quote(str(config.path))}"
        )
    unknown = unknown_limit_keys(config.limits_table)
    if unknown:
        known = ", ".join(sorted([*LIMIT_KEYS, "answer_chars"]))
        warnings.append(
            f"Config file {config.path}: [limits] has no setting "
            f"{', '.join(repr(key) for key in unknown)}, so it does nothing (known: {known})."
        )
    warnings.extend(settings_warnings(config))
    return warnings


def _file_mode(path: Path) -> int:
    """The permission bits of `path`, 0 where they mean nothing (Windows) or it is missing."""
    if os.name != "posix":
        return 0
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0


def normalize_url(url: str) -> str:
    """Return `url` as `scheme://host[:port][/path]`; raise ValueError if unusable."""
    candidate = url.strip()
    if not candidate:
        raise ValueError("the URL is empty")
    if any(char.isspace() for char in candidate):
        raise ValueError(f"{url!r} contains whitespace")
    if not _HAS_SCHEME.match(candidate):
        if _SCHEME_WITHOUT_SLASHES.match(candidate):
            raise ValueError(f"{url!r} is neither an http(s) URL nor a host[:port]")
        candidate = f"http://{candidate}"
    try:
        parts = urlsplit(candidate)
        parts.port  # noqa: B018 - raises ValueError for a malformed or out-of-range port
    except ValueError as exc:
        raise ValueError(f"{url!r} is not a valid URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"{url!r} uses {parts.scheme!r}; only http and https are supported")
    if not parts.hostname:
        raise ValueError(f"{url!r} has no host name")
    if parts.query or parts.fragment:
        raise ValueError(f"{url!r} must not contain a query string or fragment")
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def resolve_connection(
    config: Config,
    *,
    profile: str | None = None,
    url: str | None = None,
    api_key: str | None = None,
    insecure: bool | None = None,
    env: Mapping[str, str] | None = None,
) -> Connection:
    """Combine flags > environment > config profile > defaults into a Connection."""
    env = os.environ if env is None else env

    env_profile = env.get(PROFILE_ENV_VAR) or None
    if profile is not None:
        name, requested_by = profile, "requested explicitly"
    elif env_profile is not None:
        name, requested_by = env_profile, f"from {PROFILE_ENV_VAR}"
    else:
        name, requested_by = config.active_profile, None
    if requested_by is not None and config.profiles and name not in config.profiles:
        known = ", ".join(repr(known) for known in sorted(config.profiles))
        raise ConfigError(
            f"Unknown profile {name!r} ({requested_by}). "
            f"Profiles defined in {config.path}: {known}.",
            config.path,
        )
    chosen = config.profile(name)

    env_url = env.get(URL_ENV_VAR) or None
    if url is not None:
        raw_url, url_source = url, "the url option"
    elif env_url is not None:
        raw_url, url_source = env_url, URL_ENV_VAR
    else:
        raw_url, url_source = chosen.url, f"{_dotted('profiles', name, 'url')} in {config.path}"
    try:
        normalized = normalize_url(raw_url)
    except ValueError as exc:
        raise ConfigError(f"Invalid server URL from {url_source}: {exc}.", config.path) from exc

    key, key_source = _api_key(api_key, chosen, env)
    return Connection(
        url=normalized,
        api_key=key,
        profile=name,
        insecure=chosen.insecure if insecure is None else insecure,
        default_chatflow=chosen.default_chatflow,
        api_key_source=key_source,
    )


def _api_key(
    given: str | None, profile: Profile, env: Mapping[str, str]
) -> tuple[str | None, KeySource]:
    if given is not None:
        return (given, KeySource.GIVEN) if given else (None, KeySource.NONE)
    if env.get(API_KEY_ENV_VAR):
        return env[API_KEY_ENV_VAR], KeySource.ENVIRONMENT
    if profile.api_key:
        return profile.api_key, KeySource.FILE
    key = profile.resolved_api_key(env)
    return (key, KeySource.ENVIRONMENT) if key else (None, KeySource.NONE)


def _read(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"Config file {path} could not be read: {_reason(exc)}.", path) from exc
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"Config file {path} is larger than {MAX_CONFIG_BYTES // 1024} KiB, far more than "
            f"settings take. {_UNTOUCHED}",
            path,
        )
    return data


def _parse(data: bytes, path: Path) -> Config:
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        line, column = _position(prefix, len(prefix))
        raise ConfigError(
            f"Config file {path} is not valid UTF-8 ({_line_and_column(line, column)}). "
            f"{_UNTOUCHED}",
            path,
            line,
            column,
        ) from exc
    import tomllib  # a start with no config file does without the TOML parser

    try:
        doc = tomllib.loads(text)
    except RecursionError as exc:
        raise _too_deep(path) from exc
    except tomllib.TOMLDecodeError as exc:
        reason, line, column = _describe_decode_error(exc, text)
        where = f" ({_line_and_column(line, column)})" if line is not None else ""
        raise ConfigError(
            f"Config file {path} is not valid TOML{where}: {reason}. {_UNTOUCHED}",
            path,
            line,
            column,
        ) from exc
    if _depth(doc) > MAX_CONFIG_DEPTH:
        raise _too_deep(path)
    try:
        return _config_from_doc(doc, path)
    except (_ShapeError, LimitError) as exc:
        raise ConfigError(f"Config file {path} is invalid: {exc}. {_UNTOUCHED}", path) from exc


def _too_deep(path: Path) -> ConfigError:
    return ConfigError(
        f"Config file {path} nests tables or arrays more than {MAX_CONFIG_DEPTH} levels deep. "
        f"{_UNTOUCHED}",
        path,
    )


def _depth(doc: dict[str, Any]) -> int:
    """How deeply tables and arrays nest in `doc` (1 for a flat table), counted without
    recursion."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(doc, 1)]
    while pending:
        value, depth = pending.pop()
        deepest = max(deepest, depth)
        if depth > MAX_CONFIG_DEPTH:
            break
        children = value.values() if isinstance(value, dict) else value
        pending.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return deepest


def _describe_decode_error(
    exc: tomllib.TOMLDecodeError, text: str
) -> tuple[str, int | None, int | None]:
    message = str(exc)
    match = _TOML_POSITION.search(message)
    if match is None:
        return message, getattr(exc, "lineno", None), getattr(exc, "colno", None)
    reason = message[: match.start()]
    if match.group(1) is not None:
        return reason, int(match.group(1)), int(match.group(2))
    line, column = _position(text, len(text))
    return reason, line, column


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


def _line_and_column(line: int, column: int | None) -> str:
    return f"line {line}" if column is None else f"line {line}, column {column}"


def _config_from_doc(doc: dict[str, Any], path: Path) -> Config:
    extra = dict(doc)
    active_profile = extra.pop("active_profile", DEFAULT_PROFILE)
    if not isinstance(active_profile, str):
        raise _ShapeError("active_profile", "a string", active_profile)
    ui = extra.pop("ui", {})
    if not isinstance(ui, dict):
        raise _ShapeError("ui", "a table", ui)
    keys = _keymap_from_table(extra.pop("keys", {}))
    raw_profiles = extra.pop("profiles", {})
    if not isinstance(raw_profiles, dict):
        raise _ShapeError("profiles", "a table", raw_profiles)
    profiles = {name: _profile_from_table(name, table) for name, table in raw_profiles.items()}
    limits_table = extra.pop("limits", {})
    if not isinstance(limits_table, dict):
        raise _ShapeError("limits", "a table", limits_table)
    limits, answer_limit = limits_from_table(limits_table)
    return Config(
        path=path,
        active_profile=active_profile,
        profiles=profiles,
        ui=ui,
        keys=keys,
        limits=limits,
        answer_limit=answer_limit,
        limits_table=limits_table,
        extra=extra,
    )


def _keymap_from_table(table: Any, prefix: str = "") -> dict[str, str]:
    """`[keys]` as binding id -> keys; `chat.new_chat = ...` written unquoted (a dotted key,
    so a nested table in TOML) counts as the id "chat.new_chat"."""
    if not isinstance(table, dict):
        raise _ShapeError("keys", "a table", table)
    keymap: dict[str, str] = {}
    for key, value in table.items():
        binding_id = prefix + key
        if isinstance(value, dict):
            keymap.update(_keymap_from_table(value, binding_id + "."))
        elif isinstance(value, str):
            keymap[binding_id] = value
        else:
            raise _ShapeError(f"keys.{_dotted(binding_id)}", "a string", value)
    return keymap


def _profile_from_table(name: str, table: Any) -> Profile:
    if not isinstance(table, dict):
        raise _ShapeError(_dotted("profiles", name), "a table", table)
    extra = dict(table)
    fields: dict[str, Any] = {}
    for key in _PROFILE_STRING_FIELDS:
        if key in extra:
            value = extra.pop(key)
            if not isinstance(value, str):
                raise _ShapeError(_dotted("profiles", name, key), "a string", value)
            fields[key] = value
    if "insecure" in extra:
        insecure = extra.pop("insecure")
        if not isinstance(insecure, bool):
            raise _ShapeError(_dotted("profiles", name, "insecure"), "a boolean", insecure)
        fields["insecure"] = insecure
    return Profile(name=name, extra=extra, **fields)


def _render(config: Config, path: Path) -> str:
    doc: dict[str, Any] = {k: v for k, v in config.extra.items() if k not in _TOP_LEVEL_KEYS}
    doc["active_profile"] = config.active_profile
    doc["ui"] = config.ui
    doc["keys"] = config.keys
    doc["profiles"] = {name: _profile_table(p) for name, p in config.profiles.items()}
    doc["limits"] = limits_to_table(config.limits, config.answer_limit, config.limits_table)
    try:
        if _depth(doc) > MAX_CONFIG_DEPTH:
            raise ValueError(f"values nest more than {MAX_CONFIG_DEPTH} levels deep")
        doc = _drop_none(doc)
        for key in ("ui", "keys", "profiles", "limits"):
            if not doc[key]:
                del doc[key]
        import tomllib

        import tomli_w  # only a config that is written needs it

        text = tomli_w.dumps(doc)
        # Never write a file that load_config would reject.
        _config_from_doc(tomllib.loads(text), path)
    except (TypeError, ValueError, _ShapeError, LimitError) as exc:
        raise ConfigError(
            f"Config was not saved to {path}: {exc}. Any existing file was left unchanged.",
            path,
        ) from exc
    return text


def _profile_table(profile: Profile) -> dict[str, Any]:
    return {
        **profile.extra,
        "url": profile.url,
        "api_key": profile.api_key,
        "api_key_env": profile.api_key_env,
        "default_chatflow": profile.default_chatflow,
        "insecure": profile.insecure or None,
    }


def _drop_none(table: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: _drop_none(value) if isinstance(value, Mapping) else value
        for key, value in table.items()
        if value is not None
    }


def _ensure_overwritable(path: Path) -> None:
    _read_for_overwrite(path)


def _read_for_overwrite(path: Path) -> Config | None:
    """The config on disk now, None if there is none; a file that does not load is refused."""
    if not os.path.lexists(path):
        return None
    try:
        data = _read(path)
        return None if data is None else _parse(data, path)
    except ConfigError as exc:
        raise ConfigError(
            f"Refusing to overwrite: {exc.message}", path, exc.line, exc.column
        ) from exc


def _save_failure(path: Path, reason: str) -> ConfigError:
    return ConfigError(
        f"Could not save config file {path}: {reason}. Any existing file was left unchanged.",
        path,
    )


@contextlib.contextmanager
def _locked(path: Path, timeout: float) -> Iterator[Path]:
    """Hold the lock beside the config file while it is read and replaced; yields the file to
    write, which is the target of a symlink (e.g. into a dotfiles checkout) rather than the
    link itself."""
    target = Path(os.path.realpath(path))
    directory = target.parent
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise _save_failure(path, f"{directory} exists and is not a directory") from exc
    except OSError as exc:
        raise _save_failure(path, _reason(exc)) from exc
    lock = directory / f"{target.name}.lock"
    held = contextlib.ExitStack()
    try:
        held.enter_context(exclusive_lock(lock, timeout))
    except LockTimeout as exc:
        raise _save_failure(
            path, f"another program kept it locked ({lock}) for over {timeout:g} seconds"
        ) from exc
    except OSError as exc:
        raise _save_failure(path, _reason(exc)) from exc
    with held:
        yield target


def _atomic_write(target: Path, data: bytes, path: Path) -> None:
    directory = target.parent
    try:
        with staged_file(directory, target.name, data) as staged:
            os.replace(staged, target)
    except OSError as exc:
        raise _save_failure(path, _reason(exc)) from exc
    fsync_directory(directory)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _dotted(*parts: str) -> str:
    return ".".join(part if _BARE_KEY.fullmatch(part) else f'"{part}"' for part in parts)
