"""One suite evaluation over a batch of partitions, with a result per partition.

A GX validation costs a fixed ~0.1-0.3 s whatever the rows, so validating each document's frame
on its own is most of a small document's CPU. Here the batch's frames (each derived on its own,
as the suite would) are stacked and validated once, by a suite rewritten so that a row it flags
names the partition that may fail:

- a row-level expectation keeps its meaning, with `mostly` dropped (any offending row flags);
- a frame-level one (row count, distinct count, mean) becomes a row-level one over a column that
  carries the row's own partition's aggregate;
- "every row belongs to the partition's document" compares each row to the partition it came
  from;
- uniqueness is asked of (value, partition), so two documents may share a value.

A partition no row of which is flagged passes every expectation of its own suite. A flagged
partition is validated on its own by `run_suite` against the expectations that flagged it, so
each of those has exactly its one-partition result (GX's own observed values and samples); the
others passed. GX's cost is per expectation (~17 ms each on a small frame), so a document that
fails one of fourteen costs one, not fourteen. Every empty partition, and every partition when
the rewritten suite cannot say (an expectation it does not know, a GX exception), is validated
on its own against its whole suite.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from sdg_pipeline.expectations.gx_env import gxe
from sdg_pipeline.expectations.runner import (
    ExpectationOutcome,
    SuiteOutcome,
    _columns_of,
    _exception_message,
    _get_batch_definition,
    _is_scalar_column,
    _lock,
    _referenced_columns,
    gx,
    run_suite,
)
from sdg_pipeline.expectations.suites import Check, Suite, suite_for
from sdg_pipeline.expectations.thresholds import CheckThresholds

PARTITION = "__partition"
_ROW_LEVEL = (
    gxe.ExpectColumnValuesToBeBetween,
    gxe.ExpectColumnValuesToBeInSet,
    gxe.ExpectColumnValuesToBeNull,
    gxe.ExpectColumnValuesToNotBeNull,
    gxe.ExpectColumnValuesToMatchRegex,
    gxe.ExpectColumnPairValuesAToBeGreaterThanB,
    gxe.ExpectColumnPairValuesToBeEqual,
    gxe.ExpectColumnValuesToBeUnique,
    gxe.ExpectCompoundColumnsToBeUnique,
)


class _Unbatchable(Exception):
    """The rewritten suite cannot stand for this check: validate every partition alone."""


def _aggregate_check(check: Check, derived: pd.DataFrame, index: int) -> tuple[Check, set[str]]:
    """A frame-level check as a row-level one over a per-partition aggregate column; also the
    partitions whose aggregate is undefined (say, the mean of no values), which it flags."""
    e = check.expectation
    name = f"__agg{index}"
    groups = derived.groupby(PARTITION, sort=False)
    if isinstance(e, gxe.ExpectTableRowCountToBeBetween):
        values = groups[PARTITION].transform("size")
    elif isinstance(e, gxe.ExpectColumnUniqueValueCountToBeBetween):
        values = groups[e.column].transform("nunique")
    elif isinstance(e, gxe.ExpectColumnMeanToBeBetween):
        values = groups[e.column].transform("mean")
    else:
        raise _Unbatchable(type(e).__name__)
    derived[name] = values.astype("float64")
    undefined = set(derived.loc[derived[name].isna(), PARTITION].tolist())
    expectation = gxe.ExpectColumnValuesToBeBetween(
        column=name,
        min_value=e.min_value,
        max_value=e.max_value,
        description=check.description,
    )
    return replace(check, expectation=expectation), undefined


def _row_check(check: Check) -> Check:
    e = check.expectation
    if not isinstance(e, _ROW_LEVEL):
        raise _Unbatchable(type(e).__name__)
    if isinstance(e, gxe.ExpectColumnValuesToBeUnique):  # unique within each partition
        e = gxe.ExpectCompoundColumnsToBeUnique(
            column_list=[e.column, PARTITION], description=check.description
        )
    elif isinstance(e, gxe.ExpectCompoundColumnsToBeUnique):
        e = e.copy(update={"column_list": [*e.column_list, PARTITION]})
    if getattr(e, "mostly", 1.0) not in (None, 1.0):
        e = e.copy(update={"mostly": 1.0})  # a partition over its budget has offending rows
    return replace(check, expectation=e)


def _stack(suite: Suite, frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    derived = []
    for key, frame in frames.items():
        one = suite.derive(frame.reset_index(drop=True))
        derived.append(one.assign(**{PARTITION: key}))
    return pd.concat(derived, ignore_index=True)


def _passed_outcome(check: Check) -> ExpectationOutcome:
    return ExpectationOutcome(
        description=check.description,
        expectation_type=check.expectation.expectation_type,
        columns=_columns_of(check.expectation.dict()),
        severity=check.severity,
        success=True,
    )


def _statistics(outcomes: tuple[ExpectationOutcome, ...]) -> dict[str, Any]:
    total, successful = len(outcomes), sum(1 for o in outcomes if o.success)
    return {
        "evaluated_expectations": total,
        "successful_expectations": successful,
        "unsuccessful_expectations": total - successful,
        "success_percent": 100.0 * successful / total if total else None,
    }


def _passed(own: Suite, rows: int, seconds: float, batch: int) -> SuiteOutcome:
    outcomes = tuple(_passed_outcome(check) for check in own.checks)
    return SuiteOutcome(
        suite=own.name,
        asset=own.asset,
        rows_checked=rows,
        expectations=outcomes,
        statistics=_statistics(outcomes),
        seconds=seconds,
        batch_size=batch,
    )


def _own_indices(own: Suite, generic: Suite, flagged: set[int]) -> list[int] | None:
    """The own suite's checks standing for the generic suite's flagged ones; None when the two
    suites do not line up (then the partition is validated against its whole suite)."""
    n = len(generic.checks)
    lined_up = len(own.checks) >= n and all(
        type(a.expectation) is type(b.expectation) and a.severity == b.severity
        for a, b in zip(own.checks[:n], generic.checks, strict=False)
    )
    if not lined_up:
        return None
    wanted = {i for i in flagged if i >= 0}
    if OWN_DOCUMENT in flagged:
        wanted |= set(range(n, len(own.checks)))
    return sorted(wanted) or None


def _revalidated(own: Suite, frame: pd.DataFrame, wanted: list[int], batch: int) -> SuiteOutcome:
    """The partition's outcome with the `wanted` checks validated on it alone by GX and the
    others passed (the batch validation found no offending row of this partition for them)."""
    alone = run_suite(replace(own, checks=tuple(own.checks[i] for i in wanted)), frame)
    by_index = dict(zip(wanted, alone.expectations, strict=True))
    outcomes = tuple(
        by_index.get(i) or _passed_outcome(check) for i, check in enumerate(own.checks)
    )
    return replace(
        alone,
        expectations=outcomes,
        statistics=_statistics(outcomes),
        batch_size=batch,
        checks_alone=len(wanted),
    )


# The index `_flagged` gives the check "every row belongs to its partition's document": the own
# suite's partition checks, which the generic suite does not have.
OWN_DOCUMENT = -1


def _flagged(suite: Suite, frames: Mapping[str, pd.DataFrame]) -> dict[str, set[int]]:
    """The partitions the one batch validation cannot clear, each with the indices of the
    suite's checks that flagged it; raises _Unbatchable."""
    base = _stack(suite, frames)
    checks: list[Check] = []
    flagged: dict[str, set[int]] = {}
    for index, check in enumerate(suite.checks):
        if check.frame_level and not isinstance(check.expectation, _ROW_LEVEL):
            aggregate, undefined = _aggregate_check(check, base, index)
            checks.append(aggregate)
            for key in undefined:
                flagged.setdefault(key, set()).add(index)
        else:
            checks.append(_row_check(check))
    if "document_key" in base.columns:
        base["__own_document"] = base["document_key"] == base[PARTITION]
        checks.append(
            Check(
                gxe.ExpectColumnValuesToBeInSet(
                    column="__own_document",
                    value_set=[True],
                    description="every row belongs to its partition's document",
                )
            )
        )
    rewritten = replace(suite, checks=tuple(checks))
    wanted = _referenced_columns(rewritten)
    scalar = base[
        [c for c in base.columns if (wanted is None or c in wanted) and _is_scalar_column(base[c])]
    ]
    gx_suite = gx.ExpectationSuite(
        name=f"{suite.name}_batch",
        expectations=[
            c.expectation.copy(deep=True, update={"meta": {"sdg_check": i}})
            for i, c in enumerate(rewritten.checks)
        ],
    )
    with _lock:
        batch = _get_batch_definition().get_batch(batch_parameters={"dataframe": scalar})
        result = batch.validate(gx_suite, result_format={"result_format": "COMPLETE"})
    partitions = base[PARTITION].to_numpy()
    for item in result.results:
        if _exception_message(item.exception_info):
            raise _Unbatchable("exception")
        if item.success:
            continue
        indices = (item.result or {}).get("unexpected_index_list")
        if indices is None:
            raise _Unbatchable("no row indices")
        rows = np.asarray([int(i) for i in indices if isinstance(i, (int, np.integer))])
        if len(rows) != len(indices):
            raise _Unbatchable("row indices of another shape")
        index = int(item.expectation_config.meta["sdg_check"])  # GX may reorder its results
        check = index if index < len(suite.checks) else OWN_DOCUMENT
        for key in set(partitions[rows].tolist()):
            flagged.setdefault(key, set()).add(check)
    return flagged


def validate_batch(
    asset_name: str, frames: Mapping[str, pd.DataFrame], thresholds: CheckThresholds
) -> dict[str, SuiteOutcome]:
    """The asset's suite outcome for each partition's frame, from one validation where it can."""
    started = time.perf_counter()
    suites = {key: suite_for(asset_name, thresholds, partition_key=key) for key in frames}
    generic = suite_for(asset_name, thresholds)
    nonempty = {
        key: frame
        for key, frame in frames.items()
        if len(frame) and all(c in frame.columns for c in generic.required_columns)
    }
    # None: validated against the whole suite
    flagged: dict[str, set[int] | None] = dict.fromkeys(nonempty)
    if len(nonempty) > 1:
        with suppress(_Unbatchable):
            flagged = dict(_flagged(generic, nonempty))
    cleared = [key for key in nonempty if key not in flagged]
    share = (time.perf_counter() - started) / max(1, len(cleared))
    outcomes: dict[str, Any] = {
        key: _passed(suites[key], len(nonempty[key]), share, len(nonempty)) for key in cleared
    }
    for key, checks in flagged.items():
        wanted = None if checks is None else _own_indices(suites[key], generic, checks)
        if wanted is not None:
            outcomes[key] = _revalidated(suites[key], nonempty[key], wanted, len(nonempty))
    empty: SuiteOutcome | None = None
    for key, frame in frames.items():
        if key in outcomes:
            continue
        if len(frame) or empty is None:
            outcomes[key] = run_suite(suites[key], frame)
            if not len(frame):
                empty = outcomes[key]
        else:
            outcomes[key] = _as_partition(empty, suites[key])
    return {key: outcomes[key] for key in frames}


def _as_partition(template: SuiteOutcome, own: Suite) -> SuiteOutcome:
    """Another partition's verdict on an empty frame, told in `own` suite's words.

    An empty frame gets the same verdict whatever its partition (no row can offend; the row
    count and the frame-level checks see the same nothing), and partitions' suites differ only
    in the values and wording of their checks, so one GX validation (0.1-0.3 s) serves every
    empty partition of a batch: a batch where most documents yield no pairs paid one each.
    """
    return replace(
        template,
        suite=own.name,
        expectations=tuple(
            replace(outcome, description=check.description)
            for outcome, check in zip(template.expectations, own.checks, strict=True)
        ),
        seconds=0.0,
    )
