"""Loading, saving and resolving the flowise-tui TOML configuration file."""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import platformdirs
import tomli_w

from flowise_tui.files import fsync_directory, staged_file
from flowise_tui.flowise.limits import Limits

__all__ = [
    "API_KEY_ENV_VAR",
    "CONFIG_ENV_VAR",
    "DEFAULT_PROFILE",
    "DEFAULT_URL",
    "PROFILE_ENV_VAR",
    "URL_ENV_VAR",
    "Config",
    "ConfigError",
    "Connection",
    "Profile",
    "config_path",
    "load_config",
    "normalize_url",
    "resolve_connection",
    "save_config",
]

APP_NAME = "flowise-tui"
CONFIG_FILENAME = "config.toml"
CONFIG_ENV_VAR = "FLOWISE_TUI_CONFIG"
URL_ENV_VAR = "FLOWISE_URL"
API_KEY_ENV_VAR = "FLOWISE_API_KEY"
PROFILE_ENV_VAR = "FLOWISE_TUI_PROFILE"

DEFAULT_URL = "http://localhost:3000"
DEFAULT_ANSWER_LIMIT = 2_000_000
DEFAULT_PROFILE = "default"

_UNTOUCHED = "It was left untouched; fix or remove it."
_PROFILE_STRING_FIELDS = ("url", "api_key", "api_key_env", "default_chatflow")
_TOP_LEVEL_KEYS = ("active_profile", "ui", "keys", "profiles")
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
        super().__init__(f"{key!r} must be {expected}, not {_toml_type(value)}")


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


@dataclass(frozen=True, repr=False)
class Connection:
    url: str
    api_key: str | None
    profile: str
    insecure: bool
    default_chatflow: str | None

    def __repr__(self) -> str:
        return (
            f"Connection(url={self.url!r}, api_key={_mask(self.api_key)}, "
            f"profile={self.profile!r}, insecure={self.insecure!r}, "
            f"default_chatflow={self.default_chatflow!r})"
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


def save_config(config: Config, *, force: bool = False) -> None:
    path = Path(config.path)
    data = _render(config, path).encode("utf-8")
    if not force:
        _ensure_overwritable(path)
    # Write through a symlink (e.g. a dotfiles checkout) instead of replacing the link.
    _atomic_write(Path(os.path.realpath(path)), data, path)


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

    if api_key is not None:
        key = api_key or None
    else:
        key = env.get(API_KEY_ENV_VAR) or chosen.resolved_api_key(env)

    return Connection(
        url=normalized,
        api_key=key,
        profile=name,
        insecure=chosen.insecure if insecure is None else insecure,
        default_chatflow=chosen.default_chatflow,
    )


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"Config file {path} could not be read: {_reason(exc)}.", path) from exc


def _parse(data: bytes, path: Path) -> Config:
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        line, column = _position(prefix, len(prefix))
        raise ConfigError(
            f"Config file {path} is not valid UTF-8 ({_where(line, column)}). {_UNTOUCHED}",
            path,
            line,
            column,
        ) from exc
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason, line, column = _describe_decode_error(exc, text)
        where = f" ({_where(line, column)})" if line is not None else ""
        raise ConfigError(
            f"Config file {path} is not valid TOML{where}: {reason}. {_UNTOUCHED}",
            path,
            line,
            column,
        ) from exc
    try:
        return _config_from_doc(doc, path)
    except _ShapeError as exc:
        raise ConfigError(f"Config file {path} is invalid: {exc}. {_UNTOUCHED}", path) from exc


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


def _where(line: int, column: int | None) -> str:
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
    return Config(
        path=path,
        active_profile=active_profile,
        profiles=profiles,
        ui=ui,
        keys=keys,
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
    doc = _drop_none(doc)
    for key in ("ui", "keys", "profiles"):
        if not doc[key]:
            del doc[key]
    try:
        text = tomli_w.dumps(doc)
        # Never write a file that load_config would reject.
        _config_from_doc(tomllib.loads(text), path)
    except (TypeError, ValueError, _ShapeError) as exc:
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
    if not os.path.lexists(path):
        return
    try:
        data = _read(path)
        if data is not None:
            _parse(data, path)
    except ConfigError as exc:
        raise ConfigError(
            f"Refusing to overwrite: {exc.message}", path, exc.line, exc.column
        ) from exc


def _atomic_write(target: Path, data: bytes, path: Path) -> None:
    def failure(exc: OSError) -> ConfigError:
        return ConfigError(
            f"Could not save config file {path}: {_reason(exc)}. "
            "Any existing file was left unchanged.",
            path,
        )

    directory = target.parent
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise ConfigError(
            f"Could not save config file {path}: {directory} exists and is not a directory.",
            path,
        ) from exc
    except OSError as exc:
        raise failure(exc) from exc

    try:
        with staged_file(directory, target.name, data) as staged:
            os.replace(staged, target)
    except OSError as exc:
        raise failure(exc) from exc
    fsync_directory(directory)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _dotted(*parts: str) -> str:
    return ".".join(part if _BARE_KEY.fullmatch(part) else f'"{part}"' for part in parts)


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.date | dt.time):
        return "a date/time"
    return type(value).__name__
