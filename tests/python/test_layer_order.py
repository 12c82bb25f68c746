"""The warehouse reads in one direction (issue 17): landing -> staging -> intermediate -> marts -> stats, checked on
the dbt manifest of the demo build.

The rules, by each model's folder (models/<layer>/...; seeds are reference data any layer may read):
- a model reads models of its own layer or of a lower one;
- only staging reads landing: every model above reads the staging face of a landed table;
- a mart reads marts of its own group or of an earlier group, in MART_GROUPS order. A group may have its own
  intermediate step (models/marts/<group>/intermediate/, schema intermediate), as Tuva gives each mart its own
  steps: the models that consume a group's marts sit above them, not in the shared intermediate layer.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import PurePosixPath

LAYERS = ("landing", "staging", "intermediate", "marts", "stats")
MART_GROUPS = ("core", "burden", "signatures", "comparisons", "frequency", "paired")


def position(node: dict) -> tuple[str, str | None]:
    """(layer, mart group) of a manifest node from its file path; ("seed", None) for seeds."""
    parts = PurePosixPath(node["original_file_path"]).parts
    if node["resource_type"] == "seed":
        return "seed", None
    layer = parts[1]
    return layer, (parts[2] if layer == "marts" else None)


def layer_violations(manifest: dict) -> list[str]:
    """Every edge of the model graph that reads against the layer order, as 'child (layer) reads parent (layer)'."""
    nodes = {key: node for key, node in manifest["nodes"].items() if node["resource_type"] in ("model", "seed")}
    found = []
    for node in nodes.values():
        if node["resource_type"] != "model":
            continue
        layer, group = position(node)
        for parent_key in node["depends_on"]["nodes"]:
            parent = nodes.get(parent_key)
            if parent is None:
                continue
            parent_layer, parent_group = position(parent)
            if parent_layer == "seed":
                continue
            where = f"{node['name']} ({layer}{'/' + group if group else ''}) reads {parent['name']} " \
                    f"({parent_layer}{'/' + parent_group if parent_group else ''})"
            if LAYERS.index(parent_layer) > LAYERS.index(layer):
                found.append(f"{where}: a higher layer")
            elif parent_layer == "landing" and layer not in ("landing", "staging"):
                found.append(f"{where}: landing past staging")
            elif layer == parent_layer == "marts" and MART_GROUPS.index(parent_group) > MART_GROUPS.index(group):
                found.append(f"{where}: a later mart group")
    return sorted(found)


def longest_chain(manifest: dict) -> int:
    """Models on the longest path of the model graph."""
    models = {k: n for k, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    depth: dict[str, int] = {}

    def walk(key: str) -> int:
        if key not in depth:
            parents = [p for p in models[key]["depends_on"]["nodes"] if p in models]
            depth[key] = 1 + max((walk(p) for p in parents), default=0)
        return depth[key]

    return max(walk(k) for k in models)


def _model(name: str, path: str, *parents: str) -> tuple[str, dict]:
    return f"model.oncoduck.{name}", {"name": name, "resource_type": "model", "original_file_path": path,
                                      "depends_on": {"nodes": [f"model.oncoduck.{p}" for p in parents]}}


def test_the_checker_finds_each_kind_of_reversed_edge():
    manifest = {"nodes": dict([
        _model("landing_x", "models/landing/landing_x.py"),
        _model("stg_x", "models/staging/stg_x.sql", "landing_x"),
        _model("int_x", "models/intermediate/x/int_x.sql", "stg_x"),
        _model("dim_x", "models/marts/core/dim_x.sql", "int_x", "stg_x"),
        _model("fct_y", "models/marts/frequency/fct_y.sql", "dim_x"),
        _model("int_y", "models/marts/frequency/intermediate/int_y.sql", "dim_x"),
        _model("stat_y", "models/stats/stat_y.py", "fct_y", "int_x"),
    ])}
    assert layer_violations(manifest) == []
    assert longest_chain(manifest) == 6  # landing_x, stg_x, int_x, dim_x, fct_y, stat_y
    reversed_edges = {"nodes": {**manifest["nodes"], **dict([
        _model("stg_bad", "models/staging/stg_bad.sql", "int_x"),  # staging reads intermediate
        _model("int_bad", "models/intermediate/x/int_bad.sql", "dim_x", "landing_x"),  # reads a mart; landing
        _model("dim_bad", "models/marts/core/dim_bad.sql", "fct_y"),  # core reads frequency
    ])}}
    assert layer_violations(reversed_edges) == [
        "dim_bad (marts/core) reads fct_y (marts/frequency): a later mart group",
        "int_bad (intermediate) reads dim_x (marts/core): a higher layer",
        "int_bad (intermediate) reads landing_x (landing): landing past staging",
        "stg_bad (staging) reads int_x (intermediate): a higher layer",
    ]


def test_the_demo_warehouse_reads_in_one_direction(demo_warehouse):
    manifest = json.loads((demo_warehouse.parent / "target" / "manifest.json").read_text())
    assert layer_violations(manifest) == []
    # every mart group is known to the rule
    groups = Counter(position(n)[1] for n in manifest["nodes"].values()
                     if n["resource_type"] == "model" and position(n)[0] == "marts")
    assert set(groups) <= set(MART_GROUPS), groups
    assert longest_chain(manifest) <= 15  # the README's measure (issue 17: shorter than the 16 it was)
