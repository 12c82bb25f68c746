"""Planted effects are present in the committed raw demo files (see seeds/demo_studies/README.md)."""

import numpy as np
import pandas as pd
import pytest

from oncoduck.paths import DEMO_STUDIES_DIR as D

NONSYN = ["Missense_Mutation", "Nonsense_Mutation", "Frame_Shift_Del", "Frame_Shift_Ins", "In_Frame_Del",
          "In_Frame_Ins", "Splice_Site", "Nonstop_Mutation", "Translation_Start_Site"]


def maf(study: str) -> pd.DataFrame:
    m = pd.read_csv(D / study / "data_mutations.txt", sep="\t", comment="#", dtype=str, keep_default_na=False)
    for c in ("t_ref_count", "t_alt_count"):
        m[c] = m[c].astype(int)
    return m


def clin(study: str, kind: str) -> pd.DataFrame:
    return pd.read_csv(D / study / f"data_clinical_{kind}.txt", sep="\t", comment="#", dtype=str,
                       keep_default_na=False)


def seg(study: str) -> pd.DataFrame:
    return pd.read_csv(D / study / "data_cna_hg19.seg", sep="\t", dtype={"chrom": str})


@pytest.fixture(scope="module")
def lim() -> pd.DataFrame:
    s = clin("demo_lim2021_wes", "sample")
    s = s[s.SAMPLE_TYPE != "Normal"].merge(clin("demo_lim2021_wes", "patient"), on="PATIENT_ID")
    m = maf("demo_lim2021_wes")
    m = m[(m.FILTER == "PASS") & m.Variant_Classification.isin(NONSYN)]
    s["nonsyn"] = m.groupby("Tumor_Sample_Barcode").size().reindex(s.SAMPLE_ID).fillna(0).to_numpy()
    g = seg("demo_lim2021_wes")
    g = g[g["seg.mean"].abs() >= 0.2]
    s["cnv_mb"] = ((g["loc.end"] - g["loc.start"] + 1).groupby(g.ID).sum() / 1e6).reindex(s.SAMPLE_ID).fillna(0).to_numpy()
    for gene in ("TP53", "ATM"):
        s[gene] = s.SAMPLE_ID.isin(set(m[m.Hugo_Symbol == gene].Tumor_Sample_Barcode))
    s["pfs"] = s.PFS_MONTHS.astype(float)
    return s


def test_lim_design(lim):
    assert (lim.RESPONSE_GROUP == "Extreme responder").sum() == 30
    assert (lim.RESPONSE_GROUP == "Non-responder").sum() == 15
    normals = clin("demo_lim2021_wes", "sample").query("SAMPLE_TYPE == 'Normal'")
    assert len(normals) == 45
    m = maf("demo_lim2021_wes")
    assert set(m.Matched_Norm_Sample_Barcode) <= set(normals.SAMPLE_ID)


def test_lim_burden_and_outcome(lim):
    med = lim.groupby("RESPONSE_GROUP")[["nonsyn", "cnv_mb", "pfs"]].median()
    r, nr = med.loc["Extreme responder"], med.loc["Non-responder"]
    assert 1.6 <= nr.nonsyn / r.nonsyn <= 2.6
    assert 20 <= r.nonsyn <= 34 and 45 <= nr.nonsyn <= 70
    assert nr.cnv_mb / r.cnv_mb > 4 and 70 <= nr.cnv_mb <= 130 and 8 <= r.cnv_mb <= 20
    assert nr.pfs < r.pfs / 4
    frac = lim.groupby("RESPONSE_GROUP")[["TP53", "ATM"]].mean()
    assert (frac.loc["Non-responder"] > frac.loc["Extreme responder"]).all()


def test_paul_pairs():
    s = clin("demo_paul2020_pairs", "sample")
    per = s.groupby("PATIENT_ID").SAMPLE_TYPE.apply(lambda x: "".join(sorted(x)))
    assert (per == "MetastasisPrimary").sum() == 28 and (per == "Metastasis").sum() == 8
    m = maf("demo_paul2020_pairs")
    m["pt"] = m.Tumor_Sample_Barcode.str.rsplit("-", n=1).str[0]
    m["key"] = m.Chromosome + ":" + m.Start_Position + m.Reference_Allele + ">" + m.Tumor_Seq_Allele2
    typ = m.Tumor_Sample_Barcode.map(dict(zip(s.SAMPLE_ID, s.SAMPLE_TYPE)))
    shared, priv_p, priv_m = [], [], []
    for pt in per[per == "MetastasisPrimary"].index:
        P = set(m.key[(m.pt == pt) & (typ == "Primary")])
        M = set(m.key[(m.pt == pt) & (typ == "Metastasis")])
        shared.append(len(P & M) / len(P))
        priv_p.append(len(P - M))
        priv_m.append(len(M - P))
    assert np.median(shared) > 0.7
    assert np.median(priv_m) > 1.5 * np.median(priv_p)
    esr1 = m[(m.Hugo_Symbol == "ESR1")]
    assert len(esr1) >= 5 and set(typ[esr1.index]) == {"Metastasis"}
    assert set(esr1.HGVSp_Short) <= {"p.Y537S", "p.D538G"}


def test_yi_ctdna():
    m = maf("demo_yi2024_ctdna")
    m["n_alt"] = m.n_alt_count.astype(int)
    m["n_dep"] = m.n_ref_count.astype(int) + m.n_alt
    dep = m.t_ref_count + m.t_alt_count
    vaf = m.t_alt_count / dep
    assert dep.between(500, 3000).all() and vaf.between(0.002, 0.30).all()
    ch = m[m.n_alt > 0]
    assert set(ch.Hugo_Symbol) <= {"DNMT3A", "TET2", "ASXL1", "PPM1D"} and len(ch) >= 8
    assert (vaf[ch.index] <= 2 * ch.n_alt / ch.n_dep).all()
    s = clin("demo_yi2024_ctdna", "sample")
    assert (s.groupby("PATIENT_ID").TIMEPOINT.apply(set) == {"baseline", "on_treatment"}).all()
    p = clin("demo_yi2024_ctdna", "patient")
    tum = m[m.n_alt == 0]
    tp = tum.Tumor_Sample_Barcode.map(dict(zip(s.SAMPLE_ID, s.TIMEPOINT)))
    pt = tum.Tumor_Sample_Barcode.map(dict(zip(s.SAMPLE_ID, s.PATIENT_ID)))
    assert set(pt[tp == "baseline"]) == set(p.PATIENT_ID)
    p["clear"] = ~p.PATIENT_ID.isin(set(pt[tp == "on_treatment"]))
    assert 10 <= p.clear.sum() <= 22
    med = p.assign(pfs=p.PFS_MONTHS.astype(float)).groupby("clear").pfs.median()
    assert med[True] > 1.5 * med[False]
    assert set(p.HER2_IHC_SCORE) == {"0", "1+", "2+"}
    assert (p.HER2_ISH_STATUS[p.HER2_IHC_SCORE == "2+"] == "Negative").all()


def test_zhang_her2_groups():
    p = clin("demo_zhang2022_panel", "patient")
    grp = np.select([p.IHC_HER2 == "0", (p.IHC_HER2 == "3+") | (p.HER2_ISH_STATUS == "Positive")],
                    ["zero", "pos"], "low")
    p["grp"] = grp
    assert pd.Series(grp).value_counts().to_dict() == {"low": 68, "zero": 52, "pos": 30}
    m = maf("demo_zhang2022_panel")
    m = m[m.Variant_Classification.isin(NONSYN)]
    sid = p.PATIENT_ID + "-T"
    for gene in ("PIK3CA", "TP53"):
        p[gene] = sid.isin(set(m[m.Hugo_Symbol == gene].Tumor_Sample_Barcode)).to_numpy()
    f = p.groupby("grp")[["PIK3CA", "TP53"]].mean()
    assert f.loc["low", "PIK3CA"] > 1.5 * f.loc["zero", "PIK3CA"]
    assert f.loc["zero", "TP53"] > 2 * f.loc["low", "TP53"]
    cna = pd.read_csv(D / "demo_zhang2022_panel" / "data_cna.txt", sep="\t").set_index("Hugo_Symbol")
    amp = pd.Series(cna.loc["ERBB2", sid].to_numpy() == 2, index=p.index)
    assert amp[p.grp == "pos"].mean() > 0.8 and not amp[p.grp != "pos"].any()
    assert {"14", "30"} <= set(p.Ki67) and (p.ER == "Positve").any()
    assert (p.ANTI_HER2_CYCLES[p.grp != "pos"] == "NA").all()


def _li_fish_cells() -> pd.DataFrame:
    c = pd.read_csv(D / "demo_li2024_fish" / "data_fish_cells.txt", sep="\t")
    c["amp"] = (c.erbb2_signals / c.cep17_signals >= 2.0) | (c.erbb2_signals >= 6)
    c["pt"] = c.sample_id.str.rsplit("-", n=1).str[0]
    timepoint = clin("demo_li2024_fish", "sample").set_index("SAMPLE_ID").TIMEPOINT
    c["timepoint"] = c.sample_id.map(timepoint)
    return c


def test_li_fish_heterogeneity():
    c = _li_fish_cells()
    c = c[c.timepoint == "baseline"]
    n = c.groupby("sample_id").size()
    assert n.max() <= 60 and (n < 20).sum() >= 3
    frac = c.groupby("pt").amp.mean()
    p = clin("demo_li2024_fish", "patient")
    p["het"] = p.PATIENT_ID.map((frac > 0.05) & (frac < 0.5))
    rate = p.groupby("het").PCR.apply(lambda x: (x == "Yes").mean())
    assert p.het.sum() >= 8 and rate[True] < rate[False] - 0.25


def test_li_fish_after_treatment():
    # residual tumours of the non-pCR patients, counted by FISH only: the amplified fraction falls in every
    # one, and homogeneous tumours become heterogeneous
    c = _li_fish_cells()
    s = clin("demo_li2024_fish", "sample")
    post = s[s.TIMEPOINT == "post_treatment"]
    p = clin("demo_li2024_fish", "patient")
    assert set(post.PATIENT_ID) == set(p.PATIENT_ID[p.PCR == "No"]) and (post.BIOPSY == "1").all()
    matrix = pd.read_csv(D / "demo_li2024_fish" / "data_gene_panel_matrix.txt", sep="\t", keep_default_na=False)
    assert (matrix.set_index("SAMPLE_ID").loc[post.SAMPLE_ID, "mutations"] == "NA").all()
    frac = c.groupby(["pt", c.timepoint]).amp.mean().unstack().dropna()
    assert len(frac) == len(post) and (frac.post_treatment < frac.baseline).all()
    het = (frac > 0.05) & (frac < 0.5)
    assert (~het.baseline & het.post_treatment).sum() >= 4 and not (het.baseline & ~het.post_treatment).any()
