"""What the fake image API accepts: the real API's rules for models, sizes and options.

Strict on purpose: a request the real service would refuse must fail here too, so a
bug in the generator shows up in a unit test and not in production.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RequestError", "validate"]

_SIZES = {
    "gpt-image": ("1024x1024", "1536x1024", "1024x1536", "auto"),
    "dall-e-3": ("1024x1024", "1792x1024", "1024x1792"),
    "dall-e-2": ("256x256", "512x512", "1024x1024"),
}
_QUALITIES = {
    "gpt-image": ("low", "medium", "high", "auto"),
    "dall-e-3": ("standard", "hd"),
    "dall-e-2": ("standard",),
}
_PROMPT_LIMITS = {"gpt-image": 32000, "dall-e-3": 4000, "dall-e-2": 1000}


class RequestError(Exception):
    """A request the real API would refuse with 400."""

    def __init__(self, message: str, param: str | None = None, code: str | None = "invalid_value") -> None:
        super().__init__(message)
        self.message, self.param, self.code = message, param, code


def _family(model: str) -> str:
    if model.startswith("gpt-image"):
        return "gpt-image"
    if model in ("dall-e-3", "dall-e-2"):
        return model
    raise RequestError(f"Invalid value for 'model' = {model}.", "model")


def validate(params: dict[str, Any], *, edit: bool) -> dict[str, Any]:
    """Checks the parameters the way the real API does; returns the normalised ones."""
    model = str(params.get("model") or "gpt-image-1")
    family = _family(model)
    if edit and family == "dall-e-3":
        raise RequestError("Invalid model dall-e-3. The model must be one of dall-e-2, gpt-image-1.", "model")
    prompt = params.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise RequestError("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter")
    if len(prompt) > _PROMPT_LIMITS[family]:
        raise RequestError(f"Prompt is too long. Maximum length is {_PROMPT_LIMITS[family]}.", "prompt")
    size = str(params.get("size") or "1024x1024")
    if size not in _SIZES[family]:
        raise RequestError(
            f"Invalid value: '{size}'. Supported values are: {', '.join(_SIZES[family])}.", "size"
        )
    quality = params.get("quality")
    if quality is not None and quality not in _QUALITIES[family]:
        raise RequestError(
            f"Invalid value: '{quality}'. Supported values are: {', '.join(_QUALITIES[family])}.", "quality"
        )
    response_format = params.get("response_format")
    if family == "gpt-image" and response_format is not None:
        raise RequestError("Unknown parameter: 'response_format'.", "response_format", "unknown_parameter")
    if family != "gpt-image" and response_format != "b64_json":
        # The real API defaults to hosted URLs; this server only does inline base64.
        raise RequestError("This server only returns response_format 'b64_json'.", "response_format")
    output_format = str(params.get("output_format") or "png")
    if output_format not in ("png", "jpeg", "webp") or (family != "gpt-image" and "output_format" in params):
        raise RequestError(f"Invalid value: '{output_format}' for output_format.", "output_format")
    compression = params.get("output_compression")
    if compression is not None and (family != "gpt-image" or not str(compression).isdigit()
                                    or not 0 <= int(compression) <= 100):
        raise RequestError(f"Invalid value: '{compression}' for output_compression.", "output_compression")
    fidelity = params.get("input_fidelity")
    if fidelity is not None and (family != "gpt-image" or fidelity not in ("high", "low")):
        raise RequestError(f"Invalid value: '{fidelity}' for input_fidelity.", "input_fidelity")
    n = int(params.get("n") or 1)
    if not 1 <= n <= (1 if family == "dall-e-3" else 10):
        raise RequestError(f"Invalid value for 'n' = {n}.", "n")
    width, height = (int(v) for v in ("1024x1024" if size == "auto" else size).split("x"))
    return {"model": model, "family": family, "prompt": prompt, "size": size, "width": width,
            "height": height, "quality": quality, "n": n, "output_format": output_format}  # fmt: skip
