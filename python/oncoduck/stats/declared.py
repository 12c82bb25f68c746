"""Run the library's tests over declared comparisons (pandas in, tidy pandas out).

The dbt Python models in models/stats/ fetch marts, call one of these functions and return its
frame. Each function takes the comparison declarations (``study_id, comparison, alternative``) and a
long table of the comparison's data, and returns one row per test. Group order is the declared
order: group 1 is the first declared group, and ``alternative`` ("greater" / "less") says group 1
vs group 2, as in R's ``wilcox.test(x = group1, y = group2, alternative = ...)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from .contingency import fisher_freeman_halton, kruskal
from .enrichment import compare_groups_binary
from .multiple import bh_adjust
from .survival import cox, cox_zph, km_median, kaplan_meier, logrank
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
    "study_id", "comparison", "endpoint", "test", "group_label", "reference_group", "n", "n_events", "estimate", "ci_low",
    "ci_high", "statistic", "df", "p_value", "method", "reason",
]


TEXT_COLUMNS = {
    "study_id", "comparison", "measure", "measure_x", "measure_y", "test", "group", "group1", "group2",
    "reference_group", "feature_level", "feature", "alteration_type", "endpoint", "attribute", "attribute_type",
    "level", "group_label", "hugo_symbol", "gene1", "gene2", "event", "outcome", "term", "bh_family", "alternative", "method", "reason",
    "contingency_table",
}


def tidy_result(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The result with exactly ``columns``, in order; a column with no value at all (an empty result, or
    a reason that never applies) is typed by what it holds (text or number), never left untyped."""
    out = frame.reindex(columns=columns)
    for column in out.columns:
        if out[column].isna().all():
            out[column] = out[column].astype("string" if column in TEXT_COLUMNS else "float64")
    return out


def comparison_members(comparisons: pd.DataFrame, members: pd.DataFrame, analysis: str,
                       one_per_patient: bool = False) -> pd.DataFrame:
    """Members (int_comparison_members) of the comparisons whose declared analyses include ``analysis``;
    with ``one_per_patient``, each patient once per comparison (patient-level data: survival, response),
    the patient's first sample by sample_id.

    Sorted by study, comparison, patient and sample whatever order the warehouse returned them in: the
    iterative fits downstream (Cox, cox.zph, logistic) then get bit-identical input, so two builds of the
    same studies, full or incremental, give the same numbers."""
    declares = comparisons["analyses"].fillna("").str.split(";").map(lambda names: analysis in names)
    wanted = comparisons.loc[declares, ["study_id", "comparison"]].drop_duplicates()
    selected = members.merge(wanted, on=["study_id", "comparison"])
    selected = selected.sort_values(["study_id", "comparison", "patient_id", "sample_id"], kind="stable",
                                    ignore_index=True)
    return selected.drop_duplicates(["study_id", "comparison", "patient_id"]) if one_per_patient else selected



def study_rows(relation, study_ids, condition: str = "true", columns: list[str] | None = None) -> pd.DataFrame:
    """The rows of ``relation`` (a DuckDB relation over a warehouse table) of the studies ``study_ids`` that
    meet the SQL ``condition``, with ``columns`` (default all). Filters in DuckDB, so a 100k-sample
    warehouse does not move whole tables into pandas for the few studies that declare an analysis."""
    studies = [str(s) for s in study_ids]
    in_list = ", ".join("'" + s.replace("'", "''") + "'" for s in studies)
    rows = relation.filter(f"({condition}) and study_id in ({in_list})" if studies else "false")
    if columns:
        rows = rows.project(", ".join(columns))
    return _arrow_frame(rows)


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
    for (study_id, comparison), freq in frequencies.groupby(["study_id", "comparison"], sort=True):
        alternative = comparisons.set_index(["study_id", "comparison"]).loc[(study_id, comparison), "alternative"]
        alternative = alternative.iloc[0] if isinstance(alternative, pd.Series) else alternative
        groups = _ordered_groups(freq)
        result = compare_groups_binary(
            freq.rename(columns={"group_label": "group"}),
            family_cols=("study_id", "comparison", "alteration_type", "feature_level"), feature_col="feature",
            group_col="group", groups=groups, alternative=alternative if len(groups) == 2 else "two.sided",
        )
        result["alternative"] = alternative if len(groups) == 2 else "two.sided"
        parts.append(result)
    if not parts:
        return tidy_result(pd.DataFrame(), ENRICHMENT_COLUMNS)
    return tidy_result(pd.concat(parts, ignore_index=True), ENRICHMENT_COLUMNS)


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


def burden_columns(source: str) -> str:
    """The columns burden_tests reads from fct_sample_burden (``source`` "tmb") or fct_sample_cnv_burden
    ("cnv"), for a projection before the pull: the TMB mart has a row per sample x TMB definition and 29
    columns (at 100k samples the whole of it took 800 MB in pandas)."""
    keys = ["study_id", "sample_id"] + (["is_study_definition"] if source == "tmb" else [])
    return ", ".join(keys + [measure for measure, of in BURDEN_MEASURES.items() if of == source])


def burden_tests(comparisons: pd.DataFrame, members: pd.DataFrame, tmb: pd.DataFrame,
                 cnv: pd.DataFrame) -> pd.DataFrame:
    """numeric_tests of every BURDEN_MEASURES measure for the comparisons declaring `burden`, from the
    marts as any engine returns them: landing_comparisons, int_comparison_members, fct_sample_burden,
    fct_sample_cnv_burden (stat_burden_tests_computed on DuckDB; oncoduck.spark_target on Spark)."""
    members = comparison_members(comparisons, members, "burden")
    sources = {"tmb": tmb[tmb["is_study_definition"].astype(bool)], "cnv": cnv}
    long = [members.merge(sources[source][["study_id", "sample_id", measure]].rename(columns={measure: "value"})
                          .assign(measure=measure), on=["study_id", "sample_id"])
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
        members.merge(fitted[["study_id", "sample_id", "signature_id", "relative_exposure"]], on=["study_id", "sample_id"])
        .assign(measure=lambda f: "relative_exposure:" + f["signature_id"].astype(str))
        .rename(columns={"relative_exposure": "value"}).drop(columns=["signature_id"]),
    ]
    for measure in ("apobec_enrichment", "fraction_apobec_mutations"):
        long.append(members.merge(apobec[["study_id", "sample_id", measure]].rename(columns={measure: "value"}),
                                  on=["study_id", "sample_id"]).assign(measure=measure))
    return numeric_tests(pd.concat(long, ignore_index=True), comparisons)


NMF_ASSOCIATION_COLUMNS = ["study_id", "comparison", "test", "endpoint", "rank", "n", "n_unclustered", "n_groups",
                           "n_clusters", "contingency_table", "statistic", "df", "p_value", "method", "reason"]


def nmf_association(comparisons: pd.DataFrame, members: pd.DataFrame, clusters: pd.DataFrame,
                    survival: pd.DataFrame) -> pd.DataFrame:
    """For each comparison declaring `nmf`: its members' NMF clusters at the chosen rank (fct_sample_nmf_cluster)
    against its groups (test "groups": Fisher's exact test of the groups x clusters table, R fisher.test), and
    outcome by cluster (test "logrank", one row per endpoint of fct_survival: R survdiff across the clusters,
    each patient once, the patient's first sample by sample_id). Members without a cluster (not sequenced, or
    nothing altered) are counted in n_unclustered."""
    members = comparison_members(comparisons, members, "nmf")
    rows = []
    for (study_id, comparison), data in members.groupby(["study_id", "comparison"], sort=True):
        merged = data.merge(clusters, on=["study_id", "sample_id"], how="left")
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
        patients = clustered.drop_duplicates(["patient_id"])  # members are sorted by patient, then sample id
        timed = patients.merge(survival[["study_id", "patient_id", "endpoint", "time_months", "event"]],
                               on=["study_id", "patient_id"])
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
    keys = ["study_id", "comparison", "group_label", "group_order", "n_profiled", "n_altered"]
    genes = genes.assign(analysis="genes", feature_level="gene", feature=genes["hugo_symbol"])
    pathways = pathways.assign(analysis="pathways", feature_level="pathway",
                               feature=pathways["collection"] + ":" + pathways["gene_set"])
    bands = bands.assign(analysis="cytobands", feature_level="cytoband_" + bands["region_level"],
                         feature=bands["region"], alteration_type="cna_" + bands["direction"])
    hotspots = hotspots.assign(analysis="hotspots", feature_level="hotspot_" + hotspots["feature_level"],
                               feature=hotspots["hugo_symbol"] + ":" + hotspots["feature"], alteration_type="mutation")
    columns = keys + ["analysis", "feature_level", "feature", "alteration_type"]
    frequencies = pd.concat([t[columns] for t in (genes, pathways, bands, hotspots)], ignore_index=True)
    wanted = comparisons[["study_id", "comparison", "analyses"]].drop_duplicates()
    frequencies = frequencies.merge(wanted, on=["study_id", "comparison"])
    asked = pd.Series([a in s.split(";") for a, s in zip(frequencies["analysis"], frequencies["analyses"])],
                      index=frequencies.index, dtype=bool)
    return enrichment(frequencies.loc[asked].drop(columns=["analysis", "analyses"]), comparisons)

def survival_times(comparisons: pd.DataFrame, members: pd.DataFrame, survival: pd.DataFrame) -> pd.DataFrame:
    """The input of survival_curves and survival_tests: each patient once per comparison declaring
    `survival` (int_comparison_members), with its time and event per endpoint (fct_survival)."""
    patients = comparison_members(comparisons, members, "survival", one_per_patient=True)
    times = survival[["study_id", "patient_id", "endpoint", "time_months", "event"]]
    return patients.merge(times, on=["study_id", "patient_id"])


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


def survival_tests(times: pd.DataFrame) -> pd.DataFrame:
    """Per comparison x endpoint: KM median and 95 % CI per group (R print.survfit), log-rank over
    the groups (R survdiff), a Cox model (Efron ties; R coxph) with each group's HR against the
    first declared group, and its proportional-hazards check (R cox.zph, transform "km", GLOBAL test)."""
    rows = []
    for (study_id, comparison, endpoint), data in times.groupby(["study_id", "comparison", "endpoint"], sort=True):
        groups = _ordered_groups(data)
        base = {"study_id": study_id, "comparison": comparison, "endpoint": endpoint}
        t = data["time_months"].to_numpy(float)
        e = data["event"].to_numpy(float)
        g = data["group_label"].to_numpy(object)
        for _, m in km_median(t, e, g).iterrows():
            rows.append({**base, "test": "km_median", "group_label": m["group"], "reference_group": None, "n": m["n"],
                         "n_events": m["events"], "estimate": m["median"], "ci_low": m["lower"], "ci_high": m["upper"],
                         "method": "Kaplan-Meier median, 95% CI (survfit, conf.type = log)",
                         "reason": "median not reached" if np.isnan(m["median"]) else None})
        lr = logrank(t, e, g)
        rows.append({**base, "test": "logrank", "group_label": None, "reference_group": None, "n": float(len(t)),
                     "n_events": float(np.nansum(e)), "statistic": lr.chisq, "df": lr.df, "p_value": lr.p_value,
                     "method": "log-rank (survdiff)", "reason": lr.reason})
        frame = pd.DataFrame({"time": t, "event": e, "group": pd.Categorical(g, categories=groups)})
        fit = cox(frame, "time", "event", ["group"], reference={"group": groups[0]})
        reason = fit.reason
        coefs = fit.coefficients
        separated = (not fit.converged or not np.all(np.isfinite(coefs["hr"])) or not np.all(np.isfinite(coefs["hr_high"]))
                     or np.any(coefs["hr_low"] == 0) or np.any(coefs["se"] > 10))
        if reason is None and separated:
            # R coxph warns "Loglik converged before variable; coefficient may be infinite" here
            reason = "monotone likelihood: events separate completely by group, the HR is not estimable (infinite)"
        for _, c in fit.coefficients.iterrows():
            rows.append({**base, "test": "cox", "group_label": str(c["term"]).removeprefix("group"), "reference_group": groups[0],
                         "n": float(fit.n), "n_events": float(fit.n_event), "estimate": c["hr"], "ci_low": c["hr_low"],
                         "ci_high": c["hr_high"], "statistic": c["z"], "p_value": c["p"],
                         "method": "Cox proportional hazards, Efron ties (coxph); HR vs reference_group",
                         "reason": reason})
        zph = cox_zph(frame, "time", "event", ["group"], reference={"group": groups[0]})
        check = zph[zph["term"] == "GLOBAL"].iloc[0]
        rows.append({**base, "test": "ph_check", "group_label": None, "reference_group": groups[0], "n": float(fit.n),
                     "n_events": float(fit.n_event), "statistic": check["chisq"], "df": check["df"], "p_value": check["p"],
                     "method": check["method"], "reason": check["reason"] or reason})
    return tidy_result(pd.DataFrame(rows), SURVIVAL_COLUMNS)


CLINICAL_COLUMNS = [
    "study_id", "comparison", "attribute", "attribute_type", "level", "group_label", "group_order", "n", "n_level", "percent",
    "median", "q1", "q3", "test", "statistic", "df", "p_value", "method", "reason",
]
MAX_CATEGORY_LEVELS = 12


def clinical_table(values: pd.DataFrame) -> pd.DataFrame:
    """"Table 1": per comparison x attribute, counts and percentages per group (categorical) or
    median and quartiles (numeric), and the test across groups on the attribute's first row:
    categorical -> R chisq.test on the groups x levels table, or Fisher-Freeman-Halton when an
    expected count is < 5; numeric -> R wilcox.test (2 groups) or kruskal.test (3+).

    ``values``: study_id, comparison, group_label, group_order, attribute, value_text, value_number
    (one row per member; value_number set for numeric attributes). Attributes with more than
    MAX_CATEGORY_LEVELS distinct values and no numbers (free text, identifiers) are left out.
    """
    from .contingency import chisq_test, fisher_freeman_halton

    rows = []
    for (study_id, comparison, attribute), data in values.groupby(["study_id", "comparison", "attribute"], sort=True):
        groups = _ordered_groups(data)
        base = {"study_id": study_id, "comparison": comparison, "attribute": attribute}
        numeric = data["value_number"].notna().any()
        if numeric:
            test_rows = []
            for g in groups:
                v = data.loc[data.group_label == g, "value_number"].dropna().to_numpy(float)
                test_rows.append({**base, "attribute_type": "numeric", "level": None, "group_label": g,
                                  "group_order": int(data.loc[data.group_label == g, "group_order"].iloc[0]),
                                  "n": int(v.size), "median": float(np.median(v)) if v.size else np.nan,
                                  "q1": float(np.quantile(v, 0.25)) if v.size else np.nan,
                                  "q3": float(np.quantile(v, 0.75)) if v.size else np.nan})
            clean = data.dropna(subset=["value_number"])
            if len(groups) == 2:
                r = wilcoxon_rank_sum(clean.loc[clean.group_label == groups[0], "value_number"].to_numpy(float),
                                      clean.loc[clean.group_label == groups[1], "value_number"].to_numpy(float))
                test = {"test": "wilcoxon", "statistic": r.statistic, "p_value": r.p_value, "method": r.method, "reason": r.reason}
            else:
                r = kruskal(clean["value_number"].to_numpy(float), clean["group_label"].to_numpy(object))
                test = {"test": "kruskal", "statistic": r.statistic, "df": r.df, "p_value": r.p_value, "method": r.method,
                        "reason": r.reason}
            test_rows[0].update(test)
            rows += test_rows
            continue
        present = data.dropna(subset=["value_text"])
        levels = sorted(present["value_text"].unique(), key=str)
        if not levels or len(levels) > MAX_CATEGORY_LEVELS:
            continue
        table = pd.crosstab(present["group_label"], present["value_text"]).reindex(index=groups, columns=levels, fill_value=0)
        first = True
        for g in groups:
            n_group = int(table.loc[g].sum())
            for level in levels:
                row = {**base, "attribute_type": "categorical", "level": level, "group_label": g,
                       "group_order": int(data.loc[data.group_label == g, "group_order"].iloc[0]), "n": n_group,
                       "n_level": int(table.loc[g, level]),
                       "percent": 100.0 * table.loc[g, level] / n_group if n_group else np.nan}
                if first:
                    observed = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0].to_numpy()
                    if observed.shape[0] < 2 or observed.shape[1] < 2:
                        row.update({"test": "none", "reason": "fewer than two groups or levels with data"})
                    else:
                        chi = chisq_test(observed, correct=True)
                        r = fisher_freeman_halton(observed) if chi.any_expected_lt5 else chi
                        row.update({"test": "fisher" if chi.any_expected_lt5 else "chisq", "statistic": r.statistic,
                                    "df": r.df, "p_value": r.p_value, "method": r.method, "reason": r.reason})
                    first = False
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
                           min_mutated: int = 1) -> pd.DataFrame:
    """The rows of ``mutated_genes`` that a screen of the ``top`` most mutated genes can use: those of the genes
    with at least ``min_mutated`` mutated members in some group of ``members`` (study_id, sample_id and the
    ``by`` columns that name a group) and fewer than ``top`` genes more mutated there. Counted in DuckDB
    (``session``, the connection of the relation ``sample_gene_alterations``), so that only those genes' rows
    reach pandas: at 100k samples the 7M mutated sample x gene rows, or a members x genes matrix, made the
    screens the build's peak memory.

    The rank counts ties alike, so the genes kept include every gene a screen picks (its top ``top``, ties
    broken by gene symbol) with all of the study's rows of that gene: the screen's counts, and so its
    choice, are those it makes on all of ``mutated_genes``. ``members`` must be the members the screen
    counts (gene_survival_screen: each comparison x endpoint's; gene_interactions: the profiled ones)."""
    keys = ["study_id", *by]
    session.register("oncoduck_screen_members", members[[*keys, "sample_id"]].drop_duplicates())
    group = ", ".join(f"members.{column}" for column in keys)
    try:
        return _arrow_frame(sample_gene_alterations.query("alterations", f"""
            with mutated as (
                select study_id, sample_id, hugo_symbol from alterations
                where is_mutated and study_id in (select study_id from oncoduck_screen_members)
            ),
            ranked as (
                select
                    members.study_id,
                    mutated.hugo_symbol,
                    rank() over (partition by {group} order by count(*) desc) as mutated_rank
                from oncoduck_screen_members as members
                inner join mutated on mutated.study_id = members.study_id and mutated.sample_id = members.sample_id
                group by {group}, mutated.hugo_symbol
                having count(*) >= {int(min_mutated)}
            )
            select study_id, sample_id, hugo_symbol from mutated
            where exists (select 1 from ranked where ranked.mutated_rank <= {int(top)}
                          and ranked.study_id = mutated.study_id and ranked.hugo_symbol = mutated.hugo_symbol)
        """))
    finally:
        session.unregister("oncoduck_screen_members")


def most_mutated_genes(hits: pd.DataFrame, top: int, min_mutated: int = 1) -> list[str]:
    """The ``top`` genes of ``hits`` (one row per member and gene) with the most mutated members, at least
    ``min_mutated``; ties broken by gene symbol. The exact pick that most_mutated_gene_rows prefilters for."""
    counts = hits.groupby("hugo_symbol").size()  # in symbol order
    return list(counts[counts >= min_mutated].sort_values(ascending=False, kind="stable").index[:top])


def gene_survival_screen(times: pd.DataFrame, mutated: pd.DataFrame) -> pd.DataFrame:
    """Per comparison x endpoint, survival of mutated vs wild-type members for the most mutated genes
    (top SCREEN_TOP_GENES with >= SCREEN_MIN_MUTATED mutated members, as maftools survGroup): log-rank
    (survdiff) and univariable Cox HR mutated vs wild type (coxph, Efron), BH over the genes tested.

    ``times``: study_id, comparison, endpoint, patient_id, sample_id, time_months, event.
    ``mutated``: study_id, sample_id, hugo_symbol of PASS nonsynonymous mutations, one row per study,
    sample and gene (``mutated_genes``: the grain of int_sample_gene_alterations, which a test guards), or
    only the rows of the genes the screen can pick (``most_mutated_gene_rows`` over ``times``, by comparison
    and endpoint, SCREEN_TOP_GENES, SCREEN_MIN_MUTATED): the result is the same.
    """
    from .survival import survival_screen

    parts = []
    for (study_id, comparison, endpoint), data in times.groupby(["study_id", "comparison", "endpoint"], sort=True):
        hits = mutated[(mutated["study_id"] == study_id) & mutated["sample_id"].isin(data["sample_id"])]
        genes = most_mutated_genes(hits, SCREEN_TOP_GENES, SCREEN_MIN_MUTATED)
        if len(genes) == 0:
            continue
        flags = (hits[hits["hugo_symbol"].isin(genes)].assign(v=1)
                 .pivot_table(index="sample_id", columns="hugo_symbol", values="v", aggfunc="max"))
        frame = data.set_index("sample_id").join(flags).fillna({g: 0 for g in genes})
        result = survival_screen(frame.reset_index(), "time_months", "event", list(genes), reference=0)
        parts.append(result.assign(study_id=study_id, comparison=comparison, endpoint=endpoint,
                                   bh_family=f"{comparison} x {endpoint}: {len(genes)} genes"))
    columns = ["study_id", "comparison", "endpoint", "feature", "n", "n_ref", "n_alt", "logrank_chisq", "logrank_p",
               "hr", "hr_low", "hr_high", "cox_wald_p", "q_logrank", "q_cox", "bh_family", "reason"]
    out = tidy_result(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(), columns)
    return out.rename(columns={"feature": "hugo_symbol", "n_ref": "n_wildtype", "n_alt": "n_mutated"})


INTERACTION_TOP_GENES = 25  # maftools somaticInteractions top
INTERACTION_COLUMNS = ["study_id", "comparison", "gene1", "gene2", "n11", "n10", "n01", "n00", "p_value", "odds_ratio",
                       "ci_low", "ci_high", "event", "q_value", "bh_family", "reason"]


def interaction_members(profiles: pd.DataFrame) -> pd.DataFrame:
    """The members gene_interactions counts: those profiled for mutations, each sample once per comparison."""
    return profiles[profiles["is_mutation_profiled"]].drop_duplicates(["study_id", "comparison", "sample_id"])


def gene_interactions(profiles: pd.DataFrame, mutated: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """Per comparison, pairwise co-occurrence / mutual exclusivity (Fisher, BH over the unique pairs) among the
    INTERACTION_TOP_GENES most mutated genes of its members profiled for mutations (maftools
    somaticInteractions; ties broken by gene symbol). A member not profiled for a gene (its assay does not
    cover it) is left out of that gene's pairs.

    ``profiles``: int_comparison_sample_profiles rows of the comparisons with ``interactions``
    (comparison_members). ``mutated``: study_id, sample_id, hugo_symbol, one row per study, sample and gene
    (``mutated_genes``), or only the rows of the genes it can pick (``most_mutated_gene_rows`` over
    ``interaction_members``, by comparison, INTERACTION_TOP_GENES): the result is the same.
    ``coverage``: bridge_assay_gene (assay_id, hugo_symbol). The members x genes matrix holds the picked
    genes only: over every mutated gene, built with pandas pivots, it took 10 GB at 100k samples."""
    from .interactions import somatic_interactions

    parts = []
    for (study_id, comparison), members in profiles.groupby(["study_id", "comparison"], sort=True):
        members = interaction_members(members)
        hits = mutated[(mutated["study_id"] == study_id) & mutated["sample_id"].isin(members["sample_id"])]
        genes = most_mutated_genes(hits, INTERACTION_TOP_GENES)
        # members x genes: 1 mutated, 0 profiled and not mutated, NaN not profiled (the assay does not cover the gene)
        samples, columns, assays = pd.Index(members["sample_id"]), pd.Index(genes), pd.Index(members["assay_id"].unique())
        covers = np.zeros((len(assays), len(genes)), dtype=bool)
        covered = coverage[coverage["assay_id"].isin(assays) & coverage["hugo_symbol"].isin(genes)]
        covers[assays.get_indexer(covered["assay_id"]), columns.get_indexer(covered["hugo_symbol"])] = True
        is_mutated = np.zeros((len(samples), len(genes)), dtype=bool)
        picked = hits[hits["hugo_symbol"].isin(genes)]
        is_mutated[samples.get_indexer(picked["sample_id"]), columns.get_indexer(picked["hugo_symbol"])] = True
        profiled = covers[assays.get_indexer(members["assay_id"])]
        matrix = pd.DataFrame(np.where(is_mutated, 1.0, np.where(profiled, 0.0, np.nan)), index=samples, columns=columns)
        result = somatic_interactions(matrix, genes=genes, maftools_compat=False)
        parts.append(result.assign(study_id=study_id, comparison=comparison))
    return tidy_result(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(), INTERACTION_COLUMNS)


def logistic_by_group(outcomes: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Odds of a binary outcome (e.g. pCR) in each group against the first declared group:
    R glm(outcome ~ group, family = binomial), Wald CIs (confint.default), per comparison.

    ``outcomes``: study_id, comparison, group_label, group_order and the 0/1/NA outcome column."""
    from .logistic import logistic_regression

    parts = []
    for (study_id, comparison), data in outcomes.groupby(["study_id", "comparison"], sort=True):
        groups = _ordered_groups(data)
        frame = pd.DataFrame({"y": data[outcome].to_numpy(float),
                              "group": pd.Categorical(data["group_label"], categories=groups)})
        fit = logistic_regression(frame, "y", ["group"], reference={"group": groups[0]})
        parts.append(fit.assign(study_id=study_id, comparison=comparison, outcome=outcome, reference_group=groups[0],
                                n=int(frame["y"].notna().sum())))
    columns = ["study_id", "comparison", "outcome", "term", "reference_group", "n", "coef", "se", "z", "p", "odds_ratio",
               "or_low", "or_high", "reason"]
    return tidy_result(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(), columns)


def correlations(values: pd.DataFrame, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """Spearman (R cor.test exact = FALSE) and Pearson (R cor.test) correlations between pairs of
    measures over each comparison's members. ``values``: study_id, comparison, sample_id, measure, value."""
    from .contingency import pearson, spearman

    rows = []
    wide = values.pivot_table(index=["study_id", "comparison", "sample_id"], columns="measure", values="value").reset_index()
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
