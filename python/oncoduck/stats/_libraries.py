"""The third-party statistics libraries, imported once per process under one lock.

dbt-duckdb runs Python models in threads of one process. Two threads importing lifelines' dependency chain at
the same time (lifelines -> formulaic -> narwhals, whose subpackages import each other) can fail with
importlib's ``_DeadlockError``: a CI build hit it with stat_longitudinal_survival_tests and
stat_longitudinal_survival_curves starting together. Every function that imports lifelines or statsmodels
calls :func:`load` first; once a library is in ``sys.modules`` the lock costs nothing. Still lazy: a model
that never fits a survival or regression model never pays for the import.
"""

from __future__ import annotations

import importlib
import threading

_LOCK = threading.Lock()


def load(*modules: str) -> None:
    """Import ``modules`` (e.g. "lifelines", "statsmodels.api") under the process-wide lock."""
    with _LOCK:
        for module in modules:
            importlib.import_module(module)
