"""COSMIC SBS exposures of every sample of the studies that declare `signatures` (oncoduck.stats.signatures:
NNLS on the SBS96 catalogue, exome-normalised reference for exome and panel assays). Computed here in
Python; stats.stat_signature_exposures (SQL) types it under a contract."""
from oncoduck.stats.declared import study_rows
from oncoduck.stats.signatures import signature_exposures


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.ref("stg_study__analysis_settings").filter("analysis = 'signatures'").df()
    studies = sorted(settings["study_id"].unique())
    samples = study_rows(dbt.ref("dim_sample"), studies, columns=["study_id", "sample_id", "assay_id"])
    assays = dbt.ref("dim_assay").project("assay_id, assay_type").df()
    genomes = study_rows(dbt.ref("stg_study__studies"), studies, columns=["study_id", "reference_genome"])
    samples = samples.merge(assays, on="assay_id", how="left").merge(genomes, on="study_id", how="left")
    catalogues = study_rows(dbt.ref("fct_sample_sbs96"), studies,
                            columns=["study_id", "sample_id", "variant_set", "channel", "n_snv"])
    return signature_exposures(catalogues, settings, samples)
