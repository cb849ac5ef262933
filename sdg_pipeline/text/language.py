"""Which language a chunk is written in, offline.

py3langid (BSD-3-Clause, 4.6 MB wheel, numpy only) ships its model inside the package: nothing
is downloaded at run time. Its first call loads the model (about 2 s), later calls take
well under a millisecond per chunk.
"""

from __future__ import annotations

import re
from functools import lru_cache

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


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it is too short to tell."""
    plain = _MARKUP.sub(" ", text or "")
    if sum(ch.isalpha() for ch in plain) < _MIN_LETTERS:
        return None
    code, probability = _identifier().classify(plain)
    return str(code) if probability >= 0.5 else None


def language_name(code: str | None) -> str:
    return NAMES.get(code or "", code or "the passage's language")
