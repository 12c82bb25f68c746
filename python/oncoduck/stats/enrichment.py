"""Binary alteration enrichment between groups (vectorised over features)."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .contingency import fisher_freeman_halton
from .distributions import chi2_sf
from .fisher import fisher_2x2_many
from .multiple import bh_adjust

__all__ = ["compare_groups_binary"]


def _bh_by(df: pd.DataFrame, pcol: str, by: list[str]) -> np.ndarray:
    if not by:
        return bh_adjust(df[pcol].to_numpy(float))
    out = np.full(len(df), np.nan)
    for _, idx in df.groupby(by, sort=False, dropna=False).indices.items():
        out[idx] = bh_adjust(df[pcol].to_numpy(float)[idx])
    return out


def compare_groups_binary(
    counts: pd.DataFrame,
    family_cols: Sequence[str] = (),
    feature_col: str = "feature",
    group_col: str = "group",
    groups: Sequence[str] | None = None,
    alternative: str = "two.sided",
    conf_level: float = 0.95,
    omnibus: bool = True,
    maftools_compat: bool = False,
    min_mut: int = 5,
) -> pd.DataFrame:
    """Per-feature comparison of alteration frequency between groups.

    Input (tidy): one row per ``family_cols..., feature, group`` with
    ``n_altered`` and ``n_profiled`` (samples profiled for that feature in that
    group, *including* samples with no mutation at all).

    Pairwise rows: for every pair of groups (order = ``groups`` or sorted order;
    group1 is the earlier one) R ``fisher.test`` on rows group1/group2 x columns
    altered/not altered (``fisher.fisher_2x2_many``: exact p, conditional MLE OR and
    CI; OR > 1 = group1 more altered).  ``q_value`` = BH over all pairwise rows
    (pairs x features) within each family (``family_cols`` values); ``bh_family``
    names it.

    Omnibus rows (only for features with >= 3 groups, ``omnibus=True``):
    chi-square test of the 2 x k table (R ``chisq.test``, no correction), or --
    when any expected count < 5 -- Fisher-Freeman-Halton (exact for 2 x k, see
    ``contingency.fisher_freeman_halton``); BH over features within the family.

    ``maftools_compat=True`` reproduces maftools ``mafCompare``: only pairs where
    either group has ``>= min_mut`` altered samples are tested (others dropped),
    and BH runs over those tested features.

    Output: ``family_cols..., feature, test, group1, group2, n1, n2, altered1,
    altered2, freq1, freq2, odds_ratio, ci_low, ci_high, statistic, p_value,
    q_value, bh_family, method, reason``.  Invalid rows (altered > profiled,
    negative) get NaN + reason, as does a pair where one group has no member
    profiled for the feature (n = 0; give it a row with n_profiled 0), left out of BH.
    """
    fam = list(family_cols)
    key = fam + [feature_col]
    need = key + [group_col, "n_altered", "n_profiled"]
    missing = [c for c in need if c not in counts.columns]
    if missing:
        raise ValueError(f"compare_groups_binary: input lacks columns {missing}; expected {need}")
    df = counts[need].copy()
    levels = list(groups) if groups is not None else sorted(pd.unique(df[group_col]), key=str)
    df = df[df[group_col].isin(levels)]
    df["_rank"] = df[group_col].map({g: i for i, g in enumerate(levels)})
    m = df.merge(df, on=key, suffixes=("1", "2"))
    m = m[m._rank1 < m._rank2].sort_values(key + ["_rank1", "_rank2"], kind="stable").reset_index(drop=True)
    a = m.n_altered1.to_numpy(float)
    c = m.n_altered2.to_numpy(float)
    n1 = m.n_profiled1.to_numpy(float)
    n2 = m.n_profiled2.to_numpy(float)
    tables = pd.DataFrame({"a": a, "b": n1 - a, "c": c, "d": n2 - c})
    if maftools_compat:
        keep = (a >= min_mut) | (c >= min_mut)
        m, tables = m[keep].reset_index(drop=True), tables[keep].reset_index(drop=True)
    fr = fisher_2x2_many(tables, alternative=alternative, conf_level=conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        pw = pd.DataFrame({
            **{k: m[k].to_numpy() for k in key},
            "test": "pairwise",
            "group1": m[group_col + "1"].to_numpy(), "group2": m[group_col + "2"].to_numpy(),
            "n1": m.n_profiled1.to_numpy(), "n2": m.n_profiled2.to_numpy(),
            "altered1": m.n_altered1.to_numpy(), "altered2": m.n_altered2.to_numpy(),
            "freq1": m.n_altered1.to_numpy() / m.n_profiled1.to_numpy(),
            "freq2": m.n_altered2.to_numpy() / m.n_profiled2.to_numpy(),
            "odds_ratio": fr.odds_ratio.to_numpy(), "ci_low": fr.ci_low.to_numpy(), "ci_high": fr.ci_high.to_numpy(),
            "statistic": np.nan, "p_value": fr.p_value.to_numpy(),
        })
    # a group with no member profiled for the feature (its assays do not cover it; in a comparison across
    # studies, a panel study's group for a gene off its panel): no test, the reason says why, out of BH
    unprofiled = (pw["n1"].to_numpy(float) == 0) ^ (pw["n2"].to_numpy(float) == 0)  # both: an empty table
    pw.loc[unprofiled, ["odds_ratio", "ci_low", "ci_high", "p_value"]] = np.nan
    pw["q_value"] = _bh_by(pw, "p_value", fam)
    famtxt = ("within " + ", ".join(fam) + "; " if fam else "")
    pw["bh_family"] = famtxt + ("features with >= %d altered in either group (maftools mafCompare)" % min_mut
                                if maftools_compat else "all group pairs x features")
    pw["method"] = f"Fisher's exact test (R fisher.test, conditional MLE OR, {alternative})"
    pw["reason"] = fr.reason.to_numpy()
    pw.loc[unprofiled, "reason"] = [
        f"no member of group {g1 if n1 == 0 else g2} is profiled for this feature (its assays do not cover it)"
        for g1, g2, n1 in zip(pw.loc[unprofiled, "group1"], pw.loc[unprofiled, "group2"], pw.loc[unprofiled, "n1"])]
    parts = [pw]

    if omnibus and len(levels) >= 3 and not maftools_compat:
        wide_alt = df.pivot_table(index=key, columns=group_col, values="n_altered", aggfunc="sum")
        wide_n = df.pivot_table(index=key, columns=group_col, values="n_profiled", aggfunc="sum")
        cols = [g for g in levels if g in wide_alt.columns]
        alt = wide_alt[cols].to_numpy(float)
        prof = wide_n[cols].to_numpy(float)
        present = np.isfinite(prof) & (prof > 0)
        ngroups = present.sum(1)
        alt = np.where(present, alt, 0.0)
        prof = np.where(present, prof, 0.0)
        non = prof - alt
        tot = prof.sum(1)
        ralt = alt.sum(1)
        with np.errstate(divide="ignore", invalid="ignore"):
            e_alt = np.outer(np.ones(len(alt)), np.ones(len(cols))) * (ralt / tot)[:, None] * prof
            e_non = ((tot - ralt) / tot)[:, None] * prof
            x2 = np.where(present, (alt - e_alt) ** 2 / e_alt + (non - e_non) ** 2 / e_non, 0.0).sum(1)
        small = (np.where(present, np.minimum(e_alt, e_non), np.inf) < 5).any(1)
        df_ = ngroups - 1
        pval = chi2_sf(x2, df_)
        method = np.full(len(alt), "Pearson's chi-squared test (R chisq.test, 2 x k)", dtype=object)
        reason = np.full(len(alt), None, dtype=object)
        stat = x2.copy()
        degenerate = (ngroups < 3) | (ralt == 0) | (ralt == tot)
        reason[degenerate] = "fewer than 3 groups profiled or no variation in alteration status"
        pval[degenerate] = np.nan
        stat[degenerate] = np.nan
        # Fisher-Freeman-Halton where any expected < 5, once per distinct table
        ffh_rows = np.flatnonzero(small & ~degenerate)
        if ffh_rows.size:
            tabs = np.stack([alt[ffh_rows], non[ffh_rows]], 1).astype(np.int64)
            uniq, inv = np.unique(tabs.reshape(len(ffh_rows), -1), axis=0, return_inverse=True)
            res = [fisher_freeman_halton(u.reshape(2, -1)) for u in uniq]
            pu = np.array([r.p_value for r in res])
            mu = np.array([r.method for r in res], dtype=object)
            pval[ffh_rows] = pu[inv.ravel()]
            stat[ffh_rows] = np.nan
            method[ffh_rows] = mu[inv.ravel()]
        om = wide_alt.index.to_frame(index=False)
        om["test"] = "omnibus"
        om["group1"] = "all"
        om["group2"] = None
        om["n1"] = tot
        om["n2"] = np.nan
        om["altered1"] = ralt
        om["altered2"] = np.nan
        om["freq1"] = ralt / np.where(tot > 0, tot, np.nan)
        om["freq2"] = np.nan
        om["odds_ratio"] = om["ci_low"] = om["ci_high"] = np.nan
        om["statistic"] = stat
        om["p_value"] = pval
        om = om[ngroups >= 3].reset_index(drop=True) if (ngroups >= 3).any() else om.iloc[0:0]
        keepm = ngroups >= 3
        om["method"] = method[keepm]
        om["reason"] = reason[keepm]
        om["q_value"] = _bh_by(om, "p_value", fam)
        om["bh_family"] = famtxt + "features (omnibus)"
        parts.append(om[pw.columns])
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else pw
