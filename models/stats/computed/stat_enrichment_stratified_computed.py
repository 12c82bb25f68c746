"""Cochran-Mantel-Haenszel tests of the alteration frequencies of each comparison declared with stratify_by,
across its strata (oncoduck.stats.stratified.stratified_enrichment; R mantelhaen.test: 2 x 2 x K for two
groups, the generalized test for three or more). The per-stratum tests themselves are stat_enrichment's rows
of the sub-comparisons 'name [ATTR=value]'.
Computed here in Python; stats.stat_enrichment_stratified (SQL) types it under a contract."""
from oncoduck.stats.declared import asked_frequencies, declared_frequencies
from oncoduck.stats.stratified import no_stratified_rows, stratified_enrichment, stratified_parents


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    if stratified_parents(comparisons).empty:
        return no_stratified_rows()
    # dbt finds a Python model's refs only outside starred arguments
    marts = declared_frequencies(comparisons, dbt.ref("fct_gene_frequency"), dbt.ref("fct_pathway_frequency"),
                                 dbt.ref("fct_cytoband_frequency"), dbt.ref("fct_hotspot_frequency"))
    frequencies = asked_frequencies(comparisons, *marts)
    return stratified_enrichment(comparisons, frequencies)
