"""De novo mutational signatures of the studies that declare `signatures.de_novo_ranks`: NMF of the SBS96
catalogue, rank by cophenetic correlation, each signature matched to COSMIC by cosine similarity
(oncoduck.stats.signatures.de_novo_signatures). Computed here in Python; stats.stat_signatures_de_novo types it."""
from oncoduck.stats.declared import study_rows
from oncoduck.stats.signatures import de_novo_signatures


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.ref("stg_study__analysis_settings").filter("analysis = 'signatures'").df()
    studies = sorted(settings.loc[settings["setting"] == "de_novo_ranks", "study_id"].unique())
    samples = study_rows(dbt.ref("dim_sample"), studies, columns=["study_id", "sample_id", "assay_id"])
    assays = dbt.ref("dim_assay").project("assay_id, assay_type").df()
    genomes = study_rows(dbt.ref("stg_study__studies"), studies, columns=["study_id", "reference_genome"])
    samples = samples.merge(assays, on="assay_id", how="left").merge(genomes, on="study_id", how="left")
    catalogues = study_rows(dbt.ref("fct_sample_sbs96"), studies,
                            columns=["study_id", "sample_id", "variant_set", "channel", "n_snv"])
    return de_novo_signatures(catalogues, settings, samples)
