"""The Python of the project passes ruff (issue 17, Build 6): pyflakes' errors (unused imports, undefined names,
an ``__all__`` naming a function that is gone) and pycodestyle's, as configured in pyproject.toml [tool.ruff]."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ["python", "tests", "benchmarks", "models"]


def test_python_passes_ruff():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *CHECKED],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
