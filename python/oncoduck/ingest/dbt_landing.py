"""Glue for the dbt Python landing models: read the study list from the model config, land one kind."""

from __future__ import annotations

import json
from pathlib import Path

from ..paths import demo_study_dirs
from .landing import landing_sql
from .study import discover_all


def study_dirs_from_config(studies_json: str | None) -> list[Path]:
    """The `studies` var (a list of folders, relative to the working directory); empty means the demo."""
    studies = json.loads(studies_json or "[]")
    if isinstance(studies, str):
        studies = [studies]
    return [Path(s).resolve() for s in studies] if studies else demo_study_dirs()


def land(session, kind: str, studies_json: str | None, skip_files_json: str | None = None):
    """Return a DuckDB relation with the landed rows of `kind` for every configured study."""
    studies = discover_all(study_dirs_from_config(studies_json))
    skip = set(json.loads(skip_files_json or "[]"))
    return session.sql(landing_sql(kind, studies, skip))


def land_comparisons(session, studies_json: str | None):
    """Return a DuckDB relation with the declared comparisons (one row per comparison x group)."""
    from .comparisons import comparisons_sql

    return session.sql(comparisons_sql(discover_all(study_dirs_from_config(studies_json))))


def land_reference_contexts(session, landing_mutations, studies_json: str | None):
    """Return the FASTA contexts of single-base MAF rows for the studies that declare ``reference_fasta``."""
    from .reference_fasta import contexts_frame

    return contexts_frame(session, landing_mutations, studies_json)


def land_comparison_selections(session, studies_json: str | None):
    """Return a DuckDB relation with the declared ``where:`` conditions (one row per condition value)."""
    from .comparisons import selections_sql

    return session.sql(selections_sql(discover_all(study_dirs_from_config(studies_json))))


def land_gene_sets(session, studies_json: str | None):
    """Return a DuckDB relation with the gene sets the studies add (``gene_sets:``; one row per set x gene)."""
    from .gene_sets import gene_sets_sql

    return session.sql(gene_sets_sql(discover_all(study_dirs_from_config(studies_json))))
