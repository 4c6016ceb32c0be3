"""The traces' Terraform: the OTEL_* variables the services read, the ADOT sidecar's configuration, X-Ray rights.

modules/ecs-service adds, when ``tracing`` is set, the standard OpenTelemetry variables to
the service's container and an ADOT collector container that receives OTLP/HTTP on
loopback and exports to X-Ray; the task role may then write traces.
"""

from __future__ import annotations

import re
import typing

import pytest

from services.common.tracing import TracingSettings
from tests.infra.hcl import TF_ROOT
from tests.infra.terraform_eval import evaluate_console, infra_python

MODULE = TF_ROOT / "modules" / "ecs-service" / "main.tf"
# Read by the OTLP exporter itself (opentelemetry-exporter-otlp-proto-http), not by our settings.
READ_BY_EXPORTER = {"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL"}
_PYTHON = infra_python()


def _tracing_environment() -> dict[str, str]:
    text = MODULE.read_text(encoding="utf-8")
    found = re.search(r"tracing_environment = local\.tracing \? \{\n(.*?)\n  \} : \{\}", text, re.S)
    assert found, "the module's tracing_environment local moved: update this test"
    return dict(re.findall(r"^\s*([A-Z_]+)\s*=\s*(\S.*)$", found.group(1), re.M))


def _aliases(name: str) -> str:
    alias = TracingSettings.model_fields[name].validation_alias
    return str(alias.choices[0]) if alias is not None and hasattr(alias, "choices") else name


def test_the_variables_terraform_sets_turn_on_the_services_tracer() -> None:
    """Each OTEL_* variable is one the settings or the exporter read, with a value the settings accept."""
    env = _tracing_environment()
    ours = {_aliases(name) for name in ("exporter", "sampler", "sampler_arg")}
    assert set(env) - READ_BY_EXPORTER == ours
    assert env["OTEL_TRACES_EXPORTER"].strip('"') == "otlp"
    sampler = env["OTEL_TRACES_SAMPLER"].strip('"')
    assert sampler in typing.get_args(TracingSettings.model_fields["sampler"].annotation)
    assert sampler.startswith("parentbased_"), "a stage must follow the sampling decision of the job's request"
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == '"http://127.0.0.1:4318"'


def test_the_sidecar_never_stops_the_service_and_may_write_to_xray() -> None:
    """The collector is not essential, starts first, and only a traced task's role gets the X-Ray actions."""
    text = MODULE.read_text(encoding="utf-8")
    collector = text[text.index("  collector = {"):text.index("  container = merge(")]
    assert "essential              = false" in collector
    assert 'dependsOn = [{ containerName = local.collector_name, condition = "START" }]' in text
    assert "count = var.create && var.tracing != null ? 1 : 0" in text
    for action in ("xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                   "xray:GetSamplingTargets"):
        assert action in text
    compute = (TF_ROOT / "compute.tf").read_text(encoding="utf-8")
    assert "tracing = var.tracing.enabled ? {" in compute


@pytest.mark.skipif(_PYTHON is None, reason="the infra tools venv (.venv-infra) is made by tf_check.sh")
def test_the_collector_receives_otlp_on_loopback_and_exports_to_xray() -> None:
    """Terraform's own yamlencode of the collector configuration: OTLP/HTTP on 127.0.0.1:4318 → batch → awsxray."""
    assert _PYTHON is not None
    text = MODULE.read_text(encoding="utf-8")
    found = re.search(r"collector_config = (yamlencode\(\{.*?\n  \}\))", text, re.S)
    assert found, "the module's collector_config local moved: update this test"
    expression = found.group(1).replace("data.aws_region.current.id", '"eu-west-1"')
    config = evaluate_console(_PYTHON, f"locals {{\n  c = {expression}\n}}\n", "jsonencode(yamldecode(local.c))")
    assert config["receivers"]["otlp"]["protocols"]["http"]["endpoint"] == "127.0.0.1:4318"
    assert config["exporters"]["awsxray"]["region"] == "eu-west-1"
    assert config["service"]["pipelines"]["traces"] == {
        "receivers": ["otlp"], "processors": ["batch"], "exporters": ["awsxray"]}
