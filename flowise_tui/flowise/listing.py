"""A chatflow listing checked at the door: the good entries, and what was left out and why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from flowise_tui.flowise.ids import is_safe_id
from flowise_tui.flowise.models import Chatflow

NOT_AN_OBJECT = "not an object"
NO_ID = "no id"
UNUSABLE_ID = "an id unfit for a URL"
REPEATED_ID = "an id listed before"


class Listing(list[Chatflow]):
    """The chatflows a server listed that the client can use, sorted by name: a list,
    for every caller that wants one. `skipped` holds one reason per entry left out:
    `NOT_AN_OBJECT`, `NO_ID`, `UNUSABLE_ID` or `REPEATED_ID` (the first entry with an id
    is kept, later ones are skipped)."""

    def __init__(self, flows: Iterable[Chatflow] = (), skipped: Iterable[str] = ()) -> None:
        super().__init__(flows)
        self.skipped: list[str] = list(skipped)

    def skipped_summary(self) -> str | None:
        """One sentence on what was left out, such as "Skipped 3 chatflows of the server's
        list: no id (2), an id listed before (1)."; None when nothing was."""
        if not self.skipped:
            return None
        counts = Counter(self.skipped)
        reasons = ", ".join(f"{reason} ({count})" for reason, count in counts.items())
        plural = "s" if len(self.skipped) != 1 else ""
        return f"Skipped {len(self.skipped)} chatflow{plural} of the server's list: {reasons}."


def door_checked(items: list[Any]) -> Listing:
    """The usable chatflows of a listing's items, sorted by name, and the rest as skipped."""
    flows: list[Chatflow] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, dict):
            skipped.append(NOT_AN_OBJECT)
            continue
        flow = Chatflow.from_json(item)
        reason = _problem(flow.id, seen)
        if reason is None:
            seen.add(flow.id)
            flows.append(flow)
        else:
            skipped.append(reason)
    flows.sort(key=lambda flow: flow.name.lower())
    return Listing(flows, skipped)


def _problem(flow_id: str, seen: set[str]) -> str | None:
    if not flow_id:
        return NO_ID
    if not is_safe_id(flow_id):
        return UNUSABLE_ID
    if flow_id in seen:
        return REPEATED_ID
    return None
