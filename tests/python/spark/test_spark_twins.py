"""The spark target's views of the Python models above landing (models/**/spark/*.sql and their source,
written by `python -m oncoduck.spark_target twins --write`) follow the Python models: one per model, none left
over. Needs no Spark."""

from __future__ import annotations

import json

import pytest

from oncoduck.spark_target import (
    UncompiledManifest,
    build_on_spark,
    python_model_files,
    python_model_levels,
    stale_twin_files,
    stats_models,
    twin_files,
)
from oncoduck_testing import REPO


def test_the_spark_views_of_the_python_models_are_current():
    stale = [str(p.relative_to(REPO)) for p in stale_twin_files(REPO)]
    assert not stale, f"out of date (python -m oncoduck.spark_target twins --write): {stale}"


def test_every_python_model_above_landing_has_a_view_on_spark():
    views = {p.stem for p in twin_files(REPO) if p.suffix == ".sql"}
    assert views == {p.stem for p in python_model_files(REPO)}
    assert "stat_survival_tests_computed" in views and "fct_sample_nmf_cluster" in views


def test_the_manifest_and_the_files_name_the_same_python_models(compiled_project):
    """run_stats_models runs the manifest's Python models above landing; their views are made from the files: one
    rule (is_python_model_above_landing) picks both, and they are run in levels of what they read."""
    manifest = compiled_project.manifest
    assert sorted(n["name"] for n in stats_models(manifest)) == sorted(p.stem for p in python_model_files(REPO))
    levels = python_model_levels(manifest)
    assert sorted(name for level in levels for name in level) == sorted(p.stem for p in python_model_files(REPO))
    assert "fct_sample_nmf_cluster" in levels[0] and len(levels) >= 2


def test_a_manifest_of_a_selection_is_refused_before_the_spark_build_starts(compiled_project, tmp_path):
    """After `dbt build --select ...` the manifest keeps the compiled code of the selected nodes only. The spark build
    runs the Python models' compiled code from it, in its stats steps, minutes after it starts: it refuses such a
    manifest at once, naming the models and the fix, and writes nothing (seen in the README's cluster commands)."""
    manifest = json.loads(compiled_project.manifest.read_text())
    node = next(n for n in manifest["nodes"].values() if n["name"] == "stat_enrichment_computed")
    del node["compiled_code"]
    partial = tmp_path / "manifest.json"
    partial.write_text(json.dumps(manifest))
    with pytest.raises(UncompiledManifest, match=r"stat_enrichment_computed.*dbt compile"):
        build_on_spark(tmp_path / "no_warehouse.duckdb", tmp_path / "spark", partial)
    assert not (tmp_path / "spark").exists()
