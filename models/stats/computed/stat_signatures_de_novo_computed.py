"""De novo mutational signatures of the studies that declare `signatures.de_novo_ranks`: NMF of the SBS96
catalogue, rank by cophenetic correlation, each signature matched to COSMIC by cosine similarity
(oncoduck.stats.signatures.de_novo_signatures). Computed here in Python; stats.stat_signatures_de_novo types it."""
from oncoduck.stats.declared import signature_inputs
from oncoduck.stats.signatures import de_novo_signatures


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.ref("stg_study__analysis_settings").filter("analysis = 'signatures'").df()
    studies = sorted(settings.loc[settings["setting"] == "de_novo_ranks", "study_id"].unique())
    samples, catalogues = signature_inputs(dbt.ref("dim_sample"), dbt.ref("dim_assay"), dbt.ref("stg_study__studies"),
                                           dbt.ref("fct_sample_sbs96"), studies)
    return de_novo_signatures(catalogues, settings, samples)
