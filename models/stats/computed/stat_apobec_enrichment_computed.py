"""APOBEC enrichment test of every sample of fct_sample_apobec: maftools' one-sided Fisher test, BH over the
samples of each study (oncoduck.stats.signatures.apobec_tests). Computed here in Python;
stats.stat_apobec_enrichment (SQL) types it under a contract."""
from oncoduck.stats.signatures import apobec_tests


def model(dbt, session):
    dbt.config(materialized="table")
    apobec = dbt.ref("fct_sample_apobec").project(
        "study_id, sample_id, n_tcw_mutations, n_apobec_class, background_c, background_tcw").df()
    return apobec_tests(apobec)
