"""Chi-square tests (R chisq.test) of the low-level copy-number call distribution (gain / loss /
neutral, the study's CNA call rule set, genes mapped by entire_exonic_span) between the two sides of
each pair rule: per gene and over all genes (paul2020: low-level CNAs in primaries vs metastases)."""
from oncoduck.stats.paired import cna_distribution_tests, low_level_call_counts


def model(dbt, session):
    dbt.config(materialized="table")
    pairs = dbt.ref("int_sample_pairs_matched").df()
    genes = dbt.ref("int_segments_mapped_to_genes").df()
    genes = genes[genes["gene_mapping_rule"] == "entire_exonic_span"]
    return cna_distribution_tests(low_level_call_counts(pairs, genes))
