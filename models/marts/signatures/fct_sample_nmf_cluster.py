"""One row per sample per rank tried: the consensus NMF cluster of each sequenced sample of the studies
that declare `nmf` (oncoduck.stats.nmf; Brunet et al. 2004). Features: genes mutated under the study's
definition (int_sample_gene_alterations), or pathways (any gene of a gene set of seeds gene_sets mutated),
kept when altered in at least min_altered_samples samples. Samples with no kept feature altered cannot
be clustered (cluster null, with the reason); a rank the matrix is too small for has every sample with
cluster null and the reason. Each row carries its rank's cophenetic correlation and dispersion
(fct_nmf_rank_diagnostics reads them) and the settings and seeds used."""
import pandas as pd

from oncoduck.stats.declared import study_rows
from oncoduck.stats.nmf import CHOICE_RULE, METHOD, nmf_subtypes

COLUMNS = ["study_id", "sample_id", "rank", "cluster", "is_chosen_rank", "cophenetic_correlation", "dispersion", "features", "n_features", "n_samples",
           "runs", "seed", "choice_rule", "method", "reason"]


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.ref("stg_study__analysis_settings").filter("analysis = 'nmf'").df()
    parts = []
    for study_id, block in settings.groupby("study_id", sort=True):
        config = dict(zip(block["setting"], block["value"]))
        samples = study_rows(dbt.ref("dim_sample"), [study_id], "is_sequenced and sample_type <> 'normal'", ["sample_id"])
        mutated = study_rows(dbt.ref("int_sample_gene_alterations"), [study_id], "is_mutated", ["sample_id", "hugo_symbol"])
        if config["features"] == "pathways":
            sets = dbt.ref("gene_sets").df()
            sets["hugo_symbol"] = sets["gene"].str.upper()
            mutated = mutated.assign(hugo_symbol=mutated["hugo_symbol"].astype(str).str.upper()).merge(sets, on="hugo_symbol")
            mutated["feature"] = mutated["collection"] + ":" + mutated["gene_set"]
        else:
            mutated["feature"] = mutated["hugo_symbol"].astype(str)
        pairs = mutated[["sample_id", "feature"]].drop_duplicates()
        pairs = pairs[pairs["sample_id"].isin(samples["sample_id"])]
        counts = pairs["feature"].value_counts()
        kept = counts[counts >= int(config["min_altered_samples"])].index
        matrix = pd.crosstab(pairs.loc[pairs["feature"].isin(kept), "sample_id"],
                             pairs.loc[pairs["feature"].isin(kept), "feature"]).clip(upper=1).sort_index()
        ranks = [int(r) for r in config["ranks"].split(";")]
        diagnostics, clusters = nmf_subtypes(matrix, ranks, int(config["runs"]), int(config["seed"]))
        left_out = sorted(set(samples["sample_id"]) - set(matrix.index))
        every_sample = sorted(set(samples["sample_id"]))
        not_run = diagnostics[diagnostics["reason"].notna()]
        out = pd.concat(
            [clusters]
            + [pd.DataFrame({"sample_id": left_out, "rank": rank, "cluster": pd.NA}) for rank in clusters["rank"].unique()]
            + [pd.DataFrame({"sample_id": every_sample, "rank": row.rank, "cluster": pd.NA, "reason": row.reason})
               for row in not_run.itertuples()],
            ignore_index=True)
        out = out.drop(columns=["is_chosen_rank"]).merge(
            diagnostics[["rank", "cophenetic_correlation", "dispersion", "is_chosen_rank"]], on="rank", how="left")
        out["study_id"] = study_id
        out["features"] = config["features"]
        out["n_features"] = matrix.shape[1]
        out["n_samples"] = matrix.shape[0]
        out["runs"] = int(config["runs"])
        out["seed"] = int(config["seed"])
        out["choice_rule"] = CHOICE_RULE
        out["method"] = METHOD
        out["reason"] = out["reason"] if "reason" in out else None
        out.loc[out["sample_id"].isin(left_out) & out["reason"].isna(), "reason"] = "no kept feature altered: cannot be clustered"
        parts.append(out)
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
