"""Flow handlers by kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .approval import run_approval
from .artifacts import run_artifacts
from .attach import run_attach
from .chat import run_chat
from .form import run_form
from .rag import run_rag
from .research import run_research
from .simple import run_fail, run_no_stream, run_protected, run_slow
from .team import run_team
from .tool_agent import run_tool_agent
from .tunable import run_tunable

if TYPE_CHECKING:
    from .base import Handler

HANDLERS: dict[str, Handler] = {
    "chat": run_chat,
    "rag": run_rag,
    "tools": run_tool_agent,
    "research": run_research,
    "team": run_team,
    "approval": run_approval,
    "fail": run_fail,
    "protected": run_protected,
    "nostream": run_no_stream,
    "slow": run_slow,
    "artifacts": run_artifacts,
    "attach": run_attach,
    "form": run_form,
    "tunable": run_tunable,
}
