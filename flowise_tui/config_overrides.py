"""Runtime overrides kept per profile and chatflow: the `[chatflow_settings]` table.

    [chatflow_settings.default."<chatflow id>"]
    vars = { team = "ops" }                 # $vars.KEY for the flow
    override = '{"temperature": 0.2}'       # overrideConfig, a JSON object as text
    lead = "given"                          # the lead form was answered ("skipped": declined)

`override` is JSON text because an override may hold what TOML cannot (null). A value of the
wrong shape is ignored with a warning (`settings_warnings`); it never stops the program, and
it stays in the file until the user saves that chatflow's settings again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

TABLE = "chatflow_settings"
LEAD_STATES = ("given", "skipped")
MAX_OVERRIDE_CHARS = 64 * 1024


class Config(Protocol):
    """What of `flowise_tui.config.Config` this module uses (it imports no config: config
    imports it): the unknown top-level tables, where `[chatflow_settings]` lives."""

    path: Path
    extra: dict[str, Any]


@dataclass(frozen=True)
class FlowSettings:
    vars: dict[str, str] = field(default_factory=dict)
    override: dict[str, Any] = field(default_factory=dict)
    lead: str | None = None

    @property
    def empty(self) -> bool:
        return not self.vars and not self.override and self.lead is None

    def override_config(self, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The `overrideConfig` to send: the saved override, its `vars` joined by the saved
        vars, then `extra` (the command line's), which adds or replaces; its `vars` merge too."""
        merged = dict(self.override)
        saved_vars = merged.get("vars") if isinstance(merged.get("vars"), dict) else {}
        variables = {**saved_vars, **self.vars}
        for key, value in (extra or {}).items():
            if key == "vars" and isinstance(value, dict):
                variables.update(value)
            else:
                merged[key] = value
        if variables:
            merged["vars"] = variables
        return merged

    def summary(self) -> str:
        """`vars 2 · overrides 1` for the session header; "" when nothing is set."""
        parts = []
        if self.vars:
            parts.append(f"vars {len(self.vars)}")
        overrides = [key for key in self.override if key != "vars"]
        if overrides:
            parts.append(f"overrides {len(overrides)}")
        return " · ".join(parts)


def parse_override(text: str) -> dict[str, Any]:
    """An override typed by a person: a JSON object, or a ValueError that says what is wrong."""
    text = text.strip()
    if not text:
        return {}
    if len(text) > MAX_OVERRIDE_CHARS:
        raise ValueError(f"the override is longer than {MAX_OVERRIDE_CHARS} characters")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"the override is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(value, dict):
        raise ValueError('the override must be a JSON object, like {"temperature": 0.2}')
    return value


def parse_var(text: str) -> tuple[str, str]:
    """`KEY=VALUE` (the value may hold `=`), or a ValueError."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ValueError(f"{text!r} is not KEY=VALUE")
    return key, value


def flow_settings(config: Config, profile: str, chatflow_id: str) -> FlowSettings:
    """The saved settings of one chatflow; what is malformed is left out."""
    entry = _table(_table(_table(config.extra.get(TABLE)).get(profile)).get(chatflow_id))
    return FlowSettings(
        vars=_vars(entry.get("vars")) or {},
        override=_override(entry.get("override")) or {},
        lead=entry.get("lead") if entry.get("lead") in LEAD_STATES else None,
    )


def set_flow_settings(
    profile: str, chatflow_id: str, settings: FlowSettings
) -> Callable[[Config], None]:
    """Save one chatflow's settings (empty settings remove its entry); other keys stay."""

    def change(config: Config) -> None:
        table = config.extra.get(TABLE)
        table = table if isinstance(table, dict) else {}
        flows = table.get(profile) if isinstance(table.get(profile), dict) else {}
        if settings.empty:
            flows.pop(chatflow_id, None)
        else:
            entry = flows.get(chatflow_id) if isinstance(flows.get(chatflow_id), dict) else {}
            for key, value in (
                ("vars", dict(settings.vars) or None),
                ("override", json.dumps(settings.override) if settings.override else None),
                ("lead", settings.lead),
            ):
                if value is None:
                    entry.pop(key, None)
                else:
                    entry[key] = value
            flows[chatflow_id] = entry
        if flows:
            table[profile] = flows
        else:
            table.pop(profile, None)
        if table:
            config.extra[TABLE] = table
        else:
            config.extra.pop(TABLE, None)

    return change


def settings_warnings(config: Config) -> list[str]:
    """One sentence per malformed value of `[chatflow_settings]`."""
    where = f"Config file {config.path}: [{TABLE}]"
    raw = config.extra.get(TABLE)
    if raw is None:
        return []
    if not isinstance(raw, dict):
        return [f"{where} is not a table, so it is ignored."]
    warnings: list[str] = []
    for profile, flows in raw.items():
        if not isinstance(flows, dict):
            warnings.append(f"{where} {profile!r} is not a table, so it is ignored.")
            continue
        for flow_id, entry in flows.items():
            at = f"{where} {profile!r} chatflow {flow_id!r}"
            if not isinstance(entry, dict):
                warnings.append(f"{at} is not a table, so it is ignored.")
                continue
            if "vars" in entry and _vars(entry["vars"]) is None:
                warnings.append(f"{at}: vars must be a table of strings; they are not sent.")
            if "override" in entry and _override(entry["override"]) is None:
                warnings.append(
                    f"{at}: override must be a JSON object written as text; it is not sent."
                )
            if "lead" in entry and entry["lead"] not in LEAD_STATES:
                warnings.append(f"{at}: lead must be 'given' or 'skipped'; it is ignored.")
    return warnings


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _vars(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return None
    return dict(value)


def _override(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_override(value)
    except ValueError:
        return None
