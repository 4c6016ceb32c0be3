"""Static checks of docker/: Dockerfiles, compose.yaml, .dockerignore and requirements/.

Docker cannot build here, so these read the files: pinned bases, multi-stage builds,
a non-root user, health checks, SIGTERM, exec-form entry points, COPY sources that exist
(and survive .dockerignore), and per-service requirements that match constraints.txt and
cover every third-party import of the service.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest
import yaml

from tests.infra.dockerfile import Stage, exec_form, parse_dockerfile
from tests.infra.hcl import REPO_ROOT
from tests.infra.python_imports import project_modules, third_party

SERVICES = ("api", "scraper", "renderer", "batcher")
# The programs each image runs: its service, and for the scraper's image the sweeper, which
# ECS starts on a schedule with another entry point (infra/terraform/sweeper.tf).
IMAGE_PROGRAMS = {
    "api": ("api",), "scraper": ("scraper", "sweeper"), "renderer": ("renderer",), "batcher": ("batcher",),
}
DOCKER = REPO_ROOT / "docker"


def _stages(service: str) -> list[Stage]:
    return parse_dockerfile(DOCKER / f"Dockerfile.{service}")


def _final(service: str) -> Stage:
    return _stages(service)[-1]


@pytest.mark.parametrize("service", SERVICES)
def test_bases_are_pinned_slim_python(service: str) -> None:
    """Every external base is python:<major.minor.patch>-slim-<debian> (or a digest); never latest."""
    stages = _stages(service)
    names = {s.name for s in stages if s.name}
    for stage in stages:
        if stage.base in names:
            continue
        assert re.fullmatch(r"python:3\.11\.\d+-slim-(bookworm|trixie)(@sha256:[0-9a-f]{64})?", stage.base), (
            stage.base
        )


@pytest.mark.parametrize("service", SERVICES)
def test_multi_stage_with_dependencies_built_apart(service: str) -> None:
    """A build stage installs the requirements; the final stage only copies the venv from it."""
    stages = _stages(service)
    assert len(stages) >= 2
    build = stages[0]
    install = " ".join(build.all("RUN"))
    assert f"-r /tmp/req/{service}.txt" in install and "-c /tmp/req/constraints.txt" in install
    final_and_parents = [s for s in stages[1:]]
    copies = [c for s in final_and_parents for c in s.all("COPY")]
    assert any(c.startswith(f"--from={build.name} /opt/venv") for c in copies)
    assert not [r for s in final_and_parents for r in s.all("RUN") if "pip install" in r]


@pytest.mark.parametrize("service", SERVICES)
def test_runs_as_a_non_root_user(service: str) -> None:
    """The final stage switches to a numeric non-root user after its last RUN/COPY."""
    final = _final(service)
    users = final.all("USER")
    assert users, "no USER in the final stage"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0") and user.isdigit() and int(user) >= 1000
    keywords = [i.keyword for i in final.instructions]
    last_user = len(keywords) - 1 - keywords[::-1].index("USER")
    assert not {"RUN", "COPY", "ADD"} & set(keywords[last_user:])


@pytest.mark.parametrize("service", SERVICES)
def test_healthcheck_stopsignal_and_exec_form_entrypoint(service: str) -> None:
    """HEALTHCHECK in exec form, STOPSIGNAL SIGTERM, exec-form ENTRYPOINT running the service module."""
    final = _final(service)
    (health,) = final.all("HEALTHCHECK")
    command = health.split(" CMD ", 1)[1] if " CMD " in f" {health}" else ""
    assert exec_form(command.strip()), health
    assert final.all("STOPSIGNAL") == ["SIGTERM"]
    (entry,) = final.all("ENTRYPOINT")
    assert exec_form(entry) == ["python", "-m", f"services.{service}"]
    assert all(exec_form(c) for c in final.all("CMD"))


def _health_file(service: str) -> str:
    """The health file the worker's settings default to."""
    settings = (REPO_ROOT / "services" / service / "settings.py").read_text(encoding="utf-8")
    found = re.findall(r'health_file: Path = Path\("([^"]+)"\)', settings)
    if service == "batcher" and not found:
        pytest.skip("services/batcher/settings.py names no health file yet (the image checks "
                    "/tmp/productshot-batcher.health)")
    (path,) = found
    return path


@pytest.mark.parametrize("service", ("scraper", "renderer", "batcher"))
def test_worker_healthcheck_reads_the_health_file_the_worker_writes(service: str) -> None:
    """The worker's HEALTHCHECK names the health file its settings default to."""
    (health,) = _final(service).all("HEALTHCHECK")
    assert f'"--file", "{_health_file(service)}"' in health


@pytest.mark.parametrize("service", SERVICES)
def test_the_writable_mount_is_a_declared_volume_under_the_health_files(service: str) -> None:
    """ECS bind-mounts /tmp over a read-only root; only a path the image declares as a VOLUME
    keeps the image's permissions (root:root 1777) instead of root 0755, which uid 10001
    could not write. The workers' health files live under that path."""
    final = _final(service)
    assert [exec_form(v) for v in final.all("VOLUME")] == [["/tmp"]]
    module = (REPO_ROOT / "infra" / "terraform" / "modules" / "ecs-service" / "main.tf").read_text(encoding="utf-8")
    assert 'mountPoints     = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]' in module
    if service != "api":
        assert _health_file(service).startswith("/tmp/")


def _copy_sources(stage: Stage) -> list[str]:
    sources = []
    for args in stage.all("COPY"):
        if args.startswith("--from="):
            continue
        parts = [p for p in args.split() if not p.startswith("--")]
        sources.extend(parts[:-1])
    return sources


def _ignored(path: str) -> bool:
    """What .dockerignore keeps out of the build context (last matching pattern wins)."""
    ignored = False
    for line in (REPO_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").rstrip("/")
        candidates = [path] + [str(Path(*Path(path).parts[:n])) for n in range(1, len(Path(path).parts))]
        if any(
            fnmatch.fnmatch(c, pattern) or fnmatch.fnmatch(c, pattern.replace("**/", "")) for c in candidates
        ):
            ignored = not negate
    return ignored


@pytest.mark.parametrize("service", SERVICES)
def test_copied_files_exist_and_survive_dockerignore(service: str) -> None:
    """Every COPY source exists in the repository and is not excluded from the build context."""
    for stage in _stages(service):
        for source in _copy_sources(stage):
            assert (REPO_ROOT / source).exists(), source
            assert not _ignored(source), f"{source} is excluded by .dockerignore"


_MODULES = project_modules(("services",))


def _reached(service: str) -> tuple[set[Path], set[str]]:
    """Files of every services.* module the image's programs import (transitively, with the
    packages that hold them), and the third-party top-level modules those files import."""
    start = {n for n in _MODULES if n.split(".")[1:2] and n.split(".")[1] in IMAGE_PROGRAMS[service]}
    seen, third = third_party(_MODULES, start)
    return {_MODULES[name].path for name in seen}, third


def _copied(service: str) -> set[str]:
    return {s for st in _stages(service) for s in _copy_sources(st)}


def _copy_destinations(service: str) -> list[tuple[list[str], str]]:
    found = []
    for stage in _stages(service):
        for args in stage.all("COPY"):
            if args.startswith("--from="):
                continue
            parts = [p for p in args.split() if not p.startswith("--")]
            found.append((parts[:-1], parts[-1]))
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_image_holds_every_module_the_service_reaches(service: str) -> None:
    """Every services.* module the service imports, directly or not, is copied to the same path."""
    files, _ = _reached(service)
    copies = _copy_destinations(service)
    for path in sorted(files):
        rel = str(path.relative_to(REPO_ROOT))
        covered = any(
            (rel == src or rel.startswith(src.rstrip("/") + "/"))
            and (
                dest.rstrip("/") == src.rstrip("/")
                or (len(srcs) > 1 and dest.endswith("/") and dest.rstrip("/") == str(Path(src).parent))
            )
            for srcs, dest in copies
            for src in srcs
        )
        assert covered, f"Dockerfile.{service} does not copy {rel}"


@pytest.mark.parametrize("service", SERVICES)
def test_image_holds_only_what_the_service_reaches(service: str) -> None:
    """No whole service package is copied unless the service's imports reach into it."""
    files, _ = _reached(service)
    rel_parts = [p.relative_to(REPO_ROOT).parts for p in files]
    reached_packages = {parts[1] for parts in rel_parts if len(parts) > 2}
    for source in _copied(service):
        parts = Path(source).parts
        if parts[0] == "services" and len(parts) == 2 and not parts[1].endswith(".py"):
            assert parts[1] in reached_packages, f"Dockerfile.{service} copies unused {source}"
    assert f"services/{service}" in _copied(service) and "infra/topology.json" in _copied(service)
    assert _final(service).name == service


def test_sweeper_runs_from_the_scraper_image() -> None:
    """The scraper image holds services/sweeper, and the sweeper's task definition replaces the
    image's exec-form ENTRYPOINT (a command alone would only become the scraper's arguments)."""
    assert "services/sweeper" in _copied("scraper")
    (entry,) = _final("scraper").all("ENTRYPOINT")
    assert exec_form(entry) == ["python", "-m", "services.scraper"]
    sweeper_tf = (REPO_ROOT / "infra" / "terraform" / "sweeper.tf").read_text(encoding="utf-8")
    assert re.search(r'entry_point\s*=\s*\["python", "-m", "services\.sweeper"\]', sweeper_tf)
    assert re.search(r'command\s*=\s*\["--once"\]', sweeper_tf)
    assert "local.service_specs.scraper.repository" in sweeper_tf
    assert (REPO_ROOT / "services" / "sweeper" / "__main__.py").is_file()


def test_renderer_gets_fonts_and_shaping() -> None:
    """The renderer image carries services/renderer (with its fonts/) and installs libraqm for shaping."""
    assert list((REPO_ROOT / "services" / "renderer" / "fonts").glob("*.tt[fc]"))
    runs = " ".join(_final("renderer").all("RUN"))
    assert "libraqm0" in runs and "rm -rf /var/lib/apt/lists/*" in runs


def test_dockerignore_keeps_secrets_and_state_out() -> None:
    """Local state, venvs, git and terraform files never enter the build context."""
    for path in (
        ".git/config",
        ".venv/bin/python",
        ".venv-infra/bin/python",
        ".localstack/volume",
        ".run/aws.env",
        "infra/terraform/main.tf",
        "tests/unit",
        "services/api/__pycache__/app.cpython-311.pyc",
    ):
        assert _ignored(path), path
    for path in ("services/api/app.py", "requirements/api.txt", "constraints.txt", "infra/topology.json"):
        assert not _ignored(path), path


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
        if m:
            pins[_norm(m[1])] = m[2]
    return pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_requirements_match_constraints() -> None:
    """Every pin in requirements/*.txt is the version constraints.txt (the tested .venv) has."""
    constraints = _pins(REPO_ROOT / "constraints.txt")
    files = sorted((REPO_ROOT / "requirements").glob("*.txt"))
    assert {f.stem for f in files} == {"common", *SERVICES}
    for f in files:
        for name, version in _pins(f).items():
            assert constraints.get(name) == version, (
                f"{f.name}: {name}=={version} vs constraints {constraints.get(name)}"
            )
        if f.stem != "common":
            assert "-r common.txt" in f.read_text(encoding="utf-8")


def test_compose_wires_localstack_bootstrap_and_services_like_production() -> None:
    """compose.yaml: LocalStack, a one-shot bootstrap, and the four images with production's settings."""
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"localstack", "bootstrap", *SERVICES}
    assert services["localstack"]["healthcheck"]
    boot = services["bootstrap"]
    assert boot["build"]["target"] == "bootstrap" and boot["restart"] == "no"
    assert boot["depends_on"]["localstack"]["condition"] == "service_healthy"
    for name in SERVICES:
        svc = services[name]
        assert svc["build"]["dockerfile"] == f"docker/Dockerfile.{name}"
        assert svc["depends_on"]["bootstrap"]["condition"] == "service_completed_successfully"
        assert svc["read_only"] is True and "/tmp" in svc["tmpfs"] and svc["stop_signal"] == "SIGTERM"
        env = svc["environment"]
        assert env["AWS_ENDPOINT_URL"] == "http://localstack:4566"
        for key in (
            "PRODUCTSHOT_JOBS_TABLE",
            "PRODUCTSHOT_BUCKET",
            "PRODUCTSHOT_EVENT_BUS",
            "PRODUCTSHOT_SCRAPE_QUEUE",
            "PRODUCTSHOT_RENDER_QUEUE",
            "PRODUCTSHOT_BATCHES_TABLE",
            "PRODUCTSHOT_BATCH_QUEUE",
            "PRODUCTSHOT_BATCH_TTL_HOURS",
            "AWS_REGION",
        ):
            assert key in env
    assert services["api"]["environment"]["API_HOST"] == "0.0.0.0"


def test_compose_names_are_the_topology_names() -> None:
    """The names compose passes are the local names of infra/topology.json."""
    from services.common.topology import load_topology

    topo = load_topology()
    env = yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))["services"]["api"][
        "environment"
    ]
    assert env["PRODUCTSHOT_JOBS_TABLE"] == topo["table"]["name"]
    assert env["PRODUCTSHOT_BUCKET"] == topo["bucket"]["name"]
    assert env["PRODUCTSHOT_EVENT_BUS"] == topo["bus"]["name"]
    assert env["PRODUCTSHOT_BATCHES_TABLE"] == topo["batches_table"]["name"]
    queues = {env["PRODUCTSHOT_SCRAPE_QUEUE"], env["PRODUCTSHOT_RENDER_QUEUE"], env["PRODUCTSHOT_BATCH_QUEUE"]}
    assert queues == set(topo["queues"])
    assert env["PRODUCTSHOT_BATCH_QUEUE"] == topo["services"]["batcher"]["consumes"]
    # A batch lives as long as its images (CommonSettings.batch_ttl_hours' default).
    assert int(env["PRODUCTSHOT_BATCH_TTL_HOURS"]) == topo["bucket"]["lifecycle_expiration_days"] * 24
