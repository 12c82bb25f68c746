"""oncoduck: a DuckDB warehouse of cancer-genomics cohorts built with dbt (see the README).

From Python, read-only: open_serving(), open_warehouse() and read_sql() (oncoduck/query.py)."""

from .query import open_serving, open_warehouse, read_sql

__all__ = ["open_serving", "open_warehouse", "read_sql"]
