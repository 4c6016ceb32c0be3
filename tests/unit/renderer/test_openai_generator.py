"""The OpenAI generator, through the real SDK, over HTTP, against the local image server."""

from __future__ import annotations

import asyncio
import io
import logging
import socket
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import structlog
from PIL import Image
from pydantic import SecretStr

from localdev.image_api import ImageAPIServer
from services.common.errors import PermanentError, TransientError
from services.common.logging import configure_logging
from services.common.product import Product
from services.renderer.generation.base import GenerationRequest
from services.renderer.generation.factory import GeneratorConfigError, build_generator
from services.renderer.generation.openai_generator import ContentPolicyError, OpenAIGenerator, nearest_size
from services.renderer.generation.settings import GenerationSettings
from tests.fakes import InMemoryParameters

KEY = "sk-test-SECRET-never-log-9f3a"
PRODUCT = Product(
    name="Trail Runner 2",
    brand="Stride",
    description="<p>Light <b>trail</b> shoe &amp; grippy sole</p><script>steal(document.cookie)</script>",
    images=["https://shop.example/p.jpg"],
)


def jpeg(width: int = 300, height: int = 200, colour: tuple[int, int, int] = (200, 30, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
async def server() -> AsyncIterator[ImageAPIServer]:
    async with ImageAPIServer(api_key=KEY) as srv:
        yield srv


@pytest.fixture
async def make_generator(server: ImageAPIServer) -> AsyncIterator[Callable[..., OpenAIGenerator]]:
    made: list[OpenAIGenerator] = []

    def make(**overrides: Any) -> OpenAIGenerator:
        values: dict[str, Any] = {
            "openai_api_key": KEY,
            "openai_base_url": server.base_url,
            "timeout_seconds": 2.0,
            "max_retries": 2,
            "backoff_base_seconds": 0.01,
            "backoff_max_seconds": 0.05,
            "max_retry_after_seconds": 5.0,
        }
        values.update(overrides)
        generator = OpenAIGenerator(GenerationSettings(**values))
        made.append(generator)
        return generator

    yield make
    for generator in made:
        await generator.aclose()


def request(photo: bytes | None = None, size: str = "1024x1024", style: str = "studio") -> GenerationRequest:
    return GenerationRequest(product=PRODUCT, style=style, size=size, photo=photo, job_id="job-1")


def outcomes(server: ImageAPIServer, endpoint: str = "generations") -> dict[str, int]:
    return server.stats.to_dict()["outcomes"].get(endpoint, {})


async def test_prompt_path_returns_a_jpeg_scene_in_the_nearest_supported_size(server, make_generator):
    """Without a photo the prompt-only endpoint is used, and a story size maps to 1024x1536.

    The scene is asked for as JPEG at quality 90 (a fifth of a PNG's bytes on the wire)."""
    image = await make_generator().generate(request(size="1080x1920"))
    with Image.open(io.BytesIO(image.data)) as img:
        assert (img.format, img.size) == ("JPEG", (1024, 1536))
    seen = server.stats.recent[-1]
    assert (seen["output_format"], seen["output_compression"]) == ("jpeg", 90)
    assert (seen["endpoint"], seen["model"], seen["size"]) == ("generations", "gpt-image-1", "1024x1536")
    assert "response_format" not in seen  # gpt-image-1 refuses it
    assert image.model == "gpt-image-1" and image.prompt


async def test_a_png_scene_is_asked_for_without_a_compression(server, make_generator):
    """RENDERER_SCENE_FORMAT=png asks for PNG, and output_compression (jpeg/webp only) stays out."""
    image = await make_generator(scene_format="png").generate(request())
    with Image.open(io.BytesIO(image.data)) as img:
        assert img.format == "PNG"
    seen = server.stats.recent[-1]
    assert seen["output_format"] == "png" and "output_compression" not in seen


async def test_edit_path_sends_the_product_photo(server, make_generator):
    """With a photo, the edit endpoint receives it (an upright JPEG goes as it is)."""
    image = await make_generator().generate(request(photo=jpeg(300, 200)))
    seen = server.stats.recent[-1]
    assert seen["endpoint"] == "edits"
    assert seen["images"] == [{"format": "JPEG", "width": 300, "height": 200, "content_type": "image/jpeg"}]
    assert seen["input_fidelity"] == "high"
    with Image.open(io.BytesIO(image.data)) as img:
        assert img.size == (1024, 1024)
        assert img.convert("RGB").getpixel((512, 600)) == pytest.approx((200, 30, 40), abs=12)


async def test_prompt_mode_and_unusable_photos_use_the_generation_endpoint(server, make_generator):
    """mode=prompt ignores the photo; bytes that are not an image fall back to prompt-only."""
    await make_generator(mode="prompt").generate(request(photo=jpeg()))
    await make_generator().generate(request(photo=b"<html>not an image</html>"))
    assert server.stats.to_dict()["requests"] == {"generations": 2}


async def test_dalle3_asks_for_base64_in_its_own_sizes(server, make_generator):
    """dall-e-3 gets response_format=b64_json, its landscape size, and returns the revised prompt."""
    image = await make_generator(model="dall-e-3").generate(request(photo=jpeg(), size="1200x628"))
    seen = server.stats.recent[-1]
    assert (seen["endpoint"], seen["size"], seen["response_format"]) == (
        "generations",
        "1792x1024",
        "b64_json",
    )
    assert seen["quality"] == "standard"
    assert image.model == "dall-e-3" and image.revised_prompt


async def test_prompt_carries_scraped_facts_and_no_html(server, make_generator):
    """The prompt names the product and brand, keeps the description's words, drops markup and script."""
    await make_generator().generate(request())
    prompt = server.stats.recent[-1]["prompt"]
    assert "Trail Runner 2 by Stride" in prompt and "Light trail shoe & grippy sole" in prompt
    assert "<" not in prompt and "script" not in prompt and "cookie" not in prompt
    assert "Do not render any text" in prompt


async def test_429_then_success_honours_retry_after(server, make_generator):
    """A 429 with Retry-After: 1 is retried after about a second, not after the tiny backoff."""
    server.faults.update({"fail_next": [{"status": 429, "retry_after": 1}]})
    started = time.monotonic()
    await make_generator().generate(request())
    assert time.monotonic() - started >= 0.95
    assert outcomes(server) == {"429": 1, "200": 1}


async def test_500_then_success(server, make_generator):
    """A 500 is retried with backoff and the second attempt's image is returned."""
    server.faults.update({"fail_next": [{"status": 500}]})
    image = await make_generator().generate(request())
    assert image.data.startswith(b"\xff\xd8\xff")  # the JPEG scene of the retried call
    assert outcomes(server) == {"500": 1, "200": 1}


async def test_timeout_then_success(server, make_generator):
    """A request that hangs past the timeout is abandoned and retried."""
    server.faults.update({"hang_next": 1, "hang_seconds": 30})
    started = time.monotonic()
    await make_generator(timeout_seconds=0.5).generate(request())
    assert 0.5 <= time.monotonic() - started < 5
    assert outcomes(server)["hang"] == 1 and outcomes(server)["200"] == 1


async def test_persistent_500_raises_transient_after_the_retries(server, make_generator):
    """When every attempt fails with 500, max_retries + 1 attempts are made, then TransientError."""
    server.faults.update({"fail_rate": 1.0})
    with pytest.raises(TransientError) as caught:
        await make_generator(max_retries=2).generate(request())
    assert "500" in caught.value.reason
    assert outcomes(server) == {"500": 3}


async def test_unreachable_server_raises_transient(make_generator):
    """Connection errors are retried, then reported as transient."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again on exit: nothing listens there
    with pytest.raises(TransientError, match="unreachable"):
        await make_generator(openai_base_url=f"http://127.0.0.1:{port}/v1").generate(request())


async def test_retry_after_beyond_the_cap_is_handed_back_to_the_queue(server, make_generator):
    """A Retry-After longer than max_retry_after_seconds is not slept through: TransientError carries it."""
    server.faults.update({"fail_next": [{"status": 429, "retry_after": 30}]})
    started = time.monotonic()
    with pytest.raises(TransientError) as caught:
        await make_generator(max_retry_after_seconds=5).generate(request())
    assert time.monotonic() - started < 2
    assert caught.value.retry_after == pytest.approx(30, abs=1)
    assert outcomes(server) == {"429": 1}


@pytest.mark.parametrize("model", ["gpt-image-1", "dall-e-3"])
async def test_content_policy_is_permanent_with_the_models_reason(server, make_generator, model):
    """A safety refusal fails at once (one request) as ContentPolicyError quoting the model."""
    server.faults.update({"content_policy_when_prompt_contains": "trail runner"})
    with pytest.raises(ContentPolicyError) as caught:
        await make_generator(model=model).generate(request())
    assert isinstance(caught.value, PermanentError)
    assert "rejected" in caught.value.reason and "safety system" in caught.value.reason
    assert outcomes(server) == {"content_policy": 1}


async def test_other_400_is_permanent_and_not_retried(server, make_generator):
    """Any other 400 fails at once as PermanentError carrying the server's message."""
    fault = {"status": 400, "message": "Invalid value for 'size'.", "code": "invalid_value"}
    server.faults.update({"fail_next": [fault]})
    with pytest.raises(PermanentError) as caught:
        await make_generator().generate(request())
    assert not isinstance(caught.value, ContentPolicyError)
    assert "Invalid value for 'size'." in caught.value.reason
    assert outcomes(server) == {"400": 1}


async def test_rejected_key_is_permanent(server, make_generator):
    """A 401 (bad key) is not retried; the reason names the problem but not the key."""
    with pytest.raises(PermanentError) as caught:
        await make_generator(openai_api_key="sk-wrong-key").generate(request())
    assert "401" in caught.value.reason and "sk-wrong-key" not in caught.value.reason
    assert outcomes(server) == {"401": 1}


async def test_concurrency_limit_bounds_calls_in_flight(server, make_generator):
    """With max_concurrency=2, six concurrent generations never put more than two on the wire."""
    server.faults.update({"latency": 0.2})
    generator = make_generator(max_concurrency=2)
    results = await asyncio.gather(*(generator.generate(request()) for _ in range(6)))
    assert len(results) == 6
    assert server.stats.max_in_flight == 2


async def test_concurrent_calls_retry_independently(server, make_generator):
    """Retries of concurrent calls do not share state: three 500s among six calls, all six succeed."""
    server.faults.update({"fail_next": [{"status": 500}] * 3, "latency": 0.05})
    generator = make_generator(max_retries=1)
    results = await asyncio.gather(*(generator.generate(request()) for _ in range(6)))
    assert len(results) == 6
    assert outcomes(server) == {"500": 3, "200": 6}


async def test_api_key_never_reaches_the_logs(server, make_generator, capsys, caplog):
    """Retries, failures and SDK debug logging never print the key (structlog and stdlib both)."""
    caplog.set_level(logging.DEBUG)
    configure_logging("renderer", level="debug")
    try:
        server.faults.update({"fail_next": [{"status": 500}]})
        generator = make_generator()
        await generator.generate(request())
        server.faults.update({"fail_next": [{"status": 400, "message": "bad"}]})
        with pytest.raises(PermanentError):
            await generator.generate(request())
        captured = capsys.readouterr()
    finally:
        structlog.reset_defaults()
    logged = captured.out + captured.err + caplog.text
    assert "openai_call_retrying" in logged and "openai_generation_failed" in logged
    assert KEY not in logged
    assert KEY not in repr(GenerationSettings(openai_api_key=SecretStr(KEY)))


async def test_aclose_closes_the_http_client(make_generator):
    """aclose() releases the SDK client's connections."""
    generator = make_generator()
    await generator.aclose()
    assert generator._client.is_closed()


@pytest.mark.parametrize(
    ("model", "requested", "expected"),
    [
        ("gpt-image-1", "1080x1080", "1024x1024"),
        ("gpt-image-1", "1200x628", "1536x1024"),
        ("gpt-image-1", "1080x1920", "1024x1536"),
        ("gpt-image-1", "nonsense", "1024x1024"),
        ("dall-e-3", "1200x628", "1792x1024"),
        ("dall-e-3", "1080x1920", "1024x1792"),
        ("dall-e-3", "1100x1000", "1024x1024"),
    ],
)
def test_nearest_size(model, requested, expected):
    """Requested sizes map to the supported size of the closest aspect ratio (ties: square)."""
    assert nearest_size(model, requested) == expected


async def test_factory_reads_the_key_from_ssm_with_decryption(server):
    """With only an SSM parameter named, the key is read decrypted and the OpenAI generator works."""
    settings = GenerationSettings(
        openai_api_key=None,
        openai_api_key_ssm_parameter="/productshot/openai-key",
        openai_base_url=server.base_url,
    )
    parameters = InMemoryParameters({"/productshot/openai-key": KEY})
    generator = await build_generator(settings, parameters)
    try:
        assert isinstance(generator, OpenAIGenerator)
        # Decrypted: the SSM adapter's contract (tests/contracts/test_parameters_contract.py).
        assert parameters.reads == ["/productshot/openai-key"]
        await generator.generate(request())  # the server only accepts KEY
    finally:
        await generator.aclose()


async def test_factory_fails_start_up_when_the_ssm_key_cannot_be_read():
    """A named parameter that cannot be read (or is empty) stops start-up instead of going offline."""
    settings = GenerationSettings(openai_api_key=None, openai_api_key_ssm_parameter="/missing")
    with pytest.raises(GeneratorConfigError, match="/missing"):
        await build_generator(settings, InMemoryParameters())  # ParameterNotFoundError
    with pytest.raises(GeneratorConfigError, match="empty"):
        await build_generator(settings, InMemoryParameters({"/missing": " "}))
    with pytest.raises(GeneratorConfigError, match="SSM client"):
        await build_generator(settings, None)


async def test_factory_without_a_key_returns_the_offline_generator(monkeypatch):
    """No key and no parameter: the offline generator."""
    offline = pytest.importorskip("services.renderer.generation.offline")
    settings = GenerationSettings(openai_api_key=None, openai_api_key_ssm_parameter=None)
    generator = await build_generator(settings)
    try:
        assert isinstance(generator, offline.OfflineGenerator)
    finally:
        await generator.aclose()


def test_settings_read_renderer_variables_and_the_plain_openai_key(monkeypatch):
    """RENDERER_* variables configure the generator; OPENAI_API_KEY is a fallback for the key."""
    for name in ("RENDERER_OPENAI_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-plain")
    monkeypatch.setenv("RENDERER_MODEL", "dall-e-3")
    monkeypatch.setenv("RENDERER_MAX_CONCURRENCY", "4")
    settings = GenerationSettings()
    assert settings.openai_api_key is not None and settings.openai_api_key.get_secret_value() == "sk-plain"
    assert (settings.model, settings.max_concurrency, settings.mode) == ("dall-e-3", 4, "auto")
    monkeypatch.setenv("RENDERER_OPENAI_API_KEY", "sk-renderer")
    assert GenerationSettings().openai_api_key.get_secret_value() == "sk-renderer"  # type: ignore[union-attr]
    monkeypatch.setenv("RENDERER_OPENAI_API_KEY", "")
    monkeypatch.delenv("OPENAI_API_KEY")
    assert GenerationSettings().openai_api_key is None  # blank means offline


@pytest.mark.parametrize(
    "bad",
    [
        {"model": "dall-e-2"},
        {"model": "dall-e-3", "mode": "edit"},
        {"default_style": "grunge"},
        {"max_concurrency": 0},
    ],
)
def test_settings_refuse_invalid_values(bad):
    """Unknown models, an edit mode dall-e-3 cannot serve, unknown styles and a zero limit are refused."""
    with pytest.raises(ValueError):
        GenerationSettings(**bad)


async def test_factory_refuses_the_placeholder_terraform_leaves_in_the_parameter():
    """A parameter still holding Terraform's placeholder stops start-up (no render fails with 401)."""
    from services.renderer.generation.factory import UNSET_PARAMETER_VALUE

    settings = GenerationSettings(openai_api_key=None, openai_api_key_ssm_parameter="/p/openai-api-key")
    with pytest.raises(GeneratorConfigError, match="placeholder"):
        await build_generator(settings, InMemoryParameters({"/p/openai-api-key": f" {UNSET_PARAMETER_VALUE}\n"}))
