"""Mutational and CNV burden between the groups of each declared comparison with `burden`: Wilcoxon
rank-sum as R wilcox.test (exact when no ties and n < 50), Kruskal-Wallis for 3+ groups; TMB under the
study's own definition, CNV burden as lim2021 defines it.
Computed here in Python; stats.stat_burden_tests (SQL) types it under a contract."""
import pandas as pd

from oncoduck.stats.declared import comparison_members, numeric_tests

MEASURES = {
    "n_nonsynonymous": "fct_sample_burden",
    "tmb_per_mb": "fct_sample_burden",
    "cnv_count": "fct_sample_cnv_burden",
    "cnv_gene_count": "fct_sample_cnv_burden",
    "total_cnv_length_mb": "fct_sample_cnv_burden",
    "fraction_genome_altered": "fct_sample_cnv_burden",
}


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("landing_comparisons").df()
    members = comparison_members(comparisons, dbt.ref("int_comparison_members").df(), "burden")
    tmb = dbt.ref("fct_sample_burden").df()
    tmb = tmb[tmb["is_study_definition"]]
    cnv = dbt.ref("fct_sample_cnv_burden").df()
    long = []
    for measure, source in MEASURES.items():
        table = tmb if source == "fct_sample_burden" else cnv
        values = table[["study_id", "sample_id", measure]].rename(columns={measure: "value"}).assign(measure=measure)
        long.append(members.merge(values, on=["study_id", "sample_id"]))
    return numeric_tests(pd.concat(long, ignore_index=True), comparisons)
