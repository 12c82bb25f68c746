"""The third-party statistics libraries, imported once per process under one lock.

dbt-duckdb runs Python models in threads of one process. Two threads importing lifelines' dependency chain at
the same time (lifelines -> formulaic -> narwhals, whose subpackages import each other) can fail with
importlib's ``_DeadlockError``: CI builds hit it twice, once between two survival models and once between a
survival model (formulaic imports narwhals) and the NMF model (scikit-learn imports narwhals too). The
survival fits no longer use lifelines; every function that imports statsmodels or scikit-learn calls
:func:`load` first, and :func:`load`
imports narwhals whole before anything else, so no thread is ever left half-way through it; once a library
is in ``sys.modules`` the lock costs nothing. Still lazy: a model that never fits such a model never pays for
the import.
"""

from __future__ import annotations

import importlib
import threading

_LOCK = threading.Lock()


def load(*modules: str) -> None:
    """Import ``modules`` (e.g. "statsmodels.api", "sklearn.decomposition") under the process-wide lock."""
    with _LOCK:
        for module in ("narwhals", "narwhals.stable.v1", "narwhals.stable.v2", *modules):
            importlib.import_module(module)
