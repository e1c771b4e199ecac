"""The import rules of the README's Architecture section, checked on the source.

Every import counts: top-level, inside functions and under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import flowise_tui

ROOT = Path(flowise_tui.__file__).parent
PROTOCOL = "flowise_tui.flowise"
APP = "flowise_tui.app"
DEMO = "flowise_tui.demo"
STORE = "flowise_tui.history"
CLI = "flowise_tui.cli"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> Iterator[str]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


MODULES = {_module_name(path): path for path in ROOT.rglob("*.py")}
IMPORTS = {name: set(_imports(path)) for name, path in MODULES.items()}


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _offenders(importers: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {imported}"
        for module, imported_names in IMPORTS.items()
        if _within(module, importers)
        for imported in imported_names
        if any(_within(imported, package) for package in forbidden)
    )


def test_protocol_client_knows_no_screen_server_or_store() -> None:
    forbidden = ("textual", APP, DEMO, CLI, STORE, "flowise_tui.config", "flowise_tui.export")
    assert _offenders(PROTOCOL, forbidden) == []


def test_app_starts_no_server() -> None:
    assert _offenders(APP, (DEMO, CLI, "uvicorn", "starlette")) == []


def test_only_the_cli_and_the_demo_reach_the_demo() -> None:
    outside = [
        line
        for line in _offenders("flowise_tui", (DEMO,))
        if not _within(line.split()[0], DEMO) and not _within(line.split()[0], CLI)
    ]
    assert outside == []


def test_model_store_and_config_need_no_textual() -> None:
    for module in ("flowise_tui.conversation", STORE, "flowise_tui.config", "flowise_tui.export"):
        assert _offenders(module, ("textual", APP)) == []


def _edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for module, imported_names in IMPORTS.items():
        for imported in imported_names:
            target = imported
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            package_of_module = module.rpartition(".")[0]
            if target and target != module and target != package_of_module:
                edges[module].add(target)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles() -> None:
    assert _cycles(_edges()) == []


def test_the_cycle_check_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_package_says_its_job() -> None:
    for name, path in MODULES.items():
        if path.name == "__init__.py":
            docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
            assert docstring, f"package {name} has no docstring"
