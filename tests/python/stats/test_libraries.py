"""The statistics libraries load under one lock (oncoduck.stats._libraries): dbt runs Python models in threads,
and two threads importing lifelines' dependency chain at once raised importlib's _DeadlockError in a CI build.
Here eight threads of a fresh interpreter load lifelines, scikit-learn and statsmodels together, as parallel
models do."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import threading
from oncoduck.stats._libraries import load
errors = []
def work(modules):
    try:
        load(*modules)
    except Exception as error:  # noqa: BLE001 - collected and reported below
        errors.append(repr(error))
threads = [threading.Thread(target=work, args=(m,)) for m in
           [("lifelines",), ("sklearn.decomposition",), ("statsmodels.api",), ("lifelines.utils",)] * 2]
for t in threads: t.start()
for t in threads: t.join()
import sys
print(errors); sys.exit(1 if errors else 0)
"""


def test_parallel_loads_import_each_library_once_without_a_deadlock():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
