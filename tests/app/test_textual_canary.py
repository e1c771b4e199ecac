"""The Textual internals the log relies on are still there, each with the shape it expects.

Every private name the modules of `flowise_tui/app/log/textual_adapter/` touch is listed in its
`INTERNALS` and checked here; a Textual release that changes one fails a test that names it.
Nothing else in flowise-tui may touch a Textual private name.
"""

from __future__ import annotations

import gc
import inspect
import re
import weakref
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import textual
from markdown_it import MarkdownIt
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.geometry import Size
from textual.layout import DockArrangeResult
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

from flowise_tui.app.log import textual_adapter as adapter
from flowise_tui.app.log.textual_adapter import markdown as markdown_adapter

ROOT = Path(__file__).resolve().parents[2]
ADAPTER = Path(adapter.__file__).resolve().parent
"""The adapter package: its modules are the only ones that touch Textual internals."""
DOCUMENT = "# Title\n\nA paragraph.\n\n- one\n- two\n\n```python\nx = 1\n```\n"


class Sandbox(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(DOCUMENT)
            yield markdown_adapter.LaidOutOnce(DOCUMENT)


def relied_on(internal: str, condition: object, seen: str = "") -> None:
    """Fail loudly, naming the internal, unless `condition` holds."""
    if not condition:
        pytest.fail(
            f"Textual internal {internal} is gone or changed (textual {textual.__version__}): "
            f"{ADAPTER.relative_to(ROOT)} relies on it for {adapter.INTERNALS[internal]}"
            + (f"; {seen}" if seen else ""),
            pytrace=False,
        )


def blocks_of(markdown: Markdown, text: str) -> list[MarkdownBlock]:
    return list(markdown_adapter.parse_blocks(markdown, MarkdownIt("gfm-like").parse(text)))


async def check_markdown_source(app: Sandbox) -> None:
    markdown = app.query_one(Markdown)
    relied_on("Markdown._markdown", isinstance(vars(markdown).get("_markdown"), str))
    markdown_adapter.set_source(markdown, "replaced")
    relied_on("Markdown._markdown", markdown.source == "replaced")


async def check_parser_factory(app: Sandbox) -> None:
    markdown = app.query_one(Markdown)
    factory = vars(markdown).get("_parser_factory", ...)
    relied_on("Markdown._parser_factory", factory is None or callable(factory))
    relied_on(
        "Markdown._parser_factory", isinstance(markdown_adapter.parser_for(markdown), MarkdownIt)
    )
    custom = Markdown(parser_factory=lambda: MarkdownIt("commonmark"))
    relied_on("Markdown._parser_factory", markdown_adapter.parser_for(custom).options["html"])


async def check_parse_markdown(app: Sandbox) -> None:
    markdown = app.query_one(Markdown)
    parameters = list(inspect.signature(Markdown._parse_markdown).parameters)
    relied_on("Markdown._parse_markdown", parameters == ["self", "tokens"])
    names = [block.name for block in blocks_of(markdown, DOCUMENT)]
    expected = ["heading_open", "paragraph_open", "bullet_list_open", "fence"]
    relied_on("Markdown._parse_markdown", names == expected)


async def check_table_of_contents(app: Sandbox) -> None:
    markdown = app.query_one(Markdown)
    relied_on("Markdown._table_of_contents", "_table_of_contents" in vars(markdown))
    markdown_adapter.headings_changed(markdown)
    titles = [title for _, title, _ in markdown.table_of_contents]
    relied_on("Markdown._table_of_contents", titles == ["Title"])


async def check_last_parsed_line(app: Sandbox) -> None:
    markdown = app.query_one(Markdown)
    relied_on(
        "Markdown._last_parsed_line", isinstance(vars(markdown).get("_last_parsed_line"), int)
    )
    text = "First paragraph.\n\nSecond paragraph.\n"
    await markdown.update("")
    await markdown.mount_all(blocks_of(markdown, text))
    markdown_adapter.set_source(markdown, text, complete=True)
    await markdown.append("\nThird paragraph.\n")
    shown = [block.source_range for block in markdown.query_children(MarkdownBlock)]
    relied_on("Markdown._last_parsed_line", shown == [(0, 1), (2, 3), (4, 5)])


async def check_nested_blocks(app: Sandbox) -> None:
    markdown = app.query_one(Markdown)
    (bullets,) = blocks_of(markdown, "- one\n- two\n")
    nested = vars(bullets).get("_blocks")
    relied_on("MarkdownBlock._blocks", isinstance(nested, list) and len(nested) == 2)
    markdown_adapter.shift_lines(bullets, 10)
    relied_on(
        "MarkdownBlock._blocks", [item.source_range for item in nested] == [(10, 11), (11, 12)]
    )


async def check_paragraph_content(app: Sandbox) -> None:
    markdown = app.query_one(Markdown)
    old, new = blocks_of(markdown, "old\n")[0], blocks_of(markdown, "new *text*\n")[0]
    relied_on("MarkdownBlock._content", isinstance(vars(old).get("_content"), Content))
    await markdown.mount(old)
    relied_on("MarkdownBlock._content", markdown_adapter.update_in_place(old, new))
    relied_on("MarkdownBlock._content", old.content.plain == "new text")


async def check_copy_context(app: Sandbox) -> None:
    parameters = list(inspect.signature(MarkdownBlock._copy_context).parameters)
    relied_on("MarkdownBlock._copy_context", parameters == ["self", "block"])
    markdown = app.query_one(Markdown)
    old, new = blocks_of(markdown, "old\n")[0], blocks_of(markdown, "new\n")[0]
    old._copy_context(new)
    relied_on("MarkdownBlock._copy_context", vars(old).get("_token") is vars(new).get("_token"))


async def check_fence(app: Sandbox) -> None:
    markdown = app.query_one(Markdown)
    old = blocks_of(markdown, "```\nold\n```\n")[0]
    new = blocks_of(markdown, "```\nnew code\n```\n")[0]
    relied_on("MarkdownFence._highlighted_code", isinstance(old, MarkdownFence))
    code = vars(old).get("_highlighted_code")
    relied_on("MarkdownFence._highlighted_code", isinstance(code, Content))
    await markdown.mount(old)
    relied_on("MarkdownFence._highlighted_code", markdown_adapter.update_in_place(old, new))
    relied_on("MarkdownFence._highlighted_code", old.code == "new code")


async def check_anchor_released(app: Sandbox) -> None:
    scroller = app.query_one(VerticalScroll)
    scroller.anchor()
    relied_on("Widget._anchor_released", adapter.anchor_released(scroller) is False)
    scroller.release_anchor()
    relied_on("Widget._anchor_released", adapter.anchor_released(scroller) is True)


async def check_closing(app: Sandbox) -> None:
    markdown = app.query_one(Markdown)
    relied_on("Widget._closing", isinstance(vars(markdown).get("_closing"), bool))
    relied_on("Widget._pruning", isinstance(vars(markdown).get("_pruning"), bool))
    relied_on("App._closing", isinstance(vars(app).get("_closing"), bool))
    relied_on("Widget._closing", adapter.is_going(markdown) is False)
    removing = markdown.remove()
    relied_on("Widget._pruning", adapter.is_going(markdown) is True)
    await removing


async def check_arrange(app: Sandbox) -> None:
    signature = inspect.signature(Widget.arrange)
    relied_on("Widget.arrange", list(signature.parameters) == ["self", "size", "optimal"])
    relied_on("Widget.arrange", signature.parameters["optimal"].default is False)
    plain, once = app.query_one(VerticalScroll).children
    arranged = once.arrange(Size(60, 30))
    relied_on("Widget.arrange", isinstance(arranged, DockArrangeResult))
    places = [(p.widget.name, p.region) for p in plain.arrange(Size(60, 30)).placements]
    relied_on("Widget.arrange", [(p.widget.name, p.region) for p in arranged.placements] == places)


async def check_forget_children(app: Sandbox) -> None:
    markdown = app.query_one(Markdown)
    cache = vars(markdown).get("_query_one_cache")
    relied_on("DOMNode._query_one_cache", cache is not None and hasattr(cache, "clear"))
    block = markdown.query_one(MarkdownBlock)
    relied_on("DOMNode._query_one_cache", len(cache) > 0)
    arrangements = vars(markdown).get("_arrangement_cache")
    relied_on("Widget._clear_arrangement_cache", arrangements is not None)
    markdown.arrange(Size(60, 30))
    relied_on("Widget._clear_arrangement_cache", len(arrangements) > 0)
    await block.remove()
    adapter.forget_children(markdown)
    relied_on("DOMNode._query_one_cache", len(cache) == 0)
    relied_on("Widget._clear_arrangement_cache", len(arrangements) == 0)
    relied_on("DOMNode._query_one_cache", markdown.query_one(MarkdownBlock) is not block)


async def check_drawn_lines(app: Sandbox) -> None:
    block = app.query_one(MarkdownBlock)
    relied_on("Widget._styles_cache", isinstance(vars(block).get("_styles_cache"), StylesCache))
    relied_on("StylesCache._cache", adapter.drawn_lines(block) > 0)
    before = app.export_screenshot()
    for widget in app.screen.query("*"):
        adapter.forget_drawn_lines(widget)
    relied_on("StylesCache._cache", adapter.drawn_lines(block) == 0)
    relied_on("Widget._styles_cache", app.export_screenshot() == before, "drawn again the same")
    relied_on("StylesCache._cache", adapter.drawn_lines(block) > 0)


async def check_inner_outer(app: Sandbox) -> None:
    render_line = inspect.getsource(StylesCache.render_line)
    relied_on(
        "StylesCache.get_inner_outer",
        "self.get_inner_outer(base_background, background)" in render_line,
    )
    adapter.cache_colours_only()
    cache = StylesCache()
    base, background = Color(10, 20, 30), Color(200, 100, 0, 0.5)
    inner, outer = cache.get_inner_outer(base, background)
    relied_on("StylesCache.get_inner_outer", inner.background == base + background)
    relied_on("StylesCache.get_inner_outer", outer.background == base)
    gone = weakref.ref(cache)
    del cache
    gc.collect()
    relied_on("StylesCache.get_inner_outer", gone() is None, "a used cache is kept alive")
    before = app.export_screenshot()
    for widget in app.screen.query("*"):
        adapter.forget_drawn_lines(widget)
    relied_on("StylesCache.get_inner_outer", app.export_screenshot() == before)


CHECKS: dict[str, Callable[[Sandbox], Awaitable[None]]] = {
    "Markdown._markdown": check_markdown_source,
    "Markdown._parser_factory": check_parser_factory,
    "Markdown._parse_markdown": check_parse_markdown,
    "Markdown._table_of_contents": check_table_of_contents,
    "Markdown._last_parsed_line": check_last_parsed_line,
    "MarkdownBlock._blocks": check_nested_blocks,
    "MarkdownBlock._content": check_paragraph_content,
    "MarkdownBlock._copy_context": check_copy_context,
    "MarkdownFence._highlighted_code": check_fence,
    "Widget._anchor_released": check_anchor_released,
    "Widget._closing": check_closing,
    "Widget._pruning": check_closing,
    "App._closing": check_closing,
    "Widget.arrange": check_arrange,
    "DOMNode._query_one_cache": check_forget_children,
    "Widget._clear_arrangement_cache": check_forget_children,
    "Widget._styles_cache": check_drawn_lines,
    "StylesCache._cache": check_drawn_lines,
    "StylesCache.get_inner_outer": check_inner_outer,
}


def test_every_internal_the_adapter_lists_has_a_check() -> None:
    assert set(CHECKS) == set(adapter.INTERNALS)


def test_the_adapter_lists_every_private_name_it_touches() -> None:
    source = "\n".join(path.read_text() for path in ADAPTER.glob("*.py"))
    touched = set(re.findall(r"\.(_[a-z]\w*)\b", source)) - {"__future__"}
    listed = {internal.split(".")[1] for internal in adapter.INTERNALS}
    assert touched <= listed, f"not in INTERNALS: {sorted(touched - listed)}"


OWNERS: dict[str, type] = {
    "DOMNode": DOMNode,
    "Markdown": Markdown,
    "MarkdownBlock": MarkdownBlock,
    "MarkdownFence": MarkdownFence,
    "Widget": Widget,
    "App": App,
    "StylesCache": StylesCache,
}


def named_in_source(internal: str) -> bool:
    """Whether the class, or one it inherits from, still names the internal in its code."""
    owner, name = internal.split(".")
    for cls in OWNERS[owner].__mro__:
        if cls.__module__.startswith("textual") and name in inspect.getsource(cls):
            return True
    return False


@pytest.mark.parametrize("internal", list(CHECKS))
async def test_textual_internal(internal: str) -> None:
    relied_on(internal, named_in_source(internal))
    try:
        app = Sandbox()
        async with app.run_test(size=(80, 30)) as pilot:
            await pilot.pause()
            await CHECKS[internal](app)
    except Exception as error:
        relied_on(internal, False, f"checking it raised {error!r}")


EXTRA_PRIVATE = ("_nodes", "_compositor", "_arrangement_cache", "_styles_cache", "_anchored")
PRIVATE = re.compile(
    r"(from|import) textual\._|textual\._[a-z]|\bdef arrange\(|\.("
    + "|".join(
        sorted(
            {name.split(".")[1] for name in adapter.INTERNALS if "._" in name} | set(EXTRA_PRIVATE)
        )
    )
    + r")\b"
)
"""Reaching into Textual: its private modules, the private names the adapter relies on
and a few more, and overriding `arrange`."""


def test_nothing_but_the_adapter_touches_textual_internals() -> None:
    sources = [*ROOT.glob("flowise_tui/**/*.py"), *ROOT.glob("benchmarks/**/*.py")]
    sources += [path for path in ROOT.glob("tests/**/*.py") if path != Path(__file__).resolve()]
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        if path.resolve().parent != ADAPTER
        if "textual" in (source := path.read_text())
        for number, line in enumerate(source.splitlines(), 1)
        if PRIVATE.search(line)
    ]
    assert not offenders, "Textual internals outside the adapter:\n" + "\n".join(offenders)
