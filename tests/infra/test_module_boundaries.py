"""The shape of the code: services stay apart, no import loops, small modules.

Read from the source with ast (tests/infra/python_imports.py), so a lazy import inside a
function counts as much as one at the top of a file.
"""

from __future__ import annotations

import pytest

from tests.infra.hcl import REPO_ROOT
from tests.infra.python_imports import PROJECT_ROOTS, Module, find_cycles, project_modules

SERVICES = ("api", "scraper", "renderer", "sweeper", "ops", "cli", "batcher")
MAX_LINES = 300

MODULES = project_modules()


def _service_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if parts[0] == "services" and len(parts) > 1 else None


def test_the_walker_sees_lazy_imports_and_every_root() -> None:
    """The graph holds modules of every root and counts an import made inside a function
    (the renderer's factory imports its OpenAI generator lazily)."""
    roots = {name.split(".")[0] for name in MODULES}
    assert roots == set(PROJECT_ROOTS)
    factory = MODULES["services.renderer.generation.factory"]
    assert "services.renderer.generation.openai_generator" in factory.imports


@pytest.mark.parametrize("service", SERVICES)
def test_no_service_imports_another_service(service: str) -> None:
    """No module of services/<service> imports a module of another service package; what
    they share lives in services/common."""
    crossing = sorted(
        f"{m.name} -> {target}"
        for m in MODULES.values()
        if _service_of(m.name) == service
        for target in m.imports
        if _service_of(target) in SERVICES and _service_of(target) != service
    )
    assert not crossing, crossing


def test_cli_is_only_an_http_client() -> None:
    """services/cli talks to the API over HTTP: it imports no service and nothing of services/common."""
    reaching = sorted(
        f"{m.name} -> {target}"
        for m in MODULES.values()
        if _service_of(m.name) == "cli"
        for target in m.imports
        if _service_of(target) not in (None, "cli")
    )
    assert not reaching, reaching


def test_common_imports_no_service() -> None:
    """services/common is below the services: none of its modules imports one of them."""
    reaching_up = sorted(
        f"{m.name} -> {target}"
        for m in MODULES.values()
        if _service_of(m.name) == "common"
        for target in m.imports
        if _service_of(target) in SERVICES
    )
    assert not reaching_up, reaching_up


def test_cycle_finder_finds_direct_and_longer_loops() -> None:
    """The check below would see a pair importing each other and a loop through a third."""
    graph = {
        "a": Module("a", REPO_ROOT, {"b"}),
        "b": Module("b", REPO_ROOT, {"a"}),
        "c": Module("c", REPO_ROOT, {"d"}),
        "d": Module("d", REPO_ROOT, {"e"}),
        "e": Module("e", REPO_ROOT, {"c"}),
        "f": Module("f", REPO_ROOT, {"a", "c"}),
    }
    assert sorted(find_cycles(graph)) == [["a", "b"], ["c", "d", "e"]]


def test_no_two_project_modules_import_each_other() -> None:
    """No module of services/, localdev/, infra/ or bench/ imports another that imports it
    back, directly or through a loop of others."""
    assert find_cycles(MODULES) == []


def test_no_module_is_over_the_line_limit() -> None:
    """Every Python module of services/, localdev/, infra/ and bench/ has at most 300 lines."""
    over = []
    for module in MODULES.values():
        rel = str(module.path.relative_to(REPO_ROOT))
        lines = len(module.path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            over.append(f"{rel}: {lines}")
    assert not over, over
