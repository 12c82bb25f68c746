"""One spelling per gene (macros/hugo_symbols.sql): gene lists written upper case ('C11ORF30' in a panel file, a
comparison's `mutated:c11orf30`) and a MAF in HGNC's case ('C11orf30') name the same gene, and a MAF's 'Pik3ca'
is PIK3CA. Joined as written, the sample's C11orf30 mutation was missing from the frequency mart of its panel, the
gene was in dim_gene twice, and a grouping by it found nobody mutated."""

from __future__ import annotations

import pytest

from oncoduck_testing import query, write_panel_study

PANEL_GENES = ["C11ORF30", "PIK3CA", "TP53"]  # upper case, as panel files and seed lists often are
VARIANTS = [("S1", "C11orf30", "11", 76237000, "C", "T", "Missense_Mutation"),  # HGNC's case, as MAFs give it
            ("S2", "Pik3ca", "3", 178952085, "A", "G", "Missense_Mutation"),  # another case again
            ("S3", "TP53", "17", 7578406, "C", "T", "Nonsense_Mutation")]
SAMPLES = ["S1", "S2", "S3", "S4"]  # S4: no mutation


@pytest.fixture(scope="module")
def spelled(tmp_path_factory, compiled_project):
    root = tmp_path_factory.mktemp("spelling")
    study = write_panel_study(root / "spelling", [(s, f"P{s[1]}", "Primary", True) for s in SAMPLES], PANEL_GENES,
                              VARIANTS, "comparisons:\n  - name: by_emsy\n    group_by: mutated:c11orf30\n"
                                        "    reference: wildtype\n")
    warehouse = root / "oncoduck.duckdb"
    compiled_project.build(warehouse, [study], "+fct_gene_frequency", "+dim_gene", "+fct_comparison_member", "+fct_variant")
    return warehouse


def test_an_upper_case_panel_gene_counts_the_mutations_a_maf_spells_in_hgnc_case(spelled):
    rows = query(spelled, """select hugo_symbol, n_altered, n_profiled from marts.fct_gene_frequency
        where comparison = 'cohort:all' and alteration_type = 'mutation' order by hugo_symbol""")
    assert rows == [("C11orf30", 1, 4), ("PIK3CA", 1, 4), ("TP53", 1, 4)]
    assert query(spelled, "select assay_id, hugo_symbol from marts.bridge_assay_gene where assay_id = 'SMALL' "
                          "order by hugo_symbol") == [("SMALL", "C11orf30"), ("SMALL", "PIK3CA"), ("SMALL", "TP53")]


def test_a_gene_is_in_dim_gene_once_whatever_the_case_its_inputs_write(spelled):
    assert query(spelled, "select hugo_symbol from marts.dim_gene where upper(hugo_symbol) = 'C11ORF30'") == [("C11orf30",)]


def test_a_grouping_by_a_gene_named_in_any_case_finds_its_mutated_samples(spelled):
    rows = query(spelled, """select sample_id, group_label from marts.fct_comparison_member
        where comparison = 'by_emsy' order by sample_id""")
    assert rows == [("S1", "mutated"), ("S2", "wildtype"), ("S3", "wildtype"), ("S4", "wildtype")]


def test_a_respelled_symbol_says_so_beside_it(spelled):
    """The warehouse keeps the reference spelling, and hugo_symbol_source tells which symbols the file wrote otherwise."""
    rows = query(spelled, "select hugo_symbol, hugo_symbol_source from marts.fct_variant order by hugo_symbol")
    assert rows == [("C11orf30", "file"), ("PIK3CA", "file_reference_spelling"), ("TP53", "file")]
