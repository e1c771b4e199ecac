"""Artifacts: a tool agent whose tool returns artifacts and a file annotation, as Flowise does.

Like a Code Interpreter tool in a Tool Agent, it streams the answer, `usedTools`, then one
`artifacts` event: Markdown, code, HTML inline, and a PNG chart stored in the chat's files.
Like an OpenAI Assistant it also names a CSV it wrote, in a `fileAnnotations` event.
"""

from __future__ import annotations

from ..files import bar_chart_png
from ..messages import MessageExtras
from ..tokens import tokenize
from .base import FlowContext, Outcome

SALES = {"Mon": 12, "Tue": 18, "Wed": 9, "Thu": 22, "Fri": 30, "Sat": 41, "Sun": 17}
CHART_NAME = "weekly-sales.png"
TABLE_NAME = "weekly-sales.csv"
TOOL = "code_interpreter"

REPORT = "\n".join(
    ["# Weekly sales", "", "| day | loaves |", "| --- | ---: |"]
    + [f"| {day} | {count} |" for day, count in SALES.items()]
    + ["", f"**Total:** {sum(SALES.values())} loaves."]
)
CODE = (
    "import matplotlib.pyplot as plt\n"
    f"sales = {SALES!r}\n"
    "plt.bar(sales.keys(), sales.values())\n"
    f"plt.savefig({CHART_NAME!r})\n"
)
PAGE = (
    "<h1>Weekly sales</h1><p>Best day: <b>Saturday</b> (41 loaves).</p>"
    '<script>alert("never run")</script><a href="https://example.com/report">full report</a>'
)


def table_csv() -> bytes:
    lines = ["day,loaves", *(f"{day},{count}" for day, count in SALES.items())]
    return ("\n".join(lines) + "\n").encode()


async def run_artifacts(ctx: FlowContext) -> Outcome:
    turn = ctx.turn
    files = ctx.store.files
    chart = files.put(turn.flow.id, turn.chat_id, CHART_NAME, bar_chart_png(list(SALES.values())))
    table = files.put(turn.flow.id, turn.chat_id, TABLE_NAME, table_csv())
    artifacts: list[dict[str, object]] = [
        {"type": "markdown", "data": REPORT},
        {"type": "javascript", "data": CODE},
        {"type": "html", "data": PAGE},
        {"type": "png", "data": chart},
    ]
    annotations: list[dict[str, object]] = [{"filePath": table, "fileName": TABLE_NAME}]
    used = [{"tool": TOOL, "toolInput": {"input": CODE}, "toolOutput": "Chart saved."}]
    await ctx.out.event("start", "")
    answer = (
        "I ran the numbers: the report, the code, a web page and the chart are below, and the "
        f"table is in **{TABLE_NAME}**."
    )
    await ctx.out.tokens(tokenize(answer))
    await ctx.out.event("usedTools", used)
    await ctx.out.event("artifacts", artifacts)
    await ctx.out.event("fileAnnotations", annotations)
    return Outcome(
        text=ctx.out.answer,
        extras=MessageExtras(used_tools=used, artifacts=artifacts, file_annotations=annotations),
        response_fields={"usedTools": used, "artifacts": artifacts, "fileAnnotations": annotations},
    )
