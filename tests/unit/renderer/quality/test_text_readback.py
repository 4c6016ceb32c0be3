"""The text read-back: a variant is published only when OCR reads its facts back."""

from __future__ import annotations

import pytest

from services.common.events import DetailType, build_detail, validate_detail
from services.common.job import Job
from services.common.job_states import JobStatus
from services.common.product import Product
from services.renderer.overlay import OverlayOptions, lay_out_text, render_variant
from services.renderer.quality import readback
from services.renderer.quality.ocr import installed_languages, tesseract_available
from services.renderer.quality.readback import read_back
from services.renderer.quality.relayout import on_stronger_backdrop
from services.renderer.quality.report import failure_reason, qa_document
from services.renderer.quality.text_gate import check_text
from tests.unit.renderer import backgrounds

pytestmark = pytest.mark.skipif(
    not tesseract_available(), reason="tesseract-ocr is not installed (apt-get install tesseract-ocr)")

KETTLE = Product(name="Copper Kettle 1.5 L", price="129.00", currency="USD", regularPrice="159.00",
                 brand="Northwind")


@pytest.mark.parametrize("fmt", ["square", "landscape", "story"])
def test_price_offer_and_name_read_back_on_a_plain_scene(fmt: str) -> None:
    """On a calm scene every fact laid out is read back as laid out, with nothing to fix."""
    layer = lay_out_text(KETTLE, format=fmt)
    variant = render_variant(backgrounds.dark(), KETTLE, format=fmt, layer=layer)
    checks = {c.check: c for c in read_back(variant, layer)}
    assert set(checks) == {"ocr.price", "ocr.currency", "ocr.offer", "ocr.name"}
    assert all(c.passed for c in checks.values()), [c.note for c in checks.values()]
    assert checks["ocr.price"].score == 1.0


def test_a_busy_scene_is_published_with_text_that_reads_back() -> None:
    """On saturated stripes the text is either read at once or re-laid on a panel that reads."""
    layer = lay_out_text(KETTLE, format="landscape")
    variant = render_variant(backgrounds.stripes(), KETTLE, format="landscape", layer=layer)
    published, report = check_text(variant, layer)
    assert report.passed, report.to_dict()
    assert report.action in {"none", "relaid"}
    assert all(c.passed for c in read_back(published, layer))


def test_the_stronger_backdrop_keeps_the_text_where_it_was() -> None:
    """The re-layout changes pixels around the text only; the text's boxes are unchanged."""
    layer = lay_out_text(KETTLE, format="square")
    variant = render_variant(backgrounds.noise(), KETTLE, format="square", layer=layer)
    stronger = on_stronger_backdrop(variant)
    assert stronger.blocks == variant.blocks
    assert stronger.image.tobytes() != variant.image.tobytes()
    assert stronger.image.getpixel((variant.image.width - 1, variant.image.height // 2)) == \
        variant.image.getpixel((variant.image.width - 1, variant.image.height // 2))


def test_a_price_the_fonts_cannot_draw_fails_the_variant_with_a_reason() -> None:
    """A price in Thai digits (no shipped face draws them) cannot be read: re-laid, then failed."""
    layer = lay_out_text(KETTLE, format="square", options=OverlayOptions(price="฿๑๒๙.๐๐"))
    variant = render_variant(backgrounds.dark(), KETTLE, format="square", layer=layer)
    _, report = check_text(variant, layer)
    assert not report.passed
    assert report.action == "failed"
    assert {c.check for c in report.checks if not c.passed} == {"ocr.price.first", "ocr.price"}
    reason = failure_reason([report])
    assert reason.startswith("quality gate: square: ocr.price") and "฿๑๒๙.๐๐" in reason


def test_the_report_travels_in_product_image_generated() -> None:
    """The gate's document is a valid ``qa`` field of the ProductImageGenerated v1 detail."""
    layer = lay_out_text(KETTLE, format="square")
    _, report = check_text(render_variant(backgrounds.light(), KETTLE, format="square", layer=layer), layer)
    job = Job(jobId="3f2b8c1e-5d4a-4e8b-9c1f-2a6d7e8f9012", status=JobStatus.COMPLETED, traceId="a" * 32)
    image = {"format": "square", "bucket": "productshot-images", "key": "jobs/x/square.jpg",
             "contentType": "image/jpeg", "width": 1080, "height": 1080, "size": 10, "output": "jpeg"}
    detail = build_detail(DetailType.IMAGE_GENERATED, job, {"images": [image], "model": "offline",
                                                            "overlayText": "x", "qa": qa_document([report])})
    validate_detail(DetailType.IMAGE_GENERATED.value, detail)
    assert detail["qa"]["passed"] is True


_SCRIPTS = {
    "rus": Product(name="Медный чайник классический", price="129.00", currency="RUB", language="ru"),
    "ell": Product(name="Χάλκινος βραστήρας νερού", price="129.00", currency="EUR", language="el"),
    "ara": Product(name="غلاية نحاسية فاخرة", price="129.00", currency="SAR", language="ar"),
    "heb": Product(name="קומקום נחושת מעולה", price="129.00", currency="ILS", language="he"),
}


@pytest.mark.parametrize("pack", sorted(_SCRIPTS))
def test_a_name_in_another_script_is_read_with_its_language_pack(pack: str) -> None:
    """Cyrillic, Greek, Arabic and Hebrew names read back with their pack (right-to-left
    words compared in both letter orders), and the price beside them still reads."""
    if pack not in installed_languages():
        pytest.skip(f"tesseract-ocr-{pack} is not installed (scripts/setup.sh installs it)")
    product = _SCRIPTS[pack]
    for fmt in ("square", "landscape"):
        layer = lay_out_text(product, format=fmt)
        checks = {c.check: c for c in read_back(render_variant(backgrounds.dark(), product, format=fmt,
                                                               layer=layer), layer)}
        assert checks["ocr.name"].score is not None and checks["ocr.name"].passed, checks["ocr.name"].note
        assert checks["ocr.price"].passed, checks["ocr.price"].note


def test_without_a_pack_the_name_check_says_it_was_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A script whose pack is missing is reported skipped (never silently passed); the price still counts."""
    monkeypatch.setattr(readback, "language_for", lambda script: None)
    product = _SCRIPTS["ara"]
    layer = lay_out_text(product, format="square")
    checks = {c.check: c for c in read_back(render_variant(backgrounds.dark(), product, format="square",
                                                           layer=layer), layer)}
    assert checks["ocr.name"].score is None and "no tesseract language pack for ARABIC" in checks["ocr.name"].note
    assert checks["ocr.price"].score == 1.0


@pytest.mark.parametrize("offer", ["Summer sale", "Free shipping today", "2 for 1", "-50%"])
@pytest.mark.parametrize("background", ["noise", "stripes"])
def test_shop_offer_texts_read_back_from_the_badge_on_busy_scenes(offer: str, background: str) -> None:
    """The badge's text is read inside its own disc or pill only: white scene pixels or red
    stripes around it never leak into what is read, so a shop's offer text passes."""
    product = Product(name="Copper Kettle", price="1299.99", currency="GBP", offer=offer, regularPrice="1499.99")
    layer = lay_out_text(product, format="square")
    _, report = check_text(render_variant(backgrounds.ALL[background](), product, format="square", layer=layer),
                           layer)
    offer_check = next(c for c in report.checks if c.check == "ocr.offer")
    assert report.passed and offer_check.passed, offer_check.note
