"""Alteration enrichment between the groups of each declared comparison (genes, pathways, cytobands,
hotspots/domains, as its analyses ask): Fisher 2x2 as R fisher.test (conditional-MLE OR and CI); 3+
groups add an omnibus test and pairwise Fisher; BH within comparison x alteration type x feature level.
Computed here in Python; stats.stat_enrichment (SQL) types it under a contract."""
import pandas as pd

from oncoduck.stats.declared import enrichment

KEYS = ["study_id", "comparison", "group_label", "group_order", "n_profiled", "n_altered"]


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("landing_comparisons").df()
    genes = dbt.ref("fct_gene_frequency").df()
    genes = genes.assign(analysis="genes", feature_level="gene", feature=genes["hugo_symbol"])
    pathways = dbt.ref("fct_pathway_frequency").df()
    pathways = pathways.assign(analysis="pathways", feature_level="pathway",
                               feature=pathways["collection"] + ":" + pathways["gene_set"])
    bands = dbt.ref("fct_cytoband_frequency").df()
    bands = bands.assign(analysis="cytobands", feature_level="cytoband_" + bands["region_level"], feature=bands["region"],
                         alteration_type="cna_" + bands["direction"])
    hotspots = dbt.ref("fct_hotspot_frequency").df()
    hotspots = hotspots.assign(analysis="hotspots", feature_level="hotspot_" + hotspots["feature_level"],
                               feature=hotspots["hugo_symbol"] + ":" + hotspots["feature"], alteration_type="mutation")
    columns = KEYS + ["analysis", "feature_level", "feature", "alteration_type"]
    frequencies = pd.concat([t[columns] for t in (genes, pathways, bands, hotspots)], ignore_index=True)
    wanted = comparisons[["study_id", "comparison", "analyses"]].drop_duplicates()
    frequencies = frequencies.merge(wanted, on=["study_id", "comparison"])
    asked = pd.Series([a in s.split(";") for a, s in zip(frequencies["analysis"], frequencies["analyses"])],
                      index=frequencies.index, dtype=bool)
    frequencies = frequencies.loc[asked]
    return enrichment(frequencies.drop(columns=["analysis", "analyses"]), comparisons)
