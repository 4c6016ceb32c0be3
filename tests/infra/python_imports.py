"""The project's own modules and what each one imports, read from the source (ast).

Nothing is imported or executed: every ``import`` and ``from ... import`` statement of a
file counts, wherever it stands (a lazy import inside a function is still a dependency).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.infra.hcl import REPO_ROOT

__all__ = ["PROJECT_ROOTS", "Module", "find_cycles", "project_modules", "third_party"]

#: The folders whose Python modules make up the project (tests are not part of the graph).
PROJECT_ROOTS = ("services", "localdev", "infra", "bench")
#: Folders whose files run as scripts, so their siblings import each other by bare name.
SCRIPT_DIRS = ("bench",)


@dataclass
class Module:
    name: str
    path: Path
    #: Project modules this one imports (each the most specific module the statement names).
    imports: set[str] = field(default_factory=set)
    #: Every other top-level name it imports: the standard library is left out.
    third_party: set[str] = field(default_factory=set)


def _name_of(path: Path) -> str:
    return ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")


def project_modules(roots: tuple[str, ...] = PROJECT_ROOTS) -> dict[str, Module]:
    """Every module under ``roots``, with its imports resolved to project modules."""
    files = [
        p
        for root in roots
        for p in sorted((REPO_ROOT / root).rglob("*.py"))
        if "node_modules" not in p.parts and "__pycache__" not in p.parts
    ]
    modules = {_name_of(p): Module(_name_of(p), p) for p in files}
    for module in modules.values():
        _read_imports(module, modules)
    return modules


def _type_only(tree: ast.Module) -> set[ast.AST]:
    """Nodes under ``if TYPE_CHECKING:``: read by the type checker, never at run time."""
    found: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            for stmt in node.body:
                found.update(ast.walk(stmt))
    return found


def _read_imports(module: Module, modules: dict[str, Module]) -> None:
    is_package = module.path.name == "__init__.py"
    package = module.name if is_package else module.name.rpartition(".")[0]
    script_dir = module.name.split(".")[0] if module.name.split(".")[0] in SCRIPT_DIRS else None
    tree = ast.parse(module.path.read_text(encoding="utf-8"))
    type_only = _type_only(tree)
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            # ``from pkg import sub`` names the submodule when there is one, else pkg itself.
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        for target in targets:
            if script_dir and target.split(".")[0] not in modules and f"{script_dir}.{target}" in modules:
                target = f"{script_dir}.{target}"
            resolved = _most_specific(target, modules)
            if resolved is not None:
                if resolved != module.name:
                    module.imports.add(resolved)
            elif node not in type_only:  # a stub read only by the type checker is no run-time need
                top = target.split(".")[0]
                if top and top not in sys.stdlib_module_names and top != "__future__":
                    module.third_party.add(top)


def _most_specific(name: str, modules: dict[str, Module]) -> str | None:
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in modules:
            return candidate
    return None


def third_party(modules: dict[str, Module], start: set[str]) -> tuple[set[str], set[str]]:
    """The project modules reached from ``start`` (with the packages that hold them, which
    Python runs first) and the third-party top-level modules those import."""
    seen: set[str] = set()
    todo = list(start)
    while todo:
        name = todo.pop()
        if name in seen or name not in modules:
            continue
        seen.add(name)
        parts = name.split(".")
        todo += [".".join(parts[:n]) for n in range(1, len(parts))]
        todo += modules[name].imports
    found = {top for name in seen for top in modules[name].third_party}
    return seen, found


def find_cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan's
    strongly connected components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    def visit(name: str) -> None:
        nonlocal counter
        index[name] = low[name] = counter
        counter += 1
        stack.append(name)
        on_stack.add(name)
        for target in sorted(modules[name].imports):
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in on_stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == name:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for name in sorted(modules):
            if name not in index:
                visit(name)
    finally:
        sys.setrecursionlimit(limit)
    return cycles
