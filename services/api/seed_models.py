"""The seed endpoints' bodies, for the OpenAPI document only (seed_routes.py keeps its own code)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["SeedGenerate", "SeedAccepted", "SeedStatus", "SeedMessage"]


class SeedGenerate(BaseModel):
    productUrl: str


class SeedAccepted(BaseModel):
    model_config = ConfigDict(extra="forbid")
    jobId: str
    message: str
    statusUrl: str


class SeedStatus(BaseModel):
    model_config = ConfigDict(extra="forbid")
    jobId: str
    status: Literal["pending", "processing", "completed", "failed"]
    message: str | None = None
    imageUrl: str | None = None
    urlExpiresAt: str | None = None
    fileName: str | None = None
    contentType: str | None = None
    overlayText: str | None = None
    error: str | None = None


class SeedMessage(BaseModel):
    message: str
