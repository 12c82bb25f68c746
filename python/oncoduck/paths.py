"""Where things are: the project root (the dbt project), the embedded demo cohort, and the files the
profiles.yml targets write."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_STUDIES_DIR = PROJECT_ROOT / "seeds" / "demo_studies"


def dbt_target_dir() -> Path:
    """Where dbt writes its manifest and compiled code: DBT_TARGET_PATH as dbt reads it, else `target/`."""
    return Path(os.environ.get("DBT_TARGET_PATH") or PROJECT_ROOT / "target")


def profile_output(target: str, env: dict[str, str] | None = None) -> dict:
    """The `target` output of profiles.yml as dbt reads it: its Jinja rendered with `env_var` looking in
    `env` (default: the process environment), so defaults live in profiles.yml only."""
    import jinja2
    import yaml

    variables = os.environ if env is None else env
    template = jinja2.Template((PROJECT_ROOT / "profiles.yml").read_text())
    profiles = yaml.safe_load(template.render(env_var=lambda name, default=None: variables.get(name, default)))
    return profiles["oncoduck"]["outputs"][target]


def target_warehouse(target: str) -> Path | None:
    """The DuckDB file a profiles.yml target writes (dev, test), resolved from the project root where dbt
    runs; None for the targets that write none (in memory, Spark)."""
    output = profile_output(target)
    if output["type"] != "duckdb" or output["path"] == ":memory:":
        return None
    return (PROJECT_ROOT / output["path"]).resolve()


def demo_study_dirs() -> list[Path]:
    """The demo study folders (each holds a meta_study.txt), in name order."""
    return sorted(p.parent for p in DEMO_STUDIES_DIR.glob("*/meta_study.txt"))
