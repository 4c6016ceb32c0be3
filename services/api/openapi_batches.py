"""The OpenAPI paths of /v1/batches (docs/batches.md): create, list, read, rows, results, archive, cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.common.batch import BatchStatus

__all__ = ["batch_paths", "BATCH_TAG"]

BATCH_TAG = "batches (v1)"
_REF = "#/components/schemas/{model}"
_BATCH_ID = {"name": "batchId", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
_CURSOR = {"name": "cursor", "in": "query", "schema": {"type": "string", "minLength": 1},
           "description": "`next` of the previous page."}


def _json(model: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF.format(model=model)}}}


def _limit(default: int, most: int) -> dict[str, Any]:
    return {"name": "limit", "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": most, "default": default}}


def _query(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string"}, "description": description}


def batch_paths(idempotency: dict[str, Any], problems: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """``idempotency``: the Idempotency-Key header parameter; ``problems(*codes)``: the error answers."""
    common = {"tags": [BATCH_TAG], "security": [{"bearerAuth": []}]}
    view = {"description": "The batch.", "content": _json("BatchOut")}
    location = {"Location": {"description": "The batch's URL.", "schema": {"type": "string"}}}
    csv_body = {"schema": {"type": "string"}, "example": "productUrl,name,price,currency\n"
                "https://shop.example.com/p/kettle,,,\n,Copper Kettle,49.99,EUR\n"}
    return {
        "/v1/batches": {
            "post": {
                **common,
                "operationId": "createBatch",
                "summary": "Create a batch of up to 10,000 products",
                "description": "JSON: `items` (each `productUrl` or `product`, with a job's options) or `source` "
                "(a sitemap, Shopify store or product feed the batch worker expands). Or a CSV file "
                "(`Content-Type: text/csv`, header row; columns productUrl, name, price, currency, regularPrice, "
                "offer, brand, imageUrl, formats, output, style) with the defaults as query parameters. A problem "
                "in the CSV names its row and column. The items' jobs count against the daily job quota at once; a "
                "source's jobs count as the worker expands it, and when the quota runs out the batch keeps the rows "
                "that fit and says so in `sourceNote` (none fit: the batch fails).",
                "parameters": [idempotency, _query("formats", "CSV only: default formats (space separated)."),
                               _query("output", "CSV only: default output."),
                               _query("style", "CSV only: default style.")],
                "requestBody": {"required": True, "content": {**_json("BatchCreate"), "text/csv": csv_body}},
                "responses": {
                    "202": {**view, "description": "Accepted; poll the Location.", "headers": location},
                    "200": {**view, "description": "The same Idempotency-Key and body again: the batch it created."},
                    **problems(400, 401, 409, 413, 415, 422, 429, 503),
                },
            },
            "get": {
                **common,
                "operationId": "listBatches",
                "summary": "List your batches, newest first",
                "parameters": [{"name": "status", "in": "query",
                                "schema": {"type": "string", "enum": [s.value for s in BatchStatus]}},
                               _limit(20, 100), _CURSOR],
                "responses": {"200": {"description": "One page of batches.", "content": _json("BatchList")},
                              **problems(400, 401, 422, 429, 503)},
            },
        },
        "/v1/batches/{batchId}": {
            "get": {
                **common,
                "operationId": "getBatch",
                "summary": "Get a batch: status, counts, progress",
                "parameters": [_BATCH_ID],
                "responses": {"200": view, **problems(401, 404, 429, 503)},
            },
            "delete": {
                **common,
                "operationId": "cancelBatch",
                "summary": "Cancel a batch: rows not yet released are cancelled, released jobs run to their end",
                "parameters": [_BATCH_ID],
                "responses": {"202": {**view, "description": "Cancellation asked for.", "headers": location},
                              **problems(401, 404, 409, 429, 503)},
            },
        },
        "/v1/batches/{batchId}/items": {
            "get": {
                **common,
                "operationId": "listBatchItems",
                "summary": "A page of the batch's rows, in row order",
                "parameters": [_BATCH_ID, _limit(100, 1000), _CURSOR],
                "responses": {"200": {"description": "One page of rows.", "content": _json("BatchItemList")},
                              **problems(400, 401, 404, 422, 429, 503)},
            },
        },
        "/v1/batches/{batchId}/results": {
            "get": {
                **common,
                "operationId": "getBatchResults",
                "summary": "Every row at once: CSV (a valid upload again) or JSON",
                "parameters": [_BATCH_ID, {"name": "format", "in": "query",
                                           "schema": {"type": "string", "enum": ["csv", "json"]},
                                           "description": "Default: JSON, or CSV when Accept asks for text/csv."}],
                "responses": {
                    "200": {"description": "The rows.",
                            "content": {**_json("BatchResults"), "text/csv": {"schema": {"type": "string"}}}},
                    **problems(401, 404, 422, 429, 503),
                },
            },
        },
        "/v1/batches/{batchId}/archive": {
            "get": {
                **common,
                "operationId": "getBatchArchive",
                "summary": "The ZIP of the batch's images and results.csv (built on first request)",
                "description": "Once the batch has ended: 202 `building` (ask again after Retry-After), 200 "
                "`ready` with a short-lived `url`, or 200 `failed` (a new build has been asked for).",
                "parameters": [_BATCH_ID],
                "responses": {
                    "200": {"description": "Ready (or the last build failed).", "content": _json("ArchiveOut")},
                    "202": {"description": "Being built.", "content": _json("ArchiveOut"),
                            "headers": {"Retry-After": {"description": "Seconds.", "schema": {"type": "string"}}}},
                    **problems(401, 404, 409, 429, 503),
                },
            },
        },
    }
