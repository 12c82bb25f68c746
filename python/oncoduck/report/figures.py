"""Figures of the cohort report as plotly specs: tidy DataFrame in, ``{"data": [...], "layout": {...}}`` out.

The browser draws them with plotly.js (inlined in the page), so every figure has hover details and exports
to PNG and SVG. Specs are plain dicts; ``clean`` makes them JSON (NaN and infinities become null).

Rules every figure keeps (issue 21, "plots that never lie"):
- groups appear in their declared order (the caller passes them ordered) with one colour per group;
- an estimate is drawn with its interval; an odds or hazard ratio of 0 or infinity is an arrow at the axis
  edge with its finite bound drawn; a ratio that is not estimable is a labelled row, never a point;
- log axes are labelled with plain numbers (0.01, 0.1, 1, 10).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

FONT = {"family": "-apple-system, Segoe UI, Helvetica, Arial, sans-serif", "size": 12, "color": "#222"}
# Okabe-Ito (colour-blind safe), then Tableau's remaining hues.
GROUP_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
                 "#8c564b", "#7f7f7f")
# Clinical annotation tracks (Tableau 10), apart from the groups' colours
TRACK_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
                 "#bab0ac")
# Canonical MAF class -> colour (cBioPortal-like palette); Other for any other class the study counts, Multi_Hit for
# genes hit by several classes.
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
    "Other": "#9e9d24",  # any other class the study's TMB definition counts (Splice_Region, Silent ...)
    "Multi_Hit": "#5e35b1",
}
# Copy-number calls drawn as full tiles under the mutation bars (light, so a mutation's class stays readable)
CNA_COLOURS = {"amplification": "#ef9a9a", "deep_deletion": "#90caf9"}
NOT_ALTERED = "#d9d9d9"
NOT_PROFILED = "#ffffff"
# COSMIC's colours of the six substitution classes (the SBS96 figures of the COSMIC signature pages)
SBS_CLASS_COLOURS = {"C>A": "#1ebff0", "C>G": "#050708", "C>T": "#e62725", "T>A": "#cbcacb", "T>C": "#a1cf64",
                     "T>G": "#edc8c5"}


def group_colours(groups: list[str]) -> dict[str, str]:
    """One colour per group, by declared position."""
    return {g: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, g in enumerate(groups)}


def clean(value):
    """A spec made JSON-safe: numpy scalars and arrays to Python, NaN and +-inf to None (arrays converted whole)."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.to_numpy()
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            out = value.astype(object)
            out[~np.isfinite(value)] = None
            return out.tolist()
        if value.dtype.kind in "iubUS":
            return value.tolist()
        return clean(value.tolist())
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (np.integer, np.bool_)):
        return value.item()
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _layout(height: int, **more) -> dict:
    base = {"height": height, "font": FONT, "paper_bgcolor": "white", "plot_bgcolor": "white",
            "margin": {"l": 60, "r": 30, "t": 40, "b": 50}, "hoverlabel": {"align": "left"},
            "legend": {"orientation": "h", "y": -0.15}}
    base.update(more)
    return base


def _axis(**more) -> dict:
    base = {"showline": True, "linecolor": "#444", "ticks": "outside", "zeroline": False, "automargin": True}
    base.update(more)
    return base


def fmt_number(value, digits: int = 3) -> str:
    """A number for a label or hover: ``digits`` significant digits, NA when missing, Inf when infinite."""
    if value is None or pd.isna(value):
        return "NA"
    if value == math.inf:
        return "Inf"
    return f"{value:.{digits}g}"


def _discrete_scale(colours: list[str]) -> list:
    """A colorscale giving integer code k (zmin -0.5, zmax n - 0.5) the k-th colour."""
    n = len(colours)
    return [stop for k, colour in enumerate(colours) for stop in ([k / n, colour], [(k + 1) / n, colour])]


def _domains(n: int, gap: float = 0.06, top: float = 1.0, bottom: float = 0.0) -> list[list[float]]:
    """``n`` stacked axis domains, the first at the top."""
    height = (top - bottom - gap * (n - 1)) / n
    return [[top - (i + 1) * height - i * gap, top - i * height - i * gap] for i in range(n)]


# ------------------------------------------------------------------------------------------- cohort

def cohort_bars(counts: pd.DataFrame) -> dict:
    """Samples per study, stacked by sample type. ``counts``: study_id, sample_type, n_samples."""
    studies = sorted(counts["study_id"].unique())
    types = sorted(counts["sample_type"].unique())
    data = []
    for i, sample_type in enumerate(types):
        part = counts[counts["sample_type"] == sample_type].set_index("study_id")["n_samples"].reindex(studies)
        data.append({"type": "bar", "orientation": "h", "name": sample_type, "y": studies, "x": part.fillna(0),
                     "marker": {"color": GROUP_COLOURS[i % len(GROUP_COLOURS)]},
                     "hovertemplate": "%{y}<br>" + sample_type + ": %{x} samples<extra></extra>"})
    return {"data": data, "layout": _layout(
        60 + 32 * len(studies), barmode="stack", xaxis=_axis(title={"text": "samples"}),
        yaxis=_axis(autorange="reversed", ticks=""), legend={"title": {"text": "sample type"}},
        margin={"l": 60, "r": 30, "t": 20, "b": 40})}


# ----------------------------------------------------------------------------------------- oncoprint

def oncoprint(classes: pd.DataFrame, copy_number: pd.DataFrame, profiled: pd.DataFrame, frequency: pd.Series,
              tracks: pd.DataFrame, track_levels: dict[str, list[str]], orders: dict[str, list[str]],
              tmb: pd.Series | None = None) -> dict:
    """Genes x samples as maftools and cBioPortal draw them: a full tile per copy-number call (amplification,
    deep deletion; grey: profiled, not altered; white: not profiled) and a narrower bar inside it per mutation,
    coloured by variant class; annotation tracks and a TMB bar on top; a menu to reorder the samples.

    ``classes`` (variant class or ""), ``copy_number`` ("amplification", "deep_deletion" or ""), ``profiled``
    (bool): same index (genes, top first) and columns (sample keys); ``frequency``: altered / profiled per gene,
    printed on the right; ``tracks``: index sample keys, one column per track ("group" first), values among
    ``track_levels`` (in the order of their colours; missing: unknown); ``orders``: name -> sample keys, the
    first the initial order; ``tmb``: TMB per sample key.
    """
    genes, samples = list(classes.index), list(classes.columns)
    values = classes.to_numpy(object)
    calls = copy_number.to_numpy(object)
    base = [("not profiled", NOT_PROFILED), ("not altered", NOT_ALTERED), *CNA_COLOURS.items()]
    codes = np.where(profiled.to_numpy(bool) | (calls != ""), 1, 0)
    for code, (name, _) in enumerate(base[2:], start=2):
        codes = np.where(calls == name, code, codes)
    names = np.array([name.replace("_", " ") for name, _ in base], dtype=object)[codes]
    mutation = np.char.replace(values.astype(str), "_", " ").astype(object)
    label = np.where(values != "", np.where(calls != "", mutation + ", " + names, mutation), names)
    mutation_codes = np.full(values.shape, np.nan)
    for code, name in enumerate(CLASS_COLOURS):
        mutation_codes[values == name] = code
    mutation_codes[(values != "") & ~np.isin(values, list(CLASS_COLOURS))] = list(CLASS_COLOURS).index("Other")
    data = [{"type": "heatmap", "z": codes, "x": samples, "y": genes, "text": label, "zmin": -0.5,
             "zmax": len(base) - 0.5, "colorscale": _discrete_scale([c for _, c in base]), "showscale": False,
             "xgap": 1, "ygap": 1, "hovertemplate": "%{x}<br><i>%{y}</i>: %{text}<extra></extra>",
             "name": "copy number"},
            {"type": "heatmap", "z": mutation_codes, "x": samples, "y": genes, "text": label, "zmin": -0.5,
             "zmax": len(CLASS_COLOURS) - 0.5, "colorscale": _discrete_scale(list(CLASS_COLOURS.values())),
             "showscale": False, "xgap": 1, "ygap": 9, "hoverongaps": False,
             "hovertemplate": "%{x}<br><i>%{y}</i>: %{text}<extra></extra>", "name": "mutations"}]
    # the tracks: one heatmap, each (track, level) its own code and colour; unknown is pale
    legend_entries, track_colours = [], ["#f5f5f5"]
    track_codes = np.zeros((len(tracks.columns), len(samples)))
    for row, track in enumerate(tracks.columns):
        levels = track_levels[track]
        palette = (group_colours(levels) if row == 0 else
                   {lev: TRACK_COLOURS[(i + 3 * row) % len(TRACK_COLOURS)] for i, lev in enumerate(levels)})
        for level in levels:
            track_colours.append(palette[level])
            track_codes[row, (tracks[track].reindex(samples) == level).to_numpy()] = len(track_colours) - 1
            legend_entries.append((f"{track}: {level}", palette[level]))
    track_text = tracks.reindex(samples).T.fillna("unknown").to_numpy(object)
    data.append({"type": "heatmap", "z": track_codes, "x": samples, "y": list(tracks.columns), "yaxis": "y2",
                 "text": track_text, "zmin": -0.5, "zmax": len(track_colours) - 0.5,
                 "colorscale": _discrete_scale(track_colours), "showscale": False, "xgap": 1, "ygap": 1,
                 "hovertemplate": "%{x}<br>%{y}: %{text}<extra></extra>", "name": "tracks"})
    if tmb is not None:
        data.append({"type": "bar", "x": samples, "y": tmb.reindex(samples), "yaxis": "y3", "name": "TMB",
                     "marker": {"color": "#607d8b"}, "showlegend": False,
                     "hovertemplate": "%{x}<br>TMB %{y:.3g} / Mb<extra></extra>"})
    present = set(values.ravel()) | set(calls.ravel())
    if any(v != "" and v not in CLASS_COLOURS for v in values.ravel()):
        present.add("Other")
    for name, colour in [(k, c) for k, c in [*CLASS_COLOURS.items(), *CNA_COLOURS.items()] if k in present] + [
            ("not altered", NOT_ALTERED), ("not profiled", NOT_PROFILED)] + legend_entries:
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name.replace("_", " "),
                     "marker": {"symbol": "square", "size": 12, "color": colour, "line": {"color": "#999", "width": 1}},
                     "hoverinfo": "skip"})
    annotations = [{"xref": "paper", "yref": "y", "x": 1.005, "y": g, "xanchor": "left", "showarrow": False,
                    "text": f"{frequency.get(g, 0):.0%}", "font": {"size": 11}} for g in genes]
    # vertical space in row units: genes, a gap, the tracks, a gap, the TMB bar
    units = len(genes) + 0.6 + len(tracks.columns) + (3.6 if tmb is not None else 0)
    genes_top = len(genes) / units
    tracks_top = (len(genes) + 0.6 + len(tracks.columns)) / units
    first = next(iter(orders.values()))
    buttons = [{"label": f"order: {name}", "method": "relayout", "args": [{"xaxis.categoryarray": list(order)}]}
               for name, order in orders.items()]
    return {"data": data, "layout": _layout(
        22 * units + 200,
        xaxis={"showticklabels": False, "ticks": "", "type": "category", "categoryorder": "array",
               "categoryarray": list(first)},
        yaxis={"domain": [0, genes_top], "autorange": "reversed", "tickfont": {"style": "italic", "size": 11},
               "automargin": True},
        yaxis2={"domain": [genes_top + 0.6 / units, tracks_top], "autorange": "reversed", "automargin": True,
                "tickfont": {"size": 10}},
        yaxis3={"domain": [tracks_top + 0.6 / units, 1.0], "title": {"text": "TMB", "font": {"size": 10}},
                "automargin": True, "visible": tmb is not None},
        updatemenus=[{"type": "dropdown", "buttons": buttons, "x": 0, "xanchor": "left", "y": 1.0,
                      "yanchor": "bottom", "showactive": True, "font": {"size": 11}}] if len(buttons) > 1 else [],
        annotations=annotations, margin={"l": 90, "r": 50, "t": 40, "b": 60},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "font": {"size": 10}})}


# ------------------------------------------------------------------------------------ group figures

def _log_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Plain-number ticks for a log axis from ``low`` to ``high``: decades, and 2 and 5 when few decades."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    mantissas = (1,) if last - first > 3 else (1, 2, 5)
    ticks = [m * 10.0 ** e for e in range(first, last + 1) for m in mantissas if low <= m * 10.0 ** e <= high]
    return ticks, [f"{t:g}" for t in ticks]


def burden_by_group(values: pd.DataFrame, groups: list[str], label: str, note: str, log: bool = False) -> dict:
    """Box plot with every point per group. ``values``: group, value, sample (hover)."""
    colours = group_colours(groups)
    data = []
    for g in groups:
        part = values[values["group"] == g]
        data.append({"type": "box", "name": f"{g} (n = {len(part)})", "y": part["value"], "text": part["sample"],
                     "boxpoints": "all", "jitter": 0.4, "pointpos": 0, "marker": {"color": colours[g], "size": 5},
                     "line": {"color": colours[g]}, "fillcolor": "rgba(0,0,0,0)",
                     "hovertemplate": "%{text}<br>" + label + ": %{y:.4g}<extra>" + g + "</extra>"})
    positive = values["value"].dropna()
    use_log = log and len(positive) > 0 and bool((positive > 0).all())
    yaxis = _axis(title={"text": label + (" (log scale)" if use_log else "")})
    if use_log:
        ticks, text = _log_ticks(positive.min(), positive.max())
        yaxis.update(type="log", tickvals=ticks, ticktext=text)
    return {"data": data, "layout": _layout(380, showlegend=False, yaxis=yaxis, xaxis=_axis(ticks=""),
                                             title={"text": note, "font": {"size": 11}, "x": 0, "xanchor": "left"},
                                             margin={"l": 70, "r": 20, "t": 60, "b": 50})}


def frequency_bars(freq: pd.DataFrame, groups: list[str], xlabel: str = "altered / profiled") -> dict:
    """Horizontal grouped bars. ``freq``: feature, group, n_altered, n_profiled; features in display order."""
    features = list(dict.fromkeys(freq["feature"]))
    colours = group_colours(groups)
    data = []
    for g in groups:
        part = freq[freq["group"] == g].set_index("feature").reindex(features)
        fraction = part["n_altered"] / part["n_profiled"].where(part["n_profiled"] > 0)
        data.append({"type": "bar", "orientation": "h", "name": g, "y": features, "x": fraction,
                     "marker": {"color": colours[g]},
                     "customdata": np.column_stack([part["n_altered"].fillna(0), part["n_profiled"].fillna(0)]),
                     "hovertemplate": "%{y}<br>" + g + ": %{customdata[0]} / %{customdata[1]} (%{x:.0%})"
                                      "<extra></extra>"})
    return {"data": data, "layout": _layout(
        max(200, 110 + max(len(groups), 2) * 9 * len(features)), barmode="group",
        xaxis=_axis(tickformat=".0%", title={"text": xlabel}, rangemode="tozero"),
        yaxis=_axis(autorange="reversed", ticks=""),
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "traceorder": "normal"},
        margin={"l": 60, "r": 30, "t": 40, "b": 50})}


def forest(rows: pd.DataFrame, xlabel: str) -> dict:
    """Forest plot of ratios on a log axis, rows top to bottom.

    ``rows``: label, estimate, low, high, annotation (printed right, e.g. 'q = 0.01'), hover, reason.
    A finite estimate is a square with its interval; an estimate of 0 or infinity is a triangle at the left or
    right edge of the axis with the line drawn to its finite bound; an interval open to 0 or infinity runs to
    the edge and ends in a triangle; a row without an estimate reads "not estimable (reason)" and has no mark.
    """
    rows = rows.reset_index(drop=True)
    est = pd.to_numeric(rows["estimate"], errors="coerce").to_numpy(float)
    low = pd.to_numeric(rows["low"], errors="coerce").to_numpy(float)
    high = pd.to_numeric(rows["high"], errors="coerce").to_numpy(float)
    shown = np.concatenate([v[np.isfinite(v) & (v > 0)] for v in (est, low, high)] + [np.array([1.0])])
    left, right = shown.min() / 3, shown.max() * 3
    y = np.arange(len(rows))
    estimable = ~np.isnan(est)
    kinds = np.select([~estimable, est == 0, est == np.inf], ["not_estimable", "zero", "infinite"], "finite")
    # an interval is drawn when both bounds are known (NaN: not computed); a bound of 0 or infinity runs to the edge
    interval = estimable & ~np.isnan(low) & ~np.isnan(high)
    line_from = np.where(low > 0, low, left)
    line_to = np.where(np.isfinite(high), high, right)
    segments_x, segments_y = [], []
    for i in np.flatnonzero(interval):
        segments_x += [line_from[i], line_to[i], None]
        segments_y += [y[i], y[i], None]
    hover = rows["hover"].astype(str).to_numpy()
    finite = kinds == "finite"
    to_left = (kinds == "zero") | (finite & interval & (low <= 0))
    to_right = (kinds == "infinite") | (finite & interval & np.isinf(high))
    data = [
        {"type": "scatter", "mode": "lines", "name": "95 % CI", "x": segments_x, "y": segments_y,
         "line": {"color": "#444", "width": 1.5}, "hoverinfo": "skip", "showlegend": False},
        {"type": "scatter", "mode": "markers", "name": "estimate", "x": est[finite], "y": y[finite],
         "marker": {"symbol": "square", "size": 9, "color": "#c62828"}, "text": hover[finite],
         "hovertemplate": "%{text}<extra></extra>", "showlegend": False},
        {"type": "scatter", "mode": "markers", "name": "towards 0", "x": np.full(to_left.sum(), left),
         "y": y[to_left], "marker": {"symbol": "triangle-left", "size": 11, "color": "#c62828"}, "cliponaxis": False,
         "text": hover[to_left], "hovertemplate": "%{text}<extra></extra>", "showlegend": False,
         "meta": "ratio of 0 or interval open to 0: drawn at the left edge"},
        {"type": "scatter", "mode": "markers", "name": "towards infinity", "x": np.full(to_right.sum(), right),
         "y": y[to_right], "marker": {"symbol": "triangle-right", "size": 11, "color": "#c62828"}, "cliponaxis": False,
         "text": hover[to_right], "hovertemplate": "%{text}<extra></extra>", "showlegend": False,
         "meta": "infinite ratio or interval open to infinity: drawn at the right edge"},
    ]
    annotations = [{"xref": "paper", "yref": "y", "x": 1.01, "y": int(i), "xanchor": "left", "showarrow": False,
                    "text": str(text), "font": {"size": 11}} for i, text in zip(y, rows["annotation"])]
    reasons = rows["reason"] if "reason" in rows.columns else pd.Series([None] * len(rows))
    for i in np.flatnonzero(~estimable):
        reason = reasons.iloc[i]
        short = str(reason).split(":")[0].split(";")[0].strip() if isinstance(reason, str) and reason else "no estimate"
        annotations.append({"xref": "paper", "yref": "y", "x": 0.5, "y": int(i), "showarrow": False,
                            "text": f"<i>not estimable ({short})</i>", "hovertext": hover[i],
                            "font": {"size": 11, "color": "#666"}, "name": "not_estimable"})
    ticks, text = _log_ticks(left, right)
    return {"data": data, "layout": _layout(
        80 + 26 * len(rows),
        xaxis=_axis(type="log", range=[math.log10(left), math.log10(right)], tickvals=ticks, ticktext=text,
                    title={"text": xlabel}),
        yaxis=_axis(tickvals=y, ticktext=rows["label"].astype(str), range=[len(rows) - 0.5, -0.7], ticks="",
                    showgrid=False),
        shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": 1, "x1": 1, "y0": 0, "y1": 1,
                 "line": {"color": "#888", "dash": "dash", "width": 1}}],
        annotations=annotations, showlegend=False, margin={"l": 60, "r": 110, "t": 20, "b": 50},
        meta={"row_kinds": list(kinds), "left_edge": left, "right_edge": right})}


def kaplan_meier(km: pd.DataFrame, at_risk: pd.DataFrame, groups: list[str], title: str) -> dict:
    """Step curves of a KM table (group, time, surv, lower, upper, n_censor; time in months) with 95 % bands,
    censor ticks and a numbers-at-risk table (``at_risk``: index groups, columns times) in its own panel."""
    colours = group_colours(groups)
    data = []
    for g in groups:
        d = km[km["group"] == g].sort_values("time")
        t = np.concatenate([[0.0], d["time"].to_numpy(float)])
        s = np.concatenate([[1.0], d["surv"].to_numpy(float)])
        lo = np.concatenate([[1.0], d["lower"].fillna(0).to_numpy(float)])
        hi = np.concatenate([[1.0], d["upper"].fillna(1).to_numpy(float)])
        band = {"type": "scatter", "mode": "lines", "line": {"shape": "hv", "width": 0}, "hoverinfo": "skip",
                "showlegend": False, "legendgroup": g}
        data.append({**band, "x": t, "y": hi, "name": f"{g} upper"})
        data.append({**band, "x": t, "y": lo, "name": f"{g} lower", "fill": "tonexty",
                     "fillcolor": _rgba(colours[g], 0.13)})
        data.append({"type": "scatter", "mode": "lines", "x": t, "y": s, "name": g, "legendgroup": g,
                     "line": {"shape": "hv", "color": colours[g], "width": 2},
                     "hovertemplate": g + "<br>%{x:.1f} months: S = %{y:.3f}<extra></extra>"})
        cens = d[d["n_censor"] > 0]
        data.append({"type": "scatter", "mode": "markers", "x": cens["time"], "y": cens["surv"], "legendgroup": g,
                     "name": f"{g} censored", "showlegend": False,
                     "marker": {"symbol": "line-ns-open", "size": 9, "color": colours[g]},
                     "hovertemplate": g + ": censored at %{x:.1f} months<extra></extra>"})
    times = list(at_risk.columns)
    for i, g in enumerate(groups):
        data.append({"type": "scatter", "mode": "text", "x": times, "y": [g] * len(times), "yaxis": "y2",
                     "text": [str(int(n)) for n in at_risk.loc[g]], "textfont": {"color": colours[g], "size": 11},
                     "cliponaxis": False,
                     "showlegend": False, "hoverinfo": "skip", "name": f"{g} at risk"})
    risk_share = min(0.35, 0.07 + 0.045 * len(groups))
    t_max = max(times[-1], km["time"].max())
    return {"data": data, "layout": _layout(
        430 + 18 * len(groups),
        title={"text": title, "font": {"size": 12}, "x": 0, "xanchor": "left"},
        xaxis=_axis(title={"text": "months"}, range=[-0.03 * t_max, t_max * 1.03], anchor="y2"),
        yaxis=_axis(domain=[risk_share + 0.1, 1.0], range=[0, 1.03], title={"text": "survival probability"}),
        yaxis2={"domain": [0, risk_share], "type": "category", "categoryorder": "array",
                "categoryarray": list(reversed(groups)), "showgrid": False, "automargin": True, "ticks": ""},
        annotations=[{"xref": "paper", "yref": "paper", "x": 0, "y": risk_share + 0.02, "xanchor": "left",
                      "yanchor": "bottom", "showarrow": False, "text": "number at risk", "font": {"size": 11}}],
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"},
        margin={"l": 90, "r": 20, "t": 70, "b": 50})}


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


# --------------------------------------------------------------------------------------- signatures

def sbs96_profiles(profiles: pd.DataFrame) -> dict:
    """One SBS96 panel per group, channels in COSMIC's figure order, bars coloured by substitution class.

    ``profiles``: group, channel, plot_index, substitution_class, share, n_samples, n_snv (groups in order)."""
    groups = list(dict.fromkeys(profiles["group"]))
    domains = _domains(len(groups), gap=0.09 / max(len(groups), 1) + 0.02)
    data, layout_axes, annotations = [], {}, []
    for i, group in enumerate(groups):
        d = profiles[profiles["group"] == group].sort_values("plot_index")
        axis = "" if i == 0 else str(i + 1)
        data.append({"type": "bar", "x": d["channel"], "y": d["share"] * 100, "yaxis": f"y{axis}",
                     "marker": {"color": d["substitution_class"].map(SBS_CLASS_COLOURS)}, "name": group,
                     "hovertemplate": group + "<br>%{x}: %{y:.2f} % of SNVs<extra></extra>", "showlegend": False})
        layout_axes[f"yaxis{axis}"] = _axis(domain=domains[i], title={"text": "% SNVs", "font": {"size": 10}})
        annotations.append({"xref": "paper", "yref": "paper", "x": 0, "y": domains[i][1], "yanchor": "bottom",
                            "xanchor": "left", "showarrow": False, "font": {"size": 11},
                            "text": f"{group}: {int(d['n_samples'].iloc[0])} samples, {int(d['n_snv'].sum())} SNVs"})
    for name, colour in SBS_CLASS_COLOURS.items():
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name,
                     "marker": {"symbol": "square", "size": 12, "color": colour}, "hoverinfo": "skip"})
    return {"data": data, "layout": _layout(
        110 + 150 * len(groups), xaxis=_axis(tickangle=-90, tickfont={"family": "monospace", "size": 7},
                                             type="category"),
        annotations=annotations, legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1,
                                         "xanchor": "right"},
        margin={"l": 60, "r": 20, "t": 50, "b": 80}, bargap=0.2, **layout_axes)}


def exposure_bars(exposures: pd.DataFrame) -> dict:
    """Mean relative exposure of each signature per group, stacked to 1. ``exposures``: group,
    signature_id, relative_exposure (group mean), n_fitted; groups in order."""
    groups = list(dict.fromkeys(exposures["group"]))
    n = exposures.drop_duplicates("group").set_index("group")["n_fitted"]
    labels = [f"{g} (n = {int(n[g])})" for g in groups]
    data = []
    for i, sig in enumerate(sorted(exposures["signature_id"].unique())):
        part = exposures[exposures["signature_id"] == sig].set_index("group")["relative_exposure"].reindex(groups)
        data.append({"type": "bar", "orientation": "h", "name": sig, "y": labels, "x": part.fillna(0),
                     "marker": {"color": GROUP_COLOURS[i % len(GROUP_COLOURS)]},
                     "hovertemplate": "%{y}<br>" + sig + ": %{x:.3f}<extra></extra>"})
    return {"data": data, "layout": _layout(
        90 + 34 * len(groups), barmode="stack", xaxis=_axis(range=[0, 1], title={
            "text": "mean relative exposure (NNLS, COSMIC)"}), yaxis=_axis(autorange="reversed", ticks=""),
        legend={"orientation": "v", "x": 1.02, "y": 1, "title": {"text": "signature"}},
        margin={"l": 60, "r": 20, "t": 20, "b": 50})}


def rank_diagnostics(diagnostics: pd.DataFrame) -> dict:
    """Cophenetic correlation by NMF rank per study, the chosen rank circled. ``diagnostics``: study_id, rank,
    cophenetic_correlation, is_chosen_rank."""
    data = []
    for i, (study_id, d) in enumerate(diagnostics.groupby("study_id", sort=True)):
        d = d.sort_values("rank")
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        data.append({"type": "scatter", "mode": "lines+markers", "x": d["rank"], "y": d["cophenetic_correlation"],
                     "name": study_id, "line": {"color": colour},
                     "hovertemplate": study_id + "<br>rank %{x}: %{y:.4f}<extra></extra>"})
        chosen = d[d["is_chosen_rank"].astype(bool)]
        data.append({"type": "scatter", "mode": "markers", "x": chosen["rank"], "y": chosen["cophenetic_correlation"],
                     "name": f"{study_id}: rank kept", "showlegend": False, "hoverinfo": "skip",
                     "marker": {"symbol": "circle-open", "size": 18, "color": "black", "line": {"width": 2}}})
    return {"data": data, "layout": _layout(
        340, xaxis=_axis(title={"text": "NMF rank"}, dtick=1),
        yaxis=_axis(title={"text": "cophenetic correlation"}),
        legend={"orientation": "v", "x": 1.02, "y": 1, "title": {"text": "circled: rank kept"}},
        margin={"l": 70, "r": 20, "t": 20, "b": 50})}


# ------------------------------------------------------------------- maftools-grade figures (Build 2)

def interactions_triangle(pairs: pd.DataFrame, genes: list[str]) -> dict:
    """Somatic interactions as maftools draws them: a lower triangle of gene pairs coloured by -log10 p, positive
    (green) for co-occurrence and negative (brown) for mutual exclusivity; * marks q < 0.05. ``pairs``: gene1, gene2, p_value,
    q_value, odds_ratio, event, n11, n10, n01, n00; ``genes`` in display order."""
    index = {g: i for i, g in enumerate(genes)}
    n = len(genes)
    z = np.full((n, n), np.nan)
    text = np.full((n, n), "", dtype=object)
    stars_x, stars_y = [], []
    for r in pairs.itertuples():
        i, j = sorted((index[r.gene1], index[r.gene2]), reverse=True)  # row below the diagonal
        score = -math.log10(max(r.p_value, 1e-300)) if pd.notna(r.p_value) else np.nan
        z[i, j] = score if r.event == "Co_Occurence" else -score
        text[i, j] = (f"{r.gene1} & {r.gene2}: {'co-occurrence' if r.event == 'Co_Occurence' else 'exclusivity'}"
                      f"<br>both {r.n11}, only {r.gene1} {r.n10}, only {r.gene2} {r.n01}, neither {r.n00}"
                      f"<br>OR {fmt_number(r.odds_ratio)}, p = {fmt_number(r.p_value, 2)}, q = {fmt_number(r.q_value, 2)}")
        if pd.notna(r.q_value) and r.q_value < 0.05:
            stars_x.append(genes[j])
            stars_y.append(genes[i])
    limit = max(3.0, float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 3.0)
    data = [{"type": "heatmap", "z": z, "x": genes, "y": genes, "text": text, "zmin": -limit, "zmax": limit,
             "colorscale": [[0, "#a6611a"], [0.5, "#f5f5f5"], [1, "#018571"]], "xgap": 1, "ygap": 1,
             "hoverongaps": False,
             "hovertemplate": "%{text}<extra></extra>",
             "colorbar": {"title": {"text": "-log10 p<br>(+ co-occurrence,<br>- exclusivity)", "side": "right"}}},
            {"type": "scatter", "mode": "text", "x": stars_x, "y": stars_y, "text": ["*"] * len(stars_x),
             "textfont": {"size": 14, "color": "black"}, "hoverinfo": "skip", "name": "q < 0.05"}]
    return {"data": data, "layout": _layout(
        max(360, 24 * n + 160), xaxis=_axis(tickangle=-90, showgrid=False, tickfont={"style": "italic"}),
        yaxis=_axis(autorange="reversed", showgrid=False, tickfont={"style": "italic"}), showlegend=False,
        margin={"l": 90, "r": 20, "t": 20, "b": 90})}


def volcano(rows: pd.DataFrame, xlabel: str) -> dict:
    """Per-gene screen: ratio (log axis) against -log10 p; genes with q < 0.1 red, they and the five smallest p named. ``rows``: label, ratio,
    p_value, q_value, hover. Ratios of 0 or infinity sit at the axis edge as triangles; rows without a ratio or
    p are left out (the caller lists them)."""
    rows = rows[rows["p_value"].notna() & rows["ratio"].notna()].reset_index(drop=True)
    ratio = rows["ratio"].to_numpy(float)
    finite = np.isfinite(ratio) & (ratio > 0)
    shown = np.concatenate([ratio[finite], [1.0]])
    left, right = shown.min() / 3, shown.max() * 3
    x = np.where(ratio == 0, left, np.where(np.isinf(ratio), right, ratio))
    symbol = np.where(ratio == 0, "triangle-left", np.where(np.isinf(ratio), "triangle-right", "circle"))
    y = -np.log10(np.maximum(rows["p_value"].to_numpy(float), 1e-300))
    significant = rows["q_value"].to_numpy(float) < 0.1
    named = significant | (rows["p_value"].rank(method="first").to_numpy() <= 5)
    ticks, tick_text = _log_ticks(left, right)
    return {"data": [{"type": "scatter", "mode": "markers+text", "x": x, "y": y, "text": np.where(named,
                      rows["label"], ""), "textposition": "top center", "hovertext": rows["hover"],
                      "hovertemplate": "%{hovertext}<extra></extra>", "cliponaxis": False,
                      "marker": {"symbol": symbol, "size": 9,
                                 "color": np.where(significant, "#c62828", "#607d8b")}}],
            "layout": _layout(420, showlegend=False,
                              xaxis=_axis(type="log", range=[math.log10(left), math.log10(right)], tickvals=ticks,
                                          ticktext=tick_text, title={"text": xlabel}),
                              yaxis=_axis(title={"text": "-log10 p"}, rangemode="tozero"),
                              shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": 1, "x1": 1, "y0": 0,
                                       "y1": 1, "line": {"color": "#888", "dash": "dash", "width": 1}}],
                              margin={"l": 60, "r": 20, "t": 20, "b": 50})}


def genome_frequency(freq: pd.DataFrame, regions: list[str], groups: list[str]) -> dict:
    """Copy-number gains (up) and losses (down) per region along the genome, one colour per group.
    ``freq``: region, group, direction (gain/loss), n_altered, n_profiled; ``regions`` in genome order."""
    colours = group_colours(groups)
    data = []
    for g in groups:
        for direction, sign, opacity in (("gain", 1, 0.9), ("loss", -1, 0.55)):
            part = freq[(freq["group"] == g) & (freq["direction"] == direction)].set_index("region").reindex(regions)
            fraction = part["n_altered"] / part["n_profiled"].where(part["n_profiled"] > 0)
            data.append({"type": "bar", "x": regions, "y": sign * fraction, "name": f"{g} {direction}",
                         "offsetgroup": g, "legendgroup": g, "marker": {"color": colours[g], "opacity": opacity},
                         "customdata": np.column_stack([part["n_altered"].fillna(0), part["n_profiled"].fillna(0)]),
                         "hovertemplate": "%{x} " + direction + ", " + g +
                                          ": %{customdata[0]} / %{customdata[1]}<extra></extra>"})
    return {"data": data, "layout": _layout(
        380, barmode="group", xaxis=_axis(type="category", tickangle=-90, tickfont={"size": 9}),
        yaxis=_axis(tickformat=".0%", title={"text": "losses (down) and gains (up) / profiled"}, zeroline=True),
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        margin={"l": 70, "r": 20, "t": 40, "b": 60})}


def grouped_boxes(values: pd.DataFrame, categories: list[str], groups: list[str], ylabel: str) -> dict:
    """Boxes of ``value`` per category (x) and group (side by side), e.g. the six substitution classes.
    ``values``: category, group, value, sample."""
    colours = group_colours(groups)
    data = []
    for g in groups:
        part = values[values["group"] == g]
        data.append({"type": "box", "name": g, "x": part["category"], "y": part["value"], "text": part["sample"],
                     "marker": {"color": colours[g], "size": 3}, "line": {"color": colours[g]}, "boxpoints": "all",
                     "jitter": 0.3, "pointpos": 0, "fillcolor": "rgba(0,0,0,0)",
                     "hovertemplate": "%{text}<br>%{x}: %{y:.3g}<extra>" + g + "</extra>"})
    return {"data": data, "layout": _layout(
        380, boxmode="group", xaxis=_axis(type="category", categoryorder="array", categoryarray=categories),
        yaxis=_axis(title={"text": ylabel}), legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        margin={"l": 70, "r": 20, "t": 40, "b": 50})}


def pair_sharing(pairs: pd.DataFrame) -> dict:
    """Mutations shared and private per patient's pair of samples, sorted by Jaccard index (printed above).
    ``pairs``: patient_id, side_a, side_b, n_private_a, n_shared, n_private_b, jaccard_index."""
    pairs = pairs.sort_values("jaccard_index", ascending=False)
    side_a, side_b = str(pairs["side_a"].iloc[0]), str(pairs["side_b"].iloc[0])
    data = []
    for column, name, colour in (("n_private_a", f"private to {side_a}", "#0072B2"),
                                 ("n_shared", "shared", "#7f7f7f"),
                                 ("n_private_b", f"private to {side_b}", "#E69F00")):
        data.append({"type": "bar", "x": pairs["patient_id"], "y": pairs[column], "name": name,
                     "marker": {"color": colour}, "customdata": pairs["jaccard_index"],
                     "hovertemplate": "%{x}: %{y} " + name + "<br>Jaccard %{customdata:.2f}<extra></extra>"})
    data.append({"type": "scatter", "mode": "markers+lines", "x": pairs["patient_id"], "y": pairs["jaccard_index"],
                 "yaxis": "y2", "name": "Jaccard index", "marker": {"color": "#c62828", "size": 6},
                 "line": {"color": "#c62828", "width": 1}, "hovertemplate": "%{x}: Jaccard %{y:.2f}<extra></extra>"})
    return {"data": data, "layout": _layout(
        420, barmode="stack", xaxis=_axis(type="category", tickangle=-90, tickfont={"size": 9}, anchor="y"),
        yaxis=_axis(domain=[0, 0.68], title={"text": "mutations"}),
        yaxis2=_axis(domain=[0.74, 1.0], range=[0, 1.05], title={"text": "Jaccard"}),
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        margin={"l": 70, "r": 20, "t": 40, "b": 90})}


def waterfall(rows: pd.DataFrame, ylabel: str, colour_by: str) -> dict:
    """One bar per patient, sorted from the largest rise to the largest fall (the oncology waterfall).
    ``rows``: patient_id, change, ``colour_by`` (a status per patient), hover."""
    rows = rows.dropna(subset=["change"]).sort_values("change", ascending=False)
    statuses = sorted(rows[colour_by].astype(str).unique())
    colours = group_colours(statuses)
    data = [{"type": "bar", "x": part["patient_id"], "y": part["change"], "name": status,
             "marker": {"color": colours[status]}, "hovertext": part["hover"],
             "hovertemplate": "%{hovertext}<extra></extra>"}
            for status in statuses for part in [rows[rows[colour_by].astype(str) == status]]]
    return {"data": data, "layout": _layout(
        380, barmode="overlay", xaxis=_axis(type="category", categoryorder="array",
                                            categoryarray=list(rows["patient_id"]), tickangle=-90,
                                            tickfont={"size": 9}),
        yaxis=_axis(title={"text": ylabel}, zeroline=True, zerolinecolor="#444"),
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "title": {"text": colour_by}},
        margin={"l": 70, "r": 20, "t": 40, "b": 80})}


def spaghetti(rows: pd.DataFrame, times: list[str], ylabel: str, colour_by: str) -> dict:
    """One line per patient across ordered timepoints. ``rows``: patient_id, time (one of ``times``), value,
    ``colour_by``."""
    statuses = sorted(rows[colour_by].astype(str).unique())
    colours = group_colours(statuses)
    data, shown = [], set()
    for patient, part in rows.groupby("patient_id", sort=True):
        part = part.set_index("time").reindex(times).reset_index()
        status = str(part[colour_by].dropna().iloc[0])
        data.append({"type": "scatter", "mode": "lines+markers", "x": part["time"], "y": part["value"],
                     "name": status, "legendgroup": status, "showlegend": status not in shown,
                     "line": {"color": colours[status], "width": 1.2}, "marker": {"size": 5},
                     "hovertemplate": f"{patient}<br>%{{x}}: %{{y:.3g}}<extra>{status}</extra>"})
        shown.add(status)
    return {"data": data, "layout": _layout(
        380, xaxis=_axis(type="category", categoryorder="array", categoryarray=times),
        yaxis=_axis(title={"text": ylabel}), legend={"orientation": "v", "x": 1.02, "y": 1,
                                                     "title": {"text": colour_by}},
        margin={"l": 70, "r": 20, "t": 20, "b": 50})}


def lollipop(mutations: pd.DataFrame, protein: pd.DataFrame, hotspots: list[int], groups: list[str],
             gene: str) -> dict:
    """Mutations along a protein, as maftools' lollipopPlot: a stem per residue, its head at the number of mutated
    members (one head per group, declared colours), the protein below with its domains; residues of the study's
    hotspot list marked on the axis. ``mutations``: position, group, n_samples, changes (hover);
    ``protein``: aa_length, refseq_id, domain_start, domain_end, domain_label, domain_name."""
    length = int(protein["aa_length"].iloc[0])
    colours = group_colours(groups)
    top = max(int(mutations["n_samples"].max()), 1)
    stems_x, stems_y = [], []
    for position, n in mutations.groupby("position")["n_samples"].max().items():
        stems_x += [position, position, None]
        stems_y += [0, n, None]
    data = [{"type": "scatter", "mode": "lines", "x": stems_x, "y": stems_y, "line": {"color": "#9e9e9e", "width": 1},
             "hoverinfo": "skip", "showlegend": False, "name": "stems"}]
    for g in groups:
        part = mutations[mutations["group"] == g]
        data.append({"type": "scatter", "mode": "markers", "x": part["position"], "y": part["n_samples"], "name": g,
                     "marker": {"size": 10, "color": colours[g], "line": {"color": "white", "width": 1}},
                     "text": part["changes"], "cliponaxis": False,
                     "hovertemplate": "residue %{x}: %{y} member(s)<br>%{text}<extra>" + g + "</extra>"})
    domains = protein.dropna(subset=["domain_start"])
    palette = {label: GROUP_COLOURS[(i + 4) % len(GROUP_COLOURS)]
               for i, label in enumerate(dict.fromkeys(domains["domain_label"]))}
    shapes = [{"type": "rect", "xref": "x", "yref": "y2", "x0": 0, "x1": length, "y0": 0.35, "y1": 0.65,
               "fillcolor": "#e0e0e0", "line": {"width": 0}, "layer": "below"}]
    shapes += [{"type": "rect", "xref": "x", "yref": "y2", "x0": int(d.domain_start), "x1": int(d.domain_end),
                "y0": 0.1, "y1": 0.9, "fillcolor": palette[d.domain_label], "opacity": 0.7,
                "line": {"width": 0.5, "color": "#555"}} for d in domains.itertuples()]
    data.append({"type": "scatter", "mode": "markers", "yaxis": "y2", "name": "domains", "showlegend": False,
                 "x": (domains["domain_start"].astype(float) + domains["domain_end"].astype(float)) / 2,
                 "y": [0.5] * len(domains), "marker": {"size": 14, "opacity": 0},
                 "text": domains["domain_label"] + " (" + domains["domain_start"].astype(str) + "-"
                 + domains["domain_end"].astype(str) + "): " + domains["domain_name"].fillna(""),
                 "hovertemplate": "%{text}<extra></extra>"})
    data.append({"type": "scatter", "mode": "markers", "yaxis": "y2", "x": hotspots, "y": [1.15] * len(hotspots),
                 "name": "hotspot residue (the study's list)", "cliponaxis": False,
                 "marker": {"symbol": "triangle-down", "size": 9, "color": "#c62828"},
                 "hovertemplate": "hotspot residue %{x}<extra></extra>"})
    labels, taken = [], []  # a label only on a domain wide enough and clear of the labels already placed
    for d in domains.sort_values("domain_start").itertuples():
        start, end = int(d.domain_start), int(d.domain_end)
        if end - start > 0.08 * length and all(end <= a or start >= b for a, b in taken):
            taken.append((start, end))
            labels.append({"xref": "x", "yref": "y2", "x": (start + end) / 2, "y": 0.5, "text": d.domain_label,
                           "showarrow": False, "font": {"size": 9}})
    return {"data": data, "layout": _layout(
        380, title={"text": f"<i>{gene}</i> ({protein['refseq_id'].iloc[0]}, {length} aa)", "font": {"size": 12},
                    "x": 0, "xanchor": "left"},
        xaxis=_axis(range=[0, length * 1.01], title={"text": "amino acid"}, anchor="y2"),
        yaxis=_axis(domain=[0.3, 1.0], range=[0, top * 1.15], title={"text": "mutated members"}, dtick=max(1, top // 5)),
        yaxis2={"domain": [0, 0.2], "range": [0, 1.3], "visible": False},
        shapes=shapes, annotations=labels, legend={"orientation": "h", "y": -0.22, "yanchor": "top", "x": 0},
        margin={"l": 70, "r": 20, "t": 40, "b": 100})}
