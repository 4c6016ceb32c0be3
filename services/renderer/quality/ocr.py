"""Tesseract, through pytesseract (it runs the ``tesseract`` binary: apt ``tesseract-ocr``).

Blocking; the gate runs it on a worker thread. Which scripts can be read depends on the
language packs installed (``tesseract-ocr-ara`` ...): ``LanguagePacks`` asks tesseract once.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pytesseract
from PIL import Image

__all__ = ["OcrWord", "read_words", "script_of", "language_for", "installed_languages", "tesseract_available"]

# One OCR runs per worker thread next to the renders: tesseract's own OpenMP threads would
# only fight them for the cores (and cost more than they save on images this small).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# Script (first word of the character's Unicode name) -> tesseract's language pack.
_PACKS = {"LATIN": "eng", "CYRILLIC": "rus", "GREEK": "ell", "ARABIC": "ara", "HEBREW": "heb",
          "CJK": "chi_sim", "HIRAGANA": "jpn", "KATAKANA": "jpn", "HANGUL": "kor"}


@dataclass(frozen=True, slots=True)
class OcrWord:
    text: str
    top: int
    height: int
    confidence: float


def tesseract_available() -> bool:
    return shutil.which(pytesseract.pytesseract.tesseract_cmd) is not None


@lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    if not tesseract_available():
        return frozenset()
    return frozenset(pytesseract.get_languages(config=""))


def script_of(text: str) -> str | None:
    """The script of the first letter of ``text`` ("LATIN", "ARABIC", ...), None without letters."""
    for char in text:
        if char.isalpha():
            return unicodedata.name(char, "UNKNOWN").split(" ")[0]
    return None


def language_for(script: str | None) -> str | None:
    """The language pack that reads ``script``, when it is installed."""
    pack = _PACKS.get(script or "")
    return pack if pack and pack in installed_languages() else None


def read_words(image: Image.Image, languages: list[str]) -> list[OcrWord]:
    """Every word tesseract finds in ``image`` (greyscale, dark text on light), top to bottom.

    ``--psm 6``: one uniform block of text, which is what the gate hands it (the text
    blocks of a variant stacked, each scaled to a similar line height)."""
    langs = "+".join(dict.fromkeys(languages or ["eng"]))
    data = pytesseract.image_to_data(image, lang=langs, config="--psm 6 -c tessedit_do_invert=0",
                                     output_type=pytesseract.Output.DICT)
    words = []
    for text, top, height, conf in zip(data["text"], data["top"], data["height"], data["conf"], strict=True):
        if str(text).strip():
            words.append(OcrWord(str(text), int(top), int(height), float(conf)))
    return words
