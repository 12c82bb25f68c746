"""A patient-unit comparison keeps one sample per patient (macros/representative_sample_order.sql). P1's primary
tumour is in the clinical file but was not sequenced; its metastasis was, and carries a PIK3CA mutation. Chosen by
sample type alone, P1 was represented by the unsequenced primary and dropped out of every mutation denominator;
a sequenced sample now comes first, and sample type decides only between samples profiled alike (P3)."""

from __future__ import annotations

import pytest

from oncoduck_testing import query, write_panel_study

SAMPLES = [  # sample, patient, sample type, sequenced
    ("S1P", "P1", "Primary", False), ("S1M", "P1", "Metastasis", True),
    ("S2P", "P2", "Primary", True),
    ("S3P", "P3", "Primary", True), ("S3M", "P3", "Metastasis", True),
    ("S4P", "P4", "Primary", True),
]
VARIANTS = [("S1M", "PIK3CA", "3", 178952085, "A", "G", "Missense_Mutation"),
            ("S3P", "PIK3CA", "3", 178936091, "G", "A", "Missense_Mutation"),
            ("S3M", "TP53", "17", 7578406, "C", "T", "Nonsense_Mutation")]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, compiled_project):
    root = tmp_path_factory.mktemp("representative")
    study = write_panel_study(root / "representative", SAMPLES, ["PIK3CA", "TP53"], VARIANTS,
                              "comparisons:\n  - name: by_pik3ca\n    unit: patient\n    group_by: mutated:PIK3CA\n"
                              "    reference: wildtype\n")
    path = root / "oncoduck.duckdb"
    compiled_project.build(path, [study], "+fct_comparison_member", "+fct_gene_frequency")
    return path


def test_the_study_has_an_unsequenced_primary_beside_a_sequenced_metastasis(warehouse):  # the case under test
    assert query(warehouse, "select sample_id, is_sequenced from marts.dim_sample where sample_id = 'S1P'") == [("S1P", False)]


def test_a_patient_whose_only_sequenced_sample_is_a_metastasis_is_represented_by_it(warehouse):
    rows = query(warehouse, """select patient_id, sample_id, group_label from marts.fct_comparison_member
        where comparison = 'by_pik3ca' order by patient_id""")
    assert rows == [("P1", "S1M", "mutated"), ("P2", "S2P", "wildtype"), ("P3", "S3P", "mutated"), ("P4", "S4P", "wildtype")]


def test_the_patient_counts_in_the_frequency_denominator(warehouse):
    rows = query(warehouse, """select group_label, n_altered, n_profiled from marts.fct_gene_frequency
        where comparison = 'by_pik3ca' and hugo_symbol = 'PIK3CA' and alteration_type = 'mutation' order by group_label""")
    assert rows == [("mutated", 2, 2), ("wildtype", 0, 2)]
