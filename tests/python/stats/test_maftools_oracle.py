"""Parity with maftools 2.22.20 reference outputs in ../shared/oracle/maftools (see its README)."""
import numpy as np
import pandas as pd
import pytest

from oncoduck.stats.enrichment import compare_groups_binary
from oncoduck.stats.interactions import interaction_tests
from oncoduck.stats.survival import cox, km_median, logrank

from stats_rhelp import close

NONSYN = {"Frame_Shift_Del", "Frame_Shift_Ins", "Splice_Site", "Translation_Start_Site", "Nonsense_Mutation",
          "Nonstop_Mutation", "In_Frame_Del", "In_Frame_Ins", "Missense_Mutation"}


def test_mafcompare_apl(shared_dir):
    o = pd.read_csv(shared_dir / "oracle/maftools/B_apl_mafCompare_minMut5.tsv", sep="\t")
    sizes = pd.read_csv(shared_dir / "oracle/maftools/B_apl_mafCompare_sample_sizes.tsv", sep="\t")
    n = dict(zip(sizes.Cohort, sizes.SampleSize))
    counts = pd.concat([
        pd.DataFrame({"feature": o.Hugo_Symbol, "group": g, "n_altered": o[g], "n_profiled": n[g]})
        for g in ("Primary", "Relapse")])
    res = compare_groups_binary(counts, groups=["Primary", "Relapse"], maftools_compat=True, min_mut=5)
    res = res.set_index("feature").loc[o.Hugo_Symbol]
    close(res.p_value, o.pval, msg="pval")
    close(res.odds_ratio, o["or"], msg="or")
    close(res.ci_low, o["ci.low"], msg="ci.low")
    close(res.ci_high, o["ci.up"], msg="ci.up")
    close(res.q_value, o.adjPval, msg="adjPval")


def test_somatic_interactions_from_counts(shared_dir):
    o = pd.read_csv(shared_dir / "oracle/maftools/A_laml_somaticInteractions_top25.tsv", sep="\t")
    k = {}
    for r in o.itertuples(index=False):
        k[r.gene1] = r[5] + r[7]  # 11 + 10
        k[r.gene2] = r[5] + r[6]  # 11 + 01
    assert len(k) == 25
    pairs = pd.DataFrame({"gene1": o.gene1, "gene2": o.gene2, "n11": o["11"], "n10": o["10"],
                          "n01": o["01"], "n00": o["00"]})
    res = interaction_tests(pairs, pd.Series(k), 193)
    close(res.p_value, o.pValue, msg="pValue")
    close(res.odds_ratio, o.oddsRatio, msg="oddsRatio")
    close(res.q_maftools, o.pAdj, msg="pAdj (BH over 625 ordered pairs incl. diagonal)")
    assert (res.event == o.Event).all()
    assert not np.allclose(res.q_value, o.pAdj)  # the deliberate fix differs


def _laml(shared_dir):
    maf = pd.read_csv(shared_dir / "data/maftools_extdata/tcga_laml.maf.gz", sep="\t", low_memory=False)
    ann = pd.read_csv(shared_dir / "data/maftools_extdata/tcga_laml_annot.tsv", sep="\t")
    samples = pd.DataFrame({"Tumor_Sample_Barcode": pd.unique(maf.Tumor_Sample_Barcode)})
    return maf[maf.Variant_Classification.isin(NONSYN)], samples.merge(ann, how="left")


@pytest.mark.parametrize("gene", ["DNMT3A", "FLT3"])
def test_mafsurvival_laml(shared_dir, gene):
    o = pd.read_csv(shared_dir / "oracle/maftools/A_laml_mafSurvival.tsv", sep="\t").set_index("gene").loc[gene]
    ns, d = _laml(shared_dir)
    assert len(d) == 193
    mut = set(ns.loc[ns.Hugo_Symbol == gene, "Tumor_Sample_Barcode"])
    d["Group"] = np.where(d.Tumor_Sample_Barcode.isin(mut), "Mutant", "WT")
    keep = np.isfinite(d.days_to_last_followup) & d.Overall_Survival_Status.notna()
    assert (~keep).sum() == o.n_removed_NA
    d = d[keep]
    assert (d.Group == "Mutant").sum() == o.n_mutant and (d.Group == "WT").sum() == o.n_wt
    lr = logrank(d.days_to_last_followup, d.Overall_Survival_Status, d.Group)
    close(lr.chisq, o.logrank_chisq)
    close(lr.p_value, o.logrank_p)
    close(lr.table.set_index("group").loc["Mutant", ["observed", "expected"]], [o.logrank_obs_mutant, o.logrank_exp_mutant])
    cx = cox(d, "days_to_last_followup", "Overall_Survival_Status", ["Group"], {"Group": "WT"})
    c = cx.coefficients.iloc[0]
    close(-c.coef, o.cox_coef_WT_vs_Mutant)
    close([c.hr, c.hr_low, c.hr_high], [o.hr_mutant_vs_wt, o.hr_mutant_vs_wt_ci_low, o.hr_mutant_vs_wt_ci_high])
    close([c.p, cx.lr_p, cx.score_p], [o.cox_wald_p, o.cox_lr_p, o.cox_score_p])
    # The oracle's KM median CIs correspond to survfit(conf.type = "log-log"), not the
    # survfit default "log" (checked in R 4.2.2 / survival 3.5-3 on the same data).
    md = km_median(d.days_to_last_followup, d.Overall_Survival_Status, d.Group, conf_type="log-log").set_index("group")
    close([md.loc["Mutant", "median"], md.loc["WT", "median"]], [o.km_median_mutant, o.km_median_wt])
    close([md.loc["Mutant", "lower"], md.loc["Mutant", "upper"], md.loc["WT", "lower"], md.loc["WT", "upper"]],
          [o.km_median_lcl_mutant, o.km_median_ucl_mutant, o.km_median_lcl_wt, o.km_median_ucl_wt])
    maft = d.groupby("Group").days_to_last_followup.median()
    close([maft["Mutant"], maft["WT"]], [o.maftools_medianTime_mutant, o.maftools_medianTime_wt])


def test_clinical_enrichment_groupwise_laml(shared_dir):
    """clinicalEnrichment(FAB): genes with AlteredSamples > 5; Fisher of group vs Rest
    (Rest includes the NA-FAB sample); fdr = BH over all gene x group rows."""
    o = pd.read_csv(shared_dir / "oracle/maftools/A_laml_clinEnrich_FAB_groupwise.tsv", sep="\t")
    ns, d = _laml(shared_dir)
    alt = ns.groupby("Hugo_Symbol").Tumor_Sample_Barcode.nunique()
    genes = alt[alt > 5].index
    M = pd.crosstab(ns.Tumor_Sample_Barcode, ns.Hugo_Symbol).reindex(index=d.Tumor_Sample_Barcode, fill_value=0)[genes] > 0
    fab = d.set_index("Tumor_Sample_Barcode").FAB_classification
    rows = []
    for g in pd.unique(fab.dropna()):
        ing = (fab == g).to_numpy()
        for grp, mask in ((g, ing), ("Rest", ~ing)):
            rows.append(pd.DataFrame({"family": g, "feature": genes, "group": grp,
                                      "n_altered": M[mask].sum(0).to_numpy(), "n_profiled": int(mask.sum())}))
    counts = pd.concat(rows)
    res = []
    for g, sub in counts.groupby("family"):
        res.append(compare_groups_binary(sub, ["family"], groups=[g, "Rest"]))
    res = pd.concat(res)
    res["fdr"] = __import__("oncoduck.stats.multiple", fromlist=["bh_adjust"]).bh_adjust(res.p_value.to_numpy())
    res = res.rename(columns={"p_value": "ours_p", "fdr": "ours_fdr"})
    m = o.merge(res, left_on=["Hugo_Symbol", "Group1"], right_on=["feature", "group1"], how="left")
    assert len(m) == len(o) == len(res) and m.ours_p.notna().all()
    assert (m.altered1.astype(str) + " of " + m.n1.astype(str) == m.n_mutated_group1).all()
    assert (m.altered2.astype(str) + " of " + m.n2.astype(str) == m.n_mutated_group2).all()
    close(m.ours_p, m.p_value, msg="p")
    close(m.odds_ratio, m.OR, msg="OR")
    close(m.ci_low, m.OR_low, msg="OR_low")
    close(m.ci_high, m.OR_high, msg="OR_high")
    close(m.ours_fdr, m.fdr, msg="fdr")
