"""`oncoduck report`: a static HTML cohort report (PNG figures) of a built warehouse.

Reads the published serving copy (or, when none exists, the warehouse read-only) and renders every
section whose tables exist; a section whose tables are not built yet says which table is missing.

Table contracts the report relies on (columns are matched by name, first candidate present wins):
- marts.dim_patient, marts.dim_sample, marts.fct_variant (variant_classification: MAF names),
  marts.fct_sample_gene_profiled (denominators: samples whose assay covers the gene).
- comparison membership (optional): any marts/stats table with columns comparison, group (group_name/
  group_label/comparison_group) and sample_id or patient_id. Without one, groups are the studies.
- marts.fct_sample_burden (tmb_per_mb, n_nonsynonymous, CNV burden columns; is_study_definition),
- marts.fct_gene_frequency / marts.fct_pathway_frequency (feature, group, frequency or n_altered/n_profiled),
- marts.fct_survival (study_id, patient_id, endpoint, time_months, event),
- stats.* tables with an odds ratio and q (enrichment forest) and with a hazard ratio (Cox forest).
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .. import publish as pub
from ..stats import survival
from ..stats.contingency import kruskal
from ..stats.wilcoxon import wilcoxon_rank_sum
from . import figures

# MAF Variant_Classification values counted as nonsynonymous in the oncoprint (maftools' default set).
NONSYNONYMOUS_CLASSES = (
    "Missense_Mutation", "Nonsense_Mutation", "Frame_Shift_Del", "Frame_Shift_Ins", "In_Frame_Del", "In_Frame_Ins",
    "Splice_Site", "Translation_Start_Site", "Nonstop_Mutation",
)
TOP_GENES = 20
MAX_ENDPOINTS = 4
# Burden measures shown when present: (table, column, axis label, log axis)
BURDEN_MEASURES = (
    ("marts.fct_sample_burden", "tmb_per_mb", "TMB (nonsynonymous / Mb)", True),
    ("marts.fct_sample_burden", "n_nonsynonymous", "nonsynonymous mutations", True),
    ("marts.fct_sample_cnv_burden", "cnv_count", "CNV count", True),
    ("marts.fct_sample_cnv_burden", "total_cnv_length_mb", "total CNV length (Mb)", True),
    ("marts.fct_sample_cnv_burden", "fraction_genome_altered", "fraction of genome altered", False),
)
COMPARISON_COLS = ("comparison", "comparison_name", "comparison_id")
GROUP_COLS = ("group_name", "group_label", "comparison_group", "group", "group_value")
P_COLS = ("p_value", "p", "pvalue", "p_val")
Q_COLS = ("q_value", "q", "p_adj", "fdr", "qvalue", "p_adjusted")
OR_COLS = ("odds_ratio", "or", "estimate")
HR_COLS = ("hazard_ratio", "hr")
LOW_COLS = ("ci_low", "conf_low", "ci_lower", "lower", "estimate_low", "or_low", "hr_low", "conf_int_low")
HIGH_COLS = ("ci_high", "conf_high", "ci_upper", "upper", "estimate_high", "or_high", "hr_high", "conf_int_high")
FEATURE_COLS = ("feature", "hugo_symbol", "gene", "pathway", "gene_set", "term", "cytoband")


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)  # (relative png path, caption)
    tables: list[str] = field(default_factory=list)  # html fragments
    notes: list[str] = field(default_factory=list)
    missing: str | None = None  # why the section is empty


class Source:
    """A read-only DuckDB connection plus what tables and columns it holds."""

    def __init__(self, con: duckdb.DuckDBPyConnection, label: str):
        self.con = con
        self.label = label
        rows = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where database_name = current_database() and (schema_name in ('marts', 'stats', 'serving') "
            "or table_name = 'int_comparison_members')").fetchall()
        self.columns: dict[tuple[str, str], list[str]] = {}
        for schema, table, column in rows:
            self.columns.setdefault((schema, table), []).append(column)

    def has(self, name: str, *cols: str) -> bool:
        schema, table = name.split(".")
        have = self.columns.get((schema, table))
        return have is not None and all(c in have for c in cols)

    def pick(self, name: str, candidates: tuple[str, ...]) -> str | None:
        have = self.columns.get(tuple(name.split(".")), [])
        return next((c for c in candidates if c in have), None)

    def df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fmt_p(p: float | None) -> str:
    if p is None or not np.isfinite(p):
        return "NA"
    return f"{p:.2g}" if p < 0.001 else f"{p:.3f}"


def _table_html(df: pd.DataFrame, max_rows: int = 30) -> str:
    shown = df.head(max_rows)
    out = shown.to_html(index=False, classes="data", border=0, na_rep="", float_format=lambda v: f"{v:.4g}")
    if len(df) > max_rows:
        out += f"<p class='small'>first {max_rows} of {len(df)} rows</p>"
    return out


def open_source(serving_dir: Path | str | None = None, warehouse: Path | str | None = None) -> Source:
    """The serving copy when it exists, else the warehouse read-only (never written)."""
    if warehouse is None:
        path = pub.serving_file(Path(serving_dir) if serving_dir else None)
        if path.exists():
            return Source(duckdb.connect(str(path), read_only=True), f"serving copy {path}")
    wh = Path(warehouse) if warehouse else pub.warehouse_path()
    if not wh.exists():
        raise FileNotFoundError(f"{wh}: no serving copy and no warehouse; run `oncoduck build` first")
    return Source(duckdb.connect(str(wh), read_only=True), f"warehouse {wh} (read-only; no serving copy published)")


# ------------------------------------------------------------------------------------------ groups

def declared_comparisons(src: Source) -> list[str]:
    """Comparison names found in the stats results (survival first: the richest sections), then the frequency marts."""
    names: list[str] = []
    for name in ("stats.stat_survival_tests", "stats.stat_burden_tests", "stats.stat_enrichment", "marts.fct_gene_frequency"):
        col = src.pick(name, COMPARISON_COLS)
        if col:
            names += [r[0] for r in src.con.execute(f"select distinct {_q(col)} from {name} order by 1").fetchall()
                      if r[0] not in names]
    return names


def comparison_membership(src: Source, comparison: str | None) -> tuple[pd.DataFrame | None, str, list[str]]:
    """(study_id, sample_id?, patient_id?, group) of the chosen comparison, a description, the comparisons found.

    None when no membership table exists (the caller then groups by study).
    """
    order = {"marts": 0, "stats": 1, "intermediate": 2}
    for (schema, table), cols in sorted(src.columns.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0])):
        if schema == "serving":
            continue
        name = f"{schema}.{table}"
        ccol, gcol = src.pick(name, COMPARISON_COLS), src.pick(name, GROUP_COLS)
        unit = [c for c in ("sample_id", "patient_id") if c in cols]
        if not (ccol and gcol and unit) or src.pick(name, P_COLS):
            continue
        names = [r[0] for r in src.con.execute(f"select distinct {_q(ccol)} from {name} order by 1").fetchall()]
        if not names:
            continue
        chosen = comparison or names[0]
        if chosen not in names:
            return None, f"comparison {html.escape(str(chosen))} has no members in {name}: groups are the studies", names
        # the member's own study (a comparison across studies belongs to one study, its members to several)
        study = "sample_study_id as study_id" if "sample_study_id" in cols else "study_id"
        keep = ", ".join([study] * ("study_id" in cols) + [_q(c) for c in unit])
        df = src.df(f"select distinct {keep}, cast({_q(gcol)} as varchar) as \"group\" from {name} "
                    f"where {_q(ccol)} = ?", [chosen])
        return df, f"comparison <b>{html.escape(str(chosen))}</b> (groups from {name})", names
    return None, ("no comparison-membership table with sample_id (e.g. marts.fct_comparison_member) in this copy: "
                  "per-sample figures group by study"), []


def _sample_groups(src: Source, members: pd.DataFrame | None) -> pd.DataFrame:
    """study_id, sample_id, patient_id, group for every sample (group = study when no comparison)."""
    samples = src.df("select study_id, sample_id, patient_id from marts.dim_sample")
    if members is None:
        return samples.assign(group=samples["study_id"])
    on = [c for c in ("study_id", "sample_id") if c in members.columns] if "sample_id" in members.columns else \
        [c for c in ("study_id", "patient_id") if c in members.columns]
    return samples.merge(members[[*on, "group"]].drop_duplicates(on), on=on, how="inner")


# ----------------------------------------------------------------------------------------- sections

def section_overview(src: Source, out: Path) -> Section:
    sec = Section("overview", "Cohort overview")
    if not src.has("marts.dim_sample") or not src.has("marts.dim_patient"):
        sec.missing = "marts.dim_patient / marts.dim_sample are not built"
        return sec
    counts = src.df("select study_id, coalesce(sample_type, 'unknown') as sample_type, count(*) as n_samples "
                    "from marts.dim_sample group by all order by all")
    summary = src.df("""
        select p.study_id, p.n_patients, s.n_samples, s.n_sequenced, coalesce(v.n_variants, 0) as n_variants
        from (select study_id, count(*) as n_patients from marts.dim_patient group by study_id) as p
        left join (select study_id, count(*) as n_samples, count(*) filter (where is_sequenced) as n_sequenced
                   from marts.dim_sample group by study_id) as s on s.study_id = p.study_id
        left join (select study_id, count(*) as n_variants from marts.fct_variant group by study_id) as v
               on v.study_id = p.study_id
        order by p.study_id""") if src.has("marts.fct_variant") else src.df(
        "select study_id, count(*) as n_samples from marts.dim_sample group by all order by all")
    sec.intro = (f"{int(summary['n_patients'].sum()) if 'n_patients' in summary else '?'} patients, "
                 f"{int(counts['n_samples'].sum())} samples in {len(summary)} studies.")
    figures.cohort_bars(counts, out / "figures" / "cohort_samples.png")
    sec.figures.append(("figures/cohort_samples.png", "Samples per study by sample type (marts.dim_sample)."))
    sec.tables.append(_table_html(summary))
    return sec


def _oncoprint_data(src: Source, groups: pd.DataFrame):
    has_filter = src.has("marts.fct_variant", "filter_status")
    classes = ", ".join(f"'{c}'" for c in NONSYNONYMOUS_CLASSES)
    alt = src.df(f"""
        select v.study_id, v.sample_id, v.hugo_symbol,
               case when count(distinct v.variant_classification) > 1 then 'Multi_Hit'
                    else min(v.variant_classification) end as variant_class
        from marts.fct_variant as v
        inner join marts.dim_sample as s on s.study_id = v.study_id and s.sample_id = v.sample_id and s.is_sequenced
        where v.variant_classification in ({classes}) {"and v.filter_status = 'PASS'" if has_filter else ""}
        group by v.study_id, v.sample_id, v.hugo_symbol""")
    seq = src.df("select study_id, sample_id from marts.dim_sample where is_sequenced")
    seq = seq.merge(groups[["study_id", "sample_id", "group"]], on=["study_id", "sample_id"], how="inner")
    alt = alt.merge(seq, on=["study_id", "sample_id"], how="inner")
    if src.has("marts.fct_sample_gene_profiled"):
        prof = src.df("""select p.study_id, p.sample_id, p.hugo_symbol from marts.fct_sample_gene_profiled as p
                         inner join marts.dim_sample as s on s.study_id = p.study_id and s.sample_id = p.sample_id
                         where s.is_sequenced and p.hugo_symbol in (select distinct hugo_symbol from marts.fct_variant)""")
        prof = prof.merge(seq[["study_id", "sample_id"]], on=["study_id", "sample_id"], how="inner")
    else:  # no panel information: every sequenced sample counts as profiled
        prof = seq[["study_id", "sample_id"]].merge(alt[["hugo_symbol"]].drop_duplicates(), how="cross")
    n_alt = alt.groupby("hugo_symbol").size()
    n_prof = prof.groupby("hugo_symbol").size()
    freq = (n_alt / n_prof.reindex(n_alt.index)).fillna(0)
    top = pd.DataFrame({"freq": freq, "n": n_alt}).sort_values(["freq", "n"], ascending=False).head(TOP_GENES).index
    return alt, prof, seq, list(top), n_alt, n_prof


def section_oncoprint(src: Source, out: Path, groups: pd.DataFrame) -> tuple[Section, Section]:
    sec = Section("oncoprint", "Oncoprint of the most frequently mutated genes")
    bars = Section("gene_frequency", "Gene and pathway alteration frequencies")
    if not src.has("marts.fct_variant", "variant_classification", "hugo_symbol"):
        sec.missing = bars.missing = "marts.fct_variant is not built"
        return sec, bars
    alt, prof, seq, top, n_alt, n_prof = _oncoprint_data(src, groups)
    if not top:
        sec.missing = "no nonsynonymous variant in sequenced samples"
        return sec, bars
    seq["key"] = seq["study_id"] + "|" + seq["sample_id"]
    alt["key"] = alt["study_id"] + "|" + alt["sample_id"]
    prof["key"] = prof["study_id"] + "|" + prof["sample_id"]
    cls = alt[alt["hugo_symbol"].isin(top)].pivot_table(index="hugo_symbol", columns="key", values="variant_class",
                                                        aggfunc="first").reindex(index=top, columns=seq["key"])
    pro = (prof[prof["hugo_symbol"].isin(top)].assign(x=1)
           .pivot_table(index="hugo_symbol", columns="key", values="x", aggfunc="max")
           .reindex(index=top, columns=seq["key"]).notna())
    altered = cls.notna().to_numpy()
    # group first, then the classic "memo sort": samples altered in the top gene first, then the next gene...
    group_rank = seq["group"].astype(str).rank(method="dense").to_numpy()
    order = np.lexsort([*(~altered[::-1]), group_rank])
    keys = seq["key"].to_numpy()[order]
    cls, pro = cls[keys].fillna(""), pro[keys]
    n_groups = seq["group"].nunique()
    sample_groups = seq.set_index("key")["group"] if n_groups > 1 else None
    freq = (n_alt / n_prof.reindex(n_alt.index)).reindex(top)
    figures.oncoprint(cls, pro, freq, out / "figures" / "oncoprint.png", sample_groups)
    sec.intro = (f"Top {len(top)} genes by the fraction of profiled sequenced samples with a nonsynonymous mutation "
                 f"(MAF classes: {', '.join(NONSYNONYMOUS_CLASSES)}). Denominators are the samples whose assay "
                 "covers the gene (marts.fct_sample_gene_profiled), mutation-free samples included.")
    sec.figures.append(("figures/oncoprint.png", "Oncoprint; right: altered / profiled."))

    # gene frequency bars: the frequency mart when built, else the same computation by group
    if src.has("marts.fct_gene_frequency"):
        fq = _frequency_from_mart(src, "marts.fct_gene_frequency", groups)
        if fq is not None:
            figures.frequency_bars(fq, out / "figures" / "gene_frequency.png")
            bars.figures.append(("figures/gene_frequency.png", f"Gene alteration frequency (altered / profiled) by group of {groups.attrs.get('comparison')} "
                                 "(marts.fct_gene_frequency)."))
    if not bars.figures:
        top = top[:12]
        a = alt[alt["hugo_symbol"].isin(top)].groupby(["hugo_symbol", "group"]).size().rename("n_altered")
        p = (prof[prof["hugo_symbol"].isin(top)].merge(seq[["study_id", "sample_id", "group"]], on=["study_id", "sample_id"])
             .groupby(["hugo_symbol", "group"]).size().rename("n_profiled"))
        fq = pd.concat([a, p], axis=1).fillna(0).reset_index()
        fq["frequency"] = fq["n_altered"] / fq["n_profiled"].replace(0, np.nan)
        fq = fq.rename(columns={"hugo_symbol": "feature"})
        fq["feature"] = pd.Categorical(fq["feature"], categories=top, ordered=True)
        fq = fq.sort_values("feature")
        fq["feature"] = fq["feature"].astype(str)
        figures.frequency_bars(fq, out / "figures" / "gene_frequency.png", "mutated / profiled")
        bars.figures.append(("figures/gene_frequency.png",
                             "Nonsynonymous mutation frequency by group, profiled denominators "
                             "(computed from marts.fct_variant; marts.fct_gene_frequency is not built yet)."))
    if src.has("marts.fct_pathway_frequency"):
        fq = _frequency_from_mart(src, "marts.fct_pathway_frequency", groups)
        if fq is not None:
            figures.frequency_bars(fq, out / "figures" / "pathway_frequency.png")
            bars.figures.append(("figures/pathway_frequency.png", f"Pathway alteration frequency by group of "
                                 f"{groups.attrs.get('comparison')} (marts.fct_pathway_frequency)."))
    else:
        bars.notes.append("Pathway frequencies: marts.fct_pathway_frequency is not built yet.")
    return sec, bars


def _frequency_from_mart(src: Source, name: str, groups: pd.DataFrame) -> pd.DataFrame | None:
    feature = src.pick(name, FEATURE_COLS)
    group = src.pick(name, GROUP_COLS)
    freq = src.pick(name, ("frequency", "altered_fraction", "fraction_altered", "freq", "pct_altered"))
    n_alt, n_prof = src.pick(name, ("n_altered",)), src.pick(name, ("n_profiled", "n_samples", "n_total"))
    if not feature or not (freq or (n_alt and n_prof)):
        return None
    value = _q(freq) if freq else f"{_q(n_alt)} / nullif({_q(n_prof)}, 0)"
    where = []
    comp = src.pick(name, COMPARISON_COLS)
    if comp and groups.attrs.get("comparison"):
        where.append(f"{_q(comp)} = '{str(groups.attrs['comparison']).replace(chr(39), chr(39) * 2)}'")
    alt_type = src.pick(name, ("alteration_type", "alteration"))
    if alt_type:
        kinds = [r[0] for r in src.con.execute(f"select distinct {_q(alt_type)} from {name}").fetchall()]
        pick = next((k for k in ("any", "either", "mutation_or_cna", "mutation") if k in kinds), kinds[0] if kinds else None)
        if pick is not None:
            where.append(f"{_q(alt_type)} = '{pick}'")
    df = src.df(f"select cast({_q(feature)} as varchar) as feature, "
                f"{f'cast({_q(group)} as varchar)' if group else chr(39) + 'all' + chr(39)} as \"group\", "
                f"{value} as frequency from {name} {'where ' + ' and '.join(where) if where else ''}")
    df = df.groupby(["feature", "group"], as_index=False)["frequency"].max()
    top = df.groupby("feature")["frequency"].max().sort_values(ascending=False).head(15).index
    df = df[df["feature"].isin(top)]
    df["feature"] = pd.Categorical(df["feature"], categories=list(top), ordered=True)
    return df.sort_values("feature").assign(feature=lambda d: d["feature"].astype(str))


def _group_test(values: pd.DataFrame) -> str:
    """Wilcoxon rank-sum (two groups) or Kruskal-Wallis (three or more), as R computes them."""
    levels = sorted(values["group"].astype(str).unique())
    if len(levels) < 2:
        return "one group: no test"
    if len(levels) == 2:
        x = values.loc[values["group"].astype(str) == levels[0], "value"]
        y = values.loc[values["group"].astype(str) == levels[1], "value"]
        r = wilcoxon_rank_sum(x, y)
        return f"Wilcoxon rank-sum (two-sided) W = {r.statistic:.1f}, p = {_fmt_p(r.p_value)}"
    r = kruskal(values["value"], values["group"].astype(str))
    return f"Kruskal-Wallis chi2 = {r.statistic:.2f}, df = {int(r.df or 0)}, p = {_fmt_p(r.p_value)}"


def _declared_burden_test(tests: pd.DataFrame | None, measure: str) -> str | None:
    if tests is None or tests.empty or "measure" not in tests.columns:
        return None
    rows = tests[tests["measure"] == measure]
    if rows.empty:
        return None
    parts = []
    for _, r in rows.iterrows():
        pair = " vs ".join(str(r[c]) for c in ("group1", "group2") if c in r and pd.notna(r[c]))
        alt = f" ({r['alternative']})" if "alternative" in r and pd.notna(r.get("alternative")) else ""
        parts.append(f"{pair}{alt}: p = {_fmt_p(r.get('p_value'))}, q = {_fmt_p(r.get('q_value'))}")
    return "; ".join(parts)


def section_burden(src: Source, out: Path, groups: pd.DataFrame) -> Section:
    sec = Section("burden", "Mutational and copy-number burden by group")
    measures = [(t, c, label, log) for t, c, label, log in BURDEN_MEASURES if src.has(t, "sample_id", c)]
    if not measures:
        sec.missing = "marts.fct_sample_burden / marts.fct_sample_cnv_burden are not built yet"
        return sec
    comparison = groups.attrs.get("comparison")
    tests = None
    if src.has("stats.stat_burden_tests") and comparison:
        tests = _comparison_rows(src, "stats.stat_burden_tests", groups)
    by_comparison = groups.attrs.get("by_comparison", False)
    sec.intro = ("Every sequenced sample (zero-mutation samples included), TMB under its study's definition. "
                 + ("Groups: the comparison's members; p from stats.stat_burden_tests when declared, else "
                    if by_comparison else "Groups: studies (no per-sample comparison membership in this copy); p: ")
                 + "R wilcox.test for two groups (exact when no ties and n < 50, else normal approximation with "
                   "continuity correction) or kruskal.test, computed by the report with oncoduck.stats.")
    for table, col, label, log in measures:
        where = "where is_study_definition" if src.has(table, "is_study_definition") else ""
        vals = src.df(f"select study_id, sample_id, {_q(col)} as value from {table} {where}")
        vals = vals.merge(groups[["study_id", "sample_id", "group"]], on=["study_id", "sample_id"], how="inner")
        vals = vals[["group", "value"]].dropna()
        if vals.empty:
            continue
        declared = _declared_burden_test(tests, col) if by_comparison else None
        test = f"{comparison}: {declared}" if declared else _group_test(vals)
        path = f"figures/burden_{col}.png"
        figures.burden_by_group(vals, col, label, out / path, test, log=log)
        sec.figures.append((path, f"{label} by group ({table}); {test}."))
    if tests is not None and not tests.empty:
        sec.notes.append(f"Declared burden tests of comparison {comparison} (stats.stat_burden_tests):")
        keep = [c for c in ("measure", "group1", "group2", "n1", "n2", "median1", "median2", "statistic", "p_value",
                            "q_value", "alternative", "method", "reason") if c in tests.columns]
        sec.tables.append(_table_html(tests[keep]))
    return sec


def _stats_tables(src: Source, accept) -> list[str]:
    return [f"{s}.{t}" for (s, t), cols in sorted(src.columns.items()) if s == "stats" and accept(f"{s}.{t}", cols)]


def _comparison_rows(src: Source, name: str, groups: pd.DataFrame) -> pd.DataFrame:
    """The rows of a stats table for the chosen comparison, its group column named "group"."""
    comp = src.pick(name, COMPARISON_COLS)
    if comp and groups.attrs.get("comparison"):
        rows = src.df(f"select * from {name} where {_q(comp)} = ?", [groups.attrs["comparison"]])
    else:
        rows = src.df(f"select * from {name}")
    group = next((c for c in GROUP_COLS if c in rows.columns), None)
    return rows.rename(columns={group: "group"}) if group and group != "group" else rows


def section_enrichment(src: Source, out: Path, groups: pd.DataFrame) -> Section:
    sec = Section("enrichment", "Enrichment: odds ratios with q")
    tables = _stats_tables(src, lambda n, c: src.pick(n, ("odds_ratio", "or")) and src.pick(n, Q_COLS)
                           and src.pick(n, FEATURE_COLS) and not re.search("cox|surv|burden|interaction", n))
    if not tables:
        sec.missing = ("no stats table with odds_ratio, q and feature yet (the enrichment results of the declared "
                       "comparisons, stats.stat_enrichment)")
        return sec
    comparison = groups.attrs.get("comparison")
    for name in tables:
        df = _comparison_rows(src, name, groups)
        est, q = src.pick(name, ("odds_ratio", "or")), src.pick(name, Q_COLS)
        low, high, feature = src.pick(name, LOW_COLS), src.pick(name, HIGH_COLS), src.pick(name, FEATURE_COLS)
        if "test" in df.columns:
            df = df[df["test"] == "pairwise"] if (df["test"] == "pairwise").any() else df
        if "alteration_type" in df.columns and (df["alteration_type"] == "any").any():
            df = df[df["alteration_type"] == "any"]
        df = df[np.isfinite(pd.to_numeric(df[est], errors="coerce"))]
        levels = sorted(df["feature_level"].dropna().unique()) if "feature_level" in df.columns else [None]
        for level in levels:
            part = df if level is None else df[df["feature_level"] == level]
            part = part.sort_values([q, src.pick(name, P_COLS) or q]).head(20)
            if part.empty:
                continue
            several_pairs = ({"group1", "group2"} <= set(part.columns)
                             and part[["group1", "group2"]].drop_duplicates().shape[0] > 1)
            pair = (" (" + part["group1"].astype(str) + " vs " + part["group2"].astype(str) + ")") if several_pairs else ""
            rows = pd.DataFrame({"label": part[feature].astype(str) + pair, "estimate": part[est],
                                 "low": part[low] if low else np.nan, "high": part[high] if high else np.nan,
                                 "annotation": "q = " + part[q].map(_fmt_p)})
            tag = re.sub(r"[^A-Za-z0-9]+", "_", f"{name}_{level or 'all'}")
            path = f"figures/enrichment_{tag}.png"
            figures.forest(rows, out / path, "odds ratio (log scale)")
            groups_txt = ""
            if {"group1", "group2"} <= set(part.columns) and not several_pairs:
                groups_txt = f" {part['group1'].iloc[0]} vs {part['group2'].iloc[0]};"
            sec.figures.append((path, f"{comparison or 'all comparisons'}:{groups_txt} top {len(rows)} "
                                      f"{level or 'feature'}s by q (BH within the declared family), from {name}."))
    if not sec.figures:
        sec.missing = f"no enrichment result with a finite odds ratio for comparison {comparison}"
    return sec


def _patient_groups(groups: pd.DataFrame) -> pd.DataFrame:
    """One group per patient; patients whose samples fall in different groups are left out."""
    g = groups[["study_id", "patient_id", "group"]].drop_duplicates()
    n = g.groupby(["study_id", "patient_id"])["group"].transform("nunique")
    return g[n == 1]


def _at_risk_from_data(df: pd.DataFrame, times: np.ndarray) -> pd.DataFrame:
    t = df["time_months"].to_numpy(float)
    return pd.DataFrame({str(g): [(t[(df["group"] == g).to_numpy()] >= x).sum() for x in times]
                         for g in sorted(df["group"].astype(str).unique())}, index=times).T


def _at_risk_from_km(km: pd.DataFrame, times: np.ndarray) -> pd.DataFrame:
    """Numbers at risk at ``times`` from a KM table: n_risk at the first time >= t (0 past the last time)."""
    out = {}
    for g, d in km.groupby("group", sort=True):
        d = d.sort_values("time")
        idx = np.searchsorted(d["time"].to_numpy(float), times, side="left")
        n = np.append(d["n_risk"].to_numpy(float), 0.0)
        out[str(g)] = n[idx]
    return pd.DataFrame(out, index=times).T


def _times(tmax: float) -> np.ndarray:
    step = 6 if tmax <= 36 else 12 if tmax <= 120 else 24
    return np.arange(0, tmax + 1e-9, step)


def section_survival(src: Source, out: Path, groups: pd.DataFrame) -> tuple[Section, Section]:
    km_sec = Section("survival", "Kaplan-Meier curves")
    cox_sec = Section("cox", "Cox proportional hazards")
    name = "marts.fct_survival"
    comparison = groups.attrs.get("comparison")
    by_comparison = groups.attrs.get("by_comparison", False)
    declared = (_comparison_rows(src, "stats.stat_survival_tests", groups)
                if src.has("stats.stat_survival_tests", "endpoint", "test") and comparison else pd.DataFrame())
    cox_rows = []
    if src.has(name, "patient_id", "endpoint", "time_months", "event"):
        surv = src.df(f"select study_id, patient_id, endpoint, time_months, event from {name} "
                      "where time_months is not null and event is not null")
        surv = surv.merge(_patient_groups(groups), on=["study_id", "patient_id"], how="inner")
        surv["group"] = surv["group"].astype(str)
        curves = (_comparison_rows(src, "stats.stat_survival_curves", groups)
                  if not by_comparison and comparison and src.has("stats.stat_survival_curves", "endpoint", "surv")
                  else pd.DataFrame())
        if not curves.empty:
            # no per-patient membership in this copy: the comparison's curves as stats computed them
            km_sec.intro = (f"{comparison}: Kaplan-Meier estimates with 95 % log CI (R survfit) from "
                            "stats.stat_survival_curves, numbers at risk, log-rank p from stats.stat_survival_tests.")
            for endpoint, km in curves.groupby("endpoint", sort=True):
                lr = declared[(declared["endpoint"] == endpoint) & (declared["test"] == "logrank")]
                test = (f"log-rank chi2 = {lr['statistic'].iloc[0]:.2f}, p = {_fmt_p(lr['p_value'].iloc[0])}"
                        if not lr.empty else "no declared log-rank test")
                km = km.assign(group=km["group"].astype(str))
                path = f"figures/km_{re.sub(r'[^A-Za-z0-9]+', '_', str(endpoint))}.png"
                figures.kaplan_meier_plot(km, _at_risk_from_km(km, _times(km["time"].max())),
                                          f"{comparison}, {endpoint}: {test}", out / path)
                km_sec.figures.append((path, f"{endpoint}; {test}."))
        else:
            endpoints = surv.groupby("endpoint").size().sort_values(ascending=False).head(MAX_ENDPOINTS).index
            km_sec.intro = ("Kaplan-Meier estimates with 95 % log CI (R survfit), censoring ticks, numbers at risk, "
                            "and the log-rank test (R survdiff), computed from marts.fct_survival with "
                            "oncoduck.stats.survival; groups: " + (f"comparison {comparison}" if by_comparison
                                                                   else "studies") + ".")
            for endpoint in sorted(endpoints):
                d = surv[surv["endpoint"] == endpoint]
                km = survival.kaplan_meier(d["time_months"], d["event"], d["group"])
                lr = survival.logrank(d["time_months"], d["event"], d["group"]) if d["group"].nunique() > 1 else None
                test = (f"log-rank chi2 = {lr.chisq:.2f}, df = {lr.df}, p = {_fmt_p(lr.p_value)}" if lr is not None
                        else "one group: no test")
                path = f"figures/km_{re.sub(r'[^A-Za-z0-9]+', '_', str(endpoint))}.png"
                figures.kaplan_meier_plot(km, _at_risk_from_data(d, _times(d["time_months"].max())),
                                          f"{endpoint}: {test}", out / path)
                km_sec.figures.append((path, f"{endpoint}; {test}."))
                km_sec.tables.append(f"<p class='small'>{html.escape(str(endpoint))}: median months (95 % CI)</p>"
                                     + _table_html(survival.km_median(d["time_months"], d["event"], d["group"])))
                if d["group"].nunique() > 1:
                    fit = survival.cox(d.rename(columns={"group": "grp"}), "time_months", "event", ["grp"])
                    cox_rows.append(fit.coefficients.assign(endpoint=endpoint))
        if not declared.empty and "km_median" in set(declared["test"]):
            med = declared[declared["test"] == "km_median"]
            keep = [c for c in ("endpoint", "group", "n", "n_events", "estimate", "ci_low", "ci_high", "reason")
                    if c in med.columns]
            km_sec.notes.append(f"Median survival (months) of comparison {comparison} (stats.stat_survival_tests):")
            km_sec.tables.append(_table_html(med[keep]))
    else:
        km_sec.missing = f"{name} (study_id, patient_id, endpoint, time_months, event) is not built yet"

    # Cox forest: declared results when built, else univariable models of the groups computed above
    cox = declared[declared["test"] == "cox"] if not declared.empty else pd.DataFrame()
    if not cox.empty:
        ref = cox["reference_group"].astype(str) if "reference_group" in cox.columns else ""
        rows = pd.DataFrame({"label": cox["endpoint"].astype(str) + ": " + cox["group"].astype(str) + " vs " + ref,
                             "estimate": cox["estimate"], "low": cox["ci_low"], "high": cox["ci_high"],
                             "annotation": "p = " + cox["p_value"].map(_fmt_p)})
        note = f"comparison {comparison}, from stats.stat_survival_tests (R coxph, Efron ties)"
    elif cox_rows:
        c = pd.concat(cox_rows, ignore_index=True)
        rows = pd.DataFrame({"label": c["endpoint"] + ": " + c["term"].str.replace("^grp", "", regex=True),
                             "estimate": c["hr"], "low": c["hr_low"], "high": c["hr_high"],
                             "annotation": "p = " + c["p"].map(_fmt_p)})
        note = ("univariable Cox models of the groups (R coxph, Efron ties; reference = first group), computed by the "
                "report: no declared Cox results for this comparison")
    else:
        cox_sec.missing = (km_sec.missing or "no hazard ratio: no declared Cox results and only one group")
        return km_sec, cox_sec
    figures.forest(rows, out / "figures" / "cox_forest.png", "hazard ratio (log scale)")
    cox_sec.figures.append(("figures/cox_forest.png", f"Hazard ratios with 95 % CI, {note}."))
    return km_sec, cox_sec


# --------------------------------------------------------------------------------------------- html

CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
.meta,.small{color:#666;font-size:.85em} .missing{background:#fff8e1;border-left:4px solid #f9a825;padding:.6em 1em}
figure{margin:1em 0} figure img{max-width:100%;border:1px solid #eee} figcaption{color:#555;font-size:.85em}
table.data{border-collapse:collapse;font-size:.8em;margin:.5em 0} table.data th,table.data td{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}
table.data th{background:#f5f5f5} nav a{margin-right:1em}
"""


def render_html(sections: list[Section], source_label: str, group_note: str, publication: dict | None) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    pub_txt = (f" &middot; publication {html.escape(str(publication.get('publication_id')))}"
               + (" (pseudonymized)" if publication.get("pseudonymized") else "")) if publication else ""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>oncoduck cohort report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>oncoduck cohort report</h1>",
        f"<p class='meta'>Generated {now} from the {html.escape(source_label)}{pub_txt}.<br>Groups: {group_note}.</p>",
        "<nav>" + "".join(f"<a href='#{s.key}'>{html.escape(s.title)}</a>" for s in sections) + "</nav>",
    ]
    for s in sections:
        parts.append(f"<section id='{s.key}'><h2>{html.escape(s.title)}</h2>")
        if s.missing:
            parts.append(f"<p class='missing'>Not shown: {html.escape(s.missing)}.</p>")
        if s.intro:
            parts.append(f"<p>{html.escape(s.intro)}</p>")
        for path, caption in s.figures:
            parts.append(f"<figure><img src='{html.escape(path)}' alt='{html.escape(caption)}'>"
                         f"<figcaption>{html.escape(caption)}</figcaption></figure>")
        parts.extend(f"<p class='small'>{html.escape(n)}</p>" for n in s.notes)
        parts.extend(s.tables)
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def section_signatures(src: Source, out: Path, groups: pd.DataFrame) -> Section:
    sec = Section("signatures", "Mutational signatures, APOBEC and NMF subtypes")
    if not src.has("marts.fct_sample_sbs96"):
        sec.missing = "marts.fct_sample_sbs96 is not built"
        return sec
    catalogue = src.df("""select study_id, sample_id, channel, plot_index, substitution_class, n_snv
                          from marts.fct_sample_sbs96 where variant_set = 'all_snv'""")
    catalogue = catalogue.merge(groups[["study_id", "sample_id", "group"]], on=["study_id", "sample_id"])
    if catalogue.empty or catalogue["n_snv"].sum() == 0:
        sec.missing = "no sample of this grouping has SNVs with a sequence context (no CONTEXT column, no reference_fasta)"
        return sec
    order = sorted(catalogue["group"].unique())
    pooled = catalogue.groupby(["group", "channel", "plot_index", "substitution_class"], as_index=False).agg(
        n_snv=("n_snv", "sum"), n_samples=("sample_id", "nunique"))
    pooled["share"] = pooled["n_snv"] / pooled.groupby("group")["n_snv"].transform("sum")
    pooled["group"] = pd.Categorical(pooled["group"], categories=[g for g in order if g in set(pooled["group"])])
    pooled = pooled.sort_values(["group", "plot_index"])
    pooled["group"] = pooled["group"].astype(str)
    sec.intro = ("Single-base substitutions with a sequence context (MAF context column or the study's reference FASTA), "
                 "pooled per group, in COSMIC's SBS96 figure order (marts.fct_sample_sbs96, every PASS SNV).")
    figures.sbs96_profiles(pooled, out / "figures/sbs96_profiles.png")
    sec.figures.append(("figures/sbs96_profiles.png", "SBS96 profile per group (share of the group's SNVs per channel)."))
    if src.has("stats.stat_signature_exposures"):
        exposures = src.df("""select study_id, sample_id, signature_id, relative_exposure
                              from stats.stat_signature_exposures where relative_exposure is not null""")
        exposures = exposures.merge(groups[["study_id", "sample_id", "group"]], on=["study_id", "sample_id"])
        if not exposures.empty:
            means = exposures.groupby(["group", "signature_id"], as_index=False, sort=False).agg(
                relative_exposure=("relative_exposure", "mean"), n_fitted=("sample_id", "nunique"))
            means["group"] = pd.Categorical(means["group"], categories=[g for g in order if g in set(means["group"])])
            means = means.sort_values(["group", "signature_id"])
            means["group"] = means["group"].astype(str)
            figures.exposure_bars(means, out / "figures/signature_exposures.png")
            sec.figures.append(("figures/signature_exposures.png",
                                "Mean relative COSMIC exposure per group (stats.stat_signature_exposures, NNLS)."))
    if src.has("stats.stat_signature_tests") and groups.attrs.get("comparison"):
        tests = _comparison_rows(src, "stats.stat_signature_tests", groups)
        if not tests.empty:
            sec.notes.append(f"Declared signature tests of comparison {groups.attrs['comparison']} (stats.stat_signature_tests):")
            sec.tables.append(_table_html(tests[["measure", "group1", "group2", "n1", "n2", "median1", "median2",
                                                 "p_value", "q_value", "alternative", "method"]]))
    if src.has("stats.stat_signatures_de_novo"):
        de_novo = src.df("""select distinct study_id, rank, signature_label, best_cosmic_match, cosine_similarity,
                                   cophenetic_correlation, reason
                            from stats.stat_signatures_de_novo order by study_id, signature_label""")
        if not de_novo.empty:
            sec.notes.append("De novo signatures (NMF rank survey by cophenetic correlation) and their closest COSMIC "
                             "signature (stats.stat_signatures_de_novo):")
            sec.tables.append(_table_html(de_novo))
    if src.has("marts.fct_nmf_rank_diagnostics"):
        diagnostics = src.df("select * from marts.fct_nmf_rank_diagnostics where cophenetic_correlation is not null")
        if not diagnostics.empty:
            figures.rank_diagnostics(diagnostics, out / "figures/nmf_rank_diagnostics.png")
            sec.figures.append(("figures/nmf_rank_diagnostics.png",
                                "NMF rank diagnostics: cophenetic correlation of the consensus matrix (Brunet 2004); "
                                "the circled rank is kept (marts.fct_nmf_rank_diagnostics)."))
    if src.has("stats.stat_nmf_association"):
        association = src.df("select study_id, comparison, rank, n, n_unclustered, contingency_table, p_value, method "
                             "from stats.stat_nmf_association order by study_id, comparison")
        if not association.empty:
            sec.notes.append("NMF clusters against the declared groups (stats.stat_nmf_association):")
            sec.tables.append(_table_html(association))
    return sec


def build_report(out_dir: Path | str | None = None, comparison: str | None = None,
                 serving_dir: Path | str | None = None, warehouse: Path | str | None = None) -> Path:
    """Render the report to ``out_dir``/index.html (+ figures/*.png); returns the HTML path.

    Default ``out_dir``: report/ inside the serving folder.
    """
    src = open_source(serving_dir, warehouse)
    out = Path(out_dir) if out_dir else Path(serving_dir or pub.default_serving_dir()) / "report"
    (out / "figures").mkdir(parents=True, exist_ok=True)
    for old in (out / "figures").glob("*.png"):
        old.unlink()
    try:
        publication = None
        if src.has("serving.publication"):
            publication = src.df("select * from serving.publication").iloc[0].to_dict()
        declared = declared_comparisons(src)
        if comparison and declared and comparison not in declared:
            raise ValueError(f"comparison {comparison!r} is not declared; the results hold: {', '.join(declared)}")
        chosen = comparison or (declared[0] if declared else None)
        members, group_note, names = (comparison_membership(src, chosen) if src.has("marts.dim_sample")
                                      else (None, "", []))
        chosen = chosen or (names[0] if names else None)
        if chosen:
            others = [n for n in declared if n != chosen]
            group_note = (f"comparison <b>{html.escape(chosen)}</b> (choose another with --comparison: "
                          f"{html.escape(', '.join(others)) or 'none'}); per-sample figures: {group_note}")
        sections = [section_overview(src, out)]
        if src.has("marts.dim_sample"):
            groups = _sample_groups(src, members)
            groups.attrs["comparison"] = chosen
            groups.attrs["by_comparison"] = members is not None
            onco, bars = section_oncoprint(src, out, groups)
            km, cox = section_survival(src, out, groups)
            sections += [onco, section_burden(src, out, groups), bars, section_enrichment(src, out, groups), km, cox,
                         section_signatures(src, out, groups)]
        html_text = render_html(sections, src.label, group_note, publication)
    finally:
        src.con.close()
    path = out / "index.html"
    tmp = out / f".index.html.{os.getpid()}.tmp"
    tmp.write_text(html_text)
    os.replace(tmp, path)
    return path
