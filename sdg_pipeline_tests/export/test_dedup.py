import random

import numpy as np
import pyarrow as pa

from sdg_pipeline.export.dedup import MinHasher, lsh_params, near_duplicate_clusters
from sdg_pipeline_tests.export.synthetic import random_sentence


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def test_signature_agreement_estimates_jaccard():
    rng = random.Random(3)
    base = random_sentence(rng, 200).split()
    edited = base[:150] + random_sentence(rng, 50).split()
    a, b = " ".join(base), " ".join(edited)
    truth = len(_shingles(a) & _shingles(b)) / len(_shingles(a) | _shingles(b))
    sigs = MinHasher(num_perm=256).signatures(pa.array([a, b]))
    estimate = (sigs[0] == sigs[1]).mean()
    assert abs(estimate - truth) < 0.1


def test_case_and_punctuation_do_not_matter_and_nulls_are_empty():
    sigs = MinHasher().signatures(pa.array(["Hello, World: again!", "hello world again", None, ""]))
    assert (sigs[0] == sigs[1]).all()
    assert (sigs[2] == sigs[3]).all()
    assert not (sigs[0] == sigs[2]).all()


def test_signatures_do_not_depend_on_batching():
    rng = random.Random(5)
    texts = [random_sentence(rng, rng.randint(0, 40)) for _ in range(300)]
    hasher = MinHasher()
    whole = hasher.signatures(pa.array(texts))
    parts = np.concatenate(
        [MinHasher().signatures(pa.array(texts[i : i + 7])) for i in range(0, 300, 7)]
    )
    assert np.array_equal(whole, parts)


def test_clusters_join_near_duplicates_only():
    rng = random.Random(9)
    texts = [random_sentence(rng, 40) for _ in range(50)]
    words = texts[0].split()
    texts.append(" ".join([*words[:-1], "changed"]))  # one word changed at the end: J ~ 0.92
    texts.append(texts[1].upper() + "!")
    labels, info = near_duplicate_clusters(MinHasher().signatures(pa.array(texts)), 0.8)
    assert labels[50] == labels[0] and labels[51] == labels[1]
    assert len(set(labels.tolist())) == 50
    assert info["verified_pairs"] >= 2


def test_lsh_parameters_favour_recall_at_the_threshold():
    bands, rows = lsh_params(0.8, 64)
    assert bands * rows <= 64
    assert 1 - (1 - 0.8**rows) ** bands > 0.8  # a pair right at the threshold is usually found
