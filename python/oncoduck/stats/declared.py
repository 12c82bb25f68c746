"""Run the library's tests over declared comparisons (pandas in, tidy pandas out).

The dbt Python models in models/stats/ fetch marts, call one of these functions and return its
frame. Each function takes the comparison declarations (``study_id, comparison, alternative``) and a
long table of the comparison's data, and returns one row per test. Group order is the declared
order: group 1 is the first declared group, and ``alternative`` ("greater" / "less") says group 1
vs group 2, as in R's ``wilcox.test(x = group1, y = group2, alternative = ...)``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from .contingency import fisher_freeman_halton, kruskal
from .enrichment import compare_groups_binary
from .multiple import bh_adjust
from .tidy import no_rows, tidy_result
from .survival import cox_zph, km_median, kaplan_meier, logrank
from .wilcoxon import wilcoxon_rank_sum

ENRICHMENT_COLUMNS = [
    "study_id", "comparison", "feature_level", "feature", "alteration_type", "test", "group1", "group2", "n1", "n2",
    "altered1", "altered2", "freq1", "freq2", "odds_ratio", "ci_low", "ci_high", "statistic", "p_value", "q_value",
    "bh_family", "alternative", "method", "reason",
]
NUMERIC_COLUMNS = [
    "study_id", "comparison", "measure", "test", "group1", "group2", "n1", "n2", "median1", "median2", "statistic",
    "p_value", "q_value", "bh_family", "alternative", "method", "reason",
]
SURVIVAL_COLUMNS = [
    "study_id", "comparison", "endpoint", "test", "term", "group_label", "level", "reference_group", "reference_declared",
    "reference_level", "n", "n_events", "estimate", "ci_low", "ci_high", "std_error", "statistic", "df", "p_value",
    "formula", "method", "reason",
]


# What the survival statistics read of fct_survival
SURVIVAL_TIME_COLUMNS = ["study_id", "patient_id", "endpoint", "time_months", "event"]
PATIENT_KEYS = ["study_id", "comparison", "sample_study_id", "patient_id"]


def one_sample_per_patient(members: pd.DataFrame) -> pd.DataFrame:
    """Each patient of each comparison once: its member sample of lowest patient_sample_rank (int_comparison_members:
    sequenced first, then with copy-number data, then by sample type, primary first, then sample id;
    macros/representative_sample_order.sql), among the rows given. The
    warehouse's one rule for a patient's representative sample, so patient-level statistics never pick another."""
    ranked = members.sort_values([*PATIENT_KEYS, "patient_sample_rank"], kind="stable")
    return ranked.drop_duplicates(PATIENT_KEYS).sort_index()


def comparison_members(comparisons: pd.DataFrame, members: pd.DataFrame, analysis: str,
                       one_per_patient: bool = False) -> pd.DataFrame:
    """Members (int_comparison_members) of the comparisons whose declared analyses include ``analysis``;
    with ``one_per_patient``, each patient once per comparison (patient-level data: survival, response),
    its representative sample (one_sample_per_patient).

    Sorted by study, comparison, patient and sample whatever order the warehouse returned them in: the
    iterative fits downstream (Cox, cox.zph, logistic) then get bit-identical input, so two builds of the
    same studies, full or incremental, give the same numbers."""
    wanted = comparisons.loc[declares(comparisons, analysis), ["study_id", "comparison"]].drop_duplicates()
    selected = members.merge(wanted, on=["study_id", "comparison"])
    selected = selected.sort_values(["study_id", "comparison", "sample_study_id", "patient_id", "sample_id"],
                                    kind="stable", ignore_index=True)
    return one_sample_per_patient(selected).reset_index(drop=True) if one_per_patient else selected


def declares(comparisons: pd.DataFrame, *analyses: str) -> pd.Series:
    """Whether each comparison (int_comparisons rows) declares any of ``analyses`` in its ``analyses`` list."""
    wanted = set(analyses)
    return comparisons["analyses"].fillna("").str.split(";").map(lambda names: bool(wanted & set(names))).astype(bool)


def undeclared(comparisons: pd.DataFrame, *analyses: str) -> bool:
    """Whether no comparison (int_comparisons rows) declares any of ``analyses``. The statistic's model then
    returns its typed empty result (tidy.no_rows) at once: pulling and shaping its inputs for nothing cost a
    10-sample build 30-60 ms of single-core Python per undeclared statistic."""
    return not declares(comparisons, *analyses).any()


MEMBER_COLUMNS = ["study_id", "comparison", "unit", "sample_study_id", "sample_id", "patient_id", "sample_type",
                  "group_value", "group_label", "group_order", "parent_comparison", "stratum", "patient_sample_rank",
                  "assay_id", "is_mutation_profiled", "is_cna_profiled"]


def member_rows(members, comparisons: pd.DataFrame, *analyses: str) -> pd.DataFrame:
    """The int_comparison_members rows (``members``: the warehouse relation) of the comparisons that declare any
    of ``analyses``, filtered in the engine: what comparison_members picks from, without pulling the members of
    every comparison of a 100k-sample warehouse."""
    wanted = comparisons[declares(comparisons, *analyses)]
    return study_rows(members, sorted(set(wanted["study_id"])),
                      f"comparison in ({sql_text_list(wanted['comparison'])})", MEMBER_COLUMNS)


def with_member_data(members: pd.DataFrame, data: pd.DataFrame, keys: tuple[str, ...] = ("sample_id",),
                     how: str = "inner") -> pd.DataFrame:
    """``members`` (int_comparison_members rows) with the rows of ``data`` (a mart: study_id + ``keys``) of each
    member's own study. A comparison across studies belongs to its declaring study (the members' study_id)
    and draws members from others (their sample_study_id), so member data is joined on sample_study_id."""
    return members.merge(data.rename(columns={"study_id": "sample_study_id"}), on=["sample_study_id", *keys], how=how)


def member_studies(members: pd.DataFrame) -> list[str]:
    """The studies whose data ``members`` read (their sample_study_id), for a filtered pull (study_rows)."""
    return sorted(members["sample_study_id"].dropna().unique()) if "sample_study_id" in members else []


def comparison_studies(comparisons: pd.DataFrame) -> list[str]:
    """The studies whose samples ``comparisons`` (int_comparisons rows) draw on: their own and ``studies``."""
    listed = comparisons["studies"].dropna().str.split(";").explode() if "studies" in comparisons else []
    return sorted(set(comparisons["study_id"]) | set(listed))



def study_rows(relation, study_ids, condition: str = "true", columns: list[str] | None = None) -> pd.DataFrame:
    """The rows of ``relation`` (a DuckDB relation over a warehouse table) of the studies ``study_ids`` that
    meet the SQL ``condition``, with ``columns`` (default all). Filters in DuckDB, so a 100k-sample
    warehouse does not move whole tables into pandas for the few studies that declare an analysis."""
    studies = sorted({str(s) for s in study_ids})
    rows = relation.filter(f"({condition}) and study_id in ({sql_text_list(studies)})" if studies else "false")
    if columns:
        rows = rows.project(", ".join(columns))
    return _arrow_frame(rows)


def sql_text_list(values) -> str:
    """``values`` as the items of a SQL list of text literals (quotes doubled), each once, sorted."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in sorted({str(v) for v in values}))


def signature_inputs(dim_sample, dim_assay, studies, sbs96, study_ids) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the signature fits read, for ``study_ids``: the samples (study_id, sample_id, assay_type,
    reference_genome: dim_sample, dim_assay, stg_study__studies) and their SBS96 catalogues (study_id,
    sample_id, variant_set, channel, n_snv: fct_sample_sbs96), from the warehouse relations."""
    samples = study_rows(dim_sample, study_ids, columns=["study_id", "sample_id", "assay_id"])
    assays = _arrow_frame(dim_assay.project("assay_id, assay_type"))
    genomes = study_rows(studies, study_ids, columns=["study_id", "reference_genome"])
    samples = samples.merge(assays, on="assay_id", how="left").merge(genomes, on="study_id", how="left")
    catalogues = study_rows(sbs96, study_ids, columns=["study_id", "sample_id", "variant_set", "channel", "n_snv"])
    return samples, catalogues


def _arrow_frame(rows) -> pd.DataFrame:
    """A DuckDB relation as pandas through Arrow: text stays in Arrow buffers (string[pyarrow]), a third of
    the memory of Python str objects (7M mutated sample x gene rows at 100k samples: 0.46 GB instead of
    1.4 GB), and 5x faster."""
    return rows.arrow().read_all().to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)


def mutated_genes(sample_gene_alterations, study_ids) -> pd.DataFrame:
    """study_id, sample_id, hugo_symbol of the mutated rows of int_sample_gene_alterations in ``study_ids``:
    one row per study, sample and gene."""
    return study_rows(sample_gene_alterations, study_ids, "is_mutated", ["study_id", "sample_id", "hugo_symbol"])


def _ordered_groups(frame: pd.DataFrame) -> list[str]:
    return list(frame.drop_duplicates("group_label").sort_values("group_order")["group_label"])


def enrichment(frequencies: pd.DataFrame, comparisons: pd.DataFrame) -> pd.DataFrame:
    """Fisher tests of alteration frequency between the groups of each comparison.

    ``frequencies``: study_id, comparison, group_label, group_order, feature_level, feature,
    alteration_type, n_profiled, n_altered (denominators from the frequency marts: members profiled
    for the feature, zero-mutation members included). BH runs within the family comparison x
    alteration type x feature level (pairwise rows over pairs x features), as DESIGN.md declares.
    """
    parts = []
    alternatives = comparisons.drop_duplicates(["study_id", "comparison"]).set_index(
        ["study_id", "comparison"])["alternative"].to_dict()
    for (study_id, comparison), freq in frequencies.groupby(["study_id", "comparison"], sort=True):
        alternative = alternatives[(study_id, comparison)]
        groups = _ordered_groups(freq)
        freq = _with_unprofiled_groups(freq)
        result = compare_groups_binary(
            freq.rename(columns={"group_label": "group"}),
            family_cols=("study_id", "comparison", "alteration_type", "feature_level"), feature_col="feature",
            group_col="group", groups=groups, alternative=alternative if len(groups) == 2 else "two.sided",
        )
        result["alternative"] = alternative if len(groups) == 2 else "two.sided"
        parts.append(result)
    if not parts:
        return no_rows(ENRICHMENT_COLUMNS)
    return tidy_result(pd.concat(parts, ignore_index=True), ENRICHMENT_COLUMNS)


def _with_unprofiled_groups(freq: pd.DataFrame) -> pd.DataFrame:
    """One comparison's frequencies with a row (n_profiled = n_altered = 0) for every group the marts leave
    out of a feature because none of its members is profiled for it, so that the pair is reported with its
    reason instead of vanishing (a comparison across studies: a panel study's group and a gene off the panel)."""
    keys = ["study_id", "comparison", "alteration_type", "feature_level", "feature"]
    groups = freq[["group_label", "group_order"]].drop_duplicates()
    grid = freq[keys].drop_duplicates().merge(groups, how="cross")
    missing = grid.merge(freq[keys + ["group_label"]], on=keys + ["group_label"], how="left", indicator=True)
    missing = missing[missing["_merge"] == "left_only"].drop(columns="_merge")
    if missing.empty:
        return freq
    return pd.concat([freq, missing.assign(n_profiled=0, n_altered=0)], ignore_index=True)


def numeric_tests(values: pd.DataFrame, comparisons: pd.DataFrame) -> pd.DataFrame:
    """Wilcoxon rank-sum (2 groups; R wilcox.test) or Kruskal-Wallis plus pairwise two-sided
    Wilcoxon with BH over the pairs (>= 3 groups), per comparison x measure.

    ``values``: study_id, comparison, group_label, group_order, measure, value (one row per member).
    """
    rows = []
    alternatives = comparisons.drop_duplicates(["study_id", "comparison"]).set_index(["study_id", "comparison"])["alternative"]
    for (study_id, comparison, measure), data in values.groupby(["study_id", "comparison", "measure"], sort=True):
        groups = _ordered_groups(data)
        alternative = alternatives.get((study_id, comparison), "two.sided") if len(groups) == 2 else "two.sided"
        by_group = {g: data.loc[data.group_label == g, "value"].dropna().to_numpy(float) for g in groups}
        base = {"study_id": study_id, "comparison": comparison, "measure": measure}
        if len(groups) >= 3:
            k = kruskal(data["value"].to_numpy(float), data["group_label"].to_numpy(object))
            rows.append({**base, "test": "omnibus", "group1": None, "group2": None, "n1": len(data), "n2": None,
                         "median1": None, "median2": None, "statistic": k.statistic, "p_value": k.p_value,
                         "alternative": "two.sided", "method": k.method, "reason": k.reason})
        pairwise = []
        for i, g1 in enumerate(groups):
            for g2 in groups[i + 1:]:
                x, y = by_group[g1], by_group[g2]
                w = wilcoxon_rank_sum(x, y, alternative=alternative)
                pairwise.append({**base, "test": "pairwise", "group1": g1, "group2": g2, "n1": x.size, "n2": y.size,
                                 "median1": float(np.median(x)) if x.size else np.nan,
                                 "median2": float(np.median(y)) if y.size else np.nan,
                                 "statistic": w.statistic, "p_value": w.p_value, "alternative": alternative,
                                 "method": w.method, "reason": w.reason})
        q = bh_adjust(np.array([r["p_value"] for r in pairwise], float)) if pairwise else []
        for r, qv in zip(pairwise, q):
            r["q_value"] = qv if len(groups) >= 3 else r["p_value"]
            r["bh_family"] = f"{comparison} x {measure}: {len(pairwise)} group pair(s)"
        rows += pairwise
    return tidy_result(pd.DataFrame(rows), NUMERIC_COLUMNS)


# measure -> the mart it comes from ("tmb": fct_sample_burden under the study's own definition;
# "cnv": fct_sample_cnv_burden, lim2021's CNV burden)
BURDEN_MEASURES = {
    "n_nonsynonymous": "tmb",
    "tmb_per_mb": "tmb",
    "cnv_count": "cnv",
    "cnv_gene_count": "cnv",
    "total_cnv_length_mb": "cnv",
    "fraction_genome_altered": "cnv",
}


def burden_columns(source: str) -> list[str]:
    """The columns burden_tests reads from fct_sample_burden (``source`` "tmb") or fct_sample_cnv_burden
    ("cnv"), for a projection before the pull: the TMB mart has a row per sample x TMB definition and 29
    columns (at 100k samples the whole of it took 800 MB in pandas)."""
    keys = ["study_id", "sample_id"] + (["is_study_definition"] if source == "tmb" else [])
    return keys + [measure for measure, of in BURDEN_MEASURES.items() if of == source]


def burden_tests(comparisons: pd.DataFrame, members: pd.DataFrame, tmb: pd.DataFrame,
                 cnv: pd.DataFrame) -> pd.DataFrame:
    """numeric_tests of every BURDEN_MEASURES measure for the comparisons declaring `burden`, from the
    marts as any engine returns them: landing_comparisons, int_comparison_members, fct_sample_burden,
    fct_sample_cnv_burden (stat_burden_tests_computed on DuckDB; oncoduck.spark_target on Spark)."""
    members = comparison_members(comparisons, members, "burden")
    sources = {"tmb": tmb[tmb["is_study_definition"].astype(bool)], "cnv": cnv}
    long = [with_member_data(members, sources[source][["study_id", "sample_id", measure]]
                             .rename(columns={measure: "value"}).assign(measure=measure))
            for measure, source in BURDEN_MEASURES.items()]
    return numeric_tests(pd.concat(long, ignore_index=True), comparisons)


def signature_tests(comparisons: pd.DataFrame, members: pd.DataFrame, exposures: pd.DataFrame,
                    apobec: pd.DataFrame) -> pd.DataFrame:
    """numeric_tests, for the comparisons declaring `signatures`, of each fitted signature's relative exposure
    (measure ``relative_exposure:<signature>``, from stat_signature_exposures; samples not fitted left out)
    and of the APOBEC enrichment score and APOBEC-motif fraction (fct_sample_apobec)."""
    members = comparison_members(comparisons, members, "signatures")
    fitted = exposures[exposures["relative_exposure"].notna()]
    long = [
        with_member_data(members, fitted[["study_id", "sample_id", "signature_id", "relative_exposure"]])
        .assign(measure=lambda f: "relative_exposure:" + f["signature_id"].astype(str))
        .rename(columns={"relative_exposure": "value"}).drop(columns=["signature_id"]),
    ]
    for measure in ("apobec_enrichment", "fraction_apobec_mutations"):
        long.append(with_member_data(members, apobec[["study_id", "sample_id", measure]]
                                     .rename(columns={measure: "value"})).assign(measure=measure))
    return numeric_tests(pd.concat(long, ignore_index=True), comparisons)


NMF_ASSOCIATION_COLUMNS = ["study_id", "comparison", "test", "endpoint", "rank", "n", "n_unclustered", "n_groups",
                           "n_clusters", "contingency_table", "statistic", "df", "p_value", "method", "reason"]


def nmf_association(comparisons: pd.DataFrame, members: pd.DataFrame, clusters: pd.DataFrame,
                    survival: pd.DataFrame) -> pd.DataFrame:
    """For each comparison declaring `nmf`: its members' NMF clusters at the chosen rank (fct_sample_nmf_cluster)
    against its groups (test "groups": Fisher's exact test of the groups x clusters table, R fisher.test), and
    outcome by cluster (test "logrank", one row per endpoint of fct_survival: R survdiff across the clusters,
    each patient once: its representative among its clustered samples, one_sample_per_patient). Members without a cluster (not sequenced, or
    nothing altered) are counted in n_unclustered."""
    members = comparison_members(comparisons, members, "nmf")
    rows = []
    for (study_id, comparison), data in members.groupby(["study_id", "comparison"], sort=True):
        merged = with_member_data(data, clusters, how="left")
        clustered = merged[merged["cluster"].notna()]
        groups = _ordered_groups(data)
        base = {"study_id": study_id, "comparison": comparison, "n_unclustered": len(merged) - len(clustered),
                "n_groups": len(groups), "statistic": np.nan, "df": np.nan}
        if clustered.empty:
            rows.append({**base, "test": "groups", "endpoint": None, "rank": np.nan, "n": 0, "n_clusters": 0,
                         "contingency_table": None, "p_value": np.nan, "method": None,
                         "reason": "no member has an NMF cluster (does the study declare nmf?)"})
            continue
        rank = int(clustered["rank"].iloc[0])
        table = pd.crosstab(pd.Categorical(clustered["group_label"], categories=groups),
                            clustered["cluster"].astype(int), dropna=False)
        test = fisher_freeman_halton(table.to_numpy())
        text = "; ".join(f"{group}: " + ", ".join(f"cluster {c} = {int(table.loc[group, c])}" for c in table.columns)
                         for group in groups)
        rows.append({**base, "test": "groups", "endpoint": None, "rank": rank, "n": len(clustered),
                     "n_clusters": table.shape[1], "contingency_table": text, "p_value": test.p_value,
                     "method": test.method, "reason": test.reason})
        patients = one_sample_per_patient(clustered)
        timed = with_member_data(patients, survival[SURVIVAL_TIME_COLUMNS],
                                 keys=("patient_id",))
        for endpoint, outcome in timed.groupby("endpoint", sort=True):
            result = logrank(outcome["time_months"], outcome["event"], outcome["cluster"].astype(int))
            rows.append({**base, "test": "logrank", "endpoint": endpoint, "rank": rank, "n": len(outcome),
                         "n_unclustered": np.nan, "n_clusters": outcome["cluster"].nunique(),
                         "contingency_table": None, "statistic": result.chisq, "df": result.df,
                         "p_value": result.p_value, "method": "Log-rank test across NMF clusters (R survdiff)",
                         "reason": result.reason})
    return tidy_result(pd.DataFrame(rows), NMF_ASSOCIATION_COLUMNS)


def frequency_enrichment(comparisons: pd.DataFrame, genes: pd.DataFrame, pathways: pd.DataFrame,
                         bands: pd.DataFrame, hotspots: pd.DataFrame) -> pd.DataFrame:
    """enrichment of the frequency marts (fct_gene_frequency, fct_pathway_frequency,
    fct_cytoband_frequency, fct_hotspot_frequency) for what each comparison's analyses ask (genes,
    pathways, cytobands, hotspots), from the marts as any engine returns them
    (stat_enrichment_computed on DuckDB; oncoduck.spark_target on Spark)."""
    return enrichment(asked_frequencies(comparisons, genes, pathways, bands, hotspots), comparisons)


# What asked_frequencies reads of each frequency mart, by the analysis that asks for it
FREQUENCY_GROUP_COLUMNS = ["study_id", "comparison", "group_label", "group_order", "n_profiled", "n_altered"]
FREQUENCY_MART_COLUMNS = {"genes": ["hugo_symbol", "alteration_type"],
                          "pathways": ["collection", "gene_set", "alteration_type"],
                          "cytobands": ["region_level", "region", "direction"],
                          "hotspots": ["hugo_symbol", "feature_level", "feature"]}


def declared_frequencies(comparisons: pd.DataFrame, genes, pathways, bands, hotspots) -> list[pd.DataFrame]:
    """The rows of the frequency marts (warehouse relations: fct_gene_frequency, fct_pathway_frequency,
    fct_cytoband_frequency, fct_hotspot_frequency) of the comparisons whose analyses ask for each, with the
    columns asked_frequencies reads: filtered in the engine."""
    frames = []
    for analysis, relation in zip(FREQUENCY_MART_COLUMNS, (genes, pathways, bands, hotspots)):
        wanted = comparisons[declares(comparisons, analysis)]
        frames.append(study_rows(relation, sorted(set(wanted["study_id"])),
                                 f"comparison in ({sql_text_list(wanted['comparison'])})",
                                 FREQUENCY_GROUP_COLUMNS + FREQUENCY_MART_COLUMNS[analysis]))
    return frames


def asked_frequencies(comparisons: pd.DataFrame, genes: pd.DataFrame, pathways: pd.DataFrame,
                      bands: pd.DataFrame, hotspots: pd.DataFrame) -> pd.DataFrame:
    """The frequency marts' rows (study_id, comparison, group_label, group_order, n_profiled, n_altered,
    feature_level, feature, alteration_type) of what each comparison's analyses ask, in one long table."""
    keys = ["study_id", "comparison", "group_label", "group_order", "n_profiled", "n_altered"]
    genes = genes.assign(analysis="genes", feature_level="gene", feature=genes["hugo_symbol"])
    pathways = pathways.assign(analysis="pathways", feature_level="pathway",
                               feature=pathways["collection"] + ":" + pathways["gene_set"])
    bands = bands.assign(analysis="cytobands", feature_level="cytoband_" + bands["region_level"],
                         feature=bands["region"], alteration_type="cna_" + bands["direction"])
    hotspots = hotspots.assign(analysis="hotspots", feature_level="hotspot_" + hotspots["feature_level"],
                               feature=hotspots["hugo_symbol"] + ":" + hotspots["feature"], alteration_type="mutation")
    columns = keys + ["analysis", "feature_level", "feature", "alteration_type"]
    # the marts no comparison asks for come back empty: left out, so they do not decide the columns' types
    parts = [t[columns] for t in (genes, pathways, bands, hotspots)]
    frequencies = pd.concat([t for t in parts if not t.empty] or parts[:1], ignore_index=True)
    wanted = comparisons[["study_id", "comparison", "analyses"]].drop_duplicates()
    frequencies = frequencies.merge(wanted, on=["study_id", "comparison"])
    asked = pd.Series([a in s.split(";") for a, s in zip(frequencies["analysis"], frequencies["analyses"])],
                      index=frequencies.index, dtype=bool)
    return frequencies.loc[asked].drop(columns=["analysis", "analyses"])

@dataclass(frozen=True)
class ModelSettings:
    """What a comparison declares for its models (landing_comparisons): the groups in declared order, the
    reference group every effect is against (declared, else the first group: R's first factor level), the
    covariates and their reference levels, the strata and the outcome attribute."""

    groups: list[str]
    reference_group: str | None
    reference_declared: bool = False
    covariates: list[str] = field(default_factory=list)
    reference_levels: dict[str, str] = field(default_factory=dict)
    stratify_by: list[str] = field(default_factory=list)
    outcome: str | None = None


def _split(value) -> list[str]:
    return [v for v in str(value).split(";") if v] if isinstance(value, str) else []


def model_settings(comparisons: pd.DataFrame | None) -> dict[tuple[str, str], ModelSettings]:
    """ModelSettings per (study_id, comparison) from landing_comparisons rows (one per comparison x group).
    Columns a landing without model declarations lacks take their defaults."""
    if comparisons is None or comparisons.empty:
        return {}
    out = {}
    ordered = comparisons.sort_values(["study_id", "comparison", "group_order"], kind="stable")
    for (study_id, comparison), rows in ordered.groupby(["study_id", "comparison"], sort=False):
        first = rows.iloc[0]
        groups = [str(g) for g in rows["group_label"].drop_duplicates()]
        reference = first.get("reference_group")
        levels = first.get("reference_levels")
        out[(study_id, comparison)] = ModelSettings(
            groups=groups,
            reference_group=str(reference) if isinstance(reference, str) and reference else (groups[0] if groups else None),
            reference_declared=bool(first.get("reference_declared")) if pd.notna(first.get("reference_declared")) else False,
            covariates=_split(first.get("covariates")),
            reference_levels={str(k).upper(): str(v) for k, v in json.loads(levels).items()} if isinstance(levels, str) and levels else {},
            stratify_by=_split(first.get("stratify_by")),
            outcome=str(first.get("outcome")) if isinstance(first.get("outcome"), str) and first.get("outcome") else None,
        )
    return out


def _settings(settings: dict[tuple[str, str], ModelSettings], key: tuple[str, str], data: pd.DataFrame) -> ModelSettings:
    """The comparison's settings, its groups completed by any group of ``data`` (declared order, then
    group_order); without a declaration (stat_longitudinal_*), the groups of ``data`` and the first as reference."""
    found = settings.get(key)
    groups = list(found.groups) if found else []
    groups += [g for g in _ordered_groups(data) if g not in groups]
    if found is None:
        return ModelSettings(groups=groups, reference_group=groups[0] if groups else None)
    return ModelSettings(groups, found.reference_group, found.reference_declared, found.covariates,
                         found.reference_levels, found.stratify_by, found.outcome)


def model_attribute_names(comparisons: pd.DataFrame, analysis: str) -> list[str]:
    """The attributes the models of ``analysis`` read (covariates, strata and, for response and linear, the
    outcome) over the comparisons that declare it, sorted."""
    if comparisons is None or comparisons.empty or "analyses" not in comparisons:
        return []
    names: set[str] = set()
    for m in model_settings(comparisons[declares(comparisons, analysis)]).values():
        names |= set(m.covariates) | set(m.stratify_by)
        if analysis in ("response", "linear") and m.outcome:
            names.add(m.outcome)
    return sorted(names)


def declared_attribute_rows(attributes, comparisons: pd.DataFrame, analysis: str) -> pd.DataFrame:
    """The int_entity_attributes rows (``attributes``: the warehouse relation) of the attributes the models of
    ``analysis`` read, in the studies that declare it; filtered in DuckDB. Empty when none is declared."""
    names = model_attribute_names(comparisons, analysis)
    columns = ["study_id", "level", "patient_id", "sample_id", "attribute", "value_text"]
    if not names:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    return study_rows(attributes, comparison_studies(comparisons), f"attribute in ({sql_text_list(names)})", columns)


def member_attributes(members: pd.DataFrame, attributes: pd.DataFrame | None, names: list[str]) -> pd.DataFrame:
    """``members`` (sample_study_id, patient_id, sample_id ...) with one text column per attribute of ``names``
    (upper case): the value of the member's sample, else its patient's, in the member's own study
    (int_entity_attributes rows; a sample-level value wins). A member without a value has NaN."""
    out = members.copy()
    if not names:
        return out
    attributes = attributes if attributes is not None else pd.DataFrame(
        columns=["study_id", "level", "patient_id", "sample_id", "attribute", "value_text"])
    rows = attributes[attributes["attribute"].isin(names) & attributes["value_text"].notna()]
    rows = rows.sort_values(["study_id", "attribute", "patient_id", "sample_id", "value_text"], kind="stable",
                            na_position="first")

    def wide(level: str, key: str) -> pd.DataFrame:
        part = rows[rows["level"] == level].drop_duplicates(["study_id", key, "attribute"])
        part = part.astype({"value_text": object, key: object, "study_id": object})
        return part.pivot(index=["study_id", key], columns="attribute", values="value_text")

    keys = out[["sample_study_id", "sample_id", "patient_id"]].rename(columns={"sample_study_id": "study_id"}).astype(object)
    by_sample = keys.join(wide("sample", "sample_id"), on=["study_id", "sample_id"])
    by_patient = keys.join(wide("patient", "patient_id"), on=["study_id", "patient_id"])
    for name in names:
        sample_value = by_sample[name] if name in by_sample else pd.Series(np.nan, index=out.index)
        patient_value = by_patient[name] if name in by_patient else pd.Series(np.nan, index=out.index)
        out[name] = sample_value.astype(object).where(sample_value.notna(), patient_value.astype(object))
    return out


def _model_frame(data: pd.DataFrame, m: ModelSettings, columns: dict[str, str]) -> pd.DataFrame:
    """The columns a model of the comparison reads: ``columns`` (new name -> column of ``data``), ``group``
    (a Categorical in declared order), each covariate (numbers when every value is one, else text: R's
    numeric vs factor) and each stratum."""
    from .models import _is_categorical

    frame = pd.DataFrame({new: data[old].to_numpy() for new, old in columns.items()}, index=data.index)
    frame["group"] = pd.Categorical(data["group_label"].astype(object), categories=m.groups)
    for name in m.covariates + m.stratify_by:
        values = data[name].astype(object) if name in data else pd.Series(np.nan, index=data.index, dtype=object)
        frame[name] = values if name in m.stratify_by or _is_categorical(values) else pd.to_numeric(values, errors="coerce")
    return frame


def _tidy_models(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """tidy_result for the model tables: their text and boolean columns keep their types when empty."""
    out = tidy_result(frame, columns)
    for column in ("term", "level", "reference_level", "reference_group", "formula", "outcome", "outcome_level"):
        if column in out and out[column].isna().all():
            out[column] = out[column].astype("string")
    if "reference_declared" in out:
        out["reference_declared"] = out["reference_declared"].astype("boolean")
    return out


def survival_times(comparisons: pd.DataFrame, members: pd.DataFrame, survival: pd.DataFrame,
                   attributes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The input of survival_curves and survival_tests: each patient once per comparison declaring
    `survival` (int_comparison_members), with its time and event per endpoint (fct_survival) and, given
    ``attributes`` (int_entity_attributes rows, e.g. declared_attribute_rows), one column per covariate and
    stratum the comparisons declare (member_attributes)."""
    patients = comparison_members(comparisons, members, "survival", one_per_patient=True)
    if attributes is not None:
        patients = member_attributes(patients, attributes, model_attribute_names(comparisons, "survival"))
    return with_member_data(patients, survival[SURVIVAL_TIME_COLUMNS], keys=("patient_id",))


def survival_curves(times: pd.DataFrame) -> pd.DataFrame:
    """Kaplan-Meier tables (R survfit defaults) per comparison x endpoint x group.

    ``times``: study_id, comparison, endpoint, group_label, group_order, time_months, event.
    """
    parts = []
    for (study_id, comparison, endpoint), data in times.groupby(["study_id", "comparison", "endpoint"], sort=True):
        km = kaplan_meier(data["time_months"].to_numpy(float), data["event"].to_numpy(float),
                          data["group_label"].to_numpy(object))
        km.insert(0, "endpoint", endpoint)
        km.insert(0, "comparison", comparison)
        km.insert(0, "study_id", study_id)
        parts.append(km)
    columns = ["study_id", "comparison", "endpoint", "group_label", "time", "n_risk", "n_event", "n_censor", "surv",
               "std_err", "lower", "upper"]
    out = pd.concat(parts, ignore_index=True).rename(columns={"group": "group_label"}) if parts else pd.DataFrame()
    return tidy_result(out, columns)


def survival_tests(times: pd.DataFrame, comparisons: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per comparison x endpoint: KM median and 95 % CI per group (R print.survfit), log-rank over the groups
    (R survdiff) and, with ``stratify_by``, the stratified log-rank (survdiff + strata), a Cox model (R coxph's
    Newton-Raphson, Efron ties) of group + covariates + strata(stratify_by) with one row per term (each
    group's hazard ratio against the reference group, each covariate's per unit or against its reference
    level), and its proportional-hazards check (R cox.zph, transform "km": GLOBAL, and per term when the
    model has covariates).

    ``comparisons`` (landing_comparisons) gives the reference group, covariates, reference levels and strata
    (ModelSettings); without it the first group is the reference and the model has the group only. Every row
    names the reference group and whether it was declared. ``times``: survival_times' columns."""
    from .models import COX_METHOD, cox_model

    settings = model_settings(comparisons)
    rows = []
    for (study_id, comparison, endpoint), data in times.groupby(["study_id", "comparison", "endpoint"], sort=True):
        m = _settings(settings, (study_id, comparison), data)
        base = {"study_id": study_id, "comparison": comparison, "endpoint": endpoint, "reference_group": m.reference_group,
                "reference_declared": m.reference_declared}
        t = data["time_months"].to_numpy(float)
        e = data["event"].to_numpy(float)
        g = data["group_label"].to_numpy(object)
        for _, k in km_median(t, e, g).iterrows():
            rows.append({**base, "test": "km_median", "group_label": k["group"], "n": k["n"],
                         "n_events": k["events"], "estimate": k["median"], "ci_low": k["lower"], "ci_high": k["upper"],
                         "method": "Kaplan-Meier median, 95% CI (R survfit: conf.type = log and its median rule)",
                         "reason": "median not reached" if np.isnan(k["median"]) else None})
        lr = logrank(t, e, g)
        rows.append({**base, "test": "logrank", "n": float(len(t)), "n_events": float(np.nansum(e)),
                     "statistic": lr.chisq, "df": lr.df, "p_value": lr.p_value,
                     "formula": "Surv(time_months, event) ~ group", "method": "log-rank (R survdiff)",
                     "reason": lr.reason})
        frame = _model_frame(data, m, {"time_months": "time_months", "event": "event"})
        if m.stratify_by:
            labels = frame[m.stratify_by]
            stratum = labels.astype(str).agg(", ".join, axis=1).where(labels.notna().all(axis=1))
            slr = logrank(t, e, g, stratum.to_numpy(object))
            rows.append({**base, "test": "stratified_logrank", "n": float(slr.table["n"].sum()),
                         "n_events": float(slr.table["observed"].sum()), "statistic": slr.chisq, "df": slr.df,
                         "p_value": slr.p_value,
                         "formula": f"Surv(time_months, event) ~ group + strata({', '.join(m.stratify_by)})",
                         "method": "stratified log-rank (R survdiff with strata: observed - expected and variance "
                                   "summed over strata)", "reason": slr.reason})
        terms = ["group"] + m.covariates
        reference = {**m.reference_levels, "group": m.reference_group}
        fit = cox_model(frame, "time_months", "event", terms, reference, m.stratify_by or None)
        for c in fit.itertuples(index=False):
            rows.append({**base, "test": "cox", "term": c.term, "group_label": c.level if c.term == "group" else None,
                         "level": c.level, "reference_level": c.reference_level, "n": c.n, "n_events": c.events,
                         "estimate": c.exp_estimate, "ci_low": c.exp_ci_low, "ci_high": c.exp_ci_high,
                         "std_error": c.std_error, "statistic": c.statistic, "p_value": c.p_value, "formula": c.formula,
                         "method": f"{COX_METHOD}; hazard ratio vs reference_level", "reason": c.reason})
        zph = cox_zph(frame, "time_months", "event", terms, reference=reference, strata=m.stratify_by or None)
        model_reason = next((r for r in fit["reason"] if r), None) if len(fit) else None
        for check in (zph if len(terms) > 1 else zph[zph["term"] == "GLOBAL"]).itertuples(index=False):
            rows.append({**base, "test": "ph_check", "term": check.term, "n": fit["n"].iloc[0] if len(fit) else np.nan,
                         "n_events": fit["events"].iloc[0] if len(fit) else np.nan, "statistic": check.chisq,
                         "df": check.df, "p_value": check.p, "formula": fit["formula"].iloc[0] if len(fit) else None,
                         "method": check.method, "reason": check.reason or model_reason})
    return _tidy_models(pd.DataFrame(rows), SURVIVAL_COLUMNS)


CLINICAL_COLUMNS = [
    "study_id", "comparison", "attribute", "attribute_type", "level", "group_label", "group_order", "n", "n_level", "percent",
    "median", "q1", "q3", "test", "statistic", "df", "p_value", "alternative", "method", "reason",
]
MAX_CATEGORY_LEVELS = 12


def _declared_groups(comparisons: pd.DataFrame) -> dict[tuple[str, str], tuple[dict[str, int], str]]:
    """(study_id, comparison) -> its declared groups ({label: group_order}, in declared order) and its declared
    alternative, from the declarations (landing_comparisons: one row per comparison x group)."""
    declared = {}
    ordered = comparisons.sort_values(["study_id", "comparison", "group_order"], kind="stable")
    for key, rows in ordered.groupby(["study_id", "comparison"], sort=False):
        groups = dict(zip(rows["group_label"], rows["group_order"].astype(int)))
        alternatives = rows["alternative"].dropna()
        declared[key] = (groups, str(alternatives.iloc[0]) if len(alternatives) else "two.sided")
    return declared


def _reasons(*reasons: str | None) -> str | None:
    kept = [reason for reason in reasons if reason]
    return "; ".join(kept) if kept else None


def _no_value(groups: list[str]) -> str | None:
    return "no value in group " + ", ".join(repr(g) for g in groups) if groups else None


CLINICAL_ID_ATTRIBUTES = ("PATIENT_ID", "SAMPLE_ID", "STUDY_ID")  # int_entity_attributes leaves these out


def clinical_value_counts(session, clinical_attributes, entity_attributes, members: pd.DataFrame) -> pd.DataFrame:
    """What clinical_table reads, counted in the engine (``session``, the connection of the relations
    ``clinical_attributes``: stg_study__clinical_attributes, and ``entity_attributes``: int_entity_attributes):
    per comparison x group x patient attribute, the members (``members``: study_id, comparison,
    sample_study_id, patient_id, group_label, group_order; one per patient) with each number, or, for an
    attribute none of whose members has a number there, with each text value (attributes with more than
    MAX_CATEGORY_LEVELS values left out, as clinical_table leaves them out). One row per distinct value with its
    ``n_members``: at 300k patients, 5.7M patient x attribute rows no longer reach Python (they made the Spark
    driver's peak).

    The numbers are those of the attributes int_entity_attributes lists (text present, not an id, not a rule id):
    the rows clinical_table summarised when it read the two tables joined per member."""
    keys = ["study_id", "comparison", "group_label", "group_order"]
    session.register("oncoduck_table_members", members[[*keys, "sample_study_id", "patient_id"]].drop_duplicates())
    group = ", ".join(f"members.{column}" for column in keys)
    ids = ", ".join(f"'{name}'" for name in CLINICAL_ID_ATTRIBUTES)
    try:
        numbers = _arrow_frame(clinical_attributes.query("clinical", f"""
            select {group}, clinical.attribute, clinical.value_number, count(*) as n_members
            from oncoduck_table_members as members
            inner join clinical
                on clinical.study_id = members.sample_study_id and clinical.patient_id = members.patient_id
            where clinical.level = 'patient' and clinical.value_text is not null and clinical.value_number is not null
              and clinical.attribute not in ({ids}) and right(clinical.attribute, 8) <> '_RULE_ID'
            group by {group}, clinical.attribute, clinical.value_number
        """))
        session.register("oncoduck_numeric_attributes",
                         numbers[["study_id", "comparison", "attribute"]].drop_duplicates().astype(object))
        try:
            levels = _arrow_frame(entity_attributes.query("attributes", f"""
                with counted as (
                    select {group}, attributes.attribute, attributes.value_text, count(*) as n_members
                    from oncoduck_table_members as members
                    inner join attributes
                        on attributes.study_id = members.sample_study_id and attributes.patient_id = members.patient_id
                    left join oncoduck_numeric_attributes as numeric
                        on numeric.study_id = members.study_id and numeric.comparison = members.comparison
                       and numeric.attribute = attributes.attribute
                    where attributes.level = 'patient' and right(attributes.attribute, 8) <> '_RULE_ID'
                      and attributes.value_text is not null and numeric.attribute is null
                    group by {group}, attributes.attribute, attributes.value_text
                ),
                level_counts as (
                    select study_id, comparison, attribute, count(distinct value_text) as n_levels
                    from counted
                    group by study_id, comparison, attribute
                )
                select counted.*
                from counted
                inner join level_counts
                    on level_counts.study_id = counted.study_id and level_counts.comparison = counted.comparison
                   and level_counts.attribute = counted.attribute
                where level_counts.n_levels <= {MAX_CATEGORY_LEVELS}
            """))
        finally:
            session.unregister("oncoduck_numeric_attributes")
    finally:
        session.unregister("oncoduck_table_members")
    counted = pd.concat([numbers.assign(value_text=pd.Series(pd.NA, numbers.index, levels["value_text"].dtype)),
                         levels.assign(value_number=pd.Series(np.nan, levels.index, numbers["value_number"].dtype))],
                        ignore_index=True)
    return counted.sort_values([*keys[:2], "attribute", "group_order", "value_text", "value_number"],
                               kind="stable", ignore_index=True)


def clinical_table(values: pd.DataFrame, comparisons: pd.DataFrame) -> pd.DataFrame:
    """"Table 1": per comparison x attribute, counts and percentages per group (categorical) or
    median and quartiles (numeric), and the test across groups on the attribute's first row.

    The test is chosen on the comparison's declared groups, never on those that happen to have a value, and
    every declared group has its rows (n = 0 when none of its members has a value):
    numeric -> two groups: R wilcox.test(group 1, group 2, alternative = the declared one); three or more:
    R kruskal.test over the groups with values (two-sided: it has no one-sided form).
    categorical -> R chisq.test on the groups x levels table, or Fisher-Freeman-Halton (R fisher.test) when an
    expected count is < 5; a 2 x 2 table of two groups under a declared one-sided alternative is R
    fisher.test(alternative = ...) on it, the odds of the first level (sorted) in group 1 vs group 2
    (chisq.test has no one-sided form). Where a one-sided alternative is undefined (three or more groups, a
    table with more than two levels) the test is two-sided, and the ``alternative`` column (the one the test
    used) and ``reason`` say so. A test that cannot be computed has p NaN and a reason.

    ``values``: study_id, comparison, group_label, group_order, attribute, value_text, value_number
    (one row per member; value_number set for numeric attributes), or the same counted (clinical_value_counts:
    one row per distinct value with its members in ``n_members``). ``comparisons``: the declarations, one
    row per comparison x group (landing_comparisons: study_id, comparison, group_label, group_order,
    alternative). Attributes with more than MAX_CATEGORY_LEVELS distinct values and no numbers (free text,
    identifiers) are left out.
    """
    from .contingency import chisq_test, fisher_freeman_halton
    from .fisher import fisher_2x2

    declared = _declared_groups(comparisons)
    if "n_members" not in values:
        values = values.assign(n_members=1)
    rows = []
    for (study_id, comparison, attribute), data in values.groupby(["study_id", "comparison", "attribute"], sort=True):
        declared_order, alternative = declared.get((study_id, comparison), ({}, "two.sided"))
        order = dict(declared_order)
        for g, o in data[["group_label", "group_order"]].drop_duplicates("group_label").itertuples(index=False):
            order.setdefault(g, int(o))  # a group with values that is not declared (none should be)
        groups = sorted(order, key=order.get)
        one_sided = alternative != "two.sided"
        base = {"study_id": study_id, "comparison": comparison, "attribute": attribute}
        if data["value_number"].notna().any():
            numeric = data.dropna(subset=["value_number"])
            weights = numeric["n_members"].to_numpy(np.int64)
            numbers = np.repeat(numeric["value_number"].to_numpy(float), weights)
            labels = np.repeat(numeric["group_label"].to_numpy(object), weights)
            by_group = {g: numbers[labels == g] for g in groups}
            test_rows = [{**base, "attribute_type": "numeric", "level": None, "group_label": g, "group_order": order[g],
                          "n": int(v.size), "median": float(np.median(v)) if v.size else np.nan,
                          "q1": float(np.quantile(v, 0.25)) if v.size else np.nan,
                          "q3": float(np.quantile(v, 0.75)) if v.size else np.nan}
                         for g, v in by_group.items()]
            no_value = _no_value([g for g in groups if by_group[g].size == 0])
            if len(groups) == 2:
                r = wilcoxon_rank_sum(by_group[groups[0]], by_group[groups[1]], alternative=alternative)
                test = {"test": "wilcoxon", "statistic": r.statistic, "p_value": r.p_value, "alternative": r.alternative,
                        "method": r.method, "reason": no_value or r.reason}
            else:
                r = kruskal(numbers, labels)
                undefined = (f"alternative {alternative!r} (group 1 vs group 2) is undefined across {len(groups)} groups: "
                             "two-sided test") if one_sided else None
                test = {"test": "kruskal", "statistic": r.statistic, "df": r.df, "p_value": r.p_value,
                        "alternative": "two.sided", "method": r.method, "reason": _reasons(r.reason, no_value, undefined)}
            test_rows[0].update(test)
            rows += test_rows
            continue
        present = data.dropna(subset=["value_text"])
        levels = sorted(present["value_text"].unique(), key=str)
        if not levels or len(levels) > MAX_CATEGORY_LEVELS:
            continue
        table = (present.groupby(["group_label", "value_text"])["n_members"].sum().unstack(fill_value=0)
                 .reindex(index=groups, columns=levels, fill_value=0))
        no_value = _no_value([g for g in groups if table.loc[g].sum() == 0])
        observed = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
        if observed.shape[0] < 2 or observed.shape[1] < 2:
            test = {"test": "none", "reason": _reasons("fewer than two groups or levels with data", no_value)}
        elif one_sided and len(groups) == 2 and observed.shape == (2, 2):
            (a, b), (c, d) = observed.to_numpy()
            r = fisher_2x2(int(a), int(b), int(c), int(d), alternative=alternative)
            first, second = observed.columns
            test = {"test": "fisher", "p_value": r.p_value, "alternative": r.alternative, "reason": r.reason,
                    "method": (f"Fisher's Exact Test for Count Data (2 x 2), alternative = {r.alternative}: odds of "
                               f"{first!r} (vs {second!r}) in {groups[0]!r} vs {groups[1]!r} "
                               f"{'>' if r.alternative == 'greater' else '<'} 1")}
        else:
            chi = chisq_test(observed.to_numpy(), correct=True)
            r = fisher_freeman_halton(observed.to_numpy()) if chi.any_expected_lt5 else chi
            undefined = None
            if one_sided:
                shape = f"{len(groups)} groups" if len(groups) != 2 else f"a {observed.shape[0]} x {observed.shape[1]} table"
                undefined = (f"alternative {alternative!r} (group 1 vs group 2) is defined for a 2 x 2 table of two groups "
                             f"only, not for {shape}: two-sided test")
            test = {"test": "fisher" if chi.any_expected_lt5 else "chisq", "statistic": r.statistic, "df": r.df,
                    "p_value": r.p_value, "alternative": "two.sided", "method": r.method,
                    "reason": _reasons(r.reason, no_value, undefined)}
        first_row = True
        for g in groups:
            n_group = int(table.loc[g].sum())
            for level in levels:
                row = {**base, "attribute_type": "categorical", "level": level, "group_label": g,
                       "group_order": order[g], "n": n_group, "n_level": int(table.loc[g, level]),
                       "percent": 100.0 * table.loc[g, level] / n_group if n_group else np.nan}
                if first_row:
                    row.update(test)
                    first_row = False
                rows.append(row)
    return tidy_result(pd.DataFrame(rows), CLINICAL_COLUMNS)


def response_rates(responses: pd.DataFrame, comparisons: pd.DataFrame) -> pd.DataFrame:
    """Response rates (ORR = CR+PR, DCR = CR+PR+SD, pCR) by group with Fisher tests, through the same
    enrichment machinery: ``responses`` has study_id, comparison, group_label, group_order and the
    0/1/NA columns is_objective_response, is_disease_control, pcr (NA = not evaluable, left out of
    the denominator)."""
    long = responses.melt(id_vars=["study_id", "comparison", "group_label", "group_order"],
                          value_vars=["is_objective_response", "is_disease_control", "pcr"],
                          var_name="feature", value_name="responded").dropna(subset=["responded"])
    long["responded"] = long["responded"].astype(float)
    counts = (long.groupby(["study_id", "comparison", "group_label", "group_order", "feature"], as_index=False)
              .agg(n_altered=("responded", "sum"), n_profiled=("responded", "size")))
    counts["feature"] = counts["feature"].map({"is_objective_response": "ORR", "is_disease_control": "DCR", "pcr": "pCR"})
    counts = counts.assign(feature_level="response_rate", alteration_type="response")
    return enrichment(counts, comparisons)


SCREEN_MIN_MUTATED = 5  # maftools survGroup minSamples
SCREEN_TOP_GENES = 20   # maftools survGroup top


def most_mutated_gene_rows(session, sample_gene_alterations, members: pd.DataFrame, by: list[str], top: int,
                           min_mutated: int = 1, alteration: str = "mutation") -> pd.DataFrame:
    """The rows of ``mutated_genes`` that a screen of the ``top`` most mutated genes can use: those of the genes
    with at least ``min_mutated`` mutated members in some group of ``members`` (study_id, sample_study_id,
    sample_id and the ``by`` columns that name a group) and fewer than ``top`` genes more mutated there. Counted in DuckDB
    (``session``, the connection of the relation ``sample_gene_alterations``), so that only those genes' rows
    reach pandas: at 100k samples the 7M mutated sample x gene rows, or a members x genes matrix, made the
    screens the build's peak memory.

    The rank counts ties alike, so the genes kept include every gene a screen picks (its top ``top``, ties
    broken by gene symbol) with all of the member studies' rows of that gene: the screen's counts, and so its
    choice, are those it makes on all of ``mutated_genes``. ``members`` must be the members the screen
    counts (gene_survival_screen: each comparison x group x endpoint's; gene_interactions: the profiled
    ones). ``alteration``: what counts as altered (ALTERED_WHEN: mutation, cna, any)."""
    keys = ["study_id", *by]
    session.register("oncoduck_screen_members", members[[*keys, "sample_study_id", "sample_id"]].drop_duplicates())
    group = ", ".join(f"members.{column}" for column in keys)
    same_group = " and ".join(f"members.{column} = ranked.{column}" for column in keys)
    try:
        return _arrow_frame(sample_gene_alterations.query("alterations", f"""
            with mutated as (
                select study_id, sample_id, hugo_symbol from alterations
                where {ALTERED_WHEN[alteration]}
                  and study_id in (select sample_study_id from oncoduck_screen_members)
            ),
            ranked as (
                select
                    {group},
                    mutated.hugo_symbol,
                    rank() over (partition by {group} order by count(*) desc) as mutated_rank
                from oncoduck_screen_members as members
                inner join mutated
                    on mutated.study_id = members.sample_study_id and mutated.sample_id = members.sample_id
                group by {group}, mutated.hugo_symbol
                having count(*) >= {int(min_mutated)}
            ),
            picked as (
                -- the genes a group can pick, with the studies of that group's members
                select distinct members.sample_study_id, ranked.hugo_symbol
                from ranked
                inner join oncoduck_screen_members as members on {same_group}
                where ranked.mutated_rank <= {int(top)}
            )
            select study_id, sample_id, hugo_symbol from mutated
            where exists (select 1 from picked
                          where picked.sample_study_id = mutated.study_id and picked.hugo_symbol = mutated.hugo_symbol)
        """))
    finally:
        session.unregister("oncoduck_screen_members")


def _member_hits(mutated: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``mutated`` (study_id, sample_id, hugo_symbol) of ``members`` (sample_study_id, sample_id),
    keyed by the member's study as sample_study_id."""
    return members[["sample_study_id", "sample_id"]].drop_duplicates().merge(
        mutated.rename(columns={"study_id": "sample_study_id"}), on=["sample_study_id", "sample_id"])


def most_mutated_genes(hits: pd.DataFrame, top: int, min_mutated: int = 1) -> list[str]:
    """The ``top`` genes of ``hits`` (one row per member and gene) with the most mutated members, at least
    ``min_mutated``; ties broken by gene symbol. The exact pick that most_mutated_gene_rows prefilters for."""
    counts = hits.groupby("hugo_symbol").size()  # in symbol order
    return list(counts[counts >= min_mutated].sort_values(ascending=False, kind="stable").index[:top])


def gene_survival_screen(times: pd.DataFrame, mutated: pd.DataFrame) -> pd.DataFrame:
    """Per comparison x group x endpoint, survival of the group's mutated vs wild-type members for its most
    mutated genes (top SCREEN_TOP_GENES with >= SCREEN_MIN_MUTATED mutated members of the group): maftools
    survGroup on the group's cohort. Log-rank (survdiff) and univariable Cox HR mutated vs wild type (coxph,
    Efron), BH over the group's genes tested.

    Each group is screened on its own: over all of a comparison's members, its grouping played no part, so
    two comparisons of a study over the same members (e.g. response groups and TMB high / low of the same
    patients) repeated each other's rows (issue 19).

    ``times``: study_id, comparison, group_label, group_order, endpoint, patient_id, sample_id, time_months,
    event. ``mutated``: study_id, sample_id, hugo_symbol of PASS nonsynonymous mutations, one row per study,
    sample and gene (``mutated_genes``: the grain of int_sample_gene_alterations, which a test guards), or
    only the rows of the genes the screen can pick (``most_mutated_gene_rows`` over ``times``, by comparison,
    group_label and endpoint, SCREEN_TOP_GENES, SCREEN_MIN_MUTATED): the result is the same.
    """
    from .survival import survival_screen

    parts = []
    keys = ["study_id", "comparison", "group_order", "group_label", "endpoint"]
    for (study_id, comparison, _, group, endpoint), data in times.groupby(keys, sort=True):
        hits = _member_hits(mutated, data)
        genes = most_mutated_genes(hits, SCREEN_TOP_GENES, SCREEN_MIN_MUTATED)
        if len(genes) == 0:
            continue
        flags = (hits[hits["hugo_symbol"].isin(genes)].assign(v=1)
                 .pivot_table(index=["sample_study_id", "sample_id"], columns="hugo_symbol", values="v", aggfunc="max"))
        frame = data.set_index(["sample_study_id", "sample_id"]).join(flags).fillna({g: 0 for g in genes})
        result = survival_screen(frame.reset_index(), "time_months", "event", list(genes), reference=0)
        parts.append(result.assign(study_id=study_id, comparison=comparison, group_label=group, endpoint=endpoint,
                                   bh_family=f"{comparison} x {group} x {endpoint}: {len(genes)} genes"))
    columns = ["study_id", "comparison", "group_label", "endpoint", "feature", "n", "n_ref", "n_alt", "logrank_chisq",
               "logrank_p", "hr", "hr_low", "hr_high", "cox_wald_p", "q_logrank", "q_cox", "bh_family", "reason"]
    out = tidy_result(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(), columns)
    return out.rename(columns={"feature": "hugo_symbol", "n_ref": "n_wildtype", "n_alt": "n_mutated"})


INTERACTION_TOP_GENES = 25  # maftools somaticInteractions top
INTERACTION_COLUMNS = ["study_id", "comparison", "alteration_type", "gene1", "gene2", "n11", "n10", "n01", "n00",
                       "p_value", "odds_ratio", "ci_low", "ci_high", "event", "q_value", "bh_family", "reason"]
#: int_sample_gene_alterations' test of each alteration type (as the frequency marts count them: a mutation is
#: PASS nonsynonymous under the study's definition; cna an amplification or deep deletion; any either)
ALTERED_WHEN = {"mutation": "is_mutated", "cna": "is_cna_altered", "any": "(is_mutated or is_cna_altered)"}


def interaction_members(profiles: pd.DataFrame, alteration: str = "mutation") -> pd.DataFrame:
    """The members gene_interactions counts, each sample once per comparison: those profiled for mutations
    (mutation), with copy-number data (cna), or either (any)."""
    if alteration == "mutation":
        profiled = profiles["is_mutation_profiled"]
    elif alteration == "cna":
        profiled = profiles["is_cna_profiled"]
    else:
        profiled = profiles["is_mutation_profiled"].astype(bool) | profiles["is_cna_profiled"].astype(bool)
    return profiles[profiled.astype(bool)].drop_duplicates(["study_id", "comparison", "sample_study_id", "sample_id"])


def gene_interactions(profiles: pd.DataFrame, mutated: pd.DataFrame, coverage: pd.DataFrame,
                      alteration: str = "mutation") -> pd.DataFrame:
    """Per comparison, pairwise co-occurrence / mutual exclusivity (Fisher, BH over the unique pairs) among the
    INTERACTION_TOP_GENES most altered genes of its members profiled for the alteration (maftools
    somaticInteractions; ties broken by gene symbol). ``alteration``: mutation (a member not profiled for a
    gene, its assay not covering it, is left out of that gene's pairs), cna (members with copy-number data:
    co-amplification, as CDK12 with ERBB2 in Zhang 2022), or any (either; a member is profiled for a gene when
    its assay covers it or it has copy-number data). ``mutated`` then holds the altered rows of that type.

    ``profiles``: int_comparison_members rows of the comparisons with ``interactions``
    (comparison_members). ``mutated``: study_id, sample_id, hugo_symbol, one row per study, sample and gene
    (``mutated_genes``), or only the rows of the genes it can pick (``most_mutated_gene_rows`` over
    ``interaction_members``, by comparison, INTERACTION_TOP_GENES): the result is the same.
    ``coverage``: bridge_assay_gene (assay_id, hugo_symbol). The members x genes matrix holds the picked
    genes only: over every mutated gene, built with pandas pivots, it took 10 GB at 100k samples."""
    from .interactions import somatic_interactions

    parts = []
    for (study_id, comparison), members in profiles.groupby(["study_id", "comparison"], sort=True):
        members = interaction_members(members, alteration)
        hits = _member_hits(mutated, members)
        genes = most_mutated_genes(hits, INTERACTION_TOP_GENES)
        # members x genes: 1 mutated, 0 profiled and not mutated, NaN not profiled (the assay does not cover the gene)
        samples = pd.MultiIndex.from_frame(members[["sample_study_id", "sample_id"]])
        columns, assays = pd.Index(genes), pd.Index(members["assay_id"].unique())
        covers = np.zeros((len(assays), len(genes)), dtype=bool)
        covered = coverage[coverage["assay_id"].isin(assays) & coverage["hugo_symbol"].isin(genes)]
        covers[assays.get_indexer(covered["assay_id"]), columns.get_indexer(covered["hugo_symbol"])] = True
        is_mutated = np.zeros((len(samples), len(genes)), dtype=bool)
        picked = hits[hits["hugo_symbol"].isin(genes)]
        picked_samples = pd.MultiIndex.from_frame(picked[["sample_study_id", "sample_id"]])
        is_mutated[samples.get_indexer(picked_samples), columns.get_indexer(picked["hugo_symbol"])] = True
        profiled = covers[assays.get_indexer(members["assay_id"])]
        if alteration != "mutation":  # copy number profiles every gene of a member with copy-number data
            profiled = profiled | members["is_cna_profiled"].to_numpy(bool)[:, None]
        matrix = pd.DataFrame(np.where(is_mutated, 1.0, np.where(profiled, 0.0, np.nan)), index=samples, columns=columns)
        result = somatic_interactions(matrix, genes=genes, maftools_compat=False)
        parts.append(result.assign(study_id=study_id, comparison=comparison, alteration_type=alteration))
    return tidy_result(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(), INTERACTION_COLUMNS)


MODEL_TABLE_COLUMNS = [
    "study_id", "comparison", "outcome", "outcome_level", "term", "level", "reference_level", "reference_group",
    "reference_declared", "n", "events", "estimate", "exp_estimate", "std_error", "ci_low", "ci_high", "exp_ci_low",
    "exp_ci_high", "statistic", "p_value", "formula", "method", "reason",
]


def response_outcomes(comparisons: pd.DataFrame, members: pd.DataFrame, response: pd.DataFrame,
                      attributes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The input of logistic_by_group: each patient once per comparison declaring `response`, with the 0/1/NA
    ``pcr`` of fct_response (``response``: study_id, patient_id, pcr) and, given ``attributes``
    (int_entity_attributes rows), one column per covariate and declared outcome (member_attributes)."""
    patients = comparison_members(comparisons, members, "response", one_per_patient=True)
    patients = with_member_data(patients, response[["study_id", "patient_id", "pcr"]], keys=("patient_id",), how="left")
    if attributes is not None:
        patients = member_attributes(patients, attributes, model_attribute_names(comparisons, "response"))
    return patients


def _group_models(data: pd.DataFrame, settings: dict, fit_model, default_outcome: str | None) -> pd.DataFrame:
    """One fit of ``fit_model(frame, outcome, terms, reference_levels)`` (oncoduck.stats.models) per comparison:
    outcome ~ group + covariates, the group against the reference group, as MODEL_TABLE_COLUMNS."""
    parts = []
    for (study_id, comparison), rows in data.groupby(["study_id", "comparison"], sort=True):
        m = _settings(settings, (study_id, comparison), rows)
        outcome = m.outcome or default_outcome
        values = rows[outcome] if outcome in rows else pd.Series(np.nan, index=rows.index, dtype=object)
        frame = _model_frame(rows.assign(_outcome=values), m, {outcome: "_outcome"})
        fit = fit_model(frame, outcome, ["group"] + m.covariates, {**m.reference_levels, "group": m.reference_group})
        parts.append(fit.assign(study_id=study_id, comparison=comparison, outcome=outcome,
                                outcome_level=fit.attrs.get("outcome_level"), reference_group=m.reference_group,
                                reference_declared=m.reference_declared))
    return _tidy_models(pd.concat(parts, ignore_index=True), MODEL_TABLE_COLUMNS) if parts else no_model_rows()


def no_model_rows() -> pd.DataFrame:
    """The typed model table (MODEL_TABLE_COLUMNS) with no row."""
    return _tidy_models(pd.DataFrame(), MODEL_TABLE_COLUMNS)


def logistic_by_group(outcomes: pd.DataFrame, outcome: str = "pcr", comparisons: pd.DataFrame | None = None) -> pd.DataFrame:
    """Odds of a binary outcome in each group against the reference group, adjusted for the declared
    covariates: R glm(outcome ~ group + covariates, family = binomial) by statsmodels, Wald CIs
    (confint.default), one row per term (oncoduck.stats.models.logistic_model), per comparison.

    ``outcomes``: study_id, comparison, group_label, group_order, the 0/1/NA ``outcome`` column and the
    covariate and declared outcome columns (response_outcomes). ``comparisons`` (landing_comparisons) gives
    the reference group, covariates, reference levels and the outcome attribute (default ``outcome``: pCR);
    without it, the first group is the reference and the model has the group only. No evaluable outcome (a
    study without pCR), one outcome value, separation: NaN rows with the reason, never an error."""
    from .models import logistic_model

    return _group_models(outcomes, model_settings(comparisons), logistic_model, outcome)


def linear_inputs(comparisons: pd.DataFrame, members: pd.DataFrame, attributes: pd.DataFrame) -> pd.DataFrame:
    """The input of linear_models: the members of the comparisons declaring `linear` with their outcome and
    covariate columns (member_attributes). Each patient once (one_sample_per_patient) when the study has the outcome
    at patient level only; each member (the comparison's unit) when the outcome has sample-level values."""
    chosen = comparison_members(comparisons, members, "linear")
    data = member_attributes(chosen, attributes, model_attribute_names(comparisons, "linear"))
    outcome_of = {key: m.outcome for key, m in model_settings(comparisons).items()}
    sample_level = set(attributes.loc[attributes["level"] == "sample", ["study_id", "attribute"]]
                       .astype(object).itertuples(index=False, name=None))
    by_member = pd.Series([(m, outcome_of.get((s, c))) in sample_level
                           for s, c, m in zip(data["study_id"], data["comparison"], data["sample_study_id"])],
                          index=data.index, dtype=bool)
    representative = data.index.isin(one_sample_per_patient(data).index)
    return data[by_member | representative].reset_index(drop=True)


def linear_models(data: pd.DataFrame, comparisons: pd.DataFrame) -> pd.DataFrame:
    """Linear model of each comparison's numeric outcome on group + covariates: R lm(outcome ~ group +
    covariates) by statsmodels OLS, t-based CIs (confint), one row per term (oncoduck.stats.models.linear_model);
    each group's coefficient is its difference from the reference group. ``data``: linear_inputs."""
    from .models import linear_model

    return _group_models(data, model_settings(comparisons), linear_model, None)


def correlations(values: pd.DataFrame, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """Spearman (R cor.test exact = FALSE) and Pearson (R cor.test) correlations between pairs of
    measures over each comparison's members. ``values``: study_id, comparison, sample_study_id, sample_id, measure,
    value."""
    from .contingency import pearson, spearman

    rows = []
    wide = values.pivot_table(index=["study_id", "comparison", "sample_study_id", "sample_id"], columns="measure",
                              values="value").reset_index()
    for (study_id, comparison), data in wide.groupby(["study_id", "comparison"], sort=True):
        for x, y in pairs:
            if x not in data or y not in data:
                continue
            for name, fn in (("spearman", spearman), ("pearson", pearson)):
                r = fn(data[x].to_numpy(float), data[y].to_numpy(float))
                rows.append({"study_id": study_id, "comparison": comparison, "measure_x": x, "measure_y": y,
                             "method": r.method, "test": name, "n": int(data[[x, y]].dropna().shape[0]),
                             "estimate": r.estimate, "ci_low": r.ci_low, "ci_high": r.ci_high,
                             "statistic": r.statistic, "p_value": r.p_value, "reason": r.reason})
    columns = ["study_id", "comparison", "measure_x", "measure_y", "test", "n", "estimate", "ci_low", "ci_high",
               "statistic", "p_value", "method", "reason"]
    return tidy_result(pd.DataFrame(rows), columns)


PAIRED_GROUP_COLUMNS = [
    "study_id", "comparison", "pair_rule", "side_a", "side_b", "measure", "test", "group_label", "group1", "group2",
    "n_pairs", "n1", "n2", "median1", "median2", "median_difference", "statistic", "p_value", "q_value", "bh_family",
    "alternative", "method", "reason",
]


def paired_group_tests(values: pd.DataFrame, members: pd.DataFrame, comparisons: pd.DataFrame,
                       samples: pd.DataFrame) -> pd.DataFrame:
    """The paired and longitudinal measures (``paired_measures``: one row per pair x measure) of the pairs of
    each comparison declaring ``paired`` or ``longitudinal``, tested by the comparison's groups.

    A pair belongs to a group when both its samples do: the group of the patient (unit patient: the pair's
    patient is a member) or of each sample (unit sample; a sample not a member leaves its pairs out).
    * ``within_group``: per group, R ``wilcox.test(b, a, paired = TRUE)`` (signed_rank_tests), two-sided;
    * ``change_between_groups``: the change ``b - a`` of the groups' pairs compared between groups, as the
      burden tests compare a measure (numeric_tests: R ``wilcox.test`` with the declared alternative, group 1
      vs group 2; Kruskal-Wallis and pairwise Wilcoxon for three or more groups);
    * ``paired_between_groups``: pairs whose two samples lie in two different groups (a comparison grouped
      by timepoint or sample type, whose groups are the pair's sides): R ``wilcox.test(x, y, paired =
      TRUE)`` with x the sample in the earlier-declared group, the declared alternative.
    ``members``: study_id, comparison, unit, sample_id, patient_id, group_label, group_order (the comparisons
    declaring paired or longitudinal); ``samples``: study_id, sample_id, patient_id (dim_sample: a patient-unit
    comparison's member is one representative sample, its pairs hold the patient's others)."""
    from .paired import signed_rank_tests
    from .wilcoxon import wilcoxon_signed_rank

    if values.empty or members.empty:
        return no_rows(PAIRED_GROUP_COLUMNS)
    alternatives = comparisons.drop_duplicates(["study_id", "comparison"]).set_index(
        ["study_id", "comparison"])["alternative"]
    sample_groups = members[["study_id", "comparison", "sample_id", "patient_id", "unit", "group_label",
                             "group_order"]].drop_duplicates(["study_id", "comparison", "sample_id"])
    patients = sample_groups.drop_duplicates(["study_id", "comparison", "patient_id"])
    pair_keys = ["study_id", "pair_rule", "side_a", "side_b", "sample_id_a", "sample_id_b", "measure"]
    parts = []
    for (study_id, comparison), groups in sample_groups.groupby(["study_id", "comparison"], sort=True):
        study_values = values[values["study_id"] == study_id]
        if groups["unit"].iloc[0] == "patient":
            # the pair's patient: from sample a (both samples of a pair are one patient's)
            owner = patients[(patients["study_id"] == study_id) & (patients["comparison"] == comparison)]
            sample_patient = samples.loc[samples["study_id"] == study_id, ["sample_id", "patient_id"]]
            located = study_values.merge(sample_patient.rename(columns={"sample_id": "sample_id_a"}), on="sample_id_a")
            located = located.merge(owner[["patient_id", "group_label", "group_order"]], on="patient_id")
            located = located.assign(group_a=located["group_label"], group_b=located["group_label"],
                                     order_a=located["group_order"], order_b=located["group_order"])
        else:
            side = groups[["sample_id", "group_label", "group_order"]]
            located = study_values.merge(side.rename(columns={"sample_id": "sample_id_a", "group_label": "group_a",
                                                              "group_order": "order_a"}), on="sample_id_a")
            located = located.merge(side.rename(columns={"sample_id": "sample_id_b", "group_label": "group_b",
                                                         "group_order": "order_b"}), on="sample_id_b")
        alternative = alternatives.get((study_id, comparison), "two.sided")
        within = located[located["group_a"] == located["group_b"]]
        for (group, order), data in within.groupby(["group_a", "order_a"], sort=True):
            tested = signed_rank_tests(data[pair_keys[:6] + ["measure", "value_a", "value_b"]])
            parts.append(tested.assign(comparison=comparison, test="within_group", group_label=group,
                                       group_order=order, n1=tested["n_pairs"], median1=tested["median_a"],
                                       median2=tested["median_b"]))
        if within["group_a"].nunique() >= 2:
            change = within.assign(comparison=comparison, group_label=within["group_a"],
                                   group_order=within["order_a"], value=within["value_b"] - within["value_a"])
            for rule, rule_rows in change.groupby("pair_rule", sort=True):
                tested = numeric_tests(rule_rows[["study_id", "comparison", "group_label", "group_order", "measure",
                                                  "value"]],
                                       pd.DataFrame({"study_id": [study_id], "comparison": [comparison],
                                                     "alternative": [alternative]}))
                first = rule_rows.iloc[0]
                parts.append(tested.assign(pair_rule=rule, side_a=first["side_a"], side_b=first["side_b"],
                                           test=np.where(tested["test"] == "omnibus", "change_between_groups_omnibus",
                                                         "change_between_groups")))
        across = located[located["group_a"] != located["group_b"]]
        for (rule, measure), data in across.groupby(["pair_rule", "measure"], sort=True):
            for (g1, g2), pair_rows in data.assign(
                    first=np.where(data["order_a"] < data["order_b"], data["group_a"], data["group_b"]),
                    second=np.where(data["order_a"] < data["order_b"], data["group_b"], data["group_a"]),
            ).groupby(["first", "second"], sort=True):
                earlier = pair_rows["order_a"] < pair_rows["order_b"]
                x = np.where(earlier, pair_rows["value_a"], pair_rows["value_b"]).astype(float)
                y = np.where(earlier, pair_rows["value_b"], pair_rows["value_a"]).astype(float)
                w = wilcoxon_signed_rank(x, y, alternative=alternative)
                parts.append(pd.DataFrame([{
                    "study_id": study_id, "comparison": comparison, "pair_rule": rule,
                    "side_a": pair_rows["side_a"].iloc[0], "side_b": pair_rows["side_b"].iloc[0], "measure": measure,
                    "test": "paired_between_groups", "group1": g1, "group2": g2, "n_pairs": len(pair_rows),
                    "median1": float(np.median(x)), "median2": float(np.median(y)),
                    "median_difference": float(np.median(x - y)), "statistic": w.statistic, "p_value": w.p_value,
                    "alternative": w.alternative, "method": w.method, "reason": w.reason}]))
    if not parts:
        return no_rows(PAIRED_GROUP_COLUMNS)
    out = pd.concat(parts, ignore_index=True).reindex(columns=PAIRED_GROUP_COLUMNS)  # every column, some tests lack
    # BH over the measures of one comparison x pair rule x test x group (the families signed_rank_tests and
    # numeric_tests used are re-drawn here, so that every row's family is this table's)
    out["group_key"] = (out["group_label"].fillna("").astype(str) + "|" + out["group1"].fillna("").astype(str) + "|"
                        + out["group2"].fillna("").astype(str))
    family = ["study_id", "comparison", "pair_rule", "test", "group_key"]
    out["q_value"] = np.nan
    out["bh_family"] = None
    for keys, rows in out.groupby(family, sort=False):
        out.loc[rows.index, "q_value"] = bh_adjust(rows["p_value"].to_numpy(float))
        out.loc[rows.index, "bh_family"] = f"{keys[1]} x {keys[2]} x {keys[3]}: {len(rows)} measure(s)"
    return tidy_result(out, PAIRED_GROUP_COLUMNS)
