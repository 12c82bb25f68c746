"""Where things are: the project root (the dbt project) and the embedded demo cohort."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_STUDIES_DIR = PROJECT_ROOT / "seeds" / "demo_studies"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "oncoduck.duckdb"


def demo_study_dirs() -> list[Path]:
    """The demo study folders (each holds a meta_study.txt), in name order."""
    return sorted(p.parent for p in DEMO_STUDIES_DIR.glob("*/meta_study.txt"))
