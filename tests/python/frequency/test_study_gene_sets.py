"""Gene sets a study adds (issue 19, Build 6: "gene sets a study can add (a GMT or TSV in the study folder)
used by pathway frequency and enrichment"). The demo's zhang2022 study declares `gene_sets:
[her2_amplicon.gmt]` (the 17q12 amplicon core genes with CDK12)."""

from __future__ import annotations

import pytest

from oncoduck.ingest import declarations
from oncoduck.ingest.gene_sets import read_gene_sets
from oncoduck_testing import query

AMPLICON = {"ERBB2", "GRB7", "PGAP3", "STARD3", "MIEN1", "PNMT", "TCAP", "CDK12"}


def test_gmt_and_tsv_files_are_read_and_bad_lines_named(tmp_path):
    gmt = tmp_path / "kegg.gmt"
    gmt.write_text("SET_A\thttp://x\tTp53\tMDM2\n\nSET_B\tdesc\tKRAS\n")
    assert read_gene_sets(gmt) == ([(1, "SET_A", "TP53"), (1, "SET_A", "MDM2"), (3, "SET_B", "KRAS")], [])
    tsv = tmp_path / "metabolic.tsv"
    tsv.write_text("gene_set\thugo_symbol\nGLYCOLYSIS\thk2\nGLYCOLYSIS\tPKM\n")
    assert read_gene_sets(tsv) == ([(2, "GLYCOLYSIS", "HK2"), (3, "GLYCOLYSIS", "PKM")], [])
    bad = tmp_path / "bad.gmt"
    bad.write_text("SET_A\tonly a description\n")
    rows, problems = read_gene_sets(bad)
    assert rows == [] and problems[0].startswith(f"{bad}:1: a GMT line is name<TAB>description<TAB>gene")
    headless = tmp_path / "sets.tsv"
    headless.write_text("pathway\tsymbol\nA\tB\n")
    assert "needs the columns gene_set and gene" in read_gene_sets(headless)[1][0]


@pytest.mark.parametrize("declared, expected", [
    ("gene_sets: [missing.gmt]", "gene_sets[1]: 'missing.gmt' does not exist"),
    ("gene_sets: sanchez_vega_2018.gmt", "the collection 'sanchez_vega_2018' is a shared one"),
])
def test_a_missing_file_or_a_shared_collection_name_is_refused(tmp_path, declared, expected):
    (tmp_path / "sanchez_vega_2018.gmt").write_text("A\tx\tTP53\n")
    config = tmp_path / "oncoduck_study.yml"
    config.write_text(declared + "\n")
    found = declarations.problems(config)
    assert len(found) == 1 and expected in found[0]


def test_the_studys_gene_set_is_counted_for_that_study_only(demo_warehouse):
    rows = query(demo_warehouse, """select distinct study_id from marts.fct_pathway_frequency
        where collection = 'her2_amplicon'""")
    assert rows == [("demo_zhang2022_panel",)]
    # members altered in the set = members with a mutation (covered by the assay) or a high-level CNA in any
    # of its genes, recounted here from the sample x gene alterations
    altered = {}
    for comparison, group, n_altered, alteration in query(demo_warehouse, """
            select comparison, group_label, n_altered, alteration_type from marts.fct_pathway_frequency
            where collection = 'her2_amplicon' and gene_set = 'ERBB2_AMPLICON_17Q12'"""):
        altered[(comparison, group, alteration)] = n_altered
    members = query(demo_warehouse, """select comparison, group_label, sample_id from intermediate.int_comparison_members
        where study_id = 'demo_zhang2022_panel'""")
    alterations = query(demo_warehouse, f"""select sample_id, bool_or(is_mutated), bool_or(is_cna_altered)
        from intermediate.int_sample_gene_alterations where study_id = 'demo_zhang2022_panel'
        and hugo_symbol in ({", ".join(f"'{g}'" for g in AMPLICON)}) group by sample_id""")
    cna = {s for s, _, c in alterations if c}
    for comparison in ("erbb2_amplified_vs_not", "her2_zero_low_positive"):
        for group in {g for c, g, _ in members if c == comparison}:
            in_group = {s for c, g, s in members if c == comparison and g == group}
            assert altered[(comparison, group, "cna")] == len(in_group & cna), (comparison, group)
    assert altered[("erbb2_amplified_vs_not", "amplified", "cna")] == 27  # every ERBB2-amplified patient
    # and the enrichment tests run on it like on the shared sets
    tested = query(demo_warehouse, """select count(*) from stats.stat_enrichment
        where comparison = 'her2_zero_low_positive' and feature = 'her2_amplicon:ERBB2_AMPLICON_17Q12'""")
    assert tested[0][0] > 0
