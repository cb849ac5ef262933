"""Run a suite on a DataFrame with Great Expectations and turn the result into a Dagster check.

This is the only code that talks to GX. It runs inside every asset for every partition, so it
keeps one ephemeral, in-memory GX context per process (stores in memory, no gx/ folder, no
analytics, no progress bars), validates only scalar columns, and asks GX for a SUMMARY result:
counts, observed values and the index of a few offending rows, never the full unexpected list.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.expectations.metadata_types import FailureSeverity

from sdg_pipeline.expectations.gx_env import gx
from sdg_pipeline.expectations.suites import Severity, Suite, suite_for
from sdg_pipeline.expectations.thresholds import CheckThresholds

SAMPLE_ROWS = 5
_MAX_TEXT = 160  # characters of a string value kept in a sample row
_MAX_DESCRIPTION = 2000
_MAX_REASON = 400  # characters of a row's own words quoted in a headline

_GX_SEVERITY = {
    Severity.ERROR: FailureSeverity.CRITICAL,
    Severity.WARN: FailureSeverity.WARNING,
}
_OBSERVED_KEYS = (
    "observed_value",
    "element_count",
    "unexpected_count",
    "unexpected_percent",
    "missing_count",
)


@dataclass(frozen=True)
class ExpectationOutcome:
    description: str
    expectation_type: str
    columns: tuple[str, ...]
    severity: Severity
    success: bool
    observed: dict[str, Any] = field(default_factory=dict)
    sample_rows: tuple[dict[str, Any], ...] = ()
    exception: str | None = None
    # The check's own failure text (`Check.failure`), filled from the first offending row.
    headline: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "expectation": self.description,
            **({"headline": self.headline} if self.headline else {}),
            "type": self.expectation_type,
            "columns": list(self.columns),
            "severity": self.severity.value,
            "observed": self.observed,
            "sample_rows": list(self.sample_rows),
            **({"exception": self.exception} if self.exception else {}),
        }


@dataclass(frozen=True)
class SuiteOutcome:
    suite: str
    asset: str
    rows_checked: int
    expectations: tuple[ExpectationOutcome, ...]
    statistics: dict[str, Any]
    seconds: float
    # >1: cleared by one validation of this many partitions (`expectations/batch.py`)
    batch_size: int = 1
    # of a batch's partition, the checks GX validated on it alone (None: all, or none if cleared)
    checks_alone: int | None = None

    @property
    def success(self) -> bool:
        return all(e.success for e in self.expectations)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        # Blocking problems first: they are what a reader must see.
        failed = [e for e in self.expectations if not e.success]
        return sorted(failed, key=lambda e: e.severity != Severity.ERROR)

    @property
    def severity(self) -> Severity:
        if any(e.severity == Severity.ERROR for e in self.failures):
            return Severity.ERROR
        return Severity.WARN


# --- the GX context --------------------------------------------------------------------------

# Re-entrant: run_suite holds it while the first call builds the context.
_lock = threading.RLock()
_batch_definition: Any = None


def _get_batch_definition() -> Any:
    """The one whole-dataframe batch definition of this process's ephemeral context."""
    global _batch_definition
    with _lock:
        if _batch_definition is None:
            config = DataContextConfig(
                store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
                analytics_enabled=False,
                progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
            )
            context = gx.get_context(mode="ephemeral", project_config=config)
            asset = context.data_sources.add_pandas("sdg_checks").add_dataframe_asset("frame")
            _batch_definition = asset.add_batch_definition_whole_dataframe("whole_frame")
        return _batch_definition


# --- running a suite -------------------------------------------------------------------------


def run_suite(suite: Suite, df: pd.DataFrame) -> SuiteOutcome:
    """Validate `df` against `suite`; never raises for bad data, only reports it."""
    started = time.perf_counter()
    frame = df.reset_index(drop=True)
    missing = [c for c in suite.required_columns if c not in frame.columns]
    if missing and frame.empty:
        # An empty frame often has no columns at all; give it the contract's so the suite
        # reports what matters ("no rows") instead of a schema complaint.
        frame = frame.reindex(columns=[*frame.columns, *missing])
        missing = []
    if missing:
        return _missing_columns_outcome(suite, frame, missing, started)

    derived = suite.derive(frame)
    # Only the columns the expectations read: GX fingerprints (hashes) the whole batch it is
    # given, so extra text columns would cost time on every run.
    wanted = _referenced_columns(suite)
    scalar = derived[
        [
            c
            for c in derived.columns
            if (wanted is None or c in wanted) and _is_scalar_column(derived[c])
        ]
    ]
    gx_suite = gx.ExpectationSuite(
        name=suite.name,
        expectations=[
            # Copies: GX binds each expectation to the suite it joins, and refuses shared ones.
            check.expectation.copy(
                deep=True,
                update={"meta": {"sdg_check": index}, "severity": _GX_SEVERITY[check.severity]},
            )
            for index, check in enumerate(suite.checks)
        ],
    )
    with _lock:  # one shared context: keep validations of concurrent threads apart
        batch = _get_batch_definition().get_batch(batch_parameters={"dataframe": scalar})
        result = batch.validate(
            gx_suite,
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_ROWS},
        )

    outcomes: dict[int, ExpectationOutcome] = {}
    for item in result.results:
        index = int(item.expectation_config.meta["sdg_check"])
        outcomes[index] = _expectation_outcome(suite, index, item, derived)
    return SuiteOutcome(
        suite=suite.name,
        asset=suite.asset,
        rows_checked=len(frame),
        expectations=tuple(outcomes[i] for i in sorted(outcomes)),
        statistics=_jsonable(dict(result.statistics)),
        seconds=time.perf_counter() - started,
    )


def _expectation_outcome(
    suite: Suite, index: int, item: Any, derived: pd.DataFrame
) -> ExpectationOutcome:
    check = suite.checks[index]
    kwargs = item.expectation_config.kwargs
    columns = _columns_of(kwargs)
    result = dict(item.result or {})
    observed = {k: _jsonable(result[k]) for k in _OBSERVED_KEYS if k in result}
    samples: tuple[dict[str, Any], ...] = ()
    headline = None
    if not item.success:
        indices = list(result.get("partial_unexpected_index_list") or [])[:SAMPLE_ROWS]
        if not check.frame_level:
            samples = _sample_rows(derived, indices, [*suite.sample_columns, *columns])
        headline = _headline(check.failure, derived, indices)
    return ExpectationOutcome(
        description=check.description,
        expectation_type=item.expectation_config.type,
        columns=columns,
        severity=check.severity,
        success=bool(item.success),
        observed=observed,
        sample_rows=samples,
        exception=_exception_message(item.exception_info),
        headline=headline,
    )


class _Blank(KeyError):
    """A headline field the offending row has no value for."""


class _RowFields(dict):
    def __missing__(self, key: str) -> Any:
        raise _Blank(key)


def _headline(template: str | None, frame: pd.DataFrame, indices: Sequence[Any]) -> str | None:
    """`template` filled from the first offending row; None when a field it names is blank."""
    if template is None:
        return None
    fields = _RowFields()
    first = indices[0] if indices else None
    if isinstance(first, (int, np.integer)) and 0 <= int(first) < len(frame):
        for column, value in frame.iloc[int(first)].items():
            if isinstance(value, str):
                value = " ".join(value.split())  # one line, whatever the row holds
                if value:
                    fields[str(column)] = value[:_MAX_REASON]
            elif _jsonable(value) is not None and not isinstance(value, _NON_SCALAR):
                fields[str(column)] = value
    try:
        return template.format_map(fields)
    except (KeyError, ValueError, IndexError):
        return None


def _missing_columns_outcome(
    suite: Suite, frame: pd.DataFrame, missing: list[str], started: float
) -> SuiteOutcome:
    outcome = ExpectationOutcome(
        description=f"{suite.asset} has the columns the suite reads",
        expectation_type="expect_table_columns_to_contain",
        columns=tuple(missing),
        severity=Severity.ERROR,
        success=False,
        observed={"missing_columns": missing, "columns": [str(c) for c in frame.columns]},
    )
    return SuiteOutcome(
        suite=suite.name,
        asset=suite.asset,
        rows_checked=len(frame),
        expectations=(outcome,),
        statistics={
            "evaluated_expectations": 1,
            "successful_expectations": 0,
            "unsuccessful_expectations": 1,
            "success_percent": 0.0,
        },
        seconds=time.perf_counter() - started,
    )


def _referenced_columns(suite: Suite) -> set[str] | None:
    """Columns the suite's expectations and row conditions read; None when unknowable."""
    columns: set[str] = set()
    for check in suite.checks:
        expectation = check.expectation
        columns.update(_columns_of(expectation.dict()))
        condition = getattr(expectation, "row_condition", None)
        if isinstance(condition, str):
            return None  # a pandas query string may name any column
        if condition is not None:
            columns.update(_condition_columns(condition))
    return columns


def _condition_columns(condition: Any) -> set[str]:
    if hasattr(condition, "conditions"):  # AND / OR groups
        return {c for part in condition.conditions for c in _condition_columns(part)}
    column = getattr(condition, "column", None)
    return {column.name} if column is not None else set()


def _columns_of(kwargs: Mapping[str, Any]) -> tuple[str, ...]:
    if "column" in kwargs:
        return (kwargs["column"],)
    if "column_list" in kwargs:
        return tuple(kwargs["column_list"])
    return tuple(kwargs[k] for k in ("column_A", "column_B") if k in kwargs)


def _exception_message(info: Any) -> str | None:
    # GX reports one dict, or one dict per metric keyed by metric id.
    if not isinstance(info, Mapping):
        return None
    if "raised_exception" in info:
        return info.get("exception_message") if info.get("raised_exception") else None
    messages = [
        v.get("exception_message")
        for v in info.values()
        if isinstance(v, Mapping) and v.get("raised_exception")
    ]
    return "; ".join(str(m) for m in messages) or None


_NON_SCALAR = (bytes, bytearray, memoryview, list, tuple, dict, set, np.ndarray)


def _is_scalar_column(series: pd.Series) -> bool:
    if series.dtype != object:
        return True
    first = series.dropna()
    return first.empty or not isinstance(first.iloc[0], _NON_SCALAR)


def _sample_rows(
    frame: pd.DataFrame, indices: Sequence[Any], columns: Sequence[str]
) -> tuple[dict[str, Any], ...]:
    wanted = list(dict.fromkeys(c for c in columns if c in frame.columns))
    rows = []
    for index in indices:
        if isinstance(index, (int, np.integer)) and 0 <= int(index) < len(frame):
            record = frame.loc[int(index), wanted]
            rows.append({"row": int(index), **{c: _jsonable(record[c]) for c in wanted}})
    return tuple(rows)


def _jsonable(value: Any) -> Any:
    """Plain JSON values for Dagster metadata; long strings shortened, bytes summarized."""
    if isinstance(value, str):
        return value if len(value) <= _MAX_TEXT else value[:_MAX_TEXT] + "…"
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_jsonable(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)


def summary(outcome: SuiteOutcome) -> str:
    """The check's headline: what went wrong, once; the metadata holds the whole story.

    A failed suite is named by its first blocking failure, in the check's own words where it has
    them (a failed conversion quotes the converter's error). The failures that follow from the
    same cause (an empty markdown after a failed conversion) are only counted.
    """
    total = len(outcome.expectations)
    failures = outcome.failures
    if not failures:
        return f"all {total} expectations passed on {outcome.rows_checked} rows"
    first = failures[0]
    text = _failure_text(first)
    if first.severity == Severity.WARN:
        text = "warning: " + text
    if len(failures) > 1:
        more = len(failures) - 1
        text += f" (+{more} more failed expectation{'s' if more > 1 else ''})"
    return text if len(text) <= _MAX_DESCRIPTION else text[: _MAX_DESCRIPTION - 1] + "…"


def _failure_text(failure: ExpectationOutcome) -> str:
    """What went wrong with one expectation, as a phrase (never its success condition alone)."""
    if failure.exception:
        return f"{failure.description}: could not be evaluated: {failure.exception}"
    if failure.headline:
        return failure.headline
    observed = failure.observed
    if "missing_columns" in observed:
        return f"{failure.description}: missing " + ", ".join(observed["missing_columns"])
    if "unexpected_count" in observed:
        text = (
            f"{failure.description}: not so for {observed['unexpected_count']} of "
            f"{observed.get('element_count')} rows"
        )
        first = failure.sample_rows[0] if failure.sample_rows else {}
        shown = [f"{c}={first[c]!r}" for c in failure.columns if c in first]
        return text + (f" (e.g. {', '.join(shown)})" if shown else "")
    if "observed_value" in observed:
        return f"{failure.description}: not so (observed {observed['observed_value']!r})"
    return f"{failure.description}: not so"


def _observed_text(failure: ExpectationOutcome) -> str:
    observed = failure.observed
    if failure.exception:
        return f"error: {failure.exception}"
    if "unexpected_count" in observed:
        return f"{observed['unexpected_count']} of {observed.get('element_count')} rows"
    if "observed_value" in observed:
        return f"observed {observed['observed_value']!r}"
    if "missing_columns" in observed:
        return "missing " + ", ".join(observed["missing_columns"])
    return "no observed value"


def failures_markdown(failures: Sequence[ExpectationOutcome]) -> str:
    parts = ["| severity | expectation | columns | observed |", "|---|---|---|---|"]
    parts += [
        f"| {f.severity.value} | {_md(f.description)} | {_md(', '.join(f.columns))} "
        f"| {_md(_observed_text(f))} |"
        for f in failures
    ]
    for failure in failures:
        if not failure.sample_rows:
            continue
        keys = list(failure.sample_rows[0])
        parts += ["", f"**{_md(failure.description)}**: sample rows", ""]
        parts.append("| " + " | ".join(keys) + " |")
        parts.append("|" + "---|" * len(keys))
        parts += [
            "| " + " | ".join(_md(str(row.get(k))) for k in keys) + " |"
            for row in failure.sample_rows
        ]
    return "\n".join(parts)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def validate(
    asset_name: str,
    df: pd.DataFrame,
    thresholds: CheckThresholds,
    *,
    partition_key: str | None = None,
) -> SuiteOutcome:
    """Run the asset's suite on its frame (the shell turns the outcome into a check result)."""
    return run_suite(suite_for(asset_name, thresholds, partition_key=partition_key), df)
