"""Stratified tests of a comparison declared with ``stratify_by``: the alteration frequencies of its two
groups in each stratum (the sub-comparisons ``name [ATTR=value]`` of int_comparisons) combined by the
Cochran-Mantel-Haenszel test, with the Mantel-Haenszel common odds ratio.

statsmodels' ``StratifiedTable`` gives R's ``mantelhaen.test(x)`` for a 2 x 2 x K table (default
``correct = TRUE``): the continuity-corrected statistic, its chi-squared p (1 df), the Mantel-Haenszel
estimate and the Robins-Breslow-Greenland 95 % interval (tests/python/stats/test_stratified.py holds R's
values). R refuses a stratum of fewer than two members; such strata are left out here and counted in
``n_strata_dropped``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._libraries import load
from .declared import tidy_result
from .multiple import bh_adjust

CMH_METHOD = "Mantel-Haenszel chi-squared test with continuity correction (mantelhaen.test)"
STRATIFIED_COLUMNS = [
    "study_id", "comparison", "stratify_by", "alteration_type", "feature_level", "feature", "group1", "group2",
    "n_strata", "n_strata_dropped", "altered1", "n1", "altered2", "n2", "odds_ratio", "ci_low", "ci_high",
    "statistic", "p_value", "q_value", "bh_family", "method", "reason",
]


def cochran_mantel_haenszel(tables: np.ndarray) -> dict[str, float | str | None]:
    """R ``mantelhaen.test(x)`` for ``tables`` of shape (K, 2, 2): statistic, p_value, odds_ratio, ci_low,
    ci_high, and a reason (NaN values) when the test is not defined."""
    load("statsmodels.stats.contingency_tables")
    from statsmodels.stats.contingency_tables import StratifiedTable

    nan = {"statistic": np.nan, "p_value": np.nan, "odds_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    tables = np.asarray(tables, dtype=float)
    if tables.shape[0] == 0:
        return {**nan, "reason": "no stratum with at least two members"}
    n = tables.sum(axis=(1, 2))
    row1, col1 = tables[:, 0, :].sum(axis=1), tables[:, :, 0].sum(axis=1)
    variance = (row1 * (n - row1) * col1 * (n - col1) / (n ** 2 * (n - 1))).sum()
    if variance == 0:
        return {**nan, "reason": "no stratum varies in both groups and alteration status (variance 0)"}
    with np.errstate(divide="ignore", invalid="ignore"):  # an infinite odds ratio is R's Inf, CI NaN: no warning
        stratified = StratifiedTable([t for t in tables])
        test = stratified.test_null_odds(correction=True)
        low, high = stratified.oddsratio_pooled_confint()
        odds_ratio = float(stratified.oddsratio_pooled)
    return {"statistic": float(test.statistic), "p_value": float(test.pvalue), "odds_ratio": odds_ratio,
            "ci_low": float(low), "ci_high": float(high), "reason": None}


def stratified_enrichment(comparisons: pd.DataFrame, frequencies: pd.DataFrame) -> pd.DataFrame:
    """CMH per feature across the strata of each two-group comparison declared with stratify_by.

    ``comparisons``: int_comparisons (declared comparisons and their strata' sub-comparisons, with
    parent_comparison and stratum); ``frequencies``: the long frequency table of what the analyses ask
    (declared.asked_frequencies over int_comparisons), one row per comparison x group x feature. A feature is
    tested when some stratum has an altered member; tables are ``[[altered1, n1 - altered1], [altered2,
    n2 - altered2]]`` (group 1 first, as stat_enrichment). BH within comparison x alteration type x feature
    level."""
    parents = comparisons[comparisons["stratify_by"].notna() & (comparisons["n_groups"] == 2)]
    if parents.empty or frequencies.empty:
        return tidy_result(pd.DataFrame(), STRATIFIED_COLUMNS)
    strata = comparisons[comparisons["stratum"].notna()][["study_id", "comparison", "parent_comparison"]]
    strata = strata.drop_duplicates().merge(
        parents[["study_id", "comparison", "stratify_by"]].drop_duplicates().rename(
            columns={"comparison": "parent_comparison"}), on=["study_id", "parent_comparison"])
    rows = frequencies.merge(strata, on=["study_id", "comparison"])
    keys = ["study_id", "parent_comparison", "stratify_by", "alteration_type", "feature_level", "feature"]
    out = []
    for key, data in rows.groupby(keys, sort=True):
        groups = data.sort_values("group_order").drop_duplicates("group_order")["group_label"].tolist()
        if len(groups) != 2 or not (data["n_altered"] > 0).any():
            continue
        wide = data.pivot_table(index="comparison", columns="group_order", values=["n_altered", "n_profiled"],
                                aggfunc="sum", fill_value=0)
        orders = sorted(data["group_order"].unique())
        a1, n1 = wide[("n_altered", orders[0])].to_numpy(float), wide[("n_profiled", orders[0])].to_numpy(float)
        a2, n2 = wide[("n_altered", orders[1])].to_numpy(float), wide[("n_profiled", orders[1])].to_numpy(float)
        tables = np.stack([np.stack([a1, n1 - a1], axis=1), np.stack([a2, n2 - a2], axis=1)], axis=1)
        kept = tables.sum(axis=(1, 2)) >= 2
        result = cochran_mantel_haenszel(tables[kept])
        out.append({**dict(zip(["study_id", "comparison", "stratify_by", "alteration_type", "feature_level",
                                "feature"], key)),
                    "group1": groups[0], "group2": groups[1], "n_strata": int(kept.sum()),
                    "n_strata_dropped": int((~kept).sum()), "altered1": int(a1.sum()), "n1": int(n1.sum()),
                    "altered2": int(a2.sum()), "n2": int(n2.sum()), **result, "method": CMH_METHOD})
    if not out:
        return tidy_result(pd.DataFrame(), STRATIFIED_COLUMNS)
    frame = pd.DataFrame(out)
    frame["q_value"] = np.nan
    frame["bh_family"] = None
    for (comparison, alteration, level), part in frame.groupby(["comparison", "alteration_type", "feature_level"]):
        frame.loc[part.index, "q_value"] = bh_adjust(part["p_value"].to_numpy(float))
        frame.loc[part.index, "bh_family"] = f"{comparison} x {alteration} x {level}: {len(part)} feature(s)"
    return tidy_result(frame, STRATIFIED_COLUMNS)
