"""Which language a chunk is written in, offline.

py3langid (BSD-3-Clause, 4.6 MB wheel, numpy only) ships its model inside the package: nothing
is downloaded at run time. Its first call loads the model (about 1 s; `preload` does it in the
background), later calls take well under a millisecond per chunk.
"""

from __future__ import annotations

import re
import threading
from typing import Any

# Text too short or too symbolic to say anything reliable about: callers treat it as unknown.
_MIN_LETTERS = 20
_MARKUP = re.compile(r"[#*_|`>\[\]()\-]+|https?://\S+")

NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
    "fi": "Finnish", "pl": "Polish", "cs": "Czech", "ru": "Russian", "uk": "Ukrainian",
    "ja": "Japanese", "zh": "Chinese", "ko": "Korean", "ar": "Arabic", "tr": "Turkish",
    "el": "Greek", "hu": "Hungarian", "ro": "Romanian", "he": "Hebrew", "hi": "Hindi",
}  # fmt: skip


_loading = threading.Lock()
_loaded: list[Any] = []


def _identifier():
    with _loading:  # one load, whichever thread asks first; the others wait for it
        if not _loaded:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _loaded.append(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
    return _loaded[0]


def preload() -> None:
    """Start loading the model in a background thread. Its ~0.7 s of CPU is mostly LZMA
    decompression, which runs outside the GIL: started while the process does something else,
    it is ready by the time the judge asks."""
    if not _loaded:
        threading.Thread(target=_identifier, name="langid-preload", daemon=True).start()


def load() -> None:
    """Have the model loaded (waiting for a preload under way): processes forked after this
    share it instead of each decompressing its own."""
    _identifier()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it is too short to tell."""
    plain = _MARKUP.sub(" ", text or "")
    if sum(ch.isalpha() for ch in plain) < _MIN_LETTERS:
        return None
    code, probability = _identifier().classify(plain)
    return str(code) if probability >= 0.5 else None


def language_name(code: str | None) -> str:
    return NAMES.get(code or "", code or "the passage's language")
