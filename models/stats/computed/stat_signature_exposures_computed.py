"""COSMIC SBS exposures of every sample of the studies that declare `signatures` (oncoduck.stats.signatures:
NNLS on the SBS96 catalogue, exome-normalised reference for exome and panel assays). Computed here in
Python; stats.stat_signature_exposures (SQL) types it under a contract."""
from oncoduck.stats.declared import signature_inputs
from oncoduck.stats.signatures import signature_exposures


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.ref("stg_study__analysis_settings").filter("analysis = 'signatures'").df()
    samples, catalogues = signature_inputs(dbt.ref("dim_sample"), dbt.ref("dim_assay"), dbt.ref("stg_study__studies"),
                                           dbt.ref("fct_sample_sbs96"), sorted(settings["study_id"].unique()))
    return signature_exposures(catalogues, settings, samples)
