"""`oncoduck report`: one self-contained HTML file of a built warehouse, read from the marts and stats only.

Reads the published serving copy (or, when none exists, the warehouse read-only). The report computes no
statistic of its own: every p, q, ratio, interval and survival estimate is a row of a stats table, drawn in the
groups' declared order (marts.fct_comparison_member.group_order). A section whose tables are not built says
which table is missing.

The page has a cohort part (studies, the oncoprint by study, paired samples and longitudinal ctDNA,
signatures) and one view per declared comparison, chosen with a selector: its groups, Table 1, oncoprint,
burden, substitution classes and VAF, alteration frequencies, copy number along the genome, enrichment,
somatic interactions, Kaplan-Meier curves, Cox models and the per-gene survival screen. Figures are plotly
specs (figures.py) drawn by the inlined plotly.js (page.py).
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .. import publish as pub
from ..reference.protein_domains import proteins
from . import figures, page

TOP_GENES = 20
TOP_FEATURES = 15
TOP_ENRICHED = 20
LOLLIPOP_GENES = 4
# The oncoprint's clinical tracks (table, column, track name), each drawn when two or more of its values are known
# among the members: the attributes the seed papers' oncoprints annotate.
ANNOTATION_TRACKS = (
    ("marts.dim_sample", "sample_type", "sample type"),
    ("marts.dim_patient", "her2_category", "HER2"),
    ("marts.dim_patient", "hr_status", "HR"),
    ("marts.dim_patient", "subtype", "subtype"),
)
# Burden measures shown when present: (table, column, axis label, log axis)
BURDEN_MEASURES = (
    ("marts.fct_sample_burden", "tmb_per_mb", "TMB (nonsynonymous / Mb)", True),
    ("marts.fct_sample_burden", "n_nonsynonymous", "nonsynonymous mutations", True),
    ("marts.fct_sample_cnv_burden", "cnv_count", "CNV count", True),
    ("marts.fct_sample_cnv_burden", "total_cnv_length_mb", "total CNV length (Mb)", True),
    ("marts.fct_sample_cnv_burden", "fraction_genome_altered", "fraction of genome altered", False),
)
MEMBERS = "marts.fct_comparison_member"


@dataclass
class Figure:
    key: str  # unique in the page: the element id and the exported file's name
    caption: str
    spec: dict  # plotly {"data": [...], "layout": {...}}


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    figures: list[Figure] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)  # html fragments
    notes: list[str] = field(default_factory=list)
    missing: str | None = None  # why the section is empty
    columns: int = 1  # figures side by side


@dataclass
class View:
    """One declared comparison: what the selector switches to."""
    key: str
    label: str
    sections: list[Section]


@dataclass
class Comparison:
    study_id: str
    name: str
    unit: str
    members: pd.DataFrame  # study_id (the sample's study), sample_id, patient_id, group
    groups: list[str]  # declared order

    @property
    def key(self) -> str:
        return page.slug(f"{self.study_id}--{self.name}")


class Source:
    """A read-only DuckDB connection plus what tables and columns it holds.

    The page shows every comparison, so a table is read once and split by comparison in memory (``rows_of``), and
    a query asked for again is answered from memory (``frame``): a warehouse with hundreds of comparisons renders
    in one pass over its tables, not one per comparison.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, label: str):
        self.con = con
        self.label = label
        rows = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where database_name = current_database() and schema_name in ('marts', 'stats', 'serving')").fetchall()
        self.columns: dict[str, list[str]] = {}
        for schema, table, column in rows:
            self.columns.setdefault(f"{schema}.{table}", []).append(column)
        self._frames: dict[str, pd.DataFrame] = {}
        self._by_comparison: dict[str, tuple[dict, pd.DataFrame]] = {}

    def has(self, name: str, *cols: str) -> bool:
        have = self.columns.get(name)
        return have is not None and all(c in have for c in cols)

    def df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def frame(self, sql: str) -> pd.DataFrame:
        """``df(sql)``, read once per report."""
        if sql not in self._frames:
            self._frames[sql] = self.df(sql)
        return self._frames[sql]

    def rows_of(self, name: str, comparison: Comparison) -> pd.DataFrame:
        """A stats or mart table's rows of one comparison (empty when the table is not built)."""
        if not self.has(name, "study_id", "comparison"):
            return pd.DataFrame()
        if name not in self._by_comparison:
            table = self.df(f"select * from {name}")
            self._by_comparison[name] = (dict(list(table.groupby(["study_id", "comparison"], sort=False))),
                                         table.iloc[0:0])
        parts, empty = self._by_comparison[name]
        return parts.get((comparison.study_id, comparison.name), empty)


def _fmt_p(p) -> str:
    if p is None or pd.isna(p):
        return "NA"
    return f"{p:.2g}" if p < 0.001 else f"{p:.3f}"


def _fmt4(value) -> str:
    return figures.fmt_number(value, 4)


def _table_html(df: pd.DataFrame, max_rows: int = 50) -> str:
    """An HTML table (class data: the page sorts and filters it): numbers to 4 significant digits, missing numbers
    NA, a missing text empty (a missing reason is no reason, not the word None)."""
    shown = df.head(max_rows)
    cells = []
    for column in shown.columns:
        values = shown[column]
        if pd.api.types.is_bool_dtype(values) or pd.api.types.is_integer_dtype(values):
            cells.append(["NA" if pd.isna(v) else str(v) for v in values])
        elif pd.api.types.is_float_dtype(values):
            cells.append(["NA" if pd.isna(v) else f"{v:.4g}" for v in values])
        else:
            cells.append(["" if v is None or (isinstance(v, float) and np.isnan(v)) else html.escape(str(v))
                          for v in values])
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in zip(*cells))
    out = f"<table class='data'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
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

def declared_comparisons(src: Source) -> list[Comparison]:
    """Every declared comparison with members (the automatic cohort:* groupings left out), by study and name."""
    if not src.has(MEMBERS):
        return []
    members = src.df(f"""select study_id as comparison_study_id, comparison, unit, sample_study_id as study_id,
                                sample_id, patient_id, group_label as "group", group_order
                         from {MEMBERS} where comparison not like 'cohort:%'""")
    out = []
    for (study_id, name), m in members.groupby(["comparison_study_id", "comparison"], sort=True):
        groups = list(m.sort_values(["group_order", "group"]).drop_duplicates("group")["group"])
        out.append(Comparison(study_id, name, str(m["unit"].iloc[0]),
                              m[["study_id", "sample_id", "patient_id", "group"]].reset_index(drop=True), groups))
    return out


def _by_study(src: Source) -> Comparison:
    samples = src.df("select study_id, sample_id, patient_id, study_id as \"group\" from marts.dim_sample")
    return Comparison("", "studies", "sample", samples, sorted(samples["group"].unique()))


# ----------------------------------------------------------------------------------------- sections

def section_overview(src: Source) -> Section:
    sec = Section("overview", "Cohort overview")
    if not src.has("marts.dim_sample") or not src.has("marts.dim_patient"):
        sec.missing = "marts.dim_patient / marts.dim_sample are not built"
        return sec
    counts = src.df("select study_id, coalesce(sample_type, 'unknown') as sample_type, count(*) as n_samples "
                    "from marts.dim_sample group by all order by all")
    variants = ("left join (select study_id, count(*) as n_variants from marts.fct_variant group by study_id) as v "
                "on v.study_id = p.study_id" if src.has("marts.fct_variant") else "")
    summary = src.df(f"""
        select p.study_id, p.n_patients, p.n_patients_without_sample, coalesce(s.n_samples, 0) as n_samples,
               coalesce(s.n_sequenced, 0) as n_sequenced
               {", coalesce(v.n_variants, 0) as n_variants" if variants else ""}
        from (select study_id, count(*) filter (where n_samples > 0) as n_patients,
                     count(*) filter (where n_samples = 0) as n_patients_without_sample
              from marts.dim_patient group by study_id) as p
        left join (select study_id, count(*) as n_samples, count(*) filter (where is_sequenced) as n_sequenced
                   from marts.dim_sample group by study_id) as s on s.study_id = p.study_id
        {variants}
        order by p.study_id""")
    without = int(summary["n_patients_without_sample"].sum())
    sec.intro = (f"{int(summary['n_patients'].sum())} patients, {int(counts['n_samples'].sum())} samples in "
                 f"{len(summary)} studies." + (f" {without} more patients of the clinical patient files have no "
                                               "sample." if without else ""))
    sec.figures.append(Figure("cohort_samples", "Samples per study by sample type (marts.dim_sample).",
                              figures.cohort_bars(counts)))
    sec.tables.append(_table_html(summary))
    return sec


@dataclass
class Alterations:
    """Per sample (key "study_id|sample_id") and gene: the nonsynonymous PASS mutations, the amplifications and deep
    deletions, what each sample is profiled for (mutations: its assay's genes; copy number: a gene-level call),
    which samples are sequenced, and TMB."""
    mutations: pd.DataFrame  # key, hugo_symbol, variant_class
    protein_changes: pd.DataFrame  # key, hugo_symbol, hgvsp_short, position (amino acid)
    copy_number: pd.DataFrame  # key, hugo_symbol, call
    profiled: pd.DataFrame  # key, hugo_symbol
    sequenced: set[str]
    tmb: pd.Series | None  # by key
    annotations: pd.DataFrame  # by key: the oncoprint's clinical tracks (ANNOTATION_TRACKS)

    @classmethod
    def read(cls, src: Source) -> "Alterations | None":
        if not src.has("marts.fct_variant", "variant_class", "is_counted", "hugo_symbol"):
            return None
        # the mutations the study counts (fct_variant.is_counted): the same as the frequency marts'
        mutations = src.df("""
            select v.study_id || '|' || v.sample_id as key, v.hugo_symbol,
                   case when count(distinct v.variant_class) > 1 then 'Multi_Hit' else min(v.variant_class) end
                       as variant_class
            from marts.fct_variant as v
            inner join marts.dim_sample as s on s.study_id = v.study_id and s.sample_id = v.sample_id and s.is_sequenced
            where v.is_counted and v.hugo_symbol is not null
            group by all""")
        protein_changes = src.df(r"""
            select distinct v.study_id || '|' || v.sample_id as key, v.hugo_symbol, v.hgvsp_short,
                   try_cast(regexp_extract(v.hgvsp_short, '^p\.[^0-9]*([0-9]+)', 1) as integer) as position
            from marts.fct_variant as v
            inner join marts.dim_sample as s on s.study_id = v.study_id and s.sample_id = v.sample_id and s.is_sequenced
            where v.is_counted and v.hgvsp_short is not null""")
        sequenced = set(src.df("select study_id || '|' || sample_id as key from marts.dim_sample where is_sequenced")
                        ["key"])
        with_cna = src.has("marts.fct_gene_cna", "discrete_call")
        copy_number = src.df("""select study_id || '|' || sample_id as key, hugo_symbol, discrete_call as call
                                from marts.fct_gene_cna
                                where cna_kind = 'discrete' and discrete_call in ('amplification', 'deep_deletion')""") \
            if with_cna else pd.DataFrame(columns=["key", "hugo_symbol", "call"])
        altered_genes = "(select distinct hugo_symbol from marts.fct_variant" + (
            " union select hugo_symbol from marts.fct_gene_cna where discrete_call in ('amplification', "
            "'deep_deletion'))" if with_cna else ")")
        parts = []
        if src.has("marts.fct_sample_gene_profiled"):
            parts.append(src.df(f"select study_id || '|' || sample_id as key, hugo_symbol "
                                f"from marts.fct_sample_gene_profiled where hugo_symbol in {altered_genes}"))
        else:  # no panel information: every sequenced sample counts as profiled for mutations
            parts.append(pd.DataFrame({"key": sorted(sequenced)}).merge(
                mutations[["hugo_symbol"]].drop_duplicates(), how="cross"))
        if with_cna:
            parts.append(src.df(f"select study_id || '|' || sample_id as key, hugo_symbol from marts.fct_gene_cna "
                                f"where cna_kind = 'discrete' and hugo_symbol in {altered_genes}"))
        profiled = pd.concat(parts, ignore_index=True).drop_duplicates()
        tmb = None
        if src.has("marts.fct_sample_burden", "tmb_per_mb", "is_study_definition"):
            tmb = src.df("select study_id || '|' || sample_id as key, tmb_per_mb from marts.fct_sample_burden "
                         "where is_study_definition").set_index("key")["tmb_per_mb"]
        have = [(table, column, track) for table, column, track in ANNOTATION_TRACKS if src.has(table, column)]
        annotations = src.df(
            "select s.study_id || '|' || s.sample_id as key"
            + "".join(f", {'s' if table.endswith('dim_sample') else 'p'}.{column} as \"{track}\""
                      for table, column, track in have)
            + " from marts.dim_sample as s left join marts.dim_patient as p"
              " on p.study_id = s.study_id and p.patient_id = s.patient_id").set_index("key")
        return cls(mutations, protein_changes.dropna(subset=["position"]), copy_number, profiled, sequenced, tmb,
                   annotations)


def section_oncoprint(alterations: Alterations | None, comparison: Comparison) -> Section:
    sec = Section(f"oncoprint-{comparison.key}", "Oncoprint of the most frequently altered genes")
    if alterations is None:
        sec.missing = "marts.fct_variant is not built"
        return sec
    members = comparison.members.assign(key=comparison.members["study_id"] + "|" + comparison.members["sample_id"])
    members = members[members["key"].isin(alterations.sequenced)].drop_duplicates("key")
    mutations = alterations.mutations[alterations.mutations["key"].isin(members["key"])]
    copy_number = alterations.copy_number[alterations.copy_number["key"].isin(members["key"])]
    profiled = alterations.profiled[alterations.profiled["key"].isin(members["key"])]
    altered = pd.concat([mutations[["key", "hugo_symbol"]], copy_number[["key", "hugo_symbol"]]]).drop_duplicates()
    n_alt = altered.groupby("hugo_symbol").size()
    freq = (n_alt / profiled.groupby("hugo_symbol").size().reindex(n_alt.index)).fillna(0)
    top = list(pd.DataFrame({"freq": freq, "n": n_alt}).sort_values(["freq", "n"], ascending=False)
               .head(TOP_GENES).index)
    if not top:
        sec.missing = "no nonsynonymous PASS mutation, amplification or deep deletion in the sequenced members"
        return sec
    keys = members["key"].to_numpy()

    def grid(rows: pd.DataFrame, column: str) -> pd.DataFrame:
        return (rows[rows["hugo_symbol"].isin(top)].pivot_table(index="hugo_symbol", columns="key", values=column,
                                                                aggfunc="first")
                .reindex(index=top, columns=keys))

    classes, calls = grid(mutations, "variant_class"), grid(copy_number, "call")
    covered = grid(profiled.assign(x=1), "x").notna()
    hit = (classes.notna() | calls.notna()).to_numpy()
    memo = list(~hit[::-1])  # the classic "memo sort": samples altered in the top gene first, then the next...
    tracks = pd.DataFrame({"group": members.set_index("key")["group"]}).join(alterations.annotations)
    levels = {"group": comparison.groups}
    for track in tracks.columns[1:]:
        known = sorted(tracks[track].dropna().astype(str).unique())
        if len(known) >= 2:
            levels[track] = known
    tracks = tracks[list(levels)]
    orders = {}
    for track, track_levels in levels.items():
        rank = tracks[track].map({v: i for i, v in enumerate(track_levels)}).fillna(len(track_levels)).to_numpy()
        orders[f"{track}, then alterations"] = list(keys[np.lexsort([*memo, rank])])
    orders["alterations"] = list(keys[np.lexsort(memo)])
    tmb = alterations.tmb.reindex(keys) if alterations.tmb is not None else None
    if tmb is not None and tmb.notna().any():
        orders["TMB, high to low"] = list(tmb.sort_values(ascending=False, na_position="last").index)
    else:
        tmb = None
    spec = figures.oncoprint(classes.fillna(""), calls.fillna(""), covered, freq.reindex(top), tracks, levels,
                             orders, tmb)
    sec.intro = (f"Top {len(top)} genes by the fraction of profiled sequenced members with a nonsynonymous "
                 "mutation the study counts (PASS under its variant filter rule set and nonsynonymous under its "
                 "TMB definition: marts.fct_variant.is_counted, as the frequency marts count; the bars), an "
                 "amplification or a deep "
                 "deletion (marts.fct_gene_cna; the tiles). Denominators are the members profiled for the gene: "
                 "their assay covers it (marts.fct_sample_gene_profiled) or they have a copy-number call for it; "
                 "members without an alteration count. Samples are ordered by group (declared order), then by their "
                 "alterations; the menu above reorders them by a track, by alterations alone or by TMB. Tracks: group, "
                 "then sample type, HER2 category, HR status and subtype where two or more values are known "
                 "(marts.dim_sample, marts.dim_patient); the top bar is TMB under the study's definition "
                 "(marts.fct_sample_burden).")
    sec.figures.append(Figure(f"oncoprint-{comparison.key}", f"Oncoprint of {len(keys)} sequenced members; right: "
                              "altered / profiled.", spec))
    return sec


def section_lollipops(src: Source, alterations: Alterations | None, comparison: Comparison) -> Section | None:
    if alterations is None:
        return None
    sec = Section(f"lollipops-{comparison.key}", "Mutations along the protein", columns=2)
    members = comparison.members.assign(key=comparison.members["study_id"] + "|" + comparison.members["sample_id"])
    changes = alterations.protein_changes.merge(members[["key", "group"]].drop_duplicates("key"), on="key")
    ranked = changes.groupby("hugo_symbol")["key"].nunique().sort_values(ascending=False, kind="stable")
    known = proteins(list(ranked.index[:LOLLIPOP_GENES * 3]))
    genes = [g for g in ranked.index if g in set(known["hugo_symbol"])][:LOLLIPOP_GENES]
    if not genes:
        return None
    hotspots = src.rows_of("marts.fct_hotspot_frequency", comparison)
    for gene in genes:
        part = changes[changes["hugo_symbol"] == gene]
        protein = known[known["hugo_symbol"] == gene]
        length = int(protein["aa_length"].iloc[0])
        beyond = part[part["position"] > length]
        heads = (part[part["position"] <= length].groupby(["position", "group"], as_index=False)
                 .agg(n_samples=("key", "nunique"), changes=("hgvsp_short", lambda v: ", ".join(sorted(set(v))))))
        residues = [] if hotspots.empty else sorted({int(r) for r in hotspots.loc[
            (hotspots["hugo_symbol"] == gene) & (hotspots["feature_level"] == "residue"), "feature"]
            .str.extract(r"(\d+)")[0].dropna()})
        caption = (f"{gene}: {part['key'].nunique()} mutated members; protein and domains of the longest RefSeq "
                   "protein (maftools' choice)")
        if not beyond.empty:  # another transcript's numbering: said, not drawn at a wrong residue
            caption += (f"; {len(beyond)} change(s) beyond its {length} residues are not drawn "
                        f"({', '.join(sorted(set(beyond['hgvsp_short']))[:5])})")
        sec.figures.append(Figure(f"lollipop-{page.slug(gene)}-{comparison.key}", caption + ".",
                                  figures.lollipop(heads, protein, residues, comparison.groups, gene)))
    sec.intro = (f"The {len(genes)} genes with the most mutated members: one stem per residue (HGVSp of the MAF), "
                 "heads at the number of mutated members per group; domains (Pfam, SMART, CDD as maftools ships "
                 "them, python/oncoduck/reference/protein_domains.tsv.gz) below; red triangles: residues of the "
                 "study's hotspot list (marts.fct_hotspot_frequency).")
    return sec


def section_members(src: Source, comparison: Comparison) -> Section:
    sec = Section(f"members-{comparison.key}", "Groups")
    counts = (comparison.members.groupby("group", sort=False)
              .agg(n_samples=("sample_id", "nunique"), n_patients=("patient_id", "nunique"))
              .reindex(comparison.groups).reset_index())
    sec.intro = (f"Comparison {comparison.name} of study {comparison.study_id}, by {comparison.unit}; groups in "
                 f"their declared order ({MEMBERS}).")
    sec.tables.append(_table_html(counts))
    return sec


def section_burden(src: Source, comparison: Comparison) -> Section:
    sec = Section(f"burden-{comparison.key}", "Mutational and copy-number burden by group", columns=2)
    measures = [(t, c, label, log) for t, c, label, log in BURDEN_MEASURES if src.has(t, "sample_id", c)]
    if not measures:
        sec.missing = "marts.fct_sample_burden / marts.fct_sample_cnv_burden are not built yet"
        return sec
    tests = src.rows_of("stats.stat_burden_tests", comparison)
    sec.intro = ("Every sequenced member (zero-mutation samples included), TMB under its study's definition. "
                 "p and q are the declared tests of stats.stat_burden_tests; a measure without one says so.")
    for table, col, label, log in measures:
        where = "where is_study_definition" if src.has(table, "is_study_definition") else ""
        values = src.frame(f"select study_id, sample_id, {col} as value from {table} {where}")
        values = values.merge(comparison.members, on=["study_id", "sample_id"], how="inner").dropna(subset=["value"])
        if values.empty:
            continue
        rows = tests[tests["measure"] == col] if not tests.empty else tests
        note = ("; ".join(f"{r.group1} vs {r.group2} ({r.alternative}): p = {_fmt_p(r.p_value)}, "
                          f"q = {_fmt_p(r.q_value)}" for r in rows.itertuples())
                if not rows.empty else "no burden test declared for this measure")
        spec = figures.burden_by_group(values.assign(sample=values["sample_id"]), comparison.groups, label, note, log)
        sec.figures.append(Figure(f"burden-{col}-{comparison.key}", f"{label} by group ({table}); {note}.", spec))
    if not tests.empty:
        sec.notes.append("Declared burden tests (stats.stat_burden_tests):")
        keep = ["measure", "group1", "group2", "n1", "n2", "median1", "median2", "statistic", "p_value", "q_value",
                "alternative", "method", "reason"]
        sec.tables.append(_table_html(tests[keep]))
    if not sec.figures:
        sec.missing = "no burden value for the members of this comparison"
    return sec


def _ordered_frequencies(rows: pd.DataFrame, feature: str, groups: list[str]) -> pd.DataFrame:
    rows = rows.rename(columns={feature: "feature", "group_label": "group"})
    rows = rows[rows["group"].isin(groups)]
    score = rows.groupby("feature").agg(top=("altered_fraction", "max"), n=("n_altered", "sum"))
    top = list(score.sort_values(["top", "n"], ascending=False).head(TOP_FEATURES).index)
    rows = rows[rows["feature"].isin(top)]
    return rows.set_index("feature").loc[top].reset_index()


def section_frequency(src: Source, comparison: Comparison) -> Section:
    sec = Section(f"frequency-{comparison.key}", "Gene and pathway alteration frequencies")
    genes = src.rows_of("marts.fct_gene_frequency", comparison)
    if genes.empty:
        sec.missing = "marts.fct_gene_frequency has no row for this comparison"
        return sec
    kind = next(k for k in ("any", "mutation", "cna") if k in set(genes["alteration_type"]))
    freq = _ordered_frequencies(genes[genes["alteration_type"] == kind], "hugo_symbol", comparison.groups)
    sec.intro = (f"Alterations ({kind}: mutation or copy number) over profiled members, the top {TOP_FEATURES} "
                 "features by their highest group frequency.")
    sec.figures.append(Figure(f"gene-frequency-{comparison.key}",
                              "Genes: altered / profiled by group (marts.fct_gene_frequency).",
                              figures.frequency_bars(freq, comparison.groups)))
    pathways = src.rows_of("marts.fct_pathway_frequency", comparison)
    if pathways.empty:
        sec.notes.append("Pathways: marts.fct_pathway_frequency has no row for this comparison.")
        return sec
    pathways = pathways[pathways["alteration_type"] == kind] if kind in set(pathways["alteration_type"]) else pathways
    # one figure per gene-set collection: the same pathway under two collections' names is two definitions
    for collection, rows in pathways.groupby("collection", sort=True):
        freq = _ordered_frequencies(rows, "gene_set", comparison.groups)
        sec.figures.append(Figure(f"pathway-frequency-{page.slug(collection)}-{comparison.key}",
                                  f"Pathways of gene-set collection {collection}: altered / profiled by group "
                                  "(marts.fct_pathway_frequency).", figures.frequency_bars(freq, comparison.groups)))
    return sec


def section_enrichment(src: Source, comparison: Comparison) -> Section:
    sec = Section(f"enrichment-{comparison.key}", "Enrichment: odds ratios with q")
    rows = src.rows_of("stats.stat_enrichment", comparison)
    if rows.empty:
        sec.missing = "stats.stat_enrichment has no row for this comparison (declare enrichment under analyses)"
        return sec
    if (rows["test"] == "pairwise").any():
        rows = rows[rows["test"] == "pairwise"]
    if (rows["alteration_type"] == "any").any():
        rows = rows[rows["alteration_type"] == "any"]
    sec.intro = ("Fisher's exact test per feature and pair of groups (alteration: "
                 f"{', '.join(sorted(rows['alteration_type'].unique()))}), the top {TOP_ENRICHED} per feature level by "
                 "q (BH within the declared family). A triangle at the left edge is an odds ratio of 0 (no altered "
                 "member in the first group) and at the right edge an infinite one; the line runs to the finite "
                 "bound of the 95 % interval. A row that cannot be estimated is labelled, not drawn.")
    for level, part in rows.groupby("feature_level", sort=True):
        part = part.sort_values(["q_value", "p_value"], na_position="last").head(TOP_ENRICHED)
        several_pairs = part[["group1", "group2"]].drop_duplicates().shape[0] > 1
        pair = (" (" + part["group1"] + " vs " + part["group2"] + ")") if several_pairs else ""
        hover = (part["feature"] + "<br>" + part["group1"] + " " + part["altered1"].astype(str) + "/"
                 + part["n1"].astype(str) + " vs " + part["group2"] + " " + part["altered2"].astype(str) + "/"
                 + part["n2"].astype(str) + "<br>OR " + part["odds_ratio"].map(figures.fmt_number) + " (95 % CI "
                 + part["ci_low"].map(figures.fmt_number) + " to " + part["ci_high"].map(figures.fmt_number) + ")<br>p = "
                 + part["p_value"].map(_fmt_p) + ", q = " + part["q_value"].map(_fmt_p)
                 + part["reason"].map(lambda r: f"<br>{r}" if isinstance(r, str) else ""))
        forest_rows = pd.DataFrame({"label": part["feature"] + pair, "estimate": part["odds_ratio"],
                                    "low": part["ci_low"], "high": part["ci_high"],
                                    "annotation": "q = " + part["q_value"].map(_fmt_p), "hover": hover,
                                    "reason": part["reason"]})
        groups_txt = "" if several_pairs else f" {part['group1'].iloc[0]} vs {part['group2'].iloc[0]};"
        sec.figures.append(Figure(f"enrichment-{page.slug(level)}-{comparison.key}",
                                  f"{comparison.name}:{groups_txt} top {len(part)} {level}s by q "
                                  "(stats.stat_enrichment).", figures.forest(forest_rows, "odds ratio (log scale)")))
        sec.tables.append(_table_html(part[["feature_level", "feature", "group1", "altered1", "n1", "group2",
                                            "altered2", "n2", "odds_ratio", "ci_low", "ci_high", "p_value",
                                            "q_value", "reason"]]))
    return sec


def _at_risk(km: pd.DataFrame, groups: list[str], times: np.ndarray) -> pd.DataFrame:
    """Numbers at risk at ``times`` from a KM table: n_risk at the first time >= t (0 past the last time)."""
    out = {}
    for g in groups:
        d = km[km["group"] == g].sort_values("time")
        idx = np.searchsorted(d["time"].to_numpy(float), times, side="left")
        out[g] = np.append(d["n_risk"].to_numpy(float), 0.0)[idx]
    return pd.DataFrame(out, index=times).T


def _times(tmax: float) -> np.ndarray:
    step = 6 if tmax <= 36 else 12 if tmax <= 120 else 24
    return np.arange(0, tmax + 1e-9, step)


def section_survival(src: Source, comparison: Comparison) -> tuple[Section, Section]:
    km_sec = Section(f"survival-{comparison.key}", "Kaplan-Meier curves")
    cox_sec = Section(f"cox-{comparison.key}", "Cox proportional hazards")
    curves = src.rows_of("stats.stat_survival_curves", comparison)
    tests = src.rows_of("stats.stat_survival_tests", comparison)
    if curves.empty:
        km_sec.missing = cox_sec.missing = ("stats.stat_survival_curves has no row for this comparison (declare "
                                            "survival under analyses)")
        return km_sec, cox_sec
    km_sec.intro = ("Kaplan-Meier estimates with 95 % log CI (R survfit) and censoring ticks "
                    "(stats.stat_survival_curves); log-rank tests and medians from stats.stat_survival_tests.")
    curves = curves.rename(columns={"group_label": "group"})
    for endpoint, km in curves.groupby("endpoint", sort=True):
        groups = [g for g in comparison.groups if g in set(km["group"])]
        lr = tests[(tests["endpoint"] == endpoint) & tests["test"].isin(["logrank", "stratified_logrank"])] \
            if not tests.empty else tests
        test = ("; ".join(f"{r.test.replace('_', ' ')} chi2 = {r.statistic:.2f}, df = {r.df}, p = {_fmt_p(r.p_value)}"
                          for r in lr.itertuples()) if not lr.empty else "no log-rank test declared")
        spec = figures.kaplan_meier(km, _at_risk(km, groups, _times(km["time"].max())), groups,
                                    f"{endpoint}: {test}")
        km_sec.figures.append(Figure(f"km-{page.slug(endpoint)}-{comparison.key}", f"{endpoint}; {test}.", spec))
    if not tests.empty:
        medians = tests[tests["test"] == "km_median"]
        if not medians.empty:
            km_sec.notes.append("Median survival in months with 95 % CI (stats.stat_survival_tests; NA: not reached):")
            km_sec.tables.append(_table_html(medians[["endpoint", "group_label", "n", "n_events", "estimate", "ci_low",
                                                      "ci_high", "reason"]]))
    cox = tests[tests["test"] == "cox"] if not tests.empty else tests
    if cox.empty:
        cox_sec.missing = "no Cox model declared for this comparison"
        return km_sec, cox_sec
    level = cox["level"].fillna(cox["term"]).astype(str)
    versus = np.where(cox["term"] == "group", " vs " + cox["reference_group"].astype(str), "")
    label = cox["endpoint"] + ": " + level + versus
    hover = (label + "<br>HR " + cox["estimate"].map(figures.fmt_number) + " (95 % CI " + cox["ci_low"].map(figures.fmt_number)
             + " to " + cox["ci_high"].map(figures.fmt_number) + "), p = " + cox["p_value"].map(_fmt_p) + "<br>"
             + cox["formula"].astype(str) + ", n = " + cox["n"].astype(str) + ", events = "
             + cox["n_events"].astype(str) + cox["reason"].map(lambda r: f"<br>{r}" if isinstance(r, str) else ""))
    rows = pd.DataFrame({"label": label, "estimate": cox["estimate"], "low": cox["ci_low"], "high": cox["ci_high"],
                         "annotation": "p = " + cox["p_value"].map(_fmt_p), "hover": hover, "reason": cox["reason"]})
    cox_sec.intro = ("Hazard ratios with 95 % Wald CI of the declared models (R coxph, Efron ties; "
                     "stats.stat_survival_tests). A model whose estimate does not exist (e.g. monotone likelihood: "
                     "no event in one group) is a labelled row, not a point.")
    cox_sec.figures.append(Figure(f"cox-{comparison.key}", f"Cox models of {comparison.name}.",
                                  figures.forest(rows, "hazard ratio (log scale)")))
    cox_sec.tables.append(_table_html(cox[["endpoint", "formula", "term", "level", "reference_group", "n", "n_events",
                                           "estimate", "ci_low", "ci_high", "p_value", "reason"]]))
    return km_sec, cox_sec


def section_signature_tests(src: Source, comparison: Comparison) -> Section | None:
    tests = src.rows_of("stats.stat_signature_tests", comparison)
    if tests.empty:
        return None
    sec = Section(f"signature-tests-{comparison.key}", "Signature exposures and APOBEC between groups")
    sec.tables.append(_table_html(tests[["measure", "group1", "group2", "n1", "n2", "median1", "median2", "p_value",
                                         "q_value", "alternative", "method", "reason"]]))
    return sec


def section_signatures(src: Source) -> Section:
    sec = Section("signatures", "Mutational signatures, APOBEC and NMF subtypes")
    if not src.has("marts.fct_sample_sbs96"):
        sec.missing = "marts.fct_sample_sbs96 is not built"
        return sec
    pooled = src.df("""select study_id as "group", channel, plot_index, substitution_class, sum(n_snv) as n_snv,
                              count(distinct sample_id) as n_samples
                       from marts.fct_sample_sbs96 where variant_set = 'all_snv' group by all""")
    pooled = pooled[pooled.groupby("group")["n_snv"].transform("sum") > 0]
    if pooled.empty:
        sec.missing = "no sample has SNVs with a sequence context (no CONTEXT column, no reference_fasta)"
        return sec
    pooled["share"] = pooled["n_snv"] / pooled.groupby("group")["n_snv"].transform("sum")
    pooled = pooled.sort_values(["group", "plot_index"])
    sec.intro = ("Single-base substitutions with a sequence context (MAF context column or the study's reference "
                 "FASTA), pooled per study, in COSMIC's SBS96 figure order (marts.fct_sample_sbs96, every PASS SNV).")
    sec.figures.append(Figure("sbs96", "SBS96 profile per study (share of the study's SNVs per channel).",
                              figures.sbs96_profiles(pooled)))
    if src.has("stats.stat_signature_exposures"):
        means = src.df("""select study_id as "group", signature_id, avg(relative_exposure) as relative_exposure,
                                 count(distinct sample_id) as n_fitted
                          from stats.stat_signature_exposures where relative_exposure is not null
                          group by all order by 1, 2""")
        if not means.empty:
            sec.figures.append(Figure("signature-exposures", "Mean relative COSMIC exposure per study "
                                      "(stats.stat_signature_exposures, NNLS).", figures.exposure_bars(means)))
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
            sec.figures.append(Figure("nmf-rank-diagnostics", "NMF rank diagnostics: cophenetic correlation of the "
                                      "consensus matrix (Brunet 2004); the circled rank is kept "
                                      "(marts.fct_nmf_rank_diagnostics).", figures.rank_diagnostics(diagnostics)))
    if src.has("stats.stat_nmf_association"):
        association = src.df("select study_id, comparison, rank, n, n_unclustered, contingency_table, p_value, method "
                             "from stats.stat_nmf_association order by study_id, comparison")
        if not association.empty:
            sec.notes.append("NMF clusters against the declared groups (stats.stat_nmf_association):")
            sec.tables.append(_table_html(association))
    return sec


def _optional(src: Source, name: str, comparison: Comparison, key: str, title: str) -> tuple[Section, pd.DataFrame]:
    """A section over one table's rows of the comparison: missing when the table is not built; the caller drops it
    when the table holds no row for this comparison (nothing of that kind was declared)."""
    sec = Section(f"{key}-{comparison.key}", title)
    if not src.has(name):
        sec.missing = f"{name} is not built"
    return sec, src.rows_of(name, comparison)


def section_table_one(src: Source, comparison: Comparison) -> Section | None:
    sec, rows = _optional(src, "stats.stat_clinical_table", comparison, "table-one", "Table 1: clinical characteristics")
    if rows.empty:
        return sec if sec.missing else None
    cells = np.where(rows["attribute_type"] == "numeric",
                     rows["median"].map(_fmt4) + " [" + rows["q1"].map(_fmt4) + ", "
                     + rows["q3"].map(_fmt4) + "]",
                     rows["n_level"].map(lambda v: "NA" if pd.isna(v) else str(int(v))) + " ("
                     + rows["percent"].map(lambda v: "NA" if pd.isna(v) else f"{v:.1f}") + " %)")
    rows = rows.assign(cell=cells, level=rows["level"].fillna("median [Q1, Q3]"))
    table = rows.pivot_table(index=["attribute", "level"], columns="group_label", values="cell", aggfunc="first",
                             sort=False)
    table = table[[g for g in comparison.groups if g in table.columns]]
    header = rows.groupby("group_label")["n"].max()
    table.columns = [f"{g} (n = {int(header[g])})" for g in table.columns]
    tests = rows.dropna(subset=["test"]).drop_duplicates("attribute").set_index("attribute")
    table = table.reset_index()
    table["test"] = table["attribute"].map(tests["test"]).fillna("")
    table["p_value"] = table["attribute"].map(tests["p_value"]).map(_fmt_p)
    table["reason"] = table["attribute"].map(tests["reason"]).fillna("")
    first = ~table["attribute"].duplicated()
    table.loc[~first, ["test", "p_value", "reason"]] = ""  # once per attribute
    sec.intro = ("Counts with percentages of each group, or median with quartiles, and the declared test per "
                 "attribute (stats.stat_clinical_table).")
    sec.tables.append(_table_html(table, max_rows=400))
    return sec


def section_interactions(src: Source, comparison: Comparison) -> Section | None:
    sec, rows = _optional(src, "stats.stat_somatic_interactions", comparison, "interactions",
                          "Somatic interactions: co-occurrence and mutual exclusivity")
    if rows.empty:
        return sec if sec.missing else None
    sec.intro = ("Fisher's exact test for every pair of the most altered genes, as maftools' somaticInteractions "
                 "(stats.stat_somatic_interactions); colour: -log10 p, green for co-occurrence, brown for exclusivity; "
                 "* q < 0.05 (BH over the unique pairs).")
    for kind, part in rows.groupby("alteration_type", sort=True):
        altered = pd.concat([part[["gene1", "n11", "n10"]].set_axis(["gene", "a", "b"], axis=1),
                             part[["gene2", "n11", "n01"]].set_axis(["gene", "a", "b"], axis=1)])
        genes = list(altered.assign(n=altered["a"] + altered["b"]).groupby("gene")["n"].max()
                     .sort_values(ascending=False, kind="stable").index)
        sec.figures.append(Figure(f"interactions-{page.slug(kind)}-{comparison.key}",
                                  f"Alteration: {kind}; {len(genes)} genes, {len(part)} pairs.",
                                  figures.interactions_triangle(part, genes)))
    return sec


def section_gene_screen(src: Source, comparison: Comparison) -> Section | None:
    sec, rows = _optional(src, "stats.stat_survival_gene_screen", comparison, "gene-screen",
                          "Survival by gene: the per-gene screen")
    sec.columns = 2
    if rows.empty:
        return sec if sec.missing else None
    sec.intro = ("Mutated against wild-type per gene: hazard ratio (Cox) against the log-rank p, genes with "
                 "q < 0.1 in red (stats.stat_survival_gene_screen); they and the five smallest p are named. Genes "
                 "without a ratio or p are in the table.")
    for (endpoint, group), part in rows.groupby(["endpoint", rows["group_label"].fillna("all")], sort=True):
        hover = (part["hugo_symbol"] + ": " + part["n_mutated"].astype(str) + " mutated of " + part["n"].astype(str)
                 + "<br>HR " + part["hr"].map(figures.fmt_number) + " (95 % CI " + part["hr_low"].map(figures.fmt_number) + " to "
                 + part["hr_high"].map(figures.fmt_number) + ")<br>log-rank p = " + part["logrank_p"].map(_fmt_p)
                 + ", q = " + part["q_logrank"].map(_fmt_p))
        volcano = pd.DataFrame({"label": part["hugo_symbol"], "ratio": part["hr"], "p_value": part["logrank_p"],
                                "q_value": part["q_logrank"], "hover": hover})
        sec.figures.append(Figure(f"gene-screen-{page.slug(endpoint)}-{page.slug(group)}-{comparison.key}",
                                  f"{endpoint}, {group}: {len(part)} genes.",
                                  figures.volcano(volcano, "hazard ratio, mutated vs wild-type (log scale)")))
    sec.tables.append(_table_html(rows.sort_values("logrank_p")[
        ["endpoint", "group_label", "hugo_symbol", "n", "n_mutated", "hr", "hr_low", "hr_high", "logrank_p",
         "q_logrank", "reason"]]))
    return sec


def _arm_order(region: str) -> tuple:
    chromosome, arm = region[:-1], region[-1:]
    number = int(chromosome) if chromosome.isdigit() else {"X": 23, "Y": 24}.get(chromosome, 25)
    return number, arm


def section_copy_number(src: Source, comparison: Comparison) -> Section | None:
    sec, rows = _optional(src, "marts.fct_cytoband_frequency", comparison, "copy-number",
                          "Copy-number gains and losses along the genome")
    if rows.empty:
        return sec if sec.missing else None
    arms = rows[rows["region_level"] == "arm"].rename(columns={"group_label": "group"})
    if arms.empty:
        return None
    regions = sorted(arms["region"].unique(), key=_arm_order)
    sec.intro = ("Fraction of profiled members with a gain (up) or loss (down) per chromosome arm, in genome order "
                 "(marts.fct_cytoband_frequency; the band level is in the table).")
    sec.figures.append(Figure(f"copy-number-{comparison.key}", "Gains and losses per chromosome arm.",
                              figures.genome_frequency(arms, regions, comparison.groups)))
    bands = rows[rows["region_level"] == "band"].sort_values("altered_fraction", ascending=False)
    sec.tables.append(_table_html(bands[["region", "direction", "group_label", "n_altered", "n_profiled",
                                         "altered_fraction"]], max_rows=30))
    return sec


SUBSTITUTION_CLASSES = {"fraction_c_to_a": "C>A", "fraction_c_to_g": "C>G", "fraction_c_to_t": "C>T",
                        "fraction_t_to_a": "T>A", "fraction_t_to_c": "T>C", "fraction_t_to_g": "T>G",
                        "ti_fraction": "transitions"}


def section_mutation_spectrum(src: Source, comparison: Comparison) -> Section | None:
    sec = Section(f"spectrum-{comparison.key}", "Substitution classes (Ti/Tv) and variant allele fractions",
                  columns=2)
    if src.has("marts.fct_sample_titv"):
        titv = src.frame(f"select study_id, sample_id, {', '.join(SUBSTITUTION_CLASSES)} from marts.fct_sample_titv "
                      "where variant_set = 'all_snv' and n_snv > 0")
        titv = titv.merge(comparison.members, on=["study_id", "sample_id"])
        if not titv.empty:
            long = titv.melt(id_vars=["sample_id", "group"], value_vars=list(SUBSTITUTION_CLASSES),
                             var_name="category", value_name="value")
            long = long.assign(category=long["category"].map(SUBSTITUTION_CLASSES), sample=long["sample_id"])
            sec.figures.append(Figure(f"titv-{comparison.key}", "Fraction of each sample's SNVs per substitution "
                                      "class, and transitions (marts.fct_sample_titv, as maftools' titv).",
                                      figures.grouped_boxes(long, list(SUBSTITUTION_CLASSES.values()),
                                                            comparison.groups, "fraction of SNVs")))
    if src.has("marts.fct_variant", "tumor_vaf", "filter_status"):
        vaf = src.frame("select study_id, sample_id, tumor_vaf as value from marts.fct_variant "
                        "where filter_status = 'PASS' and tumor_vaf is not null")
        vaf = vaf.merge(comparison.members, on=["study_id", "sample_id"])
        if not vaf.empty:
            sec.figures.append(Figure(f"vaf-{comparison.key}", "Tumour VAF of every variant passing the study's filters (marts.fct_variant.filter_status PASS).",
                                      figures.grouped_boxes(vaf.assign(category="tumour VAF", sample=vaf["sample_id"]),
                                                            ["tumour VAF"], comparison.groups, "VAF")))
    if not sec.figures:
        return None
    sec.intro = "Per member sample; groups side by side in their declared order."
    return sec


def section_paired(src: Source) -> Section:
    sec = Section("paired", "Paired samples and longitudinal ctDNA", columns=1)
    if not src.has("marts.fct_sample_pair_concordance") and not src.has("marts.fct_longitudinal_ctdna"):
        sec.missing = "marts.fct_sample_pair_concordance / marts.fct_longitudinal_ctdna are not built"
        return sec
    if src.has("marts.fct_sample_pair_concordance"):
        pairs = src.df("select * from marts.fct_sample_pair_concordance where both_sequenced "
                       "and jaccard_index is not null")
        for (study_id, rule), part in pairs.groupby(["study_id", "pair_rule"], sort=True):
            sec.figures.append(Figure(f"pairs-{page.slug(study_id)}-{page.slug(rule)}",
                                      f"{study_id}, pairs by rule {rule}: mutations private to each side and shared, "
                                      f"Jaccard index above ({len(part)} pairs; marts.fct_sample_pair_concordance).",
                                      figures.pair_sharing(part)))
    if src.has("marts.fct_longitudinal_ctdna"):
        ctdna = src.df("select * from marts.fct_longitudinal_ctdna")
        for study_id, part in ctdna.groupby("study_id", sort=True):
            # cleared: no variant detected on treatment, so the highest VAF is 0 (a fall of 100 %), not unknown
            part = part.assign(max_vaf_on_treatment=part["max_vaf_on_treatment"].mask(
                part["max_vaf_on_treatment"].isna() & (part["clearance_status"] == "cleared"), 0.0))
            change = (part["max_vaf_on_treatment"] - part["max_vaf_baseline"]) / part["max_vaf_baseline"]
            hover = (part["patient_id"] + ": max VAF " + part["max_vaf_baseline"].map(_fmt4) + " to "
                     + part["max_vaf_on_treatment"].map(_fmt4) + "<br>" + part["clearance_status"].astype(str))
            sec.figures.append(Figure(f"ctdna-waterfall-{page.slug(study_id)}",
                                      f"{study_id}: relative change of the highest VAF from baseline to on treatment "
                                      "per patient, coloured by clearance (marts.fct_longitudinal_ctdna).",
                                      figures.waterfall(part.assign(change=change, hover=hover),
                                                        "change of max VAF (relative)", "clearance_status")))
            long = pd.concat([part.assign(time="baseline", value=part["max_vaf_baseline"]),
                              part.assign(time="on treatment", value=part["max_vaf_on_treatment"])])
            sec.figures.append(Figure(f"ctdna-spaghetti-{page.slug(study_id)}",
                                      f"{study_id}: highest VAF per patient at each timepoint.",
                                      figures.spaghetti(long, ["baseline", "on treatment"], "max VAF",
                                                        "clearance_status")))
    if not sec.figures:
        sec.missing = "no sequenced sample pair and no longitudinal ctDNA in these studies"
    return sec


def comparison_view(src: Source, alterations: Alterations | None, comparison: Comparison) -> View:
    km, cox = section_survival(src, comparison)
    sections = [section_members(src, comparison), section_table_one(src, comparison),
                section_oncoprint(alterations, comparison), section_lollipops(src, alterations, comparison),
                section_burden(src, comparison),
                section_mutation_spectrum(src, comparison), section_frequency(src, comparison),
                section_copy_number(src, comparison), section_enrichment(src, comparison),
                section_interactions(src, comparison), km, cox, section_gene_screen(src, comparison),
                section_signature_tests(src, comparison)]
    sections = [s for s in sections if s is not None]  # optional analyses this comparison did not declare
    return View(comparison.key, f"{comparison.study_id}: {comparison.name} ({' / '.join(comparison.groups)})",
                sections)


def build_report(out_dir: Path | str | None = None, comparison: str | None = None,
                 serving_dir: Path | str | None = None, warehouse: Path | str | None = None) -> Path:
    """Render the report to ``out_dir``/index.html (one self-contained file); returns its path.

    ``comparison``: the declared comparison shown first (default: the first by study and name).
    Default ``out_dir``: report/ inside the serving folder.
    """
    src = open_source(serving_dir, warehouse)
    out = Path(out_dir) if out_dir else Path(serving_dir or pub.default_serving_dir()) / "report"
    out.mkdir(parents=True, exist_ok=True)
    try:
        publication = None
        if src.has("serving.publication"):
            publication = src.df("select * from serving.publication").iloc[0].to_dict()
        comparisons = declared_comparisons(src)
        if comparison and comparison not in {c.name for c in comparisons}:
            raise ValueError(f"comparison {comparison!r} is not declared; the results hold: "
                             f"{', '.join(sorted({c.name for c in comparisons}))}")
        cohort = [section_overview(src)]
        views = []
        if src.has("marts.dim_sample"):
            alterations = Alterations.read(src)
            oncoprint = section_oncoprint(alterations, _by_study(src))
            oncoprint.key, oncoprint.title = "oncoprint", "Oncoprint by study"
            cohort += [oncoprint, section_paired(src), section_signatures(src)]
            views = [comparison_view(src, alterations, c) for c in comparisons]
        first = next((v.key for v, c in zip(views, comparisons) if c.name == comparison), None)
        html_text = page.render(cohort, views, first, src.label, publication)
    finally:
        src.con.close()
    path = out / "index.html"
    tmp = out / f".index.html.{os.getpid()}.tmp"
    tmp.write_text(html_text)
    os.replace(tmp, path)
    return path

