"""The OpenAPI document is complete and consistent with the app's routes."""

from __future__ import annotations

import jsonschema

from services.api.app import routes
from services.api.openapi import openapi_document


def test_every_api_route_is_documented() -> None:
    """Each /v1, seed and probe route appears in paths with its methods."""
    doc = openapi_document()
    for route in routes():
        path = getattr(route, "path", "")
        if path.startswith(("/v1", "/generative-ai-images", "/healthz", "/readyz")):
            documented = {m.upper() for m in doc["paths"][path]}
            assert set(route.methods or ()) - {"HEAD"} <= documented, path  # type: ignore[attr-defined]


def test_every_reference_resolves_and_schemas_are_valid() -> None:
    """Every $ref points at a component, and every component is a valid JSON Schema (2020-12)."""
    doc = openapi_document()
    schemas = doc["components"]["schemas"]
    text = str(doc)
    for name in {part.split("'")[0] for part in text.split("#/components/schemas/")[1:]}:
        assert name in schemas, name
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_errors_are_documented_as_problem_details() -> None:
    """Every 4xx/5xx of /v1 is application/problem+json."""
    for path, item in openapi_document()["paths"].items():
        if not path.startswith("/v1"):
            continue
        for operation in item.values():
            for code, response in operation["responses"].items():
                if code.startswith(("4", "5")):
                    assert list(response["content"]) == ["application/problem+json"], (path, code)
