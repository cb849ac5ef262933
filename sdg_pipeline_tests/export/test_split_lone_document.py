from sdg_pipeline.export.split import TRAIN, VALIDATION, assign_splits, document_draw


def _key_drawn_below(ratio: float, seed: int) -> str:
    return next(k for k in (f"doc-{i}" for i in range(10_000)) if document_draw(k, seed) < ratio)


def test_a_lone_document_drawn_into_validation_goes_to_train() -> None:
    key = _key_drawn_below(0.1, 13)
    splits, moved = assign_splits([key], validation_ratio=0.1, seed=13)
    assert splits == {key: TRAIN} and moved == key


def test_two_documents_still_fill_both_splits() -> None:
    key = _key_drawn_below(0.1, 13)
    other = next(k for k in (f"x-{i}" for i in range(100)) if document_draw(k, 13) >= 0.1)
    splits, _ = assign_splits([key, other], validation_ratio=0.1, seed=13)
    assert sorted(splits.values()) == [TRAIN, VALIDATION]
