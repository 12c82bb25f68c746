"""One row per sample per rank tried: the consensus NMF cluster of each sequenced sample of the studies
that declare `nmf` (oncoduck.stats.nmf.nmf_cluster_table; Brunet et al. 2004). Features: genes mutated under
the study's definition (int_sample_gene_alterations), or pathways (any gene of a gene set of
stg_study__gene_sets, shared or the study's own, mutated). Each row carries its rank's cophenetic correlation
and dispersion (fct_nmf_rank_diagnostics reads them) and the settings and seeds used."""
import pandas as pd

from oncoduck.stats.declared import study_rows
from oncoduck.stats.nmf import CHOICE_RULE, METHOD, nmf_cluster_table

COLUMNS = ["study_id", "sample_id", "rank", "cluster", "is_chosen_rank", "cophenetic_correlation", "dispersion",
           "features", "n_features", "n_samples", "runs", "seed", "choice_rule", "method", "reason"]


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.ref("stg_study__analysis_settings").filter("analysis = 'nmf'").df()
    parts = []
    for study_id, block in settings.groupby("study_id", sort=True):
        config = dict(zip(block["setting"], block["value"]))
        samples = study_rows(dbt.ref("dim_sample"), [study_id], "is_sequenced and sample_type <> 'normal'", ["sample_id"])
        mutated = study_rows(dbt.ref("int_sample_gene_alterations"), [study_id], "is_mutated", ["sample_id", "hugo_symbol"])
        mutated["hugo_symbol"] = mutated["hugo_symbol"].astype(str)
        if config["features"] == "pathways":
            sets = dbt.ref("stg_study__gene_sets").df()
            sets = sets[sets["declaring_study_id"].isna() | (sets["declaring_study_id"] == study_id)]  # shared, own
            sets = sets.drop(columns=["declaring_study_id"])
            altered = mutated.assign(hugo_symbol=mutated["hugo_symbol"].str.upper()).merge(sets, on="hugo_symbol")
            altered["feature"] = altered["collection"] + ":" + altered["gene_set"]
        else:
            altered = mutated.assign(feature=mutated["hugo_symbol"])
        out = nmf_cluster_table(list(samples["sample_id"].astype(str)), altered,
                                [int(r) for r in config["ranks"].split(";")], int(config["runs"]), int(config["seed"]),
                                int(config["min_altered_samples"]))
        parts.append(out.assign(study_id=study_id, features=config["features"], runs=int(config["runs"]),
                                seed=int(config["seed"]), choice_rule=CHOICE_RULE, method=METHOD))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    frame = frame.reindex(columns=COLUMNS)
    for column in ("cophenetic_correlation", "dispersion"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    for column in ("rank", "cluster", "n_features", "n_samples", "runs", "seed"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    frame["is_chosen_rank"] = frame["is_chosen_rank"].astype("boolean")
    for column in ("study_id", "sample_id", "features", "choice_rule", "method", "reason"):
        frame[column] = frame[column].astype("string")
    return frame
