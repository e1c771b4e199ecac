"""What a chatflow lets a caller override at run time, and which requested overrides it drops.

Flowise 3.1.4 keeps this in the chatflow's `apiConfig` (a JSON string), set in the flow's
Security > Override Config:

    {"overrideConfig": {"status": true,
                        "nodes": {"<node label>": [{"name": "temperature", "enabled": true}]},
                        "variables": [{"name": "team", "enabled": true}]}}

A prediction's `overrideConfig` key reaches a node only when the status is on and some node
has that parameter enabled (the nodes are keyed by their label, "OpenAI" for ChatOpenAI);
`vars` keeps only enabled variables. Everything else is dropped without a word, so the client
checks first. `apiConfig` comes with `GET /chatflows/{id}` (an API key) or, for a public
flow, `GET /public-chatflows/{id}`; without either the policy is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flowise_tui.flowise.coerce import as_bool, as_dict, as_list, as_str

ALWAYS_KEPT = frozenset({"sessionId", "analytics"})
"""Keys Flowise reads whatever the override settings say."""
VARS = "vars"


@dataclass(frozen=True, slots=True)
class OverridePolicy:
    """The override settings of one chatflow, as far as the client could read them."""

    known: bool = False
    """False when the server would not show the flow's settings (no API key, not public)."""
    enabled: bool = False
    params: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Parameter name -> labels of the nodes where it may be overridden."""
    variables: frozenset[str] = frozenset()

    @classmethod
    def from_chatflow(cls, data: Any) -> OverridePolicy:
        """From a chatflow as `GET /chatflows/{id}` gives it; any odd shape counts as off."""
        config = as_dict(as_dict(as_dict(data).get("apiConfig")).get("overrideConfig"))
        params: dict[str, list[str]] = {}
        for label, entries in as_dict(config.get("nodes")).items():
            for entry in as_list(entries):
                entry = as_dict(entry)
                name = as_str(entry.get("name"))
                if name and as_bool(entry.get("enabled")):
                    params.setdefault(name, []).append(as_str(label))
        variables = {
            as_str(as_dict(v).get("name"))
            for v in as_list(config.get("variables"))
            if as_bool(as_dict(v).get("enabled"))
        }
        return cls(
            known=True,
            enabled=as_bool(config.get("status")),
            params={name: tuple(labels) for name, labels in params.items()},
            variables=frozenset(variables - {""}),
        )


@dataclass(frozen=True, slots=True)
class Dropped:
    """One requested override the flow will ignore."""

    name: str
    """The overrideConfig key, or `vars.NAME` for a variable."""
    reason: str


def dropped_overrides(policy: OverridePolicy, override: Mapping[str, Any]) -> list[Dropped]:
    """Each key of `override` (and each variable in its `vars`) that `policy` drops, in the
    order given; empty when the policy is unknown."""
    if not policy.known:
        return []
    dropped: list[Dropped] = []
    for key, value in override.items():
        if key in ALWAYS_KEPT:
            continue
        if key == VARS and isinstance(value, Mapping):
            dropped.extend(
                Dropped(f"vars.{name}", _reason(policy, f"the variable {name}"))
                for name in value
                if not policy.enabled or name not in policy.variables
            )
        elif not policy.enabled or key not in policy.params:
            dropped.append(Dropped(key, _reason(policy, key)))
    return dropped


def _reason(policy: OverridePolicy, what: str) -> str:
    if not policy.enabled:
        return (
            f"this flow does not allow overriding {what}: its override config is off "
            "(the flow's Security > Override Config)"
        )
    return (
        f"this flow does not allow overriding {what}; enable it in the flow's "
        "Security > Override Config"
    )


def describe_dropped(dropped: list[Dropped]) -> str:
    """One line per dropped override, for a notice or stderr."""
    return "\n".join(f"{item.name}: {item.reason}" for item in dropped)
