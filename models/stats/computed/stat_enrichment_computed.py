"""Alteration enrichment between the groups of each declared comparison (genes, pathways, cytobands,
hotspots/domains, as its analyses ask): Fisher 2x2 as R fisher.test (conditional-MLE OR and CI); 3+
groups add an omnibus test and pairwise Fisher; BH within comparison x alteration type x feature level
(oncoduck.stats.declared.frequency_enrichment).
Computed here in Python; stats.stat_enrichment (SQL) types it under a contract."""
from oncoduck.stats.declared import frequency_enrichment


def model(dbt, session):
    dbt.config(materialized="table")
    return frequency_enrichment(dbt.ref("int_comparisons").df(), dbt.ref("fct_gene_frequency").df(),
                                dbt.ref("fct_pathway_frequency").df(), dbt.ref("fct_cytoband_frequency").df(),
                                dbt.ref("fct_hotspot_frequency").df())
