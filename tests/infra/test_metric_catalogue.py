"""One metric catalogue: the code, docs/operations.md, the dashboard and the alarms agree.

Every metric in ``services/common/metrics.py``'s CATALOGUE is emitted somewhere in the
services and printed in the page's table with its unit and dimensions; every metric the
dashboard or an alarm names (namespace Productshot) is in the catalogue, with a dimension
set the emitter writes; every alarm links to a runbook section that exists.
"""

from __future__ import annotations

import re

from services.common.metrics import CATALOGUE, Metric
from tests.infra.hcl import REPO_ROOT

DOC = (REPO_ROOT / "docs/operations.md").read_text(encoding="utf-8")
TF = (REPO_ROOT / "infra/terraform/observability.tf").read_text(encoding="utf-8")
_ROW = re.compile(r"^\| `(\w+)` \| (\w+) \| ([\w, ]+) \| .+ \|$", re.MULTILINE)
# A dashboard row: ["Productshot", "Name", "dim", value, "dim", value, ..., {options}]
_DASHBOARD_ROW = re.compile(r'\["Productshot", "(\w+)"((?:, (?:"[\w-]+"|[^,\[\]{}]+))*), \{')
_SEARCH = re.compile(r'MetricName=\\"(\w+)\\"')


def _catalogue_rows() -> dict[str, tuple[str, tuple[str, ...]]]:
    return {name: (unit, tuple(d.strip() for d in dims.split(","))) for name, unit, dims in _ROW.findall(DOC)}


def _services_source() -> str:
    files = (REPO_ROOT / "services").rglob("*.py")
    return "\n".join(p.read_text(encoding="utf-8") for p in files if p.name != "metrics.py")


def test_the_page_lists_exactly_the_catalogue_with_units_and_dimensions() -> None:
    """docs/operations.md's table is the catalogue: same names, units and dimension sets."""
    expected = {m.value: (spec.unit.value, ("service", *spec.dimensions)) for m, spec in CATALOGUE.items()}
    assert _catalogue_rows() == expected


def test_every_catalogued_metric_is_emitted_by_some_service() -> None:
    """No catalogue entry (and so no dashboard line or alarm) that nobody emits."""
    source = _services_source()
    silent = [m.name for m in Metric if f"Metric.{m.name}" not in source]
    assert silent == []


def test_every_metric_on_the_dashboard_and_the_alarms_is_catalogued() -> None:
    """The dashboard's rows, its searches and the alarms name only metrics the code emits."""
    named = {m for m, _ in _DASHBOARD_ROW.findall(TF)} | set(_SEARCH.findall(TF))
    named |= set(re.findall(r'metric_name\s*=\s*"(\w+)"', TF))
    assert len(named) >= 10, "the patterns no longer find the metrics in observability.tf"
    assert named - {m.value for m in Metric} == set()


def test_dashboard_rows_use_a_dimension_set_the_emitter_writes() -> None:
    """A row's dimensions are the metric's full set or ``service`` alone (else it shows nothing)."""
    rows = _DASHBOARD_ROW.findall(TF)
    assert len(rows) >= 10, "the pattern no longer finds the dashboard's rows"
    for name, rest in rows:
        parts = [p.strip() for p in rest.split(",") if p.strip()]
        keys = {parts[i].strip('"') for i in range(0, len(parts), 2)}
        spec = CATALOGUE[Metric(name)]
        assert keys in ({"service"}, {"service", *spec.dimensions}), (name, keys)


def test_alarms_watch_the_service_total_and_link_to_an_existing_runbook() -> None:
    """Each alarm's dimensions are ``{ service = ... }`` and its runbook anchor is a heading of the page."""
    dimension_keys = re.findall(r"dimensions\s*=\s*\{ (\w+) =", TF)
    assert dimension_keys and set(dimension_keys) == {"service"}
    anchors = re.findall(r"Runbook: \$\{local\.runbook\}([\w-]+)", TF)
    headings = set(re.findall(r"^### ([\w-]+)$", DOC, re.MULTILINE))
    alarms = re.findall(r'resource "aws_cloudwatch_metric_alarm" "(\w+)"', TF)
    assert len(anchors) == len(alarms) == 5
    assert set(anchors) <= headings
