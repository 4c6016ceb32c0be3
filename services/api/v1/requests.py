"""Request bodies of /v1, as pydantic models: the validation and the OpenAPI schema in one place.

Unknown fields are refused (``extra="forbid"``) and types are strict, so a typo or a
string where a boolean belongs is a 422 naming the field, never a silent default.
"""

from __future__ import annotations

import json
from decimal import Decimal, DecimalException
from typing import Annotated, Any, Literal

from boto3.dynamodb.types import DYNAMODB_CONTEXT
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from services.api.urls import InvalidProductUrl, validate_product_url
from services.common.fact_policy import DEFAULT_ON_UNCERTAIN, PRINTED_FACTS
from services.common.image_options import (
    DEFAULT_FORMAT,
    DEFAULT_OUTPUT,
    DEFAULT_STYLE,
    FORMAT_NAMES,
    OUTPUT_NAMES,
    STYLE_NAMES,
    FormatName,
    OutputName,
    StyleName,
)

__all__ = [
    "JobCreate",
    "ProductIn",
    "ProductFacts",
    "ReviewAnswer",
    "Overlay",
    "OverlayPart",
    "FORMAT_NAMES",
    "OUTPUT_NAMES",
    "STYLE_NAMES",
    "METADATA_MAX_BYTES",
    "HttpUrl",
    "check_metadata",
]

METADATA_MAX_BYTES = 1024
METADATA_MAX_DEPTH = 16
URL_MAX = 2048

# The names are the shared contract of services/common/image_options.py.
Format = FormatName
Output = OutputName
Style = StyleName
OnUncertainName = Literal["review", "hide", "fail"]
PrintedFact = Literal[PRINTED_FACTS]  # type: ignore[valid-type]
OnFidelityFailure = Literal["composite", "fail"]


def _checked_url(value: str) -> str:
    try:
        return validate_product_url(value, max_length=URL_MAX)
    except InvalidProductUrl as exc:
        raise ValueError(str(exc).replace("productUrl", "the URL")) from exc


HttpUrl = Annotated[
    str,
    Field(
        min_length=8, max_length=URL_MAX, pattern=r"^https?://[^\s/?#]+", json_schema_extra={"format": "uri"}
    ),
    AfterValidator(_checked_url),
]
DecimalText = Annotated[str, Field(pattern=r"^\d{1,12}(\.\d{1,4})?$", examples=["129.00"])]


def _storable(value: Any, depth: int) -> None:
    """Metadata is stored in DynamoDB: bounded nesting, numbers it can hold exactly."""
    if depth > METADATA_MAX_DEPTH:
        raise ValueError(f"metadata is nested deeper than {METADATA_MAX_DEPTH} levels")
    if isinstance(value, dict):
        for item in value.values():
            _storable(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _storable(item, depth + 1)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            DYNAMODB_CONTEXT.create_decimal(Decimal(repr(value)))
        except (DecimalException, ValueError) as exc:
            raise ValueError(
                f"metadata number {value!r} is out of range (38 significant digits, "
                "magnitude 1e-130 to 1e125)"
            ) from exc


def check_metadata(value: dict[str, Any]) -> dict[str, Any]:
    """Caller metadata: at most METADATA_MAX_BYTES serialized and storable in DynamoDB."""
    size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
    if size > METADATA_MAX_BYTES:
        raise ValueError(f"metadata is {size} bytes serialized; the limit is {METADATA_MAX_BYTES}")
    _storable(value, 1)
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class OverlayPart(_Strict):
    """One overlay element: hide it, or print your own text instead of the product's."""

    hide: bool = False
    text: str | None = Field(default=None, max_length=200)


class Overlay(_Strict):
    """Override or hide the texts laid over the image; omitted parts use the product's facts."""

    name: OverlayPart | None = None
    price: OverlayPart | None = None
    offer: OverlayPart | None = None
    brand: OverlayPart | None = None


class ProductFacts(_Strict):
    """Printed product facts, each optional: the rules every caller-given fact is held to."""

    name: str | None = Field(default=None, min_length=1, max_length=300, examples=["Copper Kettle 1.5 L"])
    price: DecimalText | None = Field(default=None, description="Current price, a decimal string.")
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$", description="ISO 4217 code.")
    regularPrice: DecimalText | None = Field(default=None, description="List price shown struck through.")
    offer: str | None = Field(default=None, max_length=100, examples=["-20%"])
    brand: str | None = Field(default=None, max_length=100)


class ProductIn(ProductFacts):
    """The product facts, when you have them: Productshot then skips scraping."""

    name: str = Field(min_length=1, max_length=300, examples=["Copper Kettle 1.5 L"])
    imageUrl: HttpUrl | None = Field(
        default=None, description="A photo of the product, fetched once by the API."
    )


class ReviewAnswer(_Strict):
    """A person's answer for a job in ``review``: every fact in question is accepted as
    scraped, corrected under ``product``, or hidden."""

    product: ProductFacts | None = Field(
        default=None, description="Corrected facts, merged onto the scraped product.",
        examples=[{"price": "49.99", "currency": "EUR"}],
    )
    accept: list[PrintedFact] = Field(
        default_factory=list, max_length=len(PRINTED_FACTS), description="Facts that are right as scraped.",
        json_schema_extra={"uniqueItems": True},
    )
    hide: list[PrintedFact] = Field(
        default_factory=list, max_length=len(PRINTED_FACTS),
        description="Facts to leave off the image (hiding the price also hides the regular price and offer).",
        json_schema_extra={"uniqueItems": True},
    )

    def corrected(self) -> dict[str, Any]:
        """The facts the person typed in, by name."""
        return self.product.model_dump(exclude_none=True) if self.product else {}

    @model_validator(mode="after")
    def _each_fact_once(self) -> ReviewAnswer:
        named = [*self.accept, *self.hide, *self.corrected()]
        twice = sorted({n for n in named if named.count(n) > 1})
        if twice:
            raise ValueError(f"answer each fact once (accept, hide or product): {', '.join(twice)}")
        if not named:
            raise ValueError("give product, accept or hide")
        return self


class JobCreate(_Strict):
    """A job: give ``productUrl`` (Productshot scrapes it) or ``product`` (you give the facts)."""

    productUrl: HttpUrl | None = Field(default=None, examples=["https://shop.example.com/p/kettle"])
    product: ProductIn | None = None
    formats: list[Format] = Field(
        default_factory=lambda: list[Format]([DEFAULT_FORMAT]),
        min_length=1,
        max_length=3,
        json_schema_extra={"uniqueItems": True},
    )
    output: Output = DEFAULT_OUTPUT
    style: Style = Field(default=DEFAULT_STYLE, description="Scene preset: " + ", ".join(STYLE_NAMES) + ".")
    overlay: Overlay | None = None
    onUncertain: OnUncertainName = Field(
        default=DEFAULT_ON_UNCERTAIN.value,
        description=(
            "When a scraped fact that would be printed is uncertain: review (the job waits in "
            "status review for POST /v1/jobs/{jobId}/review), hide (the image leaves it out) or fail "
            "(the job fails, naming the facts). The default, hide, never prints an uncertain fact and "
            "never leaves an unattended integration waiting for a person."
        ),
    )
    onFidelityFailure: OnFidelityFailure = Field(
        default="composite",
        description="When the image model changes the product in the scene and does so again when asked "
        "once more: composite the real product photo onto the scene (default), or fail the job.",
    )
    metadata: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            f"Your own JSON object (at most {METADATA_MAX_BYTES} bytes serialized), "
            "echoed on the job and in every event."
        ),
    )

    @field_validator("formats")
    @classmethod
    def _unique_formats(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("formats must not repeat a format")
        return value

    @field_validator("metadata")
    @classmethod
    def _small_metadata(cls, value: dict[str, Any]) -> dict[str, Any]:
        return check_metadata(value)

    @model_validator(mode="after")
    def _one_source(self) -> JobCreate:
        if (self.productUrl is None) == (self.product is None):
            raise ValueError("give exactly one of productUrl or product")
        return self

    def overlay_dict(self) -> dict[str, Any]:
        """The shape the renderer reads: {"price": {"hide": true}, "name": {"text": "..."}}."""
        return self.overlay.model_dump(exclude_none=True) if self.overlay else {}
