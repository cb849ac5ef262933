"""Language detection of chunks (py3langid, model inside the wheel) and its background load."""

from __future__ import annotations

import threading

import pytest

from sdg_pipeline.text import language


@pytest.fixture
def unloaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The module as in a fresh process, with the model loads counted by thread name."""
    from py3langid.langid import LanguageIdentifier

    monkeypatch.setattr(language, "_loaded", [])
    loads: list[str] = []
    real = LanguageIdentifier.from_model_file

    def counted(*args, **kwargs):
        loads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(LanguageIdentifier, "from_model_file", counted)
    return loads


def test_detects_languages_and_leaves_short_text_unknown(unloaded: list[str]) -> None:
    assert (
        language.detect_language("The pump delivers forty litres per minute at full speed.") == "en"
    )
    text = "Die Pumpe fördert bei voller Drehzahl vierzig Liter pro Minute in den Tank."
    assert language.detect_language(text) == "de"
    assert language.detect_language("Table 3") is None
    assert unloaded == ["MainThread"]  # loaded once, on first use


def test_preload_loads_the_model_once_in_the_background(unloaded: list[str]) -> None:
    language.preload()
    for thread in [t for t in threading.enumerate() if t.name == "langid-preload"]:
        thread.join(timeout=30)
    assert unloaded == ["langid-preload"]
    assert language.detect_language("Revenue grew in every region during the quarter.") == "en"
    language.preload()  # loaded: nothing more to do
    assert unloaded == ["langid-preload"]


def test_concurrent_first_calls_load_the_model_once(unloaded: list[str]) -> None:
    barrier = threading.Barrier(4)

    def first_call() -> None:
        barrier.wait()
        language.detect_language("Costs fell in the second half of the year in every market.")

    threads = [threading.Thread(target=first_call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(unloaded) == 1
