"""Somatic interactions (pairwise co-occurrence / mutual exclusivity), maftools-style."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .fisher import fisher_2x2_many
from .multiple import bh_adjust

__all__ = ["somatic_interactions", "interaction_tests"]


def interaction_tests(
    pairs: pd.DataFrame, gene_altered: pd.Series | None = None, n_samples: int | None = None
) -> pd.DataFrame:
    """Fisher tests for gene pairs given their 2x2 counts.

    ``pairs`` columns ``gene1, gene2, n11, n10, n01, n00`` (n10 = gene1 altered,
    gene2 not).  Table = R ``fisher.test(matrix(c(n11, n01, n10, n00), 2))``
    (conditional MLE OR; rows gene1 altered/not, columns gene2 altered/not).
    Adds ``p_value, odds_ratio, ci_low, ci_high, event`` (``Co_Occurence`` if OR > 1
    else ``Mutually_Exclusive``, maftools' spelling and rule), ``q_value`` = BH over the
    unique pairs given (our deliberate fix) and, when ``gene_altered`` (altered count
    per gene) and ``n_samples`` are given, ``q_maftools`` = BH over all ordered pairs
    including the diagonal self-tests (both orders + k diagonal = k^2 p-values), which
    reproduces maftools ``somaticInteractions()$pAdj`` (assumes all samples profiled
    for all genes, as maftools does).
    """
    t = pd.DataFrame({"a": pairs.n11, "b": pairs.n10, "c": pairs.n01, "d": pairs.n00})
    fr = fisher_2x2_many(t)
    out = pairs.copy()
    out["p_value"] = fr.p_value.to_numpy()
    out["odds_ratio"] = fr.odds_ratio.to_numpy()
    out["ci_low"] = fr.ci_low.to_numpy()
    out["ci_high"] = fr.ci_high.to_numpy()
    out["event"] = np.where(out.odds_ratio > 1, "Co_Occurence", "Mutually_Exclusive")
    out["q_value"] = bh_adjust(out.p_value.to_numpy())
    out["bh_family"] = "unique gene pairs"
    out["reason"] = fr.reason.to_numpy()
    if gene_altered is not None and n_samples is not None:
        k = gene_altered.to_numpy(np.int64)
        diag = fisher_2x2_many(pd.DataFrame({"a": k, "b": 0, "c": 0, "d": n_samples - k}))
        allp = np.concatenate([out.p_value.to_numpy(), out.p_value.to_numpy(), diag.p_value.to_numpy()])
        out["q_maftools"] = bh_adjust(allp)[: len(out)]
    return out


def somatic_interactions(
    matrix: pd.DataFrame, top: int = 25, genes: list[str] | None = None, maftools_compat: bool = True
) -> pd.DataFrame:
    """Pairwise co-occurrence / exclusivity over a samples x genes 0/1 matrix.

    ``NaN`` = not profiled: a sample enters a pair's table only when profiled for
    both genes.  Genes: ``genes`` if given, else the ``top`` most altered (stable
    order of the columns breaks ties -- maftools breaks them by its gene summary
    order, so pass ``genes`` to reproduce it exactly).  All 2x2 counts come from
    matrix products (no loops).  One row per unique pair (gene1 before gene2 in gene
    order); see ``interaction_tests`` for p, OR, event, ``q_value`` (BH over the
    unique pairs) and ``q_maftools`` (BH over k^2 ordered pairs incl. diagonal;
    only when every sample is profiled for every selected gene).
    """
    X = matrix.astype(float)
    if genes is None:
        cnt = (X == 1).sum(0)
        order = np.argsort(-cnt.to_numpy(), kind="stable")[:top]
        genes = list(X.columns[order])
    X = X[genes]
    A = (X == 1).to_numpy(float)
    P = X.notna().to_numpy(float)
    N = P - A  # profiled and not altered
    n11, n10, n01, n00 = A.T @ A, A.T @ N, N.T @ A, N.T @ N
    i, j = np.triu_indices(len(genes), 1)
    pairs = pd.DataFrame({
        "gene1": np.asarray(genes, dtype=object)[i], "gene2": np.asarray(genes, dtype=object)[j],
        "n11": n11[i, j].astype(np.int64), "n10": n10[i, j].astype(np.int64),
        "n01": n01[i, j].astype(np.int64), "n00": n00[i, j].astype(np.int64),
    })
    all_profiled = bool(P.all())
    if maftools_compat and all_profiled:
        return interaction_tests(pairs, pd.Series(A.sum(0), index=genes), int(A.shape[0]))
    return interaction_tests(pairs)
