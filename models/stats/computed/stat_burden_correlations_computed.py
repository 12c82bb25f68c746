"""Correlation of mutational and copy-number burden (Spearman and Pearson, R cor.test) over the
members of each declared comparison with `burden`.
Computed here in Python; stats.stat_burden_correlations (SQL) types it under a contract."""
import pandas as pd

from oncoduck.stats.declared import (comparison_members, correlations, member_rows, member_studies, study_rows,
                                     with_member_data)

PAIRS = [("n_nonsynonymous", "total_cnv_length_mb"), ("n_nonsynonymous", "fraction_genome_altered")]


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    members = comparison_members(comparisons, member_rows(dbt.ref("int_comparison_members"), comparisons, "burden"),
                                 "burden")
    studies = member_studies(members)
    # only the rows and columns the pairs need: the TMB mart has a row per sample x TMB definition
    tmb = study_rows(dbt.ref("fct_sample_burden"), studies, "is_study_definition", ["study_id", "sample_id", "n_nonsynonymous"])
    cnv = study_rows(dbt.ref("fct_sample_cnv_burden"), studies,
                     columns=["study_id", "sample_id", "total_cnv_length_mb", "fraction_genome_altered"])
    long = [with_member_data(members, t.melt(id_vars=["study_id", "sample_id"], var_name="measure", value_name="value"))
            for t in (tmb, cnv)]
    return correlations(pd.concat(long, ignore_index=True), PAIRS)
