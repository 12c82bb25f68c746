"""Paired and longitudinal statistics: sample pairs of one patient (primary vs metastasis, pre- vs
on-treatment, two biopsies) and per-patient ctDNA change (pandas in, tidy pandas out).

* ``signed_rank_tests``   R ``wilcox.test(b, a, paired = TRUE)`` per study x pair rule x measure
  (the library's ``wilcoxon_signed_rank``: exact when n < 50 without ties or zeros, else the normal
  approximation with continuity correction, as R).
* ``mcnemar_tests``       R ``mcnemar.test`` (continuity correction, the R default) per gene and per
  gene set on the paired mutation status, plus an optional permutation p that controls for the global
  excess of private mutations on one side (paul2020: metastases carry more private mutations, so every
  gene looks "enriched in metastases" under plain McNemar). Permutation scheme in
  ``private_label_permutation``.
* ``cna_distribution_tests``  R ``chisq.test`` of the low-level CNA call distribution (gain / loss /
  neutral) between the two sides of a pair rule, per gene and over all genes.
* ``longitudinal_survival``   survival by ctDNA clearance and by mTBI group (the library's KM,
  log-rank and Cox via ``declared.survival_tests`` / ``declared.survival_curves``).
* ``fish_pre_post_tests``  li2024 HER2 FISH before vs after treatment: signed-rank on the change of the
  amplified fraction and of Shannon equitability, McNemar on the heterogeneous status (the same two tests).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .contingency import chisq_test, mcnemar
from .declared import SURVIVAL_TIME_COLUMNS, survival_curves, survival_tests
from .multiple import bh_adjust
from .tidy import no_rows, tidy_result
from .wilcoxon import wilcoxon_signed_rank

__all__ = [
    "SIGNED_RANK_COLUMNS", "MCNEMAR_COLUMNS", "CNA_DISTRIBUTION_COLUMNS", "DEFAULT_PERMUTATIONS", "DEFAULT_SEED",
    "paired_measures", "signed_rank_tests", "paired_status_counts", "private_label_permutation", "mcnemar_tests",
    "cna_distribution_tests", "longitudinal_groups", "longitudinal_survival_tests",
    "longitudinal_survival_curves", "FISH_PRE_POST_COLUMNS", "fish_pre_post_tests",
]

DEFAULT_PERMUTATIONS = 1000
DEFAULT_SEED = 20200803  # fixed: the permutation p of a given warehouse is reproducible

SIGNED_RANK_COLUMNS = [
    "study_id", "pair_rule", "side_a", "side_b", "measure", "n_pairs", "n_nonzero", "median_a", "median_b",
    "median_difference", "statistic", "p_value", "q_value", "bh_family", "alternative", "exact", "method", "reason",
]
MCNEMAR_COLUMNS = [
    "study_id", "pair_rule", "side_a", "side_b", "feature_level", "collection", "feature", "n_pairs", "n_both",
    "n_a_only", "n_b_only", "n_neither", "statistic", "df", "p_value", "q_value", "bh_family", "method",
    "permutation_statistic", "permutation_expected", "permutation_p_greater", "permutation_p_less",
    "permutation_p_two_sided", "permutation_q_two_sided", "n_permutations", "permutation_seed", "permutation_scheme",
    "reason",
]
CNA_DISTRIBUTION_COLUMNS = [
    "study_id", "pair_rule", "side_a", "side_b", "test", "feature", "n_a", "n_b", "gain_a", "loss_a", "neutral_a",
    "gain_b", "loss_b", "neutral_b", "statistic", "df", "p_value", "q_value", "bh_family", "any_expected_lt5",
    "method", "reason",
]

PERMUTATION_SCHEME = (
    "private-mutation gene labels shuffled across all private mutations of the pair rule (both sides, all pairs); "
    "each pair keeps its shared mutations and its number of private mutations per side, so the global excess on "
    "one side is preserved; statistic = n_b_only - n_a_only; p = (1 + #perm >= obs) / (1 + B)"
)


# ---------------------------------------------------------------------------------------------------
# Signed-rank
PAIR_COUNT_MEASURES = {"n_mutations": ("n_mutations_a", "n_mutations_b"), "n_private": ("n_private_a", "n_private_b")}
SAMPLE_MEASURES = {"tmb_per_mb": "burden", "fraction_genome_altered": "cnv", "total_cnv_length_mb": "cnv",
                   "cnv_count": "cnv"}
CTDNA_MEASURES = {"mtbi": ("mtbi_baseline", "mtbi_on_treatment"), "n_somatic_variants": ("n_variants_baseline",
                                                                                      "n_variants_on_treatment")}


# What paired_measures reads of each mart: fct_sample_pair_concordance, fct_sample_burden (the study's TMB
# definition's rows), fct_sample_cnv_burden, fct_longitudinal_ctdna
PAIRED_MEASURE_COLUMNS = {
    "pairs": ["study_id", "pair_rule", "side_a", "side_b", "sample_id_a", "sample_id_b", "both_sequenced",
              *(column for columns in PAIR_COUNT_MEASURES.values() for column in columns)],
    "burden": ["study_id", "sample_id", *(m for m, source in SAMPLE_MEASURES.items() if source == "burden")],
    "cnv": ["study_id", "sample_id", *(m for m, source in SAMPLE_MEASURES.items() if source == "cnv")],
    "ctdna": ["study_id", "baseline_sample_id", "on_treatment_sample_id",
              *(column for columns in CTDNA_MEASURES.values() for column in columns)],
}


def paired_measure_inputs(pairs, burden, cnv, ctdna) -> list[pd.DataFrame]:
    """paired_measures' inputs, from the warehouse relations of fct_sample_pair_concordance, fct_sample_burden,
    fct_sample_cnv_burden and fct_longitudinal_ctdna: their PAIRED_MEASURE_COLUMNS (burden: the rows of the
    study's TMB definition), filtered and projected in the engine."""
    relations = {"pairs": pairs, "burden": burden.filter("is_study_definition"), "cnv": cnv, "ctdna": ctdna}
    return [relation.project(", ".join(PAIRED_MEASURE_COLUMNS[name])).df() for name, relation in relations.items()]


def paired_measures(pairs: pd.DataFrame, burden: pd.DataFrame, cnv: pd.DataFrame,
                    ctdna: pd.DataFrame | None = None) -> pd.DataFrame:
    """Long table of per-pair values for ``signed_rank_tests``: one row per pair x measure.

    ``pairs``: fct_sample_pair_concordance; ``burden``: study_id, sample_id, tmb_per_mb (the study's
    TMB definition); ``cnv``: fct_sample_cnv_burden; ``ctdna``: fct_longitudinal_ctdna (mTBI and
    somatic variant counts of pre/on-treatment plasma pairs). Measures: n_mutations, n_private (coding
    mutations per side / private to each side), tmb_per_mb, fraction_genome_altered,
    total_cnv_length_mb, cnv_count, mtbi, n_somatic_variants. Pairs missing a value are dropped.
    """
    keys = ["study_id", "pair_rule", "side_a", "side_b", "sample_id_a", "sample_id_b"]
    if pairs.empty:  # every measure is of a pair
        return pd.DataFrame(columns=keys + ["measure", "value_a", "value_b"])
    parts = []
    sequenced = pairs[pairs["both_sequenced"].astype(bool)]
    for measure, (col_a, col_b) in PAIR_COUNT_MEASURES.items():
        parts.append(sequenced[keys].assign(measure=measure, value_a=sequenced[col_a].astype(float),
                                            value_b=sequenced[col_b].astype(float)))
    for measure, source in SAMPLE_MEASURES.items():
        table = burden if source == "burden" else cnv
        if table is None or table.empty or measure not in table:
            continue
        values = table[["study_id", "sample_id", measure]]
        m = pairs[keys].merge(values.rename(columns={"sample_id": "sample_id_a", measure: "value_a"}),
                              on=["study_id", "sample_id_a"])
        m = m.merge(values.rename(columns={"sample_id": "sample_id_b", measure: "value_b"}), on=["study_id", "sample_id_b"])
        parts.append(m.assign(measure=measure))
    if ctdna is not None and not ctdna.empty:
        ct = ctdna.rename(columns={"baseline_sample_id": "sample_id_a", "on_treatment_sample_id": "sample_id_b"})
        ct_pairs = pairs[pairs["pair_rule"] == "pre_post_treatment"][keys]
        for measure, (col_a, col_b) in CTDNA_MEASURES.items():
            m = ct_pairs.merge(ct[["study_id", "sample_id_a", "sample_id_b", col_a, col_b]],
                               on=["study_id", "sample_id_a", "sample_id_b"])
            parts.append(m.rename(columns={col_a: "value_a", col_b: "value_b"}).assign(measure=measure))
    out = pd.concat(parts, ignore_index=True)
    out[["value_a", "value_b"]] = out[["value_a", "value_b"]].astype(float)
    return out.dropna(subset=["value_a", "value_b"])


def signed_rank_tests(values: pd.DataFrame, alternative: str = "two.sided") -> pd.DataFrame:
    """R ``wilcox.test(value_b, value_a, paired = TRUE, alternative)`` per study x pair rule x measure.

    ``values``: study_id, pair_rule, side_a, side_b, measure, value_a, value_b (one row per pair). V is
    the sum of the ranks of the positive differences ``b - a`` (R's statistic); pairs with a missing
    value are dropped and zero differences removed, as R. BH runs over the measures of one study x pair
    rule (``bh_family``).
    """
    rows = []
    for (study_id, pair_rule, measure), data in values.groupby(["study_id", "pair_rule", "measure"], sort=True):
        a = data["value_a"].to_numpy(float)
        b = data["value_b"].to_numpy(float)
        ok = np.isfinite(a) & np.isfinite(b)
        res = wilcoxon_signed_rank(b, a, alternative=alternative)
        rows.append({
            "study_id": study_id, "pair_rule": pair_rule, "side_a": data["side_a"].iloc[0],
            "side_b": data["side_b"].iloc[0], "measure": measure, "n_pairs": int(ok.sum()),
            "n_nonzero": int(((b - a)[ok] != 0).sum()),
            "median_a": float(np.median(a[ok])) if ok.any() else np.nan,
            "median_b": float(np.median(b[ok])) if ok.any() else np.nan,
            "median_difference": float(np.median((b - a)[ok])) if ok.any() else np.nan,
            "statistic": res.statistic, "p_value": res.p_value, "alternative": res.alternative,
            "exact": res.exact, "reason": res.reason, "method": res.method,
        })
    if not rows:
        return no_rows(SIGNED_RANK_COLUMNS)
    out = pd.DataFrame(rows)
    return tidy_result(_bh(out, ["study_id", "pair_rule"], "p_value", "q_value",
                           lambda k, n: f"{k[0]} x {k[1]}: {n} measure(s)"), SIGNED_RANK_COLUMNS)


def _bh(frame: pd.DataFrame, by: list[str], pcol: str, qcol: str, family) -> pd.DataFrame:
    """BH (R p.adjust, NAs kept out of n) within groups; ``family(key, n)`` names the family."""
    frame = frame.copy()
    frame[qcol] = np.nan
    if family is not None:
        frame["bh_family"] = None
    for key, idx in frame.groupby(by, sort=False).groups.items():
        p = frame.loc[idx, pcol].to_numpy(float)
        frame.loc[idx, qcol] = bh_adjust(p)
        if family is not None:
            frame.loc[idx, "bh_family"] = family(key, int(np.isfinite(p).sum()))
    return frame


# ---------------------------------------------------------------------------------------------------
# McNemar on paired mutation status, with the private-label permutation
def paired_status_counts(
    n_pairs: int,
    n_features: int,
    pair: np.ndarray,
    side: np.ndarray,
    feature: np.ndarray,
    shared_pair: np.ndarray,
    shared_feature: np.ndarray,
    perm: np.ndarray | None = None,
    n_perm: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts of pairs with a feature mutated on both sides / side a only / side b only.

    Private events (``pair``, ``side`` 0 = a / 1 = b, ``feature``, optionally ``perm``) and shared
    (pair, feature) presences; a feature is "both" in a pair when it is shared or privately hit on
    both sides. Returns three ``n_perm x n_features`` integer arrays. Fully vectorised (integer codes
    and ``np.unique`` / ``np.bincount``), no loop over pairs or features.
    """
    perm = np.zeros(pair.size, np.int64) if perm is None else perm.astype(np.int64)
    pf = n_pairs * n_features
    shared_codes = np.unique(shared_pair.astype(np.int64) * n_features + shared_feature.astype(np.int64))
    codes = perm * pf + pair.astype(np.int64) * n_features + feature.astype(np.int64)
    a = np.unique(codes[side == 0])
    b = np.unique(codes[side == 1])
    a_private = a[~np.isin(a % pf, shared_codes)]
    b_private = b[~np.isin(b % pf, shared_codes)]
    both_private = np.intersect1d(a_private, b_private, assume_unique=True)
    a_only = np.setdiff1d(a_private, both_private, assume_unique=True)
    b_only = np.setdiff1d(b_private, both_private, assume_unique=True)

    def count(c: np.ndarray) -> np.ndarray:
        return np.bincount((c // pf) * n_features + c % n_features, minlength=n_perm * n_features).reshape(
            n_perm, n_features)

    shared_count = np.bincount(shared_codes % n_features, minlength=n_features)
    return count(both_private) + shared_count[None, :], count(a_only), count(b_only)


def private_label_permutation(
    n_pairs: int,
    n_features: int,
    pair: np.ndarray,
    side: np.ndarray,
    gene: np.ndarray,
    shared_pair: np.ndarray,
    shared_gene: np.ndarray,
    gene_features: pd.DataFrame,
    n_permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
) -> np.ndarray:
    """Permutation null of ``n_b_only - n_a_only`` per feature, controlling for the global excess of
    private mutations on one side. Returns an ``n_permutations x n_features`` array.

    Scheme (paul2020's question: is a gene privately mutated in metastases more often than the overall
    excess of metastasis-private mutations explains?): the gene labels of all private mutations of a
    pair rule (``pair``, ``side``, ``gene``: one entry per private mutation) are shuffled together
    (``numpy.random.default_rng(seed).permuted`` along each permutation's row), so every pair keeps its
    shared mutations and its number of private mutations on each side (the global increase is
    preserved) and every gene keeps its total number of private mutations; only the pair and side a
    gene's private mutations fall on is random. Genes map to features through ``gene_features``
    (gene_index, feature_index; a gene in several gene sets counts for each).
    """
    if n_permutations <= 0:
        return np.zeros((0, n_features))
    rng = np.random.default_rng(seed)
    labels = rng.permuted(np.tile(gene, (n_permutations, 1)), axis=1)
    _, a_only, b_only = _feature_counts(n_pairs, n_features, pair, side, labels, shared_pair, shared_gene, gene_features)
    return (b_only - a_only).astype(float)


def _feature_counts(n_pairs, n_features, pair, side, labels, shared_pair, shared_gene, gene_features):
    """paired_status_counts at feature level for each row of ``labels`` (permutations x private events)."""
    n_perm = labels.shape[0]
    events = pd.DataFrame({
        "perm": np.repeat(np.arange(n_perm), labels.shape[1]), "pair": np.tile(pair, n_perm),
        "side": np.tile(side, n_perm), "gene_index": labels.ravel(),
    }).merge(gene_features, on="gene_index")
    shared = pd.DataFrame({"pair": shared_pair, "gene_index": shared_gene}).merge(gene_features, on="gene_index")
    return paired_status_counts(
        n_pairs, n_features, events["pair"].to_numpy(), events["side"].to_numpy(), events["feature_index"].to_numpy(),
        shared["pair"].to_numpy(), shared["feature_index"].to_numpy(), events["perm"].to_numpy(), n_perm)


def mcnemar_tests(
    variants: pd.DataFrame,
    pairs: pd.DataFrame,
    gene_sets: pd.DataFrame | None = None,
    n_permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """McNemar per gene (and per gene set) on paired mutation status, per study x pair rule.

    ``variants``: study_id, pair_rule, sample_id_a, sample_id_b, hugo_symbol, concordance (shared /
    private_a / private_b); ``pairs``: study_id, pair_rule, side_a, side_b, sample_id_a, sample_id_b (every
    pair, also those without mutations: they are concordant "neither" pairs); ``gene_sets``: collection,
    gene_set, gene, and optionally study_id (a set with a study_id counts for that study only; null: for
    every study). A feature is mutated on a side when any of its genes carries a counted mutation
    there. Table per feature ``[[both, a_only], [b_only, neither]]`` -> R ``mcnemar.test(table)``
    (continuity correction, R's default). Features tested: those mutated in at least one pair. BH
    within study x pair rule x feature level (x collection). ``n_permutations = 0`` skips the
    permutation p (``private_label_permutation``); ``permutation_p_greater`` = side b privately
    mutated more often than the permutation null (p = (1 + #perm >= observed) / (1 + B)).
    """
    # The permutation shuffles private mutations in row order: sort, so that the same rows in any order
    # (a warehouse scan has none) give the same permutation p.
    pair_keys = ["study_id", "pair_rule", "sample_id_a", "sample_id_b"]
    variants = variants.sort_values(pair_keys + ["hugo_symbol", "concordance"], kind="mergesort")
    pairs = pairs.sort_values(pair_keys, kind="mergesort")
    parts = []
    for (study_id, pair_rule), pair_rows in pairs.groupby(["study_id", "pair_rule"], sort=True):
        pair_rows = pair_rows.reset_index(drop=True)
        pair_index = pd.Series(np.arange(len(pair_rows)),
                               index=pd.MultiIndex.from_frame(pair_rows[["sample_id_a", "sample_id_b"]]))
        v = variants[(variants["study_id"] == study_id) & (variants["pair_rule"] == pair_rule)
                     & variants["hugo_symbol"].notna()]
        if v.empty:
            continue
        genes = np.sort(v["hugo_symbol"].unique())
        gene_idx = pd.Series(np.arange(genes.size), index=genes)
        pid = pair_index.reindex(pd.MultiIndex.from_frame(v[["sample_id_a", "sample_id_b"]])).to_numpy()
        gid = gene_idx.reindex(v["hugo_symbol"]).to_numpy()
        private = v["concordance"].to_numpy() != "shared"
        side = np.where(v["concordance"].to_numpy() == "private_b", 1, 0)
        levels = [("gene", None, pd.DataFrame({"gene_index": np.arange(genes.size), "feature_index": np.arange(genes.size)}),
                   genes)]
        if gene_sets is not None and not gene_sets.empty:
            sets = gene_sets[gene_sets["gene"].isin(genes)]
            if "study_id" in sets:
                sets = sets[sets["study_id"].isna() | (sets["study_id"] == study_id)]
            sets = sets.drop_duplicates(["collection", "gene_set", "gene"])
            for collection, members in sets.groupby("collection", sort=True):
                names = np.sort(members["gene_set"].unique())
                fidx = pd.Series(np.arange(names.size), index=names)
                mapping = pd.DataFrame({"gene_index": gene_idx.reindex(members["gene"]).to_numpy(),
                                        "feature_index": fidx.reindex(members["gene_set"]).to_numpy()})
                levels.append(("pathway", collection, mapping, names))
        base = {"study_id": study_id, "pair_rule": pair_rule, "side_a": pair_rows["side_a"].iloc[0],
                "side_b": pair_rows["side_b"].iloc[0]}
        n_pairs = len(pair_rows)
        for level, collection, mapping, names in levels:
            both, a_only, b_only = _feature_counts(n_pairs, names.size, pid[private], side[private],
                                                   gid[private][None, :], pid[~private], gid[~private], mapping)
            rows = pd.DataFrame({
                **base, "feature_level": level, "collection": collection, "feature": names,
                "n_pairs": n_pairs, "n_both": both[0], "n_a_only": a_only[0], "n_b_only": b_only[0],
            })
            rows["n_neither"] = n_pairs - rows["n_both"] - rows["n_a_only"] - rows["n_b_only"]
            # one library call per feature (a few thousand at most), never per sample or mutation
            tests = [mcnemar(np.array([[r.n_both, r.n_a_only], [r.n_b_only, r.n_neither]]), correct=True)
                     for r in rows.itertuples()]
            rows["statistic"] = [t.statistic for t in tests]
            rows["df"] = [t.df for t in tests]
            rows["p_value"] = [t.p_value for t in tests]
            rows["method"] = [t.method for t in tests]
            rows["reason"] = [t.reason for t in tests]
            observed = (rows["n_b_only"] - rows["n_a_only"]).to_numpy(float)
            rows["permutation_statistic"] = observed
            if n_permutations > 0:
                permuted = private_label_permutation(n_pairs, names.size, pid[private], side[private], gid[private],
                                                     pid[~private], gid[~private], mapping, n_permutations, seed)
                rows["permutation_expected"] = permuted.mean(axis=0)
                ge = (permuted >= observed[None, :] - 1e-9).sum(axis=0)
                le = (permuted <= observed[None, :] + 1e-9).sum(axis=0)
                rows["permutation_p_greater"] = (1 + ge) / (1 + n_permutations)
                rows["permutation_p_less"] = (1 + le) / (1 + n_permutations)
                rows["permutation_p_two_sided"] = np.minimum(
                    1.0, 2 * np.minimum(rows["permutation_p_greater"], rows["permutation_p_less"]))
                rows["n_permutations"] = n_permutations
                rows["permutation_seed"] = seed
                rows["permutation_scheme"] = PERMUTATION_SCHEME
            parts.append(rows)
    if not parts:
        return no_rows(MCNEMAR_COLUMNS)
    out = pd.concat(parts, ignore_index=True).reindex(columns=MCNEMAR_COLUMNS + ["collection_key"])
    out["collection_key"] = out["collection"].fillna("")
    out = _bh(out, ["study_id", "pair_rule", "feature_level", "collection_key"], "p_value", "q_value",
              lambda k, n: f"{k[0]} x {k[1]} x {k[2]}{(' ' + k[3]) if k[3] else ''}: {n} feature(s)")
    family = out["bh_family"].copy()
    out = _bh(out, ["study_id", "pair_rule", "feature_level", "collection_key"], "permutation_p_two_sided",
              "permutation_q_two_sided", None)
    out["bh_family"] = family
    return tidy_result(out, MCNEMAR_COLUMNS)


# ---------------------------------------------------------------------------------------------------
# Low-level CNA distribution
def cna_distribution_tests(calls: pd.DataFrame) -> pd.DataFrame:
    """R ``chisq.test`` of low-level copy-number call counts (gain / loss / neutral) between the two
    sides of a pair rule: per gene (2 x 3 table: side x call, over the paired samples) and once over
    all genes pooled (``test = 'all_genes'``). Low-level = gain / loss of the study's CNA call rule set;
    amplifications and deep deletions are not low-level and are left out. Columns that are zero on both
    sides are dropped before the test (R would give NaN); fewer than two columns -> NaN + reason.

    ``calls``: study_id, pair_rule, side_a, side_b, side ('a' / 'b'), hugo_symbol, n_gain, n_loss, n_neutral.
    """
    rows = []
    for (study_id, pair_rule), data in calls.groupby(["study_id", "pair_rule"], sort=True):
        base = {"study_id": study_id, "pair_rule": pair_rule, "side_a": data["side_a"].iloc[0],
                "side_b": data["side_b"].iloc[0]}
        wide = data.pivot_table(index="hugo_symbol", columns="side", values=["n_gain", "n_loss", "n_neutral"],
                                aggfunc="sum", fill_value=0)
        for s in ("a", "b"):
            for c in ("n_gain", "n_loss", "n_neutral"):
                if (c, s) not in wide.columns:
                    wide[(c, s)] = 0
        columns = [(c, side) for side in ("a", "b") for c in ("n_gain", "n_loss", "n_neutral")]
        counts = wide[columns].to_numpy(float)  # one row per gene: gain, loss, neutral of side a, then of side b
        features = [("all_genes", "all_genes", counts.sum(axis=0))]
        features += [("gene", gene, row) for gene, row in zip(wide.index, counts)]
        # genes share call-count tables (a chromosome arm's genes, every gene of an unchanged region): each
        # distinct table is tested once (a loop over distinct tables, not genes or samples)
        results: dict[tuple, tuple] = {}
        for test, feature, row in features:
            table = row.reshape(2, 3)
            key = tuple(row)
            if key not in results:
                keep = table.sum(axis=0) > 0
                if keep.sum() < 2:
                    results[key] = (np.nan, np.nan, np.nan, None, "Pearson's Chi-squared test",
                                    "fewer than two call categories observed")
                else:
                    res = chisq_test(table[:, keep], correct=True)
                    results[key] = (res.statistic, res.df, res.p_value, res.any_expected_lt5, res.method, res.reason)
            res_stat, res_df, res_p, lt5, method, reason = results[key]
            rows.append({**base, "test": test, "feature": feature,
                         "n_a": table[0].sum(), "n_b": table[1].sum(),
                         "gain_a": table[0, 0], "loss_a": table[0, 1], "neutral_a": table[0, 2],
                         "gain_b": table[1, 0], "loss_b": table[1, 1], "neutral_b": table[1, 2],
                         "statistic": res_stat, "df": res_df, "p_value": res_p, "any_expected_lt5": lt5,
                         "method": method, "reason": reason})
    if not rows:  # no pair with copy number: an empty table, typed (stats.tidy)
        return no_rows(CNA_DISTRIBUTION_COLUMNS)
    out = _bh(pd.DataFrame(rows), ["study_id", "pair_rule", "test"], "p_value", "q_value",
              lambda k, n: f"{k[0]} x {k[1]} x {k[2]}: {n} test(s)")
    return tidy_result(out, CNA_DISTRIBUTION_COLUMNS)


# ---------------------------------------------------------------------------------------------------
# Longitudinal ctDNA survival
LONGITUDINAL_GROUPINGS = {
    # grouping: (column of fct_longitudinal_ctdna, groups in order; the first is the Cox reference)
    "ctdna_clearance": ("clearance_status", ["persistent", "cleared"]),
    "mtbi_baseline": ("mtbi_group_baseline", ["high", "low"]),
    "mtbi_on_treatment": ("mtbi_group_on_treatment", ["high", "low"]),
}
# What longitudinal_groups reads of fct_longitudinal_ctdna
LONGITUDINAL_CTDNA_COLUMNS = ["study_id", "patient_id", "baseline_sample_id", "on_treatment_sample_id",
                              *(column for column, _ in LONGITUDINAL_GROUPINGS.values())]


def longitudinal_groups(ctdna: pd.DataFrame, survival: pd.DataFrame) -> pd.DataFrame:
    """Long table for the survival functions: one row per grouping x patient x endpoint.

    ``ctdna``: fct_longitudinal_ctdna rows; ``survival``: study_id, patient_id, endpoint, time_months,
    event. Groupings in ``LONGITUDINAL_GROUPINGS`` (patients not evaluable for clearance are left out).
    A patient with several baseline/on-treatment pairs is kept once (first baseline, on-treatment sample).
    """
    ctdna = ctdna.sort_values(["study_id", "patient_id", "baseline_sample_id", "on_treatment_sample_id"])
    ctdna = ctdna.drop_duplicates(["study_id", "patient_id"])
    parts = []
    for grouping, (column, groups) in LONGITUDINAL_GROUPINGS.items():
        g = ctdna[["study_id", "patient_id", column]].rename(columns={column: "group_label"})
        g = g[g["group_label"].isin(groups)].assign(
            comparison=grouping, group_order=lambda d: d["group_label"].map({k: i + 1 for i, k in enumerate(groups)}))
        parts.append(g)
    long = pd.concat(parts, ignore_index=True)
    return long.merge(survival[SURVIVAL_TIME_COLUMNS],
                      on=["study_id", "patient_id"])


def longitudinal_survival_tests(ctdna: pd.DataFrame, survival: pd.DataFrame) -> pd.DataFrame:
    """KM median + CI per group (R survfit), log-rank (survdiff) and Cox HR vs the first group (coxph,
    Efron) per study x grouping x endpoint; ``comparison`` is renamed ``grouping``."""
    out = survival_tests(longitudinal_groups(ctdna, survival))
    return out.rename(columns={"comparison": "grouping", "group": "group_label"})


def longitudinal_survival_curves(ctdna: pd.DataFrame, survival: pd.DataFrame) -> pd.DataFrame:
    """Kaplan-Meier tables (R survfit) per study x grouping x endpoint x group."""
    out = survival_curves(longitudinal_groups(ctdna, survival))
    return out.rename(columns={"comparison": "grouping", "group": "group_label"})


# ---------------------------------------------------------------------------------------------------
# HER2 FISH before vs after treatment (li2024)
FISH_PRE_POST_MEASURES = ("fraction_amplified", "equitability_e")
FISH_PRE_POST_COLUMNS = [
    "study_id", "test", "measure", "side_a", "side_b", "n_pairs", "n_pairs_not_evaluable", "n_nonzero",
    "median_a", "median_b", "median_difference", "n_both", "n_a_only", "n_b_only", "n_neither", "statistic", "df",
    "p_value", "alternative", "exact", "method", "reason", "heterogeneity_rule_id",
]
FISH_PRE_POST_COUNTS = ["n_pairs", "n_pairs_not_evaluable", "n_nonzero", "n_both", "n_a_only", "n_b_only", "n_neither"]
FISH_PRE_POST_TEXT = ["study_id", "test", "measure", "side_a", "side_b", "alternative", "method", "reason",
                      "heterogeneity_rule_id"]
# What fish_pre_post_tests reads of fct_her2_fish_pre_post_treatment
FISH_PRE_POST_INPUT_COLUMNS = ["study_id", "patient_id", "is_evaluable", "her2_heterogeneity_rule_id",
                               "her2_heterogeneity_pre", "her2_heterogeneity_post",
                               *(f"{m}_{side}" for m in FISH_PRE_POST_MEASURES for side in ("pre", "post"))]
FISH_PRE_POST_VALUES = ["median_a", "median_b", "median_difference", "statistic", "df", "p_value"]


def fish_pre_post_tests(pairs: pd.DataFrame) -> pd.DataFrame:
    """li2024 HER2 FISH before vs after treatment, per study: R ``wilcox.test(post, pre, paired = TRUE)``
    (two-sided; the library's ``wilcoxon_signed_rank``) on the amplified fraction and on Shannon
    equitability, and R ``mcnemar.test`` (continuity correction, R's default; the library's ``mcnemar``) on
    the heterogeneous status.

    ``pairs``: fct_her2_fish_pre_post_treatment, one row per patient with ``<measure>_pre`` and
    ``<measure>_post`` for each measure, ``her2_heterogeneity_pre`` / ``_post``, ``is_evaluable`` and
    ``her2_heterogeneity_rule_id``. Only evaluable pairs (enough cells for a call at both timepoints) are
    tested, so the three tests share their pairs; ``n_pairs_not_evaluable`` counts the others. Side a is
    pre-treatment (R's y), side b post-treatment (R's x): V sums the ranks of positive ``post - pre``.
    McNemar's table is ``[[heterogeneous at both, before only], [after only, at neither]]`` (``n_both``,
    ``n_a_only``, ``n_b_only``, ``n_neither``). One row per study x test; a test that cannot be computed (no
    evaluable pair, every difference zero, no discordant pair) has NaN and a ``reason``.
    """
    rows = []
    for study_id, data in pairs.groupby("study_id", sort=True):
        evaluable = data[data["is_evaluable"].astype(bool)]
        base = {"study_id": study_id, "side_a": "pre_treatment", "side_b": "post_treatment",
                "n_pairs_not_evaluable": int(len(data) - len(evaluable)),
                "heterogeneity_rule_id": data["her2_heterogeneity_rule_id"].iloc[0]}
        for measure in FISH_PRE_POST_MEASURES:
            a = evaluable[f"{measure}_pre"].to_numpy(float)
            b = evaluable[f"{measure}_post"].to_numpy(float)
            ok = np.isfinite(a) & np.isfinite(b)
            res = wilcoxon_signed_rank(b, a)
            rows.append({
                **base, "test": "signed_rank", "measure": measure, "n_pairs": int(ok.sum()),
                "n_nonzero": int(((b - a)[ok] != 0).sum()),
                "median_a": float(np.median(a[ok])) if ok.any() else np.nan,
                "median_b": float(np.median(b[ok])) if ok.any() else np.nan,
                "median_difference": float(np.median((b - a)[ok])) if ok.any() else np.nan,
                "statistic": res.statistic, "p_value": res.p_value, "alternative": res.alternative,
                "exact": res.exact, "method": res.method,
                "reason": res.reason if ok.any() else "no evaluable pairs (too few cells at a timepoint)",
            })
        before = evaluable["her2_heterogeneity_pre"].eq("heterogeneous").to_numpy()
        after = evaluable["her2_heterogeneity_post"].eq("heterogeneous").to_numpy()
        table = np.array([[np.sum(before & after), np.sum(before & ~after)],
                          [np.sum(~before & after), np.sum(~before & ~after)]], dtype=float)
        res = mcnemar(table, correct=True)
        rows.append({
            **base, "test": "mcnemar", "measure": "heterogeneous", "n_pairs": int(len(evaluable)),
            "n_both": int(table[0, 0]), "n_a_only": int(table[0, 1]), "n_b_only": int(table[1, 0]),
            "n_neither": int(table[1, 1]), "statistic": res.statistic, "df": res.df, "p_value": res.p_value,
            "alternative": "two.sided", "method": res.method,
            "reason": res.reason if len(evaluable) else "no evaluable pairs (too few cells at a timepoint)",
        })
    out = pd.DataFrame(rows).reindex(columns=FISH_PRE_POST_COLUMNS)
    # typed columns, so the warehouse table has the same types whether or not a value is missing
    return out.astype({**{c: "Int64" for c in FISH_PRE_POST_COUNTS}, **{c: "string" for c in FISH_PRE_POST_TEXT},
                       "exact": "boolean"}).astype({c: float for c in FISH_PRE_POST_VALUES})
