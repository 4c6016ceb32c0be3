"""Tesseract in process, through tesserocr (its wheel bundles libtesseract 5.5).

The language data comes from the system's tesseract packages (apt ``tesseract-ocr`` and
``tesseract-ocr-<lang>``). An engine loads its language data once (~0.1 s of CPU, what a
``tesseract`` process start costs on every call) and then reads a variant's text in
~20-30 ms, so engines are kept, one per language set, each behind a lock (the API is not
thread-safe; on two cores one OCR at a time is as fast as several). Blocking: the gate
runs it on a worker thread.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import tesserocr
from PIL import Image

__all__ = ["OcrWord", "read_words", "script_of", "language_for", "installed_languages", "tesseract_available",
           "tessdata_dir"]

# Where Debian/Ubuntu (5.x, then 4.x) put the language data; TESSDATA_PREFIX wins.
_TESSDATA = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
             "/usr/share/tessdata")
# Script (first word of the character's Unicode name) -> tesseract's language pack.
_PACKS = {"LATIN": "eng", "CYRILLIC": "rus", "GREEK": "ell", "ARABIC": "ara", "HEBREW": "heb",
          "CJK": "chi_sim", "HIRAGANA": "jpn", "KATAKANA": "jpn", "HANGUL": "kor"}


@dataclass(frozen=True, slots=True)
class OcrWord:
    text: str
    top: int
    height: int
    confidence: float


@lru_cache(maxsize=1)
def tessdata_dir() -> str | None:
    """The directory holding ``eng.traineddata``, or None when no language data is installed."""
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *_TESSDATA]
    for candidate in candidates:
        if candidate and (Path(candidate) / "eng.traineddata").is_file():
            return candidate.rstrip("/") + "/"
    return None


def tesseract_available() -> bool:
    return tessdata_dir() is not None


@lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    path = tessdata_dir()
    return frozenset(tesserocr.get_languages(path)[1]) if path else frozenset()


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


class _Engine:
    """One loaded tesseract (a language set), used by one thread at a time."""

    def __init__(self, languages: str) -> None:
        self._lock = threading.Lock()
        # SINGLE_BLOCK: the gate hands it one block of text (a variant's blocks stacked).
        self._api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=languages, psm=tesserocr.PSM.SINGLE_BLOCK)
        self._api.SetVariable("tessedit_do_invert", "0")  # the strip is dark text on light already

    def words(self, image: Image.Image) -> list[OcrWord]:
        with self._lock:
            self._api.SetImage(image)
            self._api.Recognize()
            found = []
            iterator = self._api.GetIterator()
            level = tesserocr.RIL.WORD
            for word in tesserocr.iterate_level(iterator, level):
                try:
                    text = word.GetUTF8Text(level)
                except RuntimeError:  # tesserocr raises for a word with no text (a blank strip)
                    continue
                box = word.BoundingBox(level)
                if text and text.strip() and box:
                    found.append(OcrWord(text, box[1], box[3] - box[1], word.Confidence(level)))
            return found


_ENGINES: dict[str, _Engine] = {}
_ENGINES_LOCK = threading.Lock()


def read_words(image: Image.Image, languages: list[str]) -> list[OcrWord]:
    """Every word tesseract finds in ``image`` (greyscale, dark text on light), top to bottom."""
    key = "+".join(dict.fromkeys(languages or ["eng"]))
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key) or _ENGINES.setdefault(key, _Engine(key))
    return engine.words(image)
