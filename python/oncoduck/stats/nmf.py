"""NMF subtypes by consensus clustering (Brunet et al., PNAS 2004), with scikit-learn's NMF.

For each rank k of a declared range, NMF (Kullback-Leibler divergence, multiplicative updates, as
Brunet's algorithm; random initialisation) is run ``runs`` times on the samples x features alteration
matrix, with seeds ``seed .. seed + runs - 1``. Each run assigns a sample to the metagene with the
largest coefficient; the consensus matrix is the fraction of runs in which two samples share a
cluster. The cophenetic correlation is the correlation between 1 - consensus and the cophenetic
distances of its average-linkage tree. The rank kept is the one with the highest cophenetic
correlation (ties to the smaller rank); samples are clustered by cutting that tree into k clusters,
numbered by size (1 = largest, ties by first sample id). Same matrix and seeds: same result.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import cophenet, fcluster, linkage
from scipy.spatial.distance import squareform

from ._libraries import load

CHOICE_RULE = "highest cophenetic correlation (Brunet 2004); ties to the smaller rank"
METHOD = "consensus NMF (scikit-learn NMF, KL divergence, multiplicative updates, random init; average-linkage consensus tree)"


@dataclasses.dataclass(frozen=True)
class ConsensusResult:
    rank: int
    cophenetic: float
    dispersion: float
    clusters: np.ndarray  # 1-based cluster per sample (matrix row order)
    W: np.ndarray = dataclasses.field(repr=False)  # the run with the lowest divergence: rows x rank
    H: np.ndarray = dataclasses.field(repr=False)  # ... rank x columns


def factorise(matrix: np.ndarray, rank: int, seed: int) -> tuple[np.ndarray, np.ndarray, float]:
    """One NMF run (KL divergence, multiplicative updates, random init from ``seed``): W (rows x rank),
    H (rank x columns) and the final KL divergence."""
    load("sklearn.decomposition")  # here: only studies declaring nmf or signatures pay for it; under the lock
    from sklearn.decomposition import NMF

    model = NMF(n_components=rank, init="random", solver="mu", beta_loss="kullback-leibler", max_iter=2000,
                tol=1e-5, random_state=seed)
    W = model.fit_transform(matrix)
    return W, model.components_, float(model.reconstruction_err_)


def consensus(matrix: np.ndarray, rank: int, runs: int, seed: int) -> ConsensusResult:
    """Consensus clustering of the rows of ``matrix`` (samples x features, non-negative) at ``rank``, with the
    factors of the run with the lowest divergence."""
    n = matrix.shape[0]
    together = np.zeros((n, n))
    best = None
    for run in range(runs):
        W, H, divergence = factorise(matrix, rank, seed + run)
        labels = W.argmax(axis=1)
        together += labels[:, None] == labels[None, :]
        if best is None or divergence < best[2]:
            best = (W, H, divergence)
    agreement = together / runs
    distance = 1.0 - agreement
    np.fill_diagonal(distance, 0.0)
    condensed = squareform(distance, checks=False)
    tree = linkage(condensed, method="average")
    cophenetic = float(cophenet(tree, condensed)[0]) if condensed.std() > 0 else 1.0
    dispersion = float(np.mean(4 * (agreement - 0.5) ** 2))  # Kim & Park 2007
    raw = fcluster(tree, t=rank, criterion="maxclust")
    return ConsensusResult(rank, cophenetic, dispersion, _number_by_size(raw), best[0], best[1])


def _number_by_size(raw: np.ndarray) -> np.ndarray:
    """Renumber clusters 1..k by size (largest first), ties by the first row that belongs to them."""
    labels, first, counts = np.unique(raw, return_index=True, return_counts=True)
    order = sorted(range(len(labels)), key=lambda i: (-counts[i], first[i]))
    mapping = {labels[i]: new for new, i in enumerate(order, start=1)}
    return np.array([mapping[v] for v in raw])


def choose(results: list[ConsensusResult]) -> ConsensusResult:
    """The rank with the highest cophenetic correlation; ties to the smaller rank."""
    return sorted(results, key=lambda r: (-round(r.cophenetic, 12), r.rank))[0]


def nmf_subtypes(matrix: pd.DataFrame, ranks: list[int], runs: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``matrix``: samples (index) x features, 0/1 or counts. Returns (diagnostics: one row per rank;
    clusters: one row per sample per rank with ``is_chosen_rank``). Ranks not below the number of
    samples are reported with a reason and not run."""
    samples = matrix.index.to_numpy()
    values = matrix.to_numpy(float)
    diagnostics, clusters, results = [], [], []
    for rank in sorted(set(ranks)):
        if rank >= len(samples) or rank > values.shape[1]:
            diagnostics.append({"rank": rank, "cophenetic_correlation": np.nan, "dispersion": np.nan,
                                "reason": f"rank {rank} needs more than {len(samples)} samples and {values.shape[1]} features"})
            continue
        result = consensus(values, rank, runs, seed)
        results.append(result)
        diagnostics.append({"rank": rank, "cophenetic_correlation": result.cophenetic,
                            "dispersion": result.dispersion, "reason": None})
    chosen = choose(results).rank if results else None
    for result in results:
        clusters.append(pd.DataFrame({"sample_id": samples, "rank": result.rank, "cluster": result.clusters,
                                      "is_chosen_rank": result.rank == chosen}))
    diag = pd.DataFrame(diagnostics)
    diag["is_chosen_rank"] = diag["rank"] == chosen
    out = pd.concat(clusters, ignore_index=True) if clusters else pd.DataFrame(
        {"sample_id": pd.Series(dtype=object), "rank": pd.Series(dtype="int64"), "cluster": pd.Series(dtype="int64"),
         "is_chosen_rank": pd.Series(dtype=bool)})
    return diag, out


def nmf_cluster_table(sample_ids: list[str], altered: pd.DataFrame, ranks: list[int], runs: int, seed: int,
                      min_altered_samples: int) -> pd.DataFrame:
    """fct_sample_nmf_cluster's rows for one study: one per sample per rank, from ``altered`` (sample_id,
    feature pairs). The matrix holds the features altered in at least ``min_altered_samples`` of
    ``sample_ids``; a sample with none of them altered cannot be clustered (cluster null, with the reason),
    and a rank the matrix is too small for gives every sample cluster null with the reason. Columns:
    sample_id, rank, cluster, is_chosen_rank, cophenetic_correlation, dispersion, n_features, n_samples, reason."""
    pairs = altered.loc[altered["sample_id"].isin(sample_ids), ["sample_id", "feature"]].drop_duplicates()
    counts = pairs["feature"].value_counts()
    pairs = pairs[pairs["feature"].isin(counts[counts >= min_altered_samples].index)]
    matrix = pd.crosstab(pairs["sample_id"], pairs["feature"]).clip(upper=1).sort_index()
    diagnostics, clusters = nmf_subtypes(matrix, ranks, runs, seed)
    left_out = sorted(set(sample_ids) - set(matrix.index))
    unclustered = "no kept feature altered: cannot be clustered"
    out = pd.concat(
        [clusters.assign(reason=None)]
        + [pd.DataFrame({"sample_id": left_out, "rank": rank, "cluster": pd.NA, "reason": unclustered})
           for rank in clusters["rank"].unique()]
        + [pd.DataFrame({"sample_id": sorted(set(sample_ids)), "rank": row.rank, "cluster": pd.NA, "reason": row.reason})
           for row in diagnostics[diagnostics["reason"].notna()].itertuples()],
        ignore_index=True)
    out = out.drop(columns=["is_chosen_rank"]).merge(
        diagnostics[["rank", "cophenetic_correlation", "dispersion", "is_chosen_rank"]], on="rank", how="left")
    return out.assign(n_features=matrix.shape[1], n_samples=matrix.shape[0])
