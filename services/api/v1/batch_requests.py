"""Request bodies and query parameters of /v1/batches, as pydantic models (validation and schema).

A batch is ``items`` (each a job's ``productUrl`` or ``product`` with the job's options) or a
``source`` the batch worker expands (a sitemap, a Shopify store, a product feed); ``defaults``
fill the options an item leaves out. Strict and closed like the job's body (requests.py).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.api.v1.requests import (
    STYLE_NAMES,
    Format,
    HttpUrl,
    OnFidelityFailure,
    OnUncertainName,
    Output,
    Overlay,
    ProductIn,
    Style,
    check_metadata,
)
from services.common.batch import MAX_ITEMS, BatchStatus, SourceItem

__all__ = [
    "ItemOptions",
    "BatchItemIn",
    "SourceIn",
    "PolitenessIn",
    "BatchCreate",
    "CsvDefaults",
    "BatchListQuery",
    "ItemsQuery",
    "MAX_IN_FLIGHT_PER_HOST",
    "MAX_REQUESTS_PER_SECOND_PER_HOST",
]

#: The most any deployment lets a batch ask of one shop (the scraper's hard bounds). The
#: deployment's own ceilings (API_BATCH_MAX_*_PER_HOST, equal to the scraper's
#: SCRAPER_HOST_*_LIMIT) are checked after parsing (batch_body.check_pace); the scraper clamps too.
MAX_IN_FLIGHT_PER_HOST = 16
MAX_REQUESTS_PER_SECOND_PER_HOST = 50.0
PATTERN_MAX = 200


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ItemOptions(_Strict):
    """A job's options, each optional: an item's own win over ``defaults``, which win over the job's."""

    formats: list[Format] | None = Field(default=None, min_length=1, max_length=3,
                                         json_schema_extra={"uniqueItems": True})
    output: Output | None = None
    style: Style | None = Field(default=None, description="Scene preset: " + ", ".join(STYLE_NAMES) + ".")
    overlay: Overlay | None = None
    onUncertain: OnUncertainName | None = None
    onFidelityFailure: OnFidelityFailure | None = None

    @field_validator("formats")
    @classmethod
    def _unique_formats(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("formats must not repeat a format")
        return value

    def options(self) -> dict[str, Any]:
        """The options given (none of the left-out ones), as the batch worker reads them."""
        return self.model_dump(mode="json", exclude_none=True, include=set(ItemOptions.model_fields))


class BatchItemIn(ItemOptions):
    """One item: ``productUrl`` (scraped) or ``product`` (your facts), with the job's options."""

    productUrl: HttpUrl | None = Field(default=None, examples=["https://shop.example.com/p/kettle"])
    product: ProductIn | None = None
    metadata: dict[str, Any] | None = Field(default=None, description="Echoed on this item's job (≤ 1 KB).")

    @field_validator("metadata")
    @classmethod
    def _small_metadata(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else check_metadata(value)

    @model_validator(mode="after")
    def _one_source(self) -> BatchItemIn:
        if (self.productUrl is None) == (self.product is None):
            raise ValueError("give exactly one of productUrl or product")
        return self

    def source_item(self) -> SourceItem:
        options = self.options() | ({"metadata": self.metadata} if self.metadata else {})
        product = self.product.model_dump(exclude_none=True) if self.product else None
        return SourceItem(productUrl=self.productUrl, product=product, options=options)


class SourceIn(_Strict):
    """Where the batch worker finds the products: a sitemap, a Shopify store or a product feed."""

    type: Literal["auto", "sitemap", "shopify", "feed"] = Field(
        default="auto", description="auto detects a sitemap, a Shopify store or a feed from the URL's answer."
    )
    url: HttpUrl = Field(examples=["https://shop.example.com/sitemap.xml"])
    pattern: str | None = Field(default=None, min_length=1, max_length=PATTERN_MAX,
                                description="A regular expression a product URL's path must contain.",
                                examples=["^/products/"])
    maxItems: int | None = Field(default=None, ge=1, le=MAX_ITEMS,
                                 description=f"Take at most this many products (≤ {MAX_ITEMS:,}).")

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"pattern is not a regular expression: {exc}") from None
        return value


class PolitenessIn(_Strict):
    """The batch's pace at each shop (product pages only); the scraper's defaults when left out."""

    maxInFlightPerHost: int | None = Field(default=None, ge=1, le=MAX_IN_FLIGHT_PER_HOST,
                                           description="Requests at once to one shop.")
    requestsPerSecondPerHost: float | None = Field(default=None, gt=0, le=MAX_REQUESTS_PER_SECOND_PER_HOST,
                                                   description="Request starts per second at one shop.")

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class BatchCreate(_Strict):
    """A batch: give ``items`` (1 to 10,000) or ``source``, not both."""

    items: list[BatchItemIn] | None = Field(default=None, min_length=1, max_length=MAX_ITEMS)
    source: SourceIn | None = None
    defaults: ItemOptions | None = Field(default=None, description="Options for every item that leaves them out.")
    metadata: dict[str, Any] = Field(
        default_factory=dict,
        description="Your own JSON object (≤ 1 KB), echoed on the batch; `name` titles it in the web app.",
        examples=[{"name": "Spring kettles"}],
    )
    politeness: PolitenessIn | None = None

    @field_validator("items", mode="before")
    @classmethod
    def _count(cls, value: Any) -> Any:
        # Before the items are validated one by one: the answer names the real problem at once.
        if isinstance(value, list) and len(value) > MAX_ITEMS:
            raise ValueError(f"{len(value):,} items; a batch takes at most {MAX_ITEMS:,}, "
                             "split them into several batches")
        if isinstance(value, list) and not value:
            raise ValueError("items is empty; give at least one item")
        return value

    @field_validator("metadata")
    @classmethod
    def _small_metadata(cls, value: dict[str, Any]) -> dict[str, Any]:
        return check_metadata(value)

    @model_validator(mode="after")
    def _one_kind(self) -> BatchCreate:
        if (self.items is None) == (self.source is None):
            raise ValueError("give exactly one of items (a list of products) or source (a sitemap, store or feed)")
        return self


class CsvDefaults(BaseModel):
    """Query parameters of a CSV upload: the options for rows that leave them out (text: lax)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    formats: str | None = Field(default=None, max_length=100,
                                description="Formats separated by spaces, commas or semicolons.")
    output: str | None = Field(default=None, max_length=20)
    style: str | None = Field(default=None, max_length=40)
    maxInFlightPerHost: int | None = Field(default=None, ge=1, le=MAX_IN_FLIGHT_PER_HOST)
    requestsPerSecondPerHost: float | None = Field(default=None, gt=0, le=MAX_REQUESTS_PER_SECOND_PER_HOST)

    def politeness(self) -> dict[str, Any]:
        pace = (("maxInFlightPerHost", self.maxInFlightPerHost), ("requestsPerSecondPerHost",
                                                                    self.requestsPerSecondPerHost))
        return {k: v for k, v in pace if v is not None}

    def defaults(self) -> dict[str, Any]:
        data: dict[str, Any] = {k: v for k, v in (("output", self.output), ("style", self.style)) if v}
        if self.formats:
            data["formats"] = [part for part in re.split(r"[,;\s]+", self.formats) if part]
        return data


class BatchListQuery(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    status: BatchStatus | None = None
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, min_length=1, max_length=2048)


class ItemsQuery(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    limit: int = Field(default=100, ge=1, le=1000)
    cursor: str | None = Field(default=None, min_length=1, max_length=2048)
