"""The Dagster shell: one module per asset (named after it), checks, jobs, sensors, schedules.

Loaded by `dg.load_from_defs_folder`; every module here only wires the plain-Python core
(`convert`, `chunk`, `generate`, `judge`, `export`, `io`, ...) to Dagster.
"""
