from sdg_pipeline.export.split import TRAIN, VALIDATION, assign_splits, document_draw


def test_split_follows_the_seeded_draw():
    keys = [f"doc-{i}" for i in range(200)]
    splits, moved = assign_splits(keys, 0.2, seed=13)
    assert moved is None
    for key in keys:
        assert splits[key] == (VALIDATION if document_draw(key, 13) < 0.2 else TRAIN)
    share = sum(s == VALIDATION for s in splits.values()) / len(keys)
    assert 0.1 < share < 0.3
    assert assign_splits(keys, 0.2, seed=14)[0] != splits  # the seed matters


def test_adding_documents_never_moves_existing_ones():
    first, _ = assign_splits([f"doc-{i}" for i in range(50)], 0.2, seed=13)
    second, _ = assign_splits([f"doc-{i}" for i in range(120)], 0.2, seed=13)
    assert all(second[k] == v for k, v in first.items())


def test_each_split_gets_a_document_when_there_are_two():
    keys = ["a", "b"]
    splits, moved = assign_splits(keys, 0.01, seed=13)
    assert set(splits.values()) == {TRAIN, VALIDATION}
    assert moved == min(keys, key=lambda k: document_draw(k, 13))
    splits, moved = assign_splits(keys, 0.999999, seed=13)
    assert set(splits.values()) == {TRAIN, VALIDATION}
    assert moved == max(keys, key=lambda k: document_draw(k, 13))


def test_zero_ratio_and_single_document_stay_in_train():
    assert set(assign_splits(["a", "b", "c"], 0.0, 13)[0].values()) == {TRAIN}
    assert assign_splits(["a"], 0.5, 13)[1] is None
