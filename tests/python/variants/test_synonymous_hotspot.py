"""Issue 19, bug 5: a synonymous change at a hotspot residue is not a hotspot mutation, from a study folder to
the marts that use the flag: fct_hotspot_frequency (the hotspot-residue frequencies) and fct_sample_burden
(Zhang et al. 2022's panel TMB, nonsyn_zhang2022_v1, which excludes known hotspot mutations).

One sample, hg19, TP53 R175 a hotspot residue (seeds/reference/hotspots.csv, cancerhotspots v2):
- R175H, Missense_Mutation: a hotspot mutation, excluded from the Zhang TMB;
- p.R175= classed Splice_Site (what some annotators call a synonymous change at a splice-site base): a
  nonsynonymous class under Zhang 2022, and not a hotspot mutation, so it is counted (before the fix it
  was excluded as a hotspot);
- p.R175= classed Splice_Region (vcf2maf: splice_region_variant&synonymous_variant): not nonsynonymous
  under Zhang 2022, and not a hotspot mutation;
- PIK3CA R38H, Missense_Mutation, not a hotspot residue: counted.
A second sample, S2, has only a Splice_Region p.R175=: it is not R175-mutated (1 of 2 members are)."""

from __future__ import annotations

import pytest

from oncoduck_testing import query

MAF_COLUMNS = ["Hugo_Symbol", "Chromosome", "Start_Position", "End_Position", "Reference_Allele", "Tumor_Seq_Allele2",
               "Variant_Classification", "Variant_Type", "Tumor_Sample_Barcode", "HGVSp_Short", "t_alt_count",
               "t_ref_count"]
MAF_ROWS = [
    ["TP53", "17", "7578406", "7578406", "C", "T", "Missense_Mutation", "SNP", "S1", "p.R175H", "30", "70"],
    ["TP53", "17", "7578405", "7578405", "G", "A", "Splice_Site", "SNP", "S1", "p.R175=", "30", "70"],
    ["TP53", "17", "7578404", "7578404", "C", "T", "Splice_Region", "SNP", "S1", "p.R175=", "30", "70"],
    ["PIK3CA", "3", "178916726", "178916726", "G", "A", "Missense_Mutation", "SNP", "S1", "p.R38H", "30", "70"],
    ["TP53", "17", "7578404", "7578404", "C", "T", "Splice_Region", "SNP", "S2", "p.R175=", "30", "70"],
]


def _study(root):
    study = root / "synonymous_hotspot"
    study.mkdir()
    (study / "meta_study.txt").write_text("type_of_cancer: brca\ncancer_study_identifier: synonymous_hotspot\n"
                                          "name: Synonymous hotspot\nreference_genome: hg19\n")
    (study / "data_clinical_patient.txt").write_text("PATIENT_ID\tSEX\nP1\tFemale\nP2\tFemale\n")
    (study / "data_clinical_sample.txt").write_text("PATIENT_ID\tSAMPLE_ID\tSAMPLE_TYPE\nP1\tS1\tPrimary\nP2\tS2\tPrimary\n")
    (study / "data_mutations.txt").write_text("\n".join("\t".join(row) for row in [MAF_COLUMNS, *MAF_ROWS]) + "\n")
    (study / "oncoduck_study.yml").write_text("assay_id: wes_generic\ntmb_definition: nonsyn_zhang2022_v1\n"
                                              "variant_filter_rule_set: none\n")
    return study


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, compiled_project):
    root = tmp_path_factory.mktemp("synonymous_hotspot")
    path = root / "oncoduck.duckdb"
    compiled_project.build(path, [_study(root)], "+fct_sample_burden", "+fct_hotspot_frequency")
    return path


def test_zhang2022_tmb_excludes_the_hotspot_mutation_but_not_a_synonymous_change_at_the_hotspot_residue(warehouse):
    """Issue 19 bug 5: nonsyn_zhang2022_v1 excludes R175H only; the Splice_Site p.R175= counts."""
    rows = query(warehouse, """select n_nonsynonymous, n_hotspot_excluded from marts.fct_sample_burden
        where sample_id = 'S1' and tmb_definition = 'nonsyn_zhang2022_v1'""")
    assert rows == [(2, 1)]  # PIK3CA R38H + Splice_Site p.R175=; R175H excluded


def test_hotspot_frequency_counts_hotspot_mutations_not_synonymous_changes_at_the_residue(warehouse):
    """Issue 19 bug 5: is_hotspot is true for R175H alone; R175 is mutated in 1 of 2 members (S1, not S2)."""
    flags = query(warehouse, """select sample_id, variant_classification_given, is_hotspot
        from intermediate.int_variants_classified where hugo_symbol = 'TP53' order by all""")
    assert flags == [("S1", "Missense_Mutation", True), ("S1", "Splice_Region", False), ("S1", "Splice_Site", False),
                     ("S2", "Splice_Region", False)]
    rows = query(warehouse, """select n_profiled, n_altered from marts.fct_hotspot_frequency
        where comparison = 'cohort:all' and hugo_symbol = 'TP53' and feature = 'R175'""")
    assert rows == [(2, 1)]
