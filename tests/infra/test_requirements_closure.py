"""Each image installs exactly what its service imports: nothing missing, nothing extra.

Per image, the import closure of its programs (every module of services/<program>, and the
services/common modules they reach, directly or not) is read with ast; the third-party
top-level modules it reaches must be exactly the ones requirements/<service>.txt plus
requirements/common.txt provide. A dependency of a pinned package (pydantic under
pydantic-settings, botocore under aiobotocore) counts as provided; a pin nobody imports is
an error unless it is named below with the reason it is there.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.infra.dockerfile import parse_dockerfile
from tests.infra.hcl import REPO_ROOT
from tests.infra.python_imports import project_modules, third_party

IMAGE_PROGRAMS = {
    "api": ("api",), "scraper": ("scraper", "sweeper"), "renderer": ("renderer",), "batcher": ("batcher",),
}
#: Pins no module imports by name, and why the image needs them anyway.
RUNTIME_ONLY = {
    "api": {
        "uvloop": "uvicorn's event loop; services/api/__main__.py asks for it by name (loop='uvloop')",
        "httptools": "uvicorn's C HTTP parser; services/api/__main__.py asks for it by name (http='httptools')",
    },
}

MODULES = project_modules(("services",))


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> set[str]:
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==\S+", line)
        if m:
            found.add(_norm(m[1]))
    return found


def _with_dependencies(names: set[str]) -> set[str]:
    """The named distributions and everything they install (as installed in this venv)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = _norm(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return seen


def _reached(service: str) -> tuple[set[str], set[str]]:
    start = {
        name
        for name in MODULES
        if name.split(".")[0] == "services" and name.split(".")[1:2] and name.split(".")[1] in IMAGE_PROGRAMS[service]
    }
    return third_party(MODULES, start)


def _providers() -> dict[str, set[str]]:
    """Distribution name -> the top-level modules it installs."""
    provides: dict[str, set[str]] = {}
    for module, dists in metadata.packages_distributions().items():
        for dist in dists:
            provides.setdefault(_norm(dist), set()).add(module)
    return provides


@pytest.mark.parametrize("service", sorted(IMAGE_PROGRAMS))
def test_requirements_provide_every_module_the_service_reaches(service: str) -> None:
    """Every third-party module in the service's import closure is installed by its pins
    (or by what those pins depend on)."""
    pinned = _pins(REPO_ROOT / "requirements" / f"{service}.txt") | _pins(REPO_ROOT / "requirements" / "common.txt")
    installed = _with_dependencies(pinned)
    provides = _providers()
    _, modules = _reached(service)
    missing = sorted(m for m in modules if not any(m in provides.get(d, set()) for d in installed))
    assert not missing, f"requirements/{service}.txt lacks what provides {missing}"


@pytest.mark.parametrize("service", sorted(IMAGE_PROGRAMS))
def test_requirements_pin_nothing_the_service_does_not_import(service: str) -> None:
    """Every pin of requirements/<service>.txt and requirements/common.txt provides a module
    the service's import closure reaches, or is a documented runtime-only dependency."""
    if not (REPO_ROOT / "services" / service / "__main__.py").is_file():
        pytest.skip(f"services/{service}/__main__.py (the entry point, which reaches common.txt's AWS "
                    "clients, logging and metrics) is not written yet")
    provides = _providers()
    _, modules = _reached(service)
    allowed = {_norm(name) for name in RUNTIME_ONLY.get(service, {})}
    extra = []
    for source in (f"{service}.txt", "common.txt"):
        for dist in sorted(_pins(REPO_ROOT / "requirements" / source)):
            if dist not in allowed and not provides.get(dist, set()) & modules:
                extra.append(f"{dist} ({source})")
    assert not extra, f"the {service} image installs what it never imports: {extra}"


@pytest.mark.parametrize("service", sorted(IMAGE_PROGRAMS))
def test_runtime_only_pins_are_really_used_by_name(service: str) -> None:
    """Each runtime-only exception is still pinned and still named where the reason says."""
    pinned = _pins(REPO_ROOT / "requirements" / f"{service}.txt")
    for name, why in RUNTIME_ONLY.get(service, {}).items():
        assert _norm(name) in pinned, name
        where = re.search(r"(services/\S+\.py)", why)
        assert where and f"'{name}'" in (REPO_ROOT / where[1]).read_text(encoding="utf-8").replace('"', "'"), why


@pytest.mark.parametrize("service", sorted(IMAGE_PROGRAMS))
def test_image_copies_only_the_service_packages_the_closure_reaches(service: str) -> None:
    """The Dockerfile copies services/common, the service's own programs and nothing else
    of services/: no other service's code rides along."""
    seen, _ = _reached(service)
    reached = {name.split(".")[1] for name in seen if len(name.split(".")) > 1}
    copied = set()
    for stage in parse_dockerfile(REPO_ROOT / "docker" / f"Dockerfile.{service}"):
        for args in stage.all("COPY"):
            if args.startswith("--from="):
                continue
            for source in [p for p in args.split() if not p.startswith("--")][:-1]:
                parts = Path(source).parts
                if parts[0] == "services" and len(parts) > 1 and not parts[1].endswith(".py"):
                    copied.add(parts[1])
    assert copied == reached == {"common", *IMAGE_PROGRAMS[service]}
