from __future__ import annotations

import pytest

from services.renderer.overlay.fit import ELLIPSIS, fit_text

LONG = (
    "Sony WH-1000XM5 Wireless Noise Cancelling Headphones with Auto Noise Cancelling "
    "Optimizer, Crystal Clear Hands-Free Calling, and Alexa Voice Control, Black"
)


def test_short_text_keeps_the_largest_size() -> None:
    """A name that fits is set at the maximum size on one line."""
    fitted = fit_text("Trail Runner", weight="bold", max_width=900, max_lines=3, max_size=64, min_size=34)
    assert fitted.size == 64 and len(fitted.lines) == 1 and not fitted.truncated


def test_text_wraps_and_shrinks_before_truncating() -> None:
    """A medium name wraps onto more lines and shrinks, but keeps every word."""
    text = "Ultralight Waterproof Hiking Jacket with Packable Hood"
    fitted = fit_text(text, weight="bold", max_width=500, max_lines=3, max_size=64, min_size=34)
    assert not fitted.truncated
    assert fitted.text.split() == text.split()
    assert all(line.width <= 500 for line in fitted.lines)


def test_overlong_text_ends_with_an_ellipsis_at_min_size() -> None:
    """Text that cannot fit at the minimum size is cut at a word with an ellipsis."""
    fitted = fit_text(LONG, weight="bold", max_width=700, max_lines=2, max_size=64, min_size=34)
    assert fitted.truncated and fitted.size == 34
    assert len(fitted.lines) == 2 and fitted.lines[-1].text.endswith(ELLIPSIS)
    assert all(line.width <= 700 for line in fitted.lines)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Supercalifragilisticexpialidociousheadphonesmodelnumber", "en"),
        ("ソニー ワイヤレスノイズキャンセリングヘッドホン WH-1000XM5 ブラック 高性能モデル", "ja"),
        ("سماعات رأس لاسلكية بخاصية إلغاء الضوضاء من سوني باللون الأسود الفاخر", "ar"),
    ],
)
def test_no_line_ever_exceeds_the_box(text: str, language: str) -> None:
    """Long words and scripts without spaces are broken inside: nothing overflows."""
    fitted = fit_text(
        text, weight="bold", max_width=380, max_lines=2, max_size=60, min_size=30, language=language
    )
    assert 1 <= len(fitted.lines) <= 2
    assert all(line.width <= 380 for line in fitted.lines)
