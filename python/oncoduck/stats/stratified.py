"""Stratified tests of a comparison declared with ``stratify_by``: the alteration frequencies of its groups in
each stratum (the sub-comparisons ``name [ATTR=value]`` of int_comparisons) combined by R's
``mantelhaen.test``.

* Two groups (a 2 x 2 x K table): the Mantel-Haenszel chi-squared test with R's continuity correction
  (default ``correct = TRUE``: subtracted only when ``|sum(a - E a)| >= 0.5``, and the method string then says
  "without"), its chi-squared p (1 df), the Mantel-Haenszel common odds ratio and the
  Robins-Breslow-Greenland 95 % interval (the last two from statsmodels' ``StratifiedTable``).
* Three or more groups (an I x 2 x K table): R's generalized Cochran-Mantel-Haenszel test (the ``else``
  branch of ``mantelhaen.test``, read from R 4.2.2's source, ``print(mantelhaen.test)``): with ``n`` the
  cells ``x[-I, -J, k]`` summed over the strata, ``m`` their expectations ``outer(rowsums, colsums) / ntot``
  and ``V = sum_k kronecker(diag(ntot * colsums) - outer(colsums, colsums), diag(ntot * rowsums) -
  outer(rowsums, rowsums)) / (ntot^2 (ntot - 1))``, the statistic ``M^2 = (n - m)' V^-1 (n - m)`` on
  ``(I - 1)(J - 1)`` df. No estimate, no interval (R gives none).

tests/python/stats/test_stratified.py checks both against R: the demo's tables in its docstring, the rest in
fixtures/stratified.json, which tests/python/stats/r/stratified.R writes with each R call.

Where R refuses, the row carries NaN and a reason instead of an error:

* R refuses a stratum of fewer than two members (``sample size in each stratum must be > 1``); such strata
  are left out here (the test is R's on the remaining strata) and counted in ``n_strata_dropped``. A table
  left with one stratum is tested (R's factor form ``mantelhaen.test(x, y, z)`` accepts one stratum; the
  array form refuses any dimension < 2); with none, NaN and a reason.
* 2 x 2 x K with variance 0 (no stratum varies in both group and alteration status; R returns NaN or Inf).
* I x 2 x K with a singular V (R: ``singular matrix 'a' in solve``): no stratum varies in alteration status,
  a declared group has no member in any stratum that does, or no stratum links some groups with the others.
  Singular means: R's rule (``qr`` rank at tolerance 1e-7, LINPACK's limited column pivoting) or the exact
  structure above, whichever finds it first.

What gives no row at all (stat_enrichment_stratified's YAML says the same):

* a feature no member of any stratum has altered (the frequency marts list every profiled feature; the
  per-stratum rows of stat_enrichment show it unaltered);
* a comparison with ``stratify_by`` none of whose members has a value of the strata attributes (it has no
  sub-comparison, so nothing to combine), or whose declared analyses ask no alteration frequencies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._libraries import load
from .distributions import chi2_sf
from .multiple import bh_adjust
from .tidy import tidy_result

CMH_METHOD = "Mantel-Haenszel chi-squared test (mantelhaen.test)"
STRATIFIED_COLUMNS = [
    "study_id", "comparison", "stratify_by", "alteration_type", "feature_level", "feature", "group1", "group2",
    "n_strata", "n_strata_dropped", "altered1", "n1", "altered2", "n2", "odds_ratio", "ci_low", "ci_high",
    "statistic", "p_value", "q_value", "bh_family", "method", "reason",
]
COUNT_COLUMNS = ["n_strata", "n_strata_dropped", "altered1", "n1", "altered2", "n2"]
ALL_GROUPS = "all"  # group1 of a row of >= 3 groups, as stat_enrichment's omnibus rows
SINGULAR = "covariance matrix singular (R mantelhaen.test: \"singular matrix 'a' in solve\")"
QR_TOL = 1e-7  # R's qr() default tolerance


def generalized_method(n_rows: int, n_cols: int = 2) -> str:
    """The method string of the generalized test of an ``n_rows`` x ``n_cols`` x K table (R's METHOD, with the
    table shape and df, which R reports as the parameter)."""
    df = (n_rows - 1) * (n_cols - 1)
    return (f"Cochran-Mantel-Haenszel test (mantelhaen.test, generalized: {n_rows} x {n_cols} x K table, "
            f"M^2 chi-squared on {df} df)")


def cochran_mantel_haenszel(tables: np.ndarray) -> dict[str, float | str | None]:
    """R ``mantelhaen.test(x)`` for ``tables`` of shape (K, 2, 2): statistic, p_value, odds_ratio, ci_low,
    ci_high, method, and a reason (NaN values) when the test is not defined.

    The statistic is R's own formula (statsmodels' ``test_null_odds`` subtracts the continuity correction
    even when ``|DELTA| < 0.5``, and its p is ``1 - cdf``, 0 below 1e-16); the odds ratio and interval are
    statsmodels'."""
    load("statsmodels.stats.contingency_tables")
    from statsmodels.stats.contingency_tables import StratifiedTable

    nan = {"statistic": np.nan, "p_value": np.nan, "odds_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan,
           "method": CMH_METHOD}
    tables = np.asarray(tables, dtype=float)
    if tables.shape[0] == 0:
        return {**nan, "reason": "no stratum with at least two members"}
    n = tables.sum(axis=(1, 2))
    row1, col1 = tables[:, 0, :].sum(axis=1), tables[:, :, 0].sum(axis=1)
    variance = (row1 * (n - row1) * col1 * (n - col1) / (n ** 2 * (n - 1))).sum()
    if variance == 0:
        return {**nan, "reason": "no stratum varies in both groups and alteration status (variance 0)"}
    delta = (tables[:, 0, 0] - row1 * col1 / n).sum()
    yates = 0.5 if abs(delta) >= 0.5 else 0.0
    statistic = (abs(delta) - yates) ** 2 / variance
    with np.errstate(divide="ignore", invalid="ignore"):  # an infinite odds ratio is R's Inf, CI NaN: no warning
        stratified = StratifiedTable([t for t in tables])
        low, high = stratified.oddsratio_pooled_confint()
        odds_ratio = float(stratified.oddsratio_pooled)
    method = ("Mantel-Haenszel chi-squared test " + ("with" if yates else "without")
              + " continuity correction (mantelhaen.test)")
    return {"statistic": float(statistic), "p_value": float(chi2_sf(statistic, 1)),
            "odds_ratio": odds_ratio, "ci_low": float(low), "ci_high": float(high), "method": method,
            "reason": None}


def _qr_rank(matrix: np.ndarray, tol: float = QR_TOL) -> int:
    """The rank R's ``qr()`` finds (LINPACK dqrdc2, limited column pivoting): left to right, a column whose
    norm, once the columns kept before it are projected out, is below ``tol`` times its original norm is moved
    to the end and not counted."""
    basis: list[np.ndarray] = []
    for column in np.asarray(matrix, dtype=float).T:
        norm = np.linalg.norm(column)
        residual = column.copy()
        for _ in range(2):  # Gram-Schmidt twice: orthogonal to working precision
            for q in basis:
                residual -= (q @ residual) * q
        size = np.linalg.norm(residual)
        if norm > 0 and size >= tol * norm:
            basis.append(residual / size)
    return len(basis)


def _why_singular(tables: np.ndarray, labels: list[str]) -> str | None:
    """For I x 2 x K ``tables``: why V is singular, or None when it is not (exact arithmetic). V is the sum
    over the strata varying in alteration status of PSD terms whose null space is the group scores constant
    on the groups present in the stratum; so V is singular exactly when the groups, linked within each such
    stratum, fall apart."""
    informative = [t for t in tables if (t[:, 0].sum() > 0) and (t[:, 1].sum() > 0)]
    if not informative:
        return "no stratum has both altered and unaltered members"
    parent = list(range(len(labels)))

    def find(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    seen = np.zeros(len(labels), dtype=bool)
    for t in informative:
        present = np.flatnonzero(t.sum(axis=1) > 0)
        seen[present] = True
        for g in present[1:]:
            parent[find(g)] = find(present[0])
    absent = [labels[g] for g in np.flatnonzero(~seen)]
    if absent:
        return ("group(s) " + ", ".join(repr(g) for g in absent)
                + " have no member in a stratum with both altered and unaltered members")
    components: dict[int, list[str]] = {}
    for g, label in enumerate(labels):
        components.setdefault(find(g), []).append(label)
    if len(components) > 1:
        return "no stratum links the groups " + " | ".join(
            "{" + ", ".join(repr(g) for g in part) + "}" for part in components.values())
    return None


def _cmh_moments(tables: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R's ``n - m`` and ``V`` of the generalized test for ``tables`` (K, I, J), vectors in R's column-major
    order (``c(f[-I, -J])``)."""
    _, n_rows, n_cols = tables.shape
    df = (n_rows - 1) * (n_cols - 1)
    observed, expected, covariance = np.zeros(df), np.zeros(df), np.zeros((df, df))
    for f in tables:  # R's loop over k
        total = f.sum()
        rows, cols = f.sum(axis=1)[:-1], f.sum(axis=0)[:-1]
        observed += f[:-1, :-1].ravel(order="F")
        expected += np.outer(rows, cols).ravel(order="F") / total
        covariance += np.kron(np.diag(total * cols) - np.outer(cols, cols),
                              np.diag(total * rows) - np.outer(rows, rows)) / (total ** 2 * (total - 1))
    return observed - expected, covariance


def generalized_cochran_mantel_haenszel(tables: np.ndarray, labels: list[str] | None = None
                                        ) -> dict[str, float | str | None]:
    """R ``mantelhaen.test(x)`` for an I x J x K table that is not 2 x 2 x K, ``tables`` of shape (K, I, J)
    (rows: the groups in declared order; columns: altered, not altered): statistic (M^2), df, p_value,
    method and a reason (NaN statistic and p) when R would refuse. ``labels`` name the rows in reasons.

    Every stratum must have at least two members (R: ``sample size in each stratum must be > 1``): the
    caller leaves the others out."""
    tables = np.asarray(tables, dtype=float)
    if tables.ndim != 3:
        raise ValueError(f"tables must be (K, I, J), got shape {tables.shape}")
    n_strata, n_rows, n_cols = tables.shape
    labels = list(labels) if labels is not None else [str(g + 1) for g in range(n_rows)]
    df = (n_rows - 1) * (n_cols - 1)
    method = generalized_method(n_rows, n_cols)
    nan = {"statistic": np.nan, "df": df, "p_value": np.nan, "method": method}
    if n_rows < 2 or n_cols < 2:
        raise ValueError(f"each dimension of the table must be >= 2 (rows {n_rows}, columns {n_cols})")
    if (n_rows, n_cols) == (2, 2):
        raise ValueError("a 2 x 2 x K table: use cochran_mantel_haenszel")
    if n_strata == 0:
        return {**nan, "reason": "no stratum with at least two members"}
    if (tables.sum(axis=(1, 2)) < 2).any():
        raise ValueError("sample size in each stratum must be > 1 (R mantelhaen.test)")
    deviation, covariance = _cmh_moments(tables)
    structural = _why_singular(tables, labels) if n_cols == 2 else None
    rank = _qr_rank(covariance)
    if structural is not None or rank < df:
        detail = structural or f"numerically (qr rank {rank} of {df} at tolerance {QR_TOL:g})"
        return {**nan, "reason": f"{SINGULAR}: {detail}"}
    statistic = float(deviation @ np.linalg.solve(covariance, deviation))
    return {"statistic": statistic, "df": df, "p_value": float(chi2_sf(statistic, df)), "method": method,
            "reason": None}


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The result's columns, the counts integers with nulls (BIGINT) whatever rows there are: altered2 and n2
    are null on every row of a build whose stratified comparisons all have three or more groups."""
    return tidy_result(frame, STRATIFIED_COLUMNS).astype({column: "Int64" for column in COUNT_COLUMNS})


def no_stratified_rows() -> pd.DataFrame:
    """The typed result with no row (a build where no comparison is declared with stratify_by)."""
    return _typed(pd.DataFrame())


def stratified_parents(comparisons: pd.DataFrame) -> pd.DataFrame:
    """The int_comparisons rows of the comparisons declared with stratify_by that have two groups or more (not
    their strata' sub-comparisons)."""
    return comparisons[comparisons["stratify_by"].notna() & comparisons["stratum"].isna()
                       & (comparisons["n_groups"] >= 2)]


def stratified_enrichment(comparisons: pd.DataFrame, frequencies: pd.DataFrame) -> pd.DataFrame:
    """Per feature, the stratified test across the strata of each comparison declared with stratify_by:
    Cochran-Mantel-Haenszel (2 x 2 x K) for two groups, R's generalized Cochran-Mantel-Haenszel (I x 2 x K)
    for three or more.

    ``comparisons``: int_comparisons (one row per comparison x group: the declared comparisons and their
    strata' sub-comparisons, with parent_comparison and stratum); ``frequencies``: the long frequency table of
    what the analyses ask (declared.asked_frequencies over int_comparisons), one row per comparison x group x
    feature. The groups are the declared ones in declared order (a group with no row in a stratum counts 0
    members there). A feature is tested when some stratum has an altered member; a stratum of fewer than two
    members is left out (R refuses it) and counted. Tables are ``[[altered_g, n_g - altered_g] for g in
    groups]`` per stratum (group 1 first, as stat_enrichment).

    Rows: two groups: group1/group2 and their counts over all strata, the MH odds ratio of group 1 vs group
    2. Three or more: group1 ``'all'`` and group2 null (stat_enrichment's omnibus rows), altered1/n1 the
    altered/profiled members of all groups over all strata, altered2/n2 null, no odds ratio. BH within study x
    comparison x alteration type x feature level."""
    parents = stratified_parents(comparisons)
    if parents.empty or frequencies.empty:
        return no_stratified_rows()
    declared = {key: part.drop_duplicates("group_order").sort_values("group_order")
                for key, part in parents.groupby(["study_id", "comparison"], sort=False)}
    strata = comparisons[comparisons["stratum"].notna()][["study_id", "comparison", "parent_comparison"]]
    strata = strata.drop_duplicates().merge(
        parents[["study_id", "comparison", "stratify_by"]].drop_duplicates().rename(
            columns={"comparison": "parent_comparison"}), on=["study_id", "parent_comparison"])
    rows = frequencies.merge(strata, on=["study_id", "comparison"])
    keys = ["study_id", "parent_comparison", "stratify_by", "alteration_type", "feature_level", "feature"]
    out = []
    for key, data in rows.groupby(keys, sort=True):
        if not (data["n_altered"] > 0).any():
            continue
        groups = declared[(key[0], key[1])]
        orders, labels = groups["group_order"].tolist(), groups["group_label"].astype(str).tolist()
        wide = data.pivot_table(index="comparison", columns="group_order", values=["n_altered", "n_profiled"],
                                aggfunc="sum", fill_value=0)
        altered = wide["n_altered"].reindex(columns=orders, fill_value=0).to_numpy(float)  # strata x groups
        profiled = wide["n_profiled"].reindex(columns=orders, fill_value=0).to_numpy(float)
        tables = np.stack([altered, profiled - altered], axis=2)  # strata x groups x (altered, not)
        kept = tables.sum(axis=(1, 2)) >= 2
        row = {**dict(zip(["study_id", "comparison", "stratify_by", "alteration_type", "feature_level",
                           "feature"], key)),
               "n_strata": int(kept.sum()), "n_strata_dropped": int((~kept).sum())}
        if len(orders) == 2:
            result = cochran_mantel_haenszel(tables[kept])
            row.update({"group1": labels[0], "group2": labels[1], "altered1": int(altered[:, 0].sum()),
                        "n1": int(profiled[:, 0].sum()), "altered2": int(altered[:, 1].sum()),
                        "n2": int(profiled[:, 1].sum())})
        else:
            result = generalized_cochran_mantel_haenszel(tables[kept], labels)
            result.pop("df")
            result.update({"odds_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan})
            row.update({"group1": ALL_GROUPS, "group2": None, "altered1": int(altered.sum()),
                        "n1": int(profiled.sum()), "altered2": None, "n2": None})
        out.append({**row, **result})
    if not out:
        return no_stratified_rows()
    frame = pd.DataFrame(out)
    frame["q_value"] = np.nan
    frame["bh_family"] = None
    for (_, comparison, alteration, level), part in frame.groupby(
            ["study_id", "comparison", "alteration_type", "feature_level"]):
        frame.loc[part.index, "q_value"] = bh_adjust(part["p_value"].to_numpy(float))
        frame.loc[part.index, "bh_family"] = f"{comparison} x {alteration} x {level}: {len(part)} feature(s)"
    return _typed(frame)
