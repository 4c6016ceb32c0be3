"""Events name the page, never its credentials: URLs leave without query string or fragment."""

from __future__ import annotations

from services.common.events import DetailType, validate_detail
from services.common.job import Job
from services.common.product import Product
from services.common.stage_events import publish_product_scraped
from tests.fakes import RecordingPublisher

SIGNED_PAGE = "https://shop.example.com/p/kettle?session=cust-42&utm_source=mail#reviews"
SIGNED_IMAGE = "https://cdn.shop.example/k.jpg?X-Amz-Signature=abc123&X-Amz-Credential=AKIAEXAMPLE"


async def test_product_scraped_carries_the_product_and_image_urls_without_their_queries() -> None:
    """product.url and product.images lose query and fragment; the caller's metadata is passed as given."""
    product = Product.from_dict({"name": "Kettle", "url": SIGNED_PAGE, "images": [SIGNED_IMAGE]}).to_dict()
    metadata = {"ref": "https://crm.example/x?id=7"}
    job = Job.new(ttl_hours=1, productUrl=SIGNED_PAGE, product=product, metadata=metadata)
    publisher = RecordingPublisher()
    await publish_product_scraped(publisher, job)
    [(_, detail, _)] = publisher.events
    validate_detail(DetailType.PRODUCT_SCRAPED.value, detail)
    assert detail["product"]["url"] == "https://shop.example.com/p/kettle"
    assert detail["product"]["images"] == ["https://cdn.shop.example/k.jpg"]
    assert "abc123" not in str(detail) and "cust-42" not in str(detail)
    assert detail["metadata"] == metadata
    assert job.product is not None and job.product["url"] == SIGNED_PAGE  # the job keeps what it needs
