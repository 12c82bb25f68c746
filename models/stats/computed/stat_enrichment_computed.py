"""Alteration enrichment between the groups of each declared comparison (genes, pathways, cytobands,
hotspots/domains, as its analyses ask): Fisher 2x2 as R fisher.test (conditional-MLE OR and CI); 3+
groups add an omnibus test and pairwise Fisher; BH within comparison x alteration type x feature level
(oncoduck.stats.declared.frequency_enrichment).
Computed here in Python; stats.stat_enrichment (SQL) types it under a contract."""
from oncoduck.stats.declared import declared_frequencies, frequency_enrichment


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    # dbt finds a Python model's refs only outside starred arguments
    frequencies = declared_frequencies(comparisons, dbt.ref("fct_gene_frequency"), dbt.ref("fct_pathway_frequency"),
                                       dbt.ref("fct_cytoband_frequency"), dbt.ref("fct_hotspot_frequency"))
    return frequency_enrichment(comparisons, *frequencies)
