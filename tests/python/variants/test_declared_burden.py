"""A study declares its own TMB definition and assays in oncoduck_study.yml, without touching seeds/reference
(issue 19, Build 3; acceptance: "all mutation rows / 45.54094 Mb" as a study's TMB, its medians per group out
of fct_sample_burden and the burden tests). Fixture: tests/fixtures/studies/declared_tmb (README beside it)."""

from __future__ import annotations

import shutil
import statistics
from collections import Counter

import pytest

from oncoduck.ingest.study import discover
from oncoduck_testing import FIXTURE_STUDIES, REPO, query

STUDY = FIXTURE_STUDIES / "declared_tmb"
CODING_MB = 45.54094
PCR = {"TN01", "TN02", "TN03"}
RESIDUAL_DISEASE = {"TN04", "TN05", "TN06"}
SELECT = ("+fct_sample_burden", "+stat_burden_tests", "+fct_study_tmb_distribution", "+fct_gene_frequency",
          "+fct_sample_gene_profiled")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, compiled_project):
    path = tmp_path_factory.mktemp("declared_tmb") / "oncoduck.duckdb"
    compiled_project.build(path, [STUDY], *SELECT)
    return path


def _maf_rows() -> Counter:
    """Mutation rows per sample, read from the fixture's MAF (the number the paper's definition divides)."""
    lines = (STUDY / "data_mutations.txt").read_text().splitlines()
    column = lines[0].split("\t").index("Tumor_Sample_Barcode")
    return Counter(line.split("\t")[column] for line in lines[1:] if line.strip())


def test_the_seeds_are_untouched():
    for seed in ("tmb_definitions.csv", "assays.csv", "nonsynonymous_definitions.csv", "panel_genes.csv"):
        text = (REPO / "seeds" / "reference" / seed).read_text()
        assert "transneo" not in text and "tiny_panel" not in text and "panel_missense_nonsense" not in text


def test_tmb_is_every_mutation_row_over_45_54094_mb_exactly(warehouse):
    rows = _maf_rows()
    burden = {r[0]: r[1:] for r in query(warehouse, """
        select sample_id, n_nonsynonymous, coding_mb, coding_mb_source, tmb_per_mb, is_study_definition,
               definition_declared_by
        from marts.fct_sample_burden where tmb_definition = 'transneo_all_rows'""")}
    assert set(burden) == PCR | RESIDUAL_DISEASE | {"PN01"}  # TN03 has no MAF row and counts, with 0
    for sample, (n, coding_mb, source, tmb, is_study, declared_by) in burden.items():
        assert n == rows.get(sample, 0)
        assert coding_mb == CODING_MB
        assert tmb == rows.get(sample, 0) / CODING_MB  # exactly: the same double division
        assert source == "study-declared definition (oncoduck_study.yml tmb_definitions[].coding_mb)"
        assert is_study and declared_by == "oncoduck_study.yml"


def test_group_medians_come_out_of_the_burden_tests(warehouse):
    rows = _maf_rows()
    tests = {r[0]: r[1:] for r in query(warehouse, """
        select measure, group1, group2, n1, n2, median1, median2, method
        from stats.stat_burden_tests where study_id = 'declared_tmb' and comparison = 'pcr_vs_residual_disease'""")}
    group1, group2, n1, n2, median1, median2, method = tests["tmb_per_mb"]
    assert (group1, group2, n1, n2) == ("pcr", "residual_disease", 3, 3)
    assert median1 == statistics.median(rows.get(s, 0) / CODING_MB for s in PCR) == 3 / CODING_MB
    assert median2 == statistics.median(rows.get(s, 0) / CODING_MB for s in RESIDUAL_DISEASE) == 10 / CODING_MB
    assert method == "Wilcoxon rank sum exact test"
    assert tests["n_nonsynonymous"][4:6] == (3.0, 10.0)


def test_the_cohort_distribution_uses_the_declared_definition(warehouse):
    (median, declared_by, is_study), = query(warehouse, """
        select median, definition_declared_by, is_study_definition from marts.fct_study_tmb_distribution
        where comparison = 'cohort:all' and tmb_definition = 'transneo_all_rows' and measure = 'tmb_per_mb'""")
    assert median == pytest.approx(5 / CODING_MB, rel=1e-12)  # rows 0, 3, 5, 5, 7, 10, 12
    assert (declared_by, is_study) == ("oncoduck_study.yml", True)


def test_declared_ids_are_stored_beside_the_numbers(warehouse):
    definitions = query(warehouse, """
        select definition_id, declaring_study_id, variants_rule, nonsynonymous_definition_id, coding_mb, declared_by,
               source_line
        from staging.stg_study__tmb_definitions where declared_by = 'oncoduck_study.yml' order by source_line""")
    assert definitions == [
        ("transneo_all_rows", "declared_tmb", "all rows", None, CODING_MB, "oncoduck_study.yml", 11),
        ("maftools_classes_45mb", "declared_tmb", "nonsynonymous definition", "maftools", CODING_MB, "oncoduck_study.yml", 15),
        ("panel_missense_nonsense", "declared_tmb", "listed classes", "panel_missense_nonsense", None,
         "oncoduck_study.yml", 18)]
    per_definition = dict(query(warehouse, """
        select tmb_definition, count(*) from marts.fct_sample_burden group by 1"""))
    assert per_definition["maftools_classes_45mb"] == per_definition["nonsyn_maftools_v1"] == 7  # seeds still computed
    # a seed nonsynonymous definition over the study's own coding size: maftools' classes / 45.54094
    maftools = dict(query(warehouse, """
        select a.sample_id, a.tmb_per_mb = b.n_nonsynonymous / 45.54094 and a.n_nonsynonymous = b.n_nonsynonymous
        from marts.fct_sample_burden a join marts.fct_sample_burden b using (study_id, sample_id)
        where a.tmb_definition = 'maftools_classes_45mb' and b.tmb_definition = 'nonsyn_maftools_v1'"""))
    assert all(maftools.values()), maftools
    assays = dict(query(warehouse, "select assay_id, defined_by from marts.dim_assay where assay_id in "
                                   "('transneo_exome', 'tiny_panel')"))
    assert assays == {"transneo_exome": "study declaration (oncoduck_study.yml assays)",
                      "tiny_panel": "study declaration (oncoduck_study.yml assays)"}
    samples = dict(query(warehouse, "select sample_id, assay_id from marts.dim_sample"))
    assert samples == {**{s: "transneo_exome" for s in PCR | RESIDUAL_DISEASE}, "PN01": "tiny_panel"}


def test_a_declared_gene_list_restricts_like_a_seed_panel(warehouse):
    assert {g for (g,) in query(warehouse, "select hugo_symbol from marts.bridge_assay_gene "
                                           "where assay_id = 'tiny_panel'")} == {"TP53", "PIK3CA"}
    assert {g for (g,) in query(warehouse, "select hugo_symbol from marts.fct_sample_gene_profiled "
                                           "where sample_id = 'PN01'")} == {"TP53", "PIK3CA"}
    # TMB under the definition that says assay_genes_only: PN01's TP53 and PIK3CA missense count, its GATA3
    # missense and CDH1 nonsense (off the panel) do not; the panel's declared 0.5 Mb divides
    (n, off, coding_mb, source, tmb), = query(warehouse, """
        select n_nonsynonymous, n_off_assay_excluded, coding_mb, coding_mb_source, tmb_per_mb from marts.fct_sample_burden
        where sample_id = 'PN01' and tmb_definition = 'panel_missense_nonsense'""")
    assert (n, off, coding_mb, tmb) == (2, 2, 0.5, 4.0)
    assert source == "study-declared assay (oncoduck_study.yml assays[].coding_mb)"
    # ... and an exome covers every gene: nothing is excluded for the TN samples
    assert query(warehouse, "select sum(n_off_assay_excluded) from marts.fct_sample_burden where sample_id <> 'PN01'") \
        == [(0,)]
    # frequencies, as for a seed panel: PN01 is not profiled for GATA3, so its GATA3 mutation is not counted
    (n_profiled, n_altered), = query(warehouse, """
        select n_profiled, n_altered from marts.fct_gene_frequency
        where comparison = 'cohort:all' and hugo_symbol = 'GATA3' and alteration_type = 'mutation'""")
    assert (n_profiled, n_altered) == (6, 3)


def test_a_declared_definition_applies_to_its_study_only(warehouse, tmp_path, compiled_project):
    """A second study in the same build sees the seed's definitions, not declared_tmb's."""
    other = tmp_path / "other"
    other.mkdir()
    for name in ("data_mutations.txt", "data_clinical_sample.txt"):
        (other / name).write_text((STUDY / name).read_text())
    (other / "oncoduck_study.yml").write_text(
        "study_id: other\nreference_genome: hg19\nassay_id: wes_generic\n"
        "files: {mutations: [data_mutations.txt], clinical_sample: [data_clinical_sample.txt]}\n")
    path = tmp_path / "oncoduck.duckdb"
    compiled_project.build(path, [STUDY, other], "+fct_sample_burden")
    seen = dict(query(path, "select study_id, list(distinct tmb_definition order by tmb_definition) "
                            "from marts.fct_sample_burden group by 1"))
    seeds = ["nonsyn_cbioportal_v1", "nonsyn_lim2021_v1", "nonsyn_maftools_v1", "nonsyn_zhang2022_v1"]
    assert seen["other"] == seeds
    assert seen["declared_tmb"] == sorted(seeds + ["maftools_classes_45mb", "panel_missense_nonsense", "transneo_all_rows"])


def test_an_assay_declared_by_a_bed_of_targets_covers_the_genes_its_targets_overlap(warehouse):
    """bed_panel_targets.bed (hg19; 0-based BED starts): a target inside ERBB2's exonic span, one inside TP53's, one
    on chr1:1-500 where no gene is. Its coding size is the CDS footprint of those genes (genes_hg19.cds_bp:
    ERBB2 3,965 + TP53 1,378 bp), as for any panel that states none."""
    assert {g for (g,) in query(warehouse, "select hugo_symbol from marts.bridge_assay_gene "
                                           "where assay_id = 'bed_panel'")} == {"ERBB2", "TP53"}
    (coding_mb,) = query(warehouse, "select coding_mb from intermediate.int_assays_coding_size "
                                    "where assay_id = 'bed_panel'")[0]
    assert coding_mb == pytest.approx((3965 + 1378) / 1e6, rel=1e-12)


def test_a_tmb_over_every_row_deciding_the_mutated_genes_is_a_warning():
    """transneo_all_rows counts every mutation row (TransNEO's exome TMB) and, with no mutated_definition, also
    decides which genes are mutated: the study file gets a WARNING on its tmb_definition line."""
    (finding,) = [f for f in discover(STUDY).findings if f.code == "mutated_counts_every_row"]
    assert finding.severity == "WARNING"
    assert finding.location == f"{STUDY / 'oncoduck_study.yml'}:21:1"
    assert "transneo_all_rows" in finding.message and "mutated_definition" in finding.message


def test_a_declared_mutated_definition_decides_the_mutated_genes_and_leaves_the_tmb(tmp_path, compiled_project):
    """The same study declaring `mutated_definition: nonsyn_maftools_v1`: its TMB still counts every row, but a gene
    is mutated only by maftools' nonsynonymous classes. GATA3 (cohort:all): TN01's and TN06's Silent no longer count,
    TN04's frameshift does (3 altered -> 1); MAP3K1: TN01's 3'UTR no longer counts (3 -> 2). No warning."""
    study = tmp_path / "declared_tmb"
    shutil.copytree(STUDY, study)
    with open(study / "oncoduck_study.yml", "a") as handle:
        handle.write("mutated_definition: nonsyn_maftools_v1\n")
    assert not [f for f in discover(study).findings if f.code == "mutated_counts_every_row"]
    path = tmp_path / "oncoduck.duckdb"
    compiled_project.build(path, [study], "+fct_sample_burden", "+fct_gene_frequency")
    altered = dict(query(path, """select hugo_symbol, n_altered from marts.fct_gene_frequency
        where comparison = 'cohort:all' and alteration_type = 'mutation' and hugo_symbol in ('GATA3', 'MAP3K1')"""))
    assert altered == {"GATA3": 1, "MAP3K1": 2}
    rows = _maf_rows()
    tmb = dict(query(path, """select sample_id, n_nonsynonymous from marts.fct_sample_burden
        where tmb_definition = 'transneo_all_rows'"""))
    assert tmb == {sample: rows.get(sample, 0) for sample in tmb}
    assert query(path, "select tmb_definition, mutated_definition, mutated_definition_source "
                       "from staging.stg_study__studies") == [("transneo_all_rows", "nonsyn_maftools_v1", "mutated_definition")]
    assert query(path, "select distinct counted_by_definition from intermediate.int_variants_filtered "
                       "where is_counted") == [("nonsyn_maftools_v1",)]
