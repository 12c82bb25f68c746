"""Matplotlib figures of the cohort report: tidy DataFrame in, PNG file out (Agg backend, no display)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

DPI = 110
# MAF Variant_Classification -> colour (cBioPortal-like palette); Multi_Hit for samples with several classes.
CLASS_COLOURS = {
    "Missense_Mutation": "#2e7d32",
    "Nonsense_Mutation": "#111111",
    "Frame_Shift_Del": "#1565c0",
    "Frame_Shift_Ins": "#c62828",
    "In_Frame_Del": "#f9a825",
    "In_Frame_Ins": "#8e24aa",
    "Splice_Site": "#ef6c00",
    "Translation_Start_Site": "#6d4c41",
    "Nonstop_Mutation": "#00838f",
    "Multi_Hit": "#5e35b1",
}
NOT_ALTERED = "#d9d9d9"
NOT_PROFILED = "#ffffff"


def _save(fig: plt.Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return path


def cohort_bars(counts: pd.DataFrame, path: Path) -> Path:
    """Samples per study, stacked by sample type. ``counts``: study_id, sample_type, n_samples."""
    wide = counts.pivot_table(index="study_id", columns="sample_type", values="n_samples", aggfunc="sum", fill_value=0)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(wide) + 1.4))
    wide.plot.barh(stacked=True, ax=ax, colormap="tab20", width=0.75)
    ax.invert_yaxis()
    ax.set_xlabel("samples")
    ax.set_ylabel("")
    ax.legend(title="sample type", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)


def oncoprint(classes: pd.DataFrame, profiled: pd.DataFrame, frequency: pd.Series, path: Path,
              sample_groups: pd.Series | None = None) -> Path:
    """Genes x samples tiles coloured by variant class (grey: profiled, not altered; white: not profiled).

    ``classes``/``profiled``: same index (genes, top first) and columns (samples, already ordered);
    ``frequency``: altered / profiled per gene, printed on the right.
    """
    genes, samples = list(classes.index), list(classes.columns)
    palette = [NOT_PROFILED, NOT_ALTERED, *CLASS_COLOURS.values()]
    codes = {name: i + 2 for i, name in enumerate(CLASS_COLOURS)}
    grid = np.where(profiled.to_numpy(bool), 1, 0)
    values = classes.to_numpy(object)
    for name, code in codes.items():
        grid = np.where(values == name, code, grid)
    width = min(16, 4 + 0.02 * len(samples))
    has_groups = sample_groups is not None
    fig, axes = plt.subplots(2 if has_groups else 1, 1, figsize=(width, 0.28 * len(genes) + (1.9 if has_groups else 1.5)),
                             gridspec_kw={"height_ratios": [0.6, len(genes)]} if has_groups else None, squeeze=False)
    ax = axes[-1, 0]
    cmap = matplotlib.colors.ListedColormap(palette)
    ax.imshow(grid, aspect="auto", interpolation="nearest", cmap=cmap, vmin=0, vmax=len(palette) - 1)
    ax.set_yticks(range(len(genes)), genes, fontsize=8, fontstyle="italic")
    ax.set_xticks([])
    ax.set_xlabel(f"{len(samples)} sequenced samples")
    for y, g in enumerate(genes):
        ax.text(len(samples) + 0.01 * len(samples) + 0.5, y, f"{frequency.get(g, 0):.0%}", va="center", fontsize=8)
    ax.set_xlim(-0.5, len(samples) - 0.5)
    handles = [matplotlib.patches.Patch(color=c, label=k.replace("_", " ")) for k, c in CLASS_COLOURS.items()
               if k in set(values.ravel())]
    handles += [matplotlib.patches.Patch(facecolor=NOT_ALTERED, label="not altered"),
                matplotlib.patches.Patch(facecolor=NOT_PROFILED, edgecolor="#999999", label="not profiled")]
    ax.legend(handles=handles, bbox_to_anchor=(0, -0.02), loc="upper left", ncol=4, frameon=False, fontsize=8)
    if has_groups:
        top = axes[0, 0]
        levels = sorted(pd.unique(sample_groups.astype(str)))
        lut = {lev: i for i, lev in enumerate(levels)}
        top.imshow(np.array([[lut[str(sample_groups[s])] for s in samples]]), aspect="auto", cmap="tab10",
                   vmin=0, vmax=9, interpolation="nearest")
        top.set_yticks([0], ["group"], fontsize=8)
        top.set_xticks([])
        top.legend(handles=[matplotlib.patches.Patch(color=plt.cm.tab10(lut[lev]), label=lev) for lev in levels],
                   bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False, fontsize=8)
    return _save(fig, path)


def burden_by_group(values: pd.DataFrame, measure: str, label: str, path: Path, note: str, log: bool = False) -> Path:
    """Box plot with the points of ``values`` (columns group, value) per group; ``note`` (the test) as the title."""
    groups = sorted(values["group"].astype(str).unique())
    data = [values.loc[values["group"].astype(str) == g, "value"].dropna().to_numpy(float) for g in groups]
    fig, ax = plt.subplots(figsize=(max(4.5, 1.3 * len(groups) + 2), 4))
    ax.boxplot(data, showfliers=False, widths=0.55)
    ax.set_xticks(range(1, len(groups) + 1), [f"{g}\n(n={len(d)})" for g, d in zip(groups, data)], fontsize=8)
    rng = np.random.default_rng(0)
    for i, d in enumerate(data, start=1):
        ax.scatter(i + rng.uniform(-0.18, 0.18, d.size), d, s=9, alpha=0.55, color="#1565c0", linewidths=0)
    if log and all((d > 0).all() for d in data if d.size):
        ax.set_yscale("log")
    ax.set_ylabel(label)
    ax.set_title(note, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)


def frequency_bars(freq: pd.DataFrame, path: Path, xlabel: str = "altered / profiled") -> Path:
    """Horizontal grouped bars. ``freq``: feature, group, frequency (0-1); features in display order."""
    features = list(dict.fromkeys(freq["feature"]))
    groups = sorted(freq["group"].astype(str).unique())
    height = 0.8 / max(len(groups), 1)
    fig, ax = plt.subplots(figsize=(7, 0.13 * len(features) * max(len(groups), 2) + 1.2))
    for j, g in enumerate(groups):
        part = freq[freq["group"].astype(str) == g].set_index("feature")["frequency"].reindex(features)
        ax.barh(np.arange(len(features)) + j * height, part.fillna(0).to_numpy(), height=height, label=g)
    ax.set_yticks(np.arange(len(features)) + height * (len(groups) - 1) / 2, features, fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(xlabel)
    if len(groups) > 1:
        ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)


def forest(rows: pd.DataFrame, path: Path, xlabel: str) -> Path:
    """Forest plot on a log axis. ``rows``: label, estimate, low, high, annotation (e.g. 'q = 0.01')."""
    rows = rows.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 0.34 * len(rows) + 1.3))
    y = np.arange(len(rows))
    est = rows["estimate"].astype(float).to_numpy()
    low = rows["low"].astype(float).to_numpy()
    high = rows["high"].astype(float).to_numpy()
    finite = np.isfinite(est) & (est > 0)
    # open-ended CIs (0 or Inf, e.g. a zero cell) are drawn to the edge of the axis
    shown = np.concatenate([est[finite], low[np.isfinite(low) & (low > 0)], high[np.isfinite(high) & (high > 0)]])
    left, right = (min(shown.min() / 2, 0.5), max(shown.max() * 2, 2.0)) if shown.size else (0.1, 10)
    lo_clip = np.where(np.isfinite(low) & (low > 0), low, left)
    hi_clip = np.where(np.isfinite(high) & (high > 0), high, right)
    ax.hlines(y[finite], lo_clip[finite], hi_clip[finite], color="#444444", linewidth=1.2)
    ax.scatter(est[finite], y[finite], marker="s", color="#c62828", zorder=3, s=22)
    ax.axvline(1, color="#888888", linestyle="--", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_xlim(left, right)
    ax.set_yticks(y, rows["label"], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    trans = matplotlib.transforms.blended_transform_factory(ax.transAxes, ax.transData)
    for yi, text in zip(y, rows["annotation"]):
        ax.text(1.02, yi, text, transform=trans, va="center", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)


def kaplan_meier_plot(km: pd.DataFrame, at_risk: pd.DataFrame, title: str, path: Path) -> Path:
    """Step curves of a KM table (group, time, surv, lower, upper; time in months) with censor ticks and
    a numbers-at-risk table (``at_risk``: index groups, columns times) under the axis."""
    groups = list(at_risk.index)
    fig, (ax, tab) = plt.subplots(2, 1, figsize=(7.5, 4.6 + 0.22 * len(groups)), sharex=True,
                                  gridspec_kw={"height_ratios": [4, 0.35 + 0.25 * len(groups)], "hspace": 0.08})
    colours = {g: plt.cm.tab10(i % 10) for i, g in enumerate(groups)}
    for g in groups:
        d = km[km["group"].astype(str) == str(g)].sort_values("time")
        t = np.concatenate([[0.0], d["time"].to_numpy(float)])
        s = np.concatenate([[1.0], d["surv"].to_numpy(float)])
        ax.step(t, s, where="post", color=colours[g], label=str(g), linewidth=1.5)
        lo = np.concatenate([[1.0], d["lower"].fillna(0).to_numpy(float)])
        hi = np.concatenate([[1.0], d["upper"].fillna(1).to_numpy(float)])
        ax.fill_between(t, lo, hi, step="post", color=colours[g], alpha=0.12, linewidth=0)
        cens = d[d["n_censor"] > 0]
        ax.plot(cens["time"], cens["surv"], "|", color=colours[g], markersize=7)
    ax.set_ylim(0, 1.03)
    ax.set_ylabel("survival probability")
    ax.set_title(title, fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    ax.spines[["top", "right"]].set_visible(False)
    tab.set_ylim(-0.5, len(groups) - 0.5)
    tab.invert_yaxis()
    for i, g in enumerate(groups):
        for t, n in at_risk.loc[g].items():
            tab.text(t, i, str(int(n)), ha="center", va="center", fontsize=8, color=colours[g])
    tab.set_yticks(range(len(groups)), [str(g) for g in groups], fontsize=8)
    tab.set_xlabel("months")
    tab.set_title("number at risk", fontsize=8, loc="left")
    tab.spines[["top", "right", "left"]].set_visible(False)
    tab.tick_params(axis="y", length=0)
    return _save(fig, path)


# COSMIC's colours of the six substitution classes (the SBS96 figures of the COSMIC signature pages)
SBS_CLASS_COLOURS = {"C>A": "#1ebff0", "C>G": "#050708", "C>T": "#e62725", "T>A": "#cbcacb", "T>C": "#a1cf64",
                     "T>G": "#edc8c5"}


def sbs96_profiles(profiles: pd.DataFrame, path: Path) -> Path:
    """One SBS96 panel per group, channels in COSMIC's figure order, bars coloured by substitution class.

    ``profiles``: group, channel, plot_index, substitution_class, share (the group's pooled fraction of SNVs
    in the channel), n_samples, n_snv."""
    groups = list(dict.fromkeys(profiles["group"]))
    fig, axes = plt.subplots(len(groups), 1, figsize=(11, 1.9 * len(groups) + 0.6), sharex=True, squeeze=False)
    for ax, group in zip(axes[:, 0], groups):
        data = profiles[profiles["group"] == group].sort_values("plot_index")
        ax.bar(np.arange(len(data)), data["share"] * 100, color=data["substitution_class"].map(SBS_CLASS_COLOURS),
               width=0.8)
        ax.set_ylabel("% of SNVs")
        ax.set_title(f"{group}: {int(data['n_samples'].iloc[0])} samples, {int(data['n_snv'].sum())} SNVs",
                     fontsize=9, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
    last = profiles[profiles["group"] == groups[-1]].sort_values("plot_index")
    axes[-1, 0].set_xticks(np.arange(len(last)))
    axes[-1, 0].set_xticklabels(last["channel"], rotation=90, fontsize=5, family="monospace")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in SBS_CLASS_COLOURS.values()]
    axes[0, 0].legend(handles, SBS_CLASS_COLOURS.keys(), ncol=6, frameon=False, fontsize=8,
                      bbox_to_anchor=(1.0, 1.35), loc="upper right")
    return _save(fig, path)


def exposure_bars(exposures: pd.DataFrame, path: Path) -> Path:
    """Mean relative exposure of each signature per group, stacked to 1. ``exposures``: group,
    signature_id, relative_exposure (group mean), n_fitted."""
    wide = exposures.pivot_table(index="group", columns="signature_id", values="relative_exposure", sort=False)
    n = exposures.drop_duplicates("group").set_index("group")["n_fitted"]
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(wide) + 1.4))
    wide.plot.barh(stacked=True, ax=ax, colormap="tab10", width=0.75)
    ax.set_yticks(range(len(wide)))
    ax.set_yticklabels([f"{g} (n = {int(n[g])})" for g in wide.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("mean relative exposure (NNLS, COSMIC)")
    ax.set_ylabel("")
    ax.legend(title="signature", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)


def rank_diagnostics(diagnostics: pd.DataFrame, path: Path) -> Path:
    """Cophenetic correlation by NMF rank per study, the chosen rank marked. ``diagnostics``: study_id, rank,
    cophenetic_correlation, is_chosen_rank."""
    fig, ax = plt.subplots(figsize=(6, 3.2))
    for study_id, data in diagnostics.groupby("study_id", sort=True):
        data = data.sort_values("rank")
        ax.plot(data["rank"], data["cophenetic_correlation"], marker="o", label=study_id)
        chosen = data[data["is_chosen_rank"].astype(bool)]
        ax.scatter(chosen["rank"], chosen["cophenetic_correlation"], s=140, facecolors="none", edgecolors="black",
                   zorder=3)
    ax.set_xticks(sorted(diagnostics["rank"].unique()))
    ax.set_xlabel("NMF rank")
    ax.set_ylabel("cophenetic correlation")
    ax.legend(frameon=False, fontsize=8, title="circled: rank kept", title_fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)
