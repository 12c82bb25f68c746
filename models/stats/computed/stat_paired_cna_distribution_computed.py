"""Chi-square tests (R chisq.test) of the low-level copy-number call distribution (gain / loss /
neutral, the study's CNA call rule set, genes mapped by entire_exonic_span) between the two sides of
each pair rule: per gene and over all genes (paul2020: low-level CNAs in primaries vs metastases).
The counts come from int_pair_cna_call_counts (SQL).
Computed here in Python; stats.stat_paired_cna_distribution (SQL) types it under a contract."""
from oncoduck.stats.paired import cna_distribution_tests


def model(dbt, session):
    dbt.config(materialized="table")
    return cna_distribution_tests(dbt.ref("int_pair_cna_call_counts").project(
        "study_id, pair_rule, side_a, side_b, side, hugo_symbol, n_gain, n_loss, n_neutral").df())
