"""TCGA BRCA built as one study from its public files as they are (issue 18): the MC3 MAFs and per-sample
clinical (TCGAmutations) with the Pan-Cancer Clinical Data Resource (Liu et al. 2018) for survival. ER,
HER2 IHC and ISH, OS and DSS are mapped by the project's vocabularies, nothing study-specific but the
file list and three renamed columns; the cohort-wide gene frequencies need no declared comparison.

Reference frequencies, computed here from the MAF with pandas and matching the ones the issue quotes:
PIK3CA 352 / 1,026 = 34.3 %, TP53 350 / 1,026 = 34.1 % of samples with a non-silent mutation."""

from __future__ import annotations

import pandas as pd
import pytest

from oncoduck.findings import summarise
from oncoduck_testing import FIXTURE_STUDIES, query, require_shared_data

STUDY = FIXTURE_STUDIES / "tcga_brca_mc3_cdr"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, compiled_project):
    require_shared_data("tcga_brca", "MC3_BRCA.nonsilent.maf.tsv.gz")
    require_shared_data("tcga_brca", "tcga_cdr_liu2018_clinData.csv.gz")
    path = tmp_path_factory.mktemp("tcga_brca") / "oncoduck.duckdb"
    compiled_project.build(path, [STUDY], "+fct_gene_frequency", "+dim_patient", "+fct_survival", "+fct_sample_burden",
                           "+fct_variant", "+stg_study__mutations_rejects", "+stat_survival_tests", "+all_rejects")
    return path


def test_every_sample_is_sequenced_on_the_declared_exome(warehouse):
    assert query(warehouse, """select count(*), count(*) filter (where is_sequenced and assay_id = 'mc3_wes')
        from marts.dim_sample where study_id = 'tcga_brca'""")[0] == (1026, 1026)


def test_1026_samples_of_1020_patients_and_every_maf_row_reconciles(warehouse):
    assert query(warehouse, "select count(*), count(distinct patient_id) from marts.dim_sample") == [(1026, 1020)]
    assert query(warehouse, "select count(*) from marts.dim_sample where sample_type = 'metastasis'")[0][0] == 6
    landed, accepted, rejected = query(warehouse, """
        select (select count(*) from landing.landing_mutations),
               (select count(*) from marts.fct_variant),
               (select count(*) from staging.stg_study__mutations_rejects)""")[0]
    assert landed == accepted + rejected  # rows reconcile
    assert landed > 130_000
    reasons = dict(query(warehouse, "select reject_reason, count(*) from staging.stg_study__mutations_rejects group by 1"))
    assert set(reasons) == {"duplicate_variant"}  # MC3 repeats some lines verbatim; nothing else is rejected


def test_the_summary_counts_the_patients_of_the_pan_cancer_file_without_a_sample_apart(warehouse):
    """The CDR file has every TCGA patient (11,160); dim_patient keeps them all, as the study's patient file says, and
    the build summary counts the 1,020 with a sample as the study's patients and names the others apart."""
    assert query(warehouse, "select count(*), count(*) filter (where n_samples = 0) from marts.dim_patient") == [(11160, 10140)]
    line = next(line for line in summarise(warehouse).lines() if line.startswith("  study tcga_brca:"))
    assert line == ("  study tcga_brca: 1,020 patients, 1,026 samples (1,026 sequenced); 10,140 more patients in the "
                    "patient file have no sample")


def test_a_study_with_patients_and_no_sample_gets_its_own_summary_line(tmp_path):
    """A study whose patient file lists patients but whose samples are all elsewhere (or absent) is not left out of
    the summary: it has a line of its own saying so (a full join of the sample and patient counts)."""
    import duckdb

    warehouse = tmp_path / "w.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("""
        create schema landing; create schema staging; create schema marts;
        create table landing.landing_clinical as select 'p.txt' as source_file, 2 as source_row;
        create table staging.all_rejects as select 'p.txt' as source_file, 2 as source_row, 'x' as reject_reason where false;
        create table marts.dim_sample as select 'a' as study_id, 'P1' as patient_id, true as is_sequenced;
        create table marts.dim_patient as
            select * from (values ('a', 'P1', 1), ('b', 'Q1', 0), ('b', 'Q2', 0)) v(study_id, patient_id, n_samples)""")
    con.close()
    lines = summarise(warehouse).lines()
    assert "  study a: 1 patients, 1 samples (1 sequenced)" in lines
    assert "  study b: no sample; 2 patients in the patient file" in lines


def test_cohort_wide_pik3ca_and_tp53_frequencies_equal_the_maf(warehouse):
    maf = pd.read_csv(require_shared_data("tcga_brca", "MC3_BRCA.nonsilent.maf.tsv.gz"), sep="\t", comment="#",
                      low_memory=False, usecols=["Hugo_Symbol", "Tumor_Sample_Barcode"])
    maf["sample_id"] = maf["Tumor_Sample_Barcode"].str.upper().str[:15]
    expected = {g: maf.loc[maf["Hugo_Symbol"] == g, "sample_id"].nunique() for g in ("PIK3CA", "TP53")}
    assert expected == {"PIK3CA": 352, "TP53": 350}
    got = {g: (altered, profiled) for g, altered, profiled in query(warehouse, """
        select hugo_symbol, n_altered, n_profiled from marts.fct_gene_frequency
        where study_id = 'tcga_brca' and comparison = 'cohort:all' and alteration_type = 'mutation'
          and hugo_symbol in ('PIK3CA', 'TP53')""")}
    assert got == {"PIK3CA": (352, 1026), "TP53": (350, 1026)}
    assert round(100 * 352 / 1026, 1) == 34.3 and round(100 * 350 / 1026, 1) == 34.1


def test_er_and_her2_ihc_ish_are_mapped(warehouse):
    er = dict(query(warehouse, """select er_status, count(*) from marts.dim_patient p
        where study_id = 'tcga_brca' and exists (select 1 from marts.dim_sample s
            where s.study_id = p.study_id and s.patient_id = p.patient_id) group by all"""))
    assert er["positive"] > 700 and er["negative"] > 200  # TCGA BRCA is ~3/4 ER+
    her2 = dict(query(warehouse, """select her2_category, count(*) from marts.dim_patient p
        where study_id = 'tcga_brca' and exists (select 1 from marts.dim_sample s
            where s.study_id = p.study_id and s.patient_id = p.patient_id) group by all"""))
    assert her2["positive"] > 100 and her2["low"] > 300 and her2["zero"] > 0


def test_os_and_dss_come_from_the_cdr(warehouse):
    rows = {r[0]: r[1:] for r in query(warehouse, """select endpoint, count(*), sum(case when event then 1 else 0 end)
        from marts.fct_survival f where study_id = 'tcga_brca' and exists (select 1 from marts.dim_sample s
            where s.study_id = f.study_id and s.patient_id = f.patient_id) group by endpoint""")}
    cdr = pd.read_csv(require_shared_data("tcga_brca", "tcga_cdr_liu2018_clinData.csv.gz"), low_memory=False)
    samples = {s for (s,) in query(warehouse, "select distinct patient_id from marts.dim_sample where study_id = 'tcga_brca'")}
    brca = cdr[cdr["bcr_patient_barcode"].isin(samples)]
    for endpoint, status, time in (("OS", "OS", "OS.time"), ("DSS", "DSS", "DSS.time")):
        usable = brca[brca[status].notna() & brca[time].notna()]
        assert rows[endpoint] == (len(usable), int(usable[status].sum())), endpoint


def test_tp53_within_er_positive_patients_dss_equals_r(warehouse):
    """The README's selection example on real data (the fixture's comparison tp53_within_er_positive: ER-positive
    patients, mutated:TP53, reference wildtype). Reference values from R 4.x, survival package, on the
    members' DSS rows written out from this warehouse (time_months, event, group_label):
        d$group_label <- factor(d$group_label, levels = c("wildtype", "mutated"))
        survdiff(Surv(time_months, event) ~ group_label, data = d)          # chisq 0.071480420614696824
        coxph(Surv(time_months, event) ~ group_label, data = d, ties = "efron")  # exp(coef) 0.90501528388838182,
                                                                                # Wald p 0.78927808514720088
    155 mutated (9 DSS events) and 581 wild-type (36) patients with DSS."""
    members = dict(query(warehouse, """select group_label, count(*) from intermediate.int_comparison_members
        where comparison = 'tp53_within_er_positive' group by all"""))
    er = {p: s for p, s in query(warehouse, "select patient_id, er_status from marts.dim_patient where study_id = 'tcga_brca'")}
    in_comparison = [p for (p,) in query(warehouse, """select patient_id from intermediate.int_comparison_members
        where comparison = 'tp53_within_er_positive'""")]
    assert {er[p] for p in in_comparison} == {"positive"} and members == {"mutated": 155, "wildtype": 593}
    logrank = query(warehouse, """select statistic, p_value, n, n_events from stats.stat_survival_tests
        where comparison = 'tp53_within_er_positive' and endpoint = 'DSS' and test = 'logrank'""")
    assert len(logrank) == 1
    statistic, p, n, events = logrank[0]
    assert (n, events) == (736, 45)
    assert statistic == pytest.approx(0.071480420614696824, rel=1e-9)
    assert p == pytest.approx(0.78919336044303245, rel=1e-9)
    cox = query(warehouse, """select group_label, reference_group, estimate, p_value from stats.stat_survival_tests
        where comparison = 'tp53_within_er_positive' and endpoint = 'DSS' and test = 'cox'""")
    assert len(cox) == 1
    group, reference, hazard_ratio, cox_p = cox[0]
    assert (group, reference) == ("mutated", "wildtype")  # the declared reference, not the first group
    assert hazard_ratio == pytest.approx(0.90501528388838182, rel=1e-6)
    assert cox_p == pytest.approx(0.78927808514720088, rel=1e-6)
