"""Signature exposures and APOBEC enrichment between the groups of each comparison declaring `signatures`:
Wilcoxon rank-sum (R wilcox.test) or Kruskal-Wallis per measure (relative exposure of each fitted
signature, APOBEC enrichment score, fraction of APOBEC-motif mutations), as the burden tests
(oncoduck.stats.declared.numeric_tests). Computed here in Python; stats.stat_signature_tests types it."""
from oncoduck.stats.declared import NUMERIC_COLUMNS, member_rows, member_studies, signature_tests, study_rows, undeclared
from oncoduck.stats.tidy import no_rows


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    if undeclared(comparisons, "signatures"):
        return no_rows(NUMERIC_COLUMNS)
    members = member_rows(dbt.ref("int_comparison_members"), comparisons, "signatures")
    exposures = study_rows(dbt.ref("stat_signature_exposures_computed"), member_studies(members),
                           columns=["study_id", "sample_id", "signature_id", "relative_exposure"])
    return signature_tests(comparisons, members, exposures,
                           dbt.ref("fct_sample_apobec").project(
                               "study_id, sample_id, apobec_enrichment, fraction_apobec_mutations").df())
