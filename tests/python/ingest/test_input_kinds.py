"""The input kinds are declared once (python/oncoduck/ingest/kinds.py) and everything else follows from them
(issue 17, Build 3): discovery, landing, validation and the dbt files written from the declarations."""

from __future__ import annotations

import pytest

from oncoduck.ingest import kinds
from oncoduck.ingest.landing import check_file
from oncoduck.ingest.study import discover
from oncoduck_testing import REPO, require_shared_data


def test_the_written_dbt_files_are_what_the_declarations_give():
    stale = [str(p.relative_to(REPO)) for p in kinds.stale_files(REPO)]
    assert stale == [], f"out of date: {stale}; run .venv/bin/python -m oncoduck.ingest.kinds --write"


def test_every_declared_model_exists():
    for k in kinds.KINDS:
        assert (REPO / "models" / "landing" / f"landing_{k.landed_in}.py").exists(), k.name
        if k.rejects_model:
            assert (REPO / "models" / "staging" / f"{k.rejects_model}.sql").exists(), k.name
            assert k.rejects_label, k.name


def test_declarations_do_not_contradict_each_other():
    meta_types = [t for k in kinds.KINDS for t in k.meta_types]
    assert len(meta_types) == len(set(meta_types)), "a meta type declared by two kinds"
    for k in kinds.KINDS:
        names = [c.name for c in k.columns]
        assert len(names) == len(set(names)), k.name
        for alternatives in k.required:
            assert set(alternatives) <= set(names), f"{k.name}: a required column that is not declared"
        assert {column for column, _ in k.required_why} <= {a[0] for a in k.required}, k.name
    # the kinds that land in one table land the same columns
    for table in {k.landed_in for k in kinds.KINDS if k.is_line_kind}:
        layouts = {tuple(c.name for c in k.columns) for k in kinds.KINDS if k.landed_in == table and k.is_line_kind}
        assert len(layouts) == 1, table


@pytest.mark.parametrize("name, kind", [
    ("data_cna_log2.txt", "cna_continuous"),  # before data_cna*.txt
    ("data_cna_hg19.seg", "segments"),
    ("data_cna_hg19.seg.txt", "segments"),  # *.seg.txt is tried before data_cna*.txt
    ("data_cna.txt", "cna_discrete"),
    ("data_gene_panel_matrix.txt", "gene_panel_matrix"),  # before data_gene_panel_*.txt
    ("data_gene_panel_impact.txt", "gene_panel"),
    ("calls.maf.gz", "mutations"),
    ("data_sv.txt", "structural_variants"),
    ("data_structural_variants.txt", "structural_variants"),
    ("data_expression.txt", None),
])
def test_a_file_without_meta_file_has_the_kind_of_the_first_matching_pattern(name, kind):
    assert kinds.kind_of_name(name) == kind


def test_a_meta_file_declares_structural_variants():
    assert kinds.kind_of_meta({"genetic_alteration_type": "STRUCTURAL_VARIANT", "datatype": "SV"}) == "structural_variants"
    assert kinds.kind_of_meta({"genetic_alteration_type": "MRNA_EXPRESSION", "datatype": "CONTINUOUS"}) is None


def test_es0_structural_variants_are_discovered_and_landable():
    study = discover(require_shared_data("cbioportal_study_es_0"))
    (sv,) = study.files_of("structural_variants")
    assert sv.path.name == "data_structural_variants.txt"
    assert sv.reason == "meta_structural_variants.txt: STRUCTURAL_VARIANT/SV"
    assert check_file(study, sv) == []

