"""The seed endpoints' bodies, for the OpenAPI document only (seed_routes.py keeps its own code)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["SeedGenerate", "SeedAccepted", "SeedStatus", "SeedMessage"]


class SeedGenerate(BaseModel):
    productUrl: str


class SeedAccepted(BaseModel):
    model_config = ConfigDict(extra="forbid")
    jobId: str
    message: str
    statusUrl: str


class SeedStatus(BaseModel):
    """The seed's status body. Timestamps are Unix epoch seconds, as the seed sent them."""

    model_config = ConfigDict(extra="forbid")
    jobId: str
    status: Literal["pending", "processing", "completed", "failed"]
    createdAt: int = Field(description="When the job was accepted (Unix epoch seconds). Every status.")
    message: str | None = Field(None, description='processing: "Image generation in progress".')
    completedAt: int | None = Field(None, description="completed: when the image was stored (epoch seconds).")
    imageUrl: str | None = Field(None, description="completed: presigned GET URL of the image.")
    urlExpiresAt: int | None = Field(None, description="completed: when imageUrl stops working (epoch seconds).")
    fileName: str | None = Field(None, description="completed: `<jobId>.jpg` (the stored image's extension).")
    contentType: str | None = Field(None, description='completed: e.g. "image/jpeg".')
    overlayText: str | None = Field(None, description="completed: the text laid over the image.")
    failedAt: int | None = Field(None, description="failed: when the job failed (epoch seconds).")
    error: str | None = Field(None, description="failed: why, in words a person can act on (never internal detail).")
    errorCode: str | None = Field(None, description="failed: why, from a closed set (see the API guide).")
    traceId: str | None = Field(None, description="failed: quote it when asking for help.")


class SeedMessage(BaseModel):
    message: str
