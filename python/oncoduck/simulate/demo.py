"""The five committed demo studies (seeds/demo_studies/), one per seed-paper design.

``write_demo(out_dir)`` regenerates them byte-identically from :data:`DEMO_SEED`; it reads
only the committed ``seeds/reference/genes_hg19.csv`` and ``panel_genes.csv``.
See seeds/demo_studies/README.md for the designs and planted effects.
"""
from __future__ import annotations

import zlib
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from . import core
from .core import Reference, fmt

__all__ = ["DEMO_SEED", "STUDY_IDS", "write_demo", "build_study"]

DEMO_SEED = 20240517
STUDY_IDS: tuple[str, ...] = (
    "demo_lim2021_wes",
    "demo_paul2020_pairs",
    "demo_yi2024_ctdna",
    "demo_zhang2022_panel",
    "demo_li2024_fish",
)
BREAST = "Breast Cancer"
MET_SITES = np.array(["bone", "liver", "lung", "lymph node", "brain", "pleura"], dtype=object)


# --------------------------------------------------------------------------- helpers

def _ids(prefix: str, n: int) -> np.ndarray:
    return np.array([f"{prefix}-P{i:03d}" for i in range(1, n + 1)], dtype=object)


def _pick(rng: np.random.Generator, values: Sequence[str], p: Sequence[float], n: int) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return np.asarray(values, dtype=object)[rng.choice(len(values), size=n, p=p / p.sum())]


def _sites(rng: np.random.Generator, n: int) -> np.ndarray:
    out = []
    for _ in range(n):
        k = int(rng.integers(1, 4))
        s = rng.choice(len(MET_SITES), size=k, replace=False, p=[0.35, 0.2, 0.18, 0.15, 0.05, 0.07])
        out.append(";".join(sorted(MET_SITES[s])))
    return np.array(out, dtype=object)


def _drivers(
    rng: np.random.Generator,
    ref: Reference,
    samples: np.ndarray,
    gene: str,
    p: np.ndarray | float,
    p_hotspot: float = 0.0,
    hotspots: Sequence[str] | None = None,
    truncating: float = 0.0,
) -> pd.DataFrame:
    """One driver mutation in ``gene`` for each sample hit with probability ``p``."""
    p = np.broadcast_to(np.asarray(p, dtype=float), (len(samples),))
    hit = rng.random(len(samples)) < p
    s = np.asarray(samples, dtype=object)[hit]
    n = len(s)
    hs = core.hotspot_table()
    hs = hs[hs["gene"] == gene]
    if hotspots is not None:
        hs = hs[hs["short"].isin(hotspots)]
    use_hs = (rng.random(n) < p_hotspot) & (len(hs) > 0)
    parts = []
    if use_hs.any():
        w = np.linspace(2.0, 1.0, len(hs))  # first-listed hotspot most frequent
        rows = hs.iloc[rng.choice(len(hs), size=int(use_hs.sum()), p=w / w.sum())]
        parts.append(core.hotspot_variants(ref, s[use_hs], rows))
    if (~use_hs).any():
        m = int((~use_hs).sum())
        vc = np.where(
            rng.random(m) < truncating,
            core._choice(rng, {"Nonsense_Mutation": 0.4, "Frame_Shift_Del": 0.3,
                               "Frame_Shift_Ins": 0.2, "Splice_Site": 0.1}, m),
            "Missense_Mutation",
        ).astype(object)
        gi = np.full(m, ref.index_of([gene])[0])
        parts.append(core.random_variants(rng, ref, s[~use_hs], gi, vc))
    if not parts:
        return core.random_variants(rng, ref, np.array([], dtype=object), np.array([], dtype=np.int64),
                                    np.array([], dtype=object))
    return pd.concat(parts, ignore_index=True)


# Genes whose mutations are simulated explicitly (drivers, CH): never drawn as passengers,
# so their planted frequencies are exactly the driver probabilities.
DRIVER_GENES = frozenset({
    "PIK3CA", "TP53", "ATM", "GATA3", "CDH1", "MAP3K1", "KMT2C", "AKT1", "ESR1", "ERBB2",
    "PTEN", "DNMT3A", "TET2", "ASXL1", "PPM1D",
})


def _pool(ref: Reference, assay: str) -> tuple[np.ndarray, np.ndarray]:
    """Passenger gene pool and weights.  For the exome the demo universe (~1.8 Mb of CDS)
    stands in for 30 Mb, so known cancer genes are down-weighted 20x to keep their
    passenger hit rate near what a real exome gives."""
    from .reference_genes import BREAST_CORE_GENES, CANCER_GENES

    pool = ref.gene_set(assay)
    names = ref.genes["gene"].to_numpy()[pool]
    pool = pool[~np.isin(names, list(DRIVER_GENES))]
    names = ref.genes["gene"].to_numpy()[pool]
    w = np.ones(len(pool))
    if assay not in ref.panels:
        w[np.isin(names, list(BREAST_CORE_GENES) + list(CANCER_GENES))] = 0.05
    return pool, w


def _n_nonsyn(v: pd.DataFrame) -> pd.Series:
    return v[v["vclass"].isin(core.NONSYNONYMOUS)].groupby("sample").size()


def _passengers_to_target(rng, ref, samples, target_nonsyn, drivers, pool) -> pd.DataFrame:
    """Passengers so that each sample's nonsynonymous total equals ``target_nonsyn``."""
    have = _n_nonsyn(drivers).reindex(samples).fillna(0).to_numpy()
    need = np.maximum(np.asarray(target_nonsyn) - have, 0).astype(np.int64)
    return core.passenger_variants(rng, ref, samples, need, pool[0], weights=pool[1])


def _clonal_vaf(rng, n: int, purity: np.ndarray | float = 0.6) -> np.ndarray:
    purity = np.broadcast_to(np.asarray(purity, dtype=float), (n,))
    ccf = np.where(rng.random(n) < 0.75, 1.0, rng.uniform(0.15, 0.8, n))
    return np.clip(purity / 2 * ccf * rng.uniform(0.8, 1.2, n), 0.03, 0.95)


def _survival(rng, scale_months: np.ndarray, censor_p: np.ndarray | float, floor: float = 0.3):
    t = np.maximum(rng.exponential(1.0, len(scale_months)) * scale_months, floor)
    cens = rng.random(len(scale_months)) < censor_p
    return np.round(t, 2), cens


def _days(months: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(months) * 30.44).astype(np.int64)


def _add_filter_noise(rng, v: pd.DataFrame, frac: float) -> pd.DataFrame:
    """A few extra non-PASS rows (germline/artefact calls) on top of the PASS rows."""
    v = v.copy()
    v["filter"] = "PASS"
    n = int(round(len(v) * frac))
    if n == 0:
        return v
    extra = v.iloc[rng.choice(len(v), size=n, replace=False)].copy()
    extra["start"] = extra["start"] + rng.integers(5, 500, n)
    extra["end"] = extra["start"] + (v.loc[extra.index, "end"] - v.loc[extra.index, "start"]).to_numpy()
    extra["short"] = ""
    extra["long"] = ""
    extra["vclass"] = "Intron"
    extra["filter"] = _pick(rng, ["germline_risk", "panel_of_normals", "strand_bias"], [0.4, 0.4, 0.2], n)
    return pd.concat([v, extra], ignore_index=True)


def _timeline(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["PATIENT_ID", "START_DATE", "STOP_DATE", "EVENT_TYPE",
                                     "TREATMENT_TYPE", "AGENT"])
    df = df.sort_values(["PATIENT_ID", "START_DATE", "AGENT"], kind="mergesort").reset_index(drop=True)
    df["START_DATE"] = df["START_DATE"].astype(np.int64)
    df["STOP_DATE"] = df["STOP_DATE"].astype(np.int64)
    return df


def _write_common(
    d: Path, study_id: str, name: str, description: str, patient: pd.DataFrame, sample: pd.DataFrame,
    maf: pd.DataFrame, seg: pd.DataFrame | None, cna: pd.DataFrame | None,
    panel: tuple[str, str, Sequence[str]] | None, timeline: pd.DataFrame | None, yml: dict,
    apobec_share: Mapping[str, float] | float = 0.1,
) -> list[Path]:
    d.mkdir(parents=True, exist_ok=True)
    has = ["patient", "sample", "mutations"]
    # the CONTEXT column comes from its own generator, seeded by the study id: the rest is unchanged
    maf = core.with_context(maf, zlib.crc32(study_id.encode()), apobec_share)
    out = [
        core.write_clinical(d / "data_clinical_patient.txt", patient),
        core.write_clinical(d / "data_clinical_sample.txt", sample),
        core.write_maf(d / "data_mutations.txt", maf),
    ]
    if seg is not None:
        has.append("seg")
        out.append(core.write_tsv(d / "data_cna_hg19.seg", core.format_segments(seg)))
    if cna is not None:
        has.append("cna")
        out.append(core.write_tsv(d / "data_cna.txt", cna))
    if panel is not None:
        has.append("panel_matrix")
        pid, desc, genes = panel
        mat = pd.DataFrame({
            "SAMPLE_ID": sample["SAMPLE_ID"].to_numpy(),
            "mutations": pid,
            "cna": pid if cna is not None else "NA",
        })
        out.append(core.write_tsv(d / "data_gene_panel_matrix.txt", mat))
        out.append(core.write_gene_panel(d / f"data_gene_panel_{pid}.txt", pid, desc, genes))
    if timeline is not None:
        has.append("timeline_treatment")
        out.append(core.write_tsv(d / "data_timeline_treatment.txt", timeline))
    out += core.study_meta_files(d, study_id, name, description, has)
    out.append(core.write_yaml(d / "oncoduck_study.yml", yml))
    return out


PANEL_DESC = {
    "demo_panel_1021": "Simulated 1,021-gene plasma ctDNA panel (yi2024-like, 1.1 Mb coding).",
    "demo_panel_520": "Simulated 520-gene tissue panel (OncoScreen-like, 1.003 Mb coding).",
}


# --------------------------------------------------------------------------- a. lim2021

def build_lim2021(rng: np.random.Generator, ref: Reference, d: Path) -> list[Path]:
    sid = "demo_lim2021_wes"
    n_r, n_nr = 30, 15
    pts = _ids("LIM", n_r + n_nr)
    n = len(pts)
    group = np.array(["Extreme responder"] * n_r + ["Non-responder"] * n_nr, dtype=object)[rng.permutation(n)]
    nr = group == "Non-responder"
    tum = np.array([p + "-T" for p in pts], dtype=object)
    nor = np.array([p + "-N" for p in pts], dtype=object)
    subtype = _pick(rng, ["HR+/HER2-", "HER2+", "TNBC"], [0.6, 0.2, 0.2], n)
    purity = rng.uniform(0.35, 0.85, n)

    # planted: nonsynonymous burden (median ~26 vs ~59) and TP53/ATM enrichment in NR
    target = np.where(nr, 59, 26) * np.exp(rng.normal(0, 0.4, n))
    target = np.maximum(np.round(target), 5).astype(np.int64)
    drv = pd.concat([
        _drivers(rng, ref, tum, "PIK3CA", np.where(subtype == "TNBC", 0.12, 0.38), 0.85),
        _drivers(rng, ref, tum, "TP53", np.where(nr, 0.60, 0.27), 0.6, truncating=0.6),
        _drivers(rng, ref, tum, "ATM", np.where(nr, 0.27, 0.07), 0.0, truncating=0.5),
        _drivers(rng, ref, tum, "GATA3", 0.10, 0.2, truncating=0.8),
        _drivers(rng, ref, tum, "CDH1", 0.10, 0.0, truncating=0.8),
        _drivers(rng, ref, tum, "MAP3K1", 0.08, 0.0, truncating=0.7),
        _drivers(rng, ref, tum, "KMT2C", 0.08, 0.0, truncating=0.5),
        _drivers(rng, ref, tum, "AKT1", 0.05, 1.0),
        _drivers(rng, ref, tum, "ESR1", np.where(subtype == "HR+/HER2-", 0.12, 0.0), 1.0),
    ], ignore_index=True)
    pool = _pool(ref, "demo_wes_lim2021")
    pas = _passengers_to_target(rng, ref, tum, target, drv, pool)
    v = pd.concat([drv, pas], ignore_index=True)
    v = _add_filter_noise(rng, v, 0.015)
    pur = pd.Series(purity, index=tum).loc[v["sample"]].to_numpy()
    vaf = _clonal_vaf(rng, len(v), pur)
    nvaf = np.where(v["filter"] == "germline_risk", rng.uniform(0.35, 0.6, len(v)), 0.0)
    v = core.add_counts(rng, v, vaf, 110, (20, 400), 4, (40, 120), nvaf)
    maf = core.to_maf(ref, v, dict(zip(tum, nor)))

    # planted: CNV burden (median ~13.6 vs ~97.7 Mb)
    burden = np.where(nr, 97.7 * 1.12, 13.6) * np.exp(rng.normal(0, 0.45, n))
    seg = core.make_segments(rng, tum, burden, events_mean=4.0, marks_per_mb=20.0)
    cna = core.discrete_cna(ref, seg, ref.gene_set("demo_wes_lim2021"), list(tum))

    # outcomes: extreme responders long PFS (many censored), non-responders progress early
    pfs, pfs_c = _survival(rng, np.where(nr, 2.5, 22.0), np.where(nr, 0.0, 0.45))
    pfs = np.where(nr, np.clip(pfs, 0.5, 5.5), pfs + 12.0)
    os_, os_c = _survival(rng, np.where(nr, 12.0, 30.0), np.where(nr, 0.2, 0.6))
    os_ = np.round(pfs + os_, 2)
    os_c = np.where(pfs_c, True, os_c)
    best = np.where(nr, _pick(rng, ["PD", "SD"], [0.8, 0.2], n), _pick(rng, ["CR", "PR", "SD"], [0.2, 0.65, 0.15], n))
    resp_dur = np.where(np.isin(best, ["CR", "PR"]), np.round(pfs - rng.uniform(1.0, 3.0, n), 2), np.nan)
    er_pos = subtype == "HR+/HER2-"
    ihc = np.where(subtype == "HER2+", "3+", _pick(rng, ["0", "1+", "2+"], [0.5, 0.35, 0.15], n))
    line = np.where(nr, rng.integers(1, 6, n), rng.integers(1, 4, n))
    patient = pd.DataFrame({
        "PATIENT_ID": pts,
        "AGE": rng.normal(54, 11, n).round().astype(int).astype(str),
        "SEX": "Female",
        "SUBTYPE": subtype,
        "ER_STATUS": np.where(er_pos, "Positive", "Negative"),
        "PR_STATUS": np.where(er_pos & (rng.random(n) < 0.75), "Positive", "Negative"),
        "HER2_IHC_SCORE": ihc,
        "RESPONSE_GROUP": group,
        "BEST_RESPONSE": best,
        "RESPONSE_DURATION_MONTHS": fmt(resp_dur, 2),
        "LINE_OF_THERAPY": line.astype(str),
        "METASTATIC_SITES": _sites(rng, n),
        "PFS_MONTHS": fmt(pfs, 2),
        "PFS_STATUS": np.where(pfs_c, "0:CENSORED", "1:PROGRESSION"),
        "OS_MONTHS": fmt(os_, 2),
        "OS_STATUS": np.where(os_c, "0:LIVING", "1:DECEASED"),
    })
    stype = _pick(rng, ["Metastasis", "Primary"], [0.7, 0.3], n)
    site = np.where(stype == "Primary", "Breast", _pick(rng, ["Liver", "Lymph node", "Bone", "Lung", "Skin"],
                                                        [0.3, 0.3, 0.15, 0.15, 0.1], n))
    onco = _pick(rng, ["IDC", "ILC"], [0.85, 0.15], n)
    s_t = pd.DataFrame({"PATIENT_ID": pts, "SAMPLE_ID": tum, "SAMPLE_TYPE": stype, "TUMOR_SITE": site,
                        "CANCER_TYPE": BREAST, "ONCOTREE_CODE": onco, "TUMOR_PURITY": fmt(purity, 2)})
    s_n = pd.DataFrame({"PATIENT_ID": pts, "SAMPLE_ID": nor, "SAMPLE_TYPE": "Normal", "TUMOR_SITE": "Blood",
                        "CANCER_TYPE": BREAST, "ONCOTREE_CODE": onco, "TUMOR_PURITY": "NA"})
    sample = pd.concat([s_t, s_n]).sort_values("SAMPLE_ID", kind="mergesort").reset_index(drop=True)

    rows = []
    regimens = {
        "HR+/HER2-": [("Ibrance", "Targeted therapy"), ("Femara", "Hormone therapy")],
        "HER2+": [("Herceptin", "Targeted therapy"), ("Perjeta", "Targeted therapy"), ("Taxotere", "Chemotherapy")],
        "TNBC": [("Xeloda", "Chemotherapy")],
    }
    prior = [("Paclitaxel", "Chemotherapy"), ("Tamoxifen", "Hormone therapy"), ("Adriamycin", "Chemotherapy")]
    stop = _days(pfs)
    for i in range(n):
        for agent, ttype in regimens[subtype[i]]:
            rows.append((pts[i], 0, int(stop[i]), "TREATMENT", ttype, agent))
        for k in range(int(line[i]) - 1):
            a, t = prior[k % len(prior)]
            rows.append((pts[i], -200 * (int(line[i]) - 1 - k) - 30, -200 * (int(line[i]) - 1 - k) + 120,
                         "TREATMENT", t, a))
    yml = {
        "study_id": sid, "assay_id": "demo_wes_lim2021", "tmb_definition": "nonsyn_lim2021_v1",
        "variant_filter_rule_set": "lim2021_wes", "cna_call_rule_set": "log2_default",
        "columns": {"RESPONSE_GROUP": "RESPONSE_GROUP"}, "values": {},
        "signatures": {"cosmic_version": "3.4", "genome": "GRCh37", "variant_set": "all_snv",
                       "signatures": ["SBS1", "SBS2", "SBS3", "SBS5", "SBS13"], "min_snvs": 10,
                       "de_novo_ranks": [2, 3, 4], "de_novo_runs": 5, "seed": 2021},
        "comparisons": [{
            "name": "nonresponders_vs_responders", "unit": "patient",
            "samples": {"sample_type": ["primary", "metastasis"]}, "group_by": "RESPONSE_GROUP",
            "groups": {"non_responder": ["Non-responder"], "responder": ["Extreme responder"]},
            "alternative": "greater", "analyses": ["burden", "genes", "pathways", "survival", "clinical", "signatures"],
        }, {
            "name": "tmb_high_vs_low", "unit": "patient", "samples": {"sample_type": ["primary", "metastasis"]},
            "group_by": "tmb:median", "groups": {"high": ["high"], "low": ["low"]}, "analyses": ["survival"],
        }],
    }
    return _write_common(
        d, sid, "Extreme responders vs non-responders, metastatic breast cancer (demo, lim2021-like WES)",
        "Simulated whole-exome tumour/normal cohort: 30 extreme responders vs 15 non-responders.",
        patient, sample, maf, seg, cna, None, _timeline(rows), yml,
        # planted: APOBEC-motif C>T/C>G in most non-responders' tumours, rarely in responders'
        apobec_share=dict(zip(tum, np.where(nr, 0.6, 0.05))))


# --------------------------------------------------------------------------- b. paul2020

def build_paul2020(rng: np.random.Generator, ref: Reference, d: Path) -> list[Path]:
    sid = "demo_paul2020_pairs"
    n_pair, n_unp = 28, 8
    pts = _ids("PAU", n_pair + n_unp)
    n = len(pts)
    paired = np.arange(n) < n_pair
    subtype = _pick(rng, ["HR+/HER2-", "HER2+", "TNBC"], [0.7, 0.12, 0.18], n)
    er_pos = subtype == "HR+/HER2-"
    endo = er_pos & (rng.random(n) < 0.85)
    prim = np.array([p + "-P" for p in pts], dtype=object)
    met = np.array([p + "-M" for p in pts], dtype=object)
    pool = _pool(ref, "demo_wes_lim2021")

    # truncal (shared) mutations: drawn per patient, copied to both samples
    trunc_target = np.maximum(np.round(32 * np.exp(rng.normal(0, 0.4, n))), 5).astype(np.int64)
    drv = pd.concat([
        _drivers(rng, ref, pts, "PIK3CA", np.where(er_pos, 0.42, 0.15), 0.85),
        _drivers(rng, ref, pts, "TP53", np.where(er_pos, 0.22, 0.7), 0.6, truncating=0.5),
        _drivers(rng, ref, pts, "GATA3", 0.10, 0.2, truncating=0.8),
        _drivers(rng, ref, pts, "CDH1", 0.10, 0.0, truncating=0.8),
        _drivers(rng, ref, pts, "MAP3K1", 0.08, 0.0, truncating=0.7),
        _drivers(rng, ref, pts, "KMT2C", 0.08, 0.0, truncating=0.5),
    ], ignore_index=True)
    trunc = pd.concat([drv, _passengers_to_target(rng, ref, pts, trunc_target, drv, pool)], ignore_index=True)
    trunc["private"] = False
    # private mutations: primaries ~6, metastases ~16 (planted: more private in mets)
    p_target = np.maximum(np.round(6 * np.exp(rng.normal(0, 0.4, n))), 1).astype(np.int64)
    m_target = np.maximum(np.round(16 * np.exp(rng.normal(0, 0.4, n))), 3).astype(np.int64)
    p_priv = core.passenger_variants(rng, ref, prim[paired], p_target[paired], pool[0], weights=pool[1])
    esr1 = _drivers(rng, ref, met, "ESR1", np.where(endo, 0.45, 0.0), 1.0, hotspots=["Y537S", "D538G"])
    m_priv = pd.concat([esr1, _passengers_to_target(rng, ref, met, m_target, esr1, pool)], ignore_index=True)
    p_priv["private"] = True
    m_priv["private"] = True
    pt_of = dict(zip(pts, range(n)))
    tp = trunc[paired[trunc["sample"].map(pt_of).to_numpy()]].copy()
    tp["sample"] = prim[tp["sample"].map(pt_of).to_numpy()]
    tm = trunc.copy()
    tm["sample"] = met[tm["sample"].map(pt_of).to_numpy()]
    v = pd.concat([tp, tm, p_priv, m_priv], ignore_index=True)
    purity = dict(zip(np.r_[prim, met], rng.uniform(0.35, 0.85, 2 * n)))
    pur = v["sample"].map(purity).to_numpy()
    vaf = np.where(v["private"], np.clip(pur / 2 * rng.uniform(0.2, 0.7, len(v)), 0.03, 0.9), _clonal_vaf(rng, len(v), pur))
    v = v.drop(columns="private")
    v["filter"] = "PASS"
    v = core.add_counts(rng, v, vaf, 100, (20, 400), 4, (40, 120))
    samples_all = np.r_[prim[paired], met]
    normals = {s: s.rsplit("-", 1)[0] + "-N" for s in samples_all}
    maf = core.to_maf(ref, v, normals)

    burden = np.r_[35.0 * np.exp(rng.normal(0, 0.5, int(paired.sum()))), 55.0 * np.exp(rng.normal(0, 0.5, n))]
    seg = core.make_segments(rng, samples_all, burden, events_mean=6.0)
    cna = core.discrete_cna(ref, seg, ref.gene_set("demo_wes_lim2021"), sorted(samples_all))

    os_, os_c = _survival(rng, np.full(n, 40.0), 0.45)
    patient = pd.DataFrame({
        "PATIENT_ID": pts,
        "AGE": rng.normal(52, 12, n).round().astype(int).astype(str),
        "SEX": "Female",
        "SUBTYPE": subtype,
        "ER_STATUS": np.where(er_pos, "Positive", "Negative"),
        "PR_STATUS": np.where(er_pos & (rng.random(n) < 0.7), "Positive", "Negative"),
        "HER2_IHC_SCORE": np.where(subtype == "HER2+", "3+", _pick(rng, ["0", "1+", "2+"], [0.45, 0.4, 0.15], n)),
        "PRIOR_ENDOCRINE_THERAPY": np.where(endo, "Yes", "No"),
        "OS_MONTHS": fmt(os_, 2),
        "OS_STATUS": np.where(os_c, "0:LIVING", "1:DECEASED"),
    })
    onco = dict(zip(pts, _pick(rng, ["IDC", "ILC"], [0.85, 0.15], n)))
    met_site = _pick(rng, ["Liver", "Bone", "Lung", "Brain", "Lymph node", "Skin"], [0.3, 0.2, 0.15, 0.1, 0.15, 0.1], n)
    s_p = pd.DataFrame({"PATIENT_ID": pts[paired], "SAMPLE_ID": prim[paired], "SAMPLE_TYPE": "Primary",
                        "TUMOR_SITE": "Breast"})
    s_m = pd.DataFrame({"PATIENT_ID": pts, "SAMPLE_ID": met, "SAMPLE_TYPE": "Metastasis", "TUMOR_SITE": met_site})
    sample = pd.concat([s_p, s_m]).sort_values("SAMPLE_ID", kind="mergesort").reset_index(drop=True)
    sample["CANCER_TYPE"] = BREAST
    sample["ONCOTREE_CODE"] = sample["PATIENT_ID"].map(onco)
    sample["TUMOR_PURITY"] = fmt(sample["SAMPLE_ID"].map(purity).to_numpy(), 2)

    rows = []
    for i in range(n):
        if endo[i]:
            rows.append((pts[i], 60, 60 + int(rng.integers(400, 1500)), "TREATMENT", "Hormone therapy",
                         str(_pick(rng, ["Femara", "Tamoxifen", "Arimidex"], [0.5, 0.3, 0.2], 1)[0])))
        if not er_pos[i] or rng.random() < 0.4:
            rows.append((pts[i], 30, 30 + 126, "TREATMENT", "Chemotherapy", "Adriamycin"))
            rows.append((pts[i], 30, 30 + 126, "TREATMENT", "Chemotherapy", "Cytoxan"))
    yml = {
        "study_id": sid, "assay_id": "demo_wes_lim2021", "tmb_definition": "nonsyn_lim2021_v1",
        "variant_filter_rule_set": "lim2021_wes", "cna_call_rule_set": "log2_default",
        "columns": {}, "values": {},
        "comparisons": [{
            "name": "metastasis_vs_primary", "unit": "sample", "group_by": "SAMPLE_TYPE_CANONICAL",
            "groups": {"metastasis": ["metastasis"], "primary": ["primary"]},
            "alternative": "greater", "analyses": ["burden", "genes", "pathways", "paired"],
        }, {
            # Paul 2020 set its metastases against primaries of another cohort (TCGA): here the panel study's
            # primaries, each group counted against its own study's assay (exome; 520-gene panel) and TMB rule
            "name": "metastases_vs_panel_primaries", "studies": [sid, "demo_zhang2022_panel"],
            "groups": {
                "metastasis": {"where": {"STUDY_ID": sid, "SAMPLE_TYPE_CANONICAL": "metastasis"}},
                "panel_primary": {"where": {"STUDY_ID": "demo_zhang2022_panel", "SAMPLE_TYPE_CANONICAL": "primary"}},
            },
            "analyses": ["burden", "genes"],
        }],
    }
    return _write_common(
        d, sid, "Paired primary tumours and metastases (demo, paul2020-like exome)",
        "Simulated exomes of 28 primary/metastasis pairs plus 8 unpaired metastases.",
        patient, sample, maf, seg, cna, None, _timeline(rows), yml)


# --------------------------------------------------------------------------- c. yi2024

def build_yi2024(rng: np.random.Generator, ref: Reference, d: Path) -> list[Path]:
    sid = "demo_yi2024_ctdna"
    panel = "demo_panel_1021"
    n = 40
    pts = _ids("YI", n)
    bl = np.array([p + "-BL" for p in pts], dtype=object)
    ot = np.array([p + "-OT" for p in pts], dtype=object)
    pool = _pool(ref, panel)
    er_pct = np.where(rng.random(n) < 0.75, rng.integers(10, 96, n), np.where(rng.random(n) < 0.3, rng.integers(1, 10, n), 0))
    hr_pos = er_pct >= 1

    drv = pd.concat([
        _drivers(rng, ref, pts, "PIK3CA", 0.38, 0.9),
        _drivers(rng, ref, pts, "TP53", np.where(hr_pos, 0.3, 0.6), 0.6, truncating=0.5),
        _drivers(rng, ref, pts, "ESR1", np.where(hr_pos, 0.25, 0.0), 1.0),
        _drivers(rng, ref, pts, "GATA3", 0.08, 0.2, truncating=0.8),
        _drivers(rng, ref, pts, "AKT1", 0.05, 1.0),
        _drivers(rng, ref, pts, "ERBB2", 0.06, 1.0),
        _drivers(rng, ref, pts, "CDH1", 0.06, 0.0, truncating=0.8),
    ], ignore_index=True)
    target = _n_nonsyn(drv).reindex(pts).fillna(0).to_numpy() + rng.poisson(3.0, n) + 1
    v = pd.concat([drv, _passengers_to_target(rng, ref, pts, target, drv, pool)], ignore_index=True)
    v = v[v["vclass"].isin(core.NONSYNONYMOUS) | (rng.random(len(v)) < 0.5)].reset_index(drop=True)
    pt_of = dict(zip(pts, range(n)))
    pidx = v["sample"].map(pt_of).to_numpy()
    tf = np.clip(0.05 * np.exp(rng.normal(0, 1.0, n)), 0.006, 0.5)
    base_vaf = np.clip(tf[pidx] * rng.uniform(0.25, 1.0, len(v)), 0.002, 0.30)

    # planted: ctDNA clearance at on-treatment (16/40) -> longer PFS
    clear = np.zeros(n, dtype=bool)
    clear[rng.choice(n, size=16, replace=False)] = True
    keep = ~clear[pidx] & (rng.random(len(v)) < 0.85)
    first = ~pd.Series(pidx).duplicated().to_numpy()
    keep |= ~clear[pidx] & first  # non-clearers keep at least one variant
    ot_vaf = np.clip(base_vaf * rng.uniform(0.25, 1.6, len(v)), 0.002, 0.30)
    v_bl = v.copy()
    v_bl["sample"] = bl[pidx]
    v_ot = v[keep].copy()
    v_ot["sample"] = ot[pidx[keep]]
    tum = pd.concat([v_bl, v_ot], ignore_index=True)
    tum_vaf = np.r_[base_vaf, ot_vaf[keep]]
    tum["filter"] = "PASS"
    tum = core.add_counts(rng, tum, tum_vaf, 1500, (500, 3000), 3, (500, 3000), vaf_range=(0.002, 0.30))

    # clonal haematopoiesis: present in plasma and WBC, plasma VAF <= 2x WBC VAF, both timepoints
    ch_pts = np.sort(rng.choice(n, size=8, replace=False))
    ch_genes = ["DNMT3A", "TET2", "ASXL1", "PPM1D", "DNMT3A", "TET2", "DNMT3A", "PPM1D"]
    ch_parts = []
    for k, (pi, gname) in enumerate(zip(ch_pts, ch_genes)):
        hs = core.hotspot_table()
        hs = hs[hs["gene"] == gname]
        if len(hs) and k % 2 == 0:
            ch_parts.append(core.hotspot_variants(ref, np.array([pts[pi]], dtype=object), hs.iloc[[k % len(hs)]]))
        else:
            vc = np.array(["Frame_Shift_Del" if gname in ("ASXL1", "TET2") else "Nonsense_Mutation"], dtype=object)
            ch_parts.append(core.random_variants(rng, ref, np.array([pts[pi]], dtype=object),
                                                 ref.index_of([gname]), vc))
    ch = pd.concat(ch_parts, ignore_index=True)
    wbc_vaf = rng.uniform(0.01, 0.05, len(ch))
    ch_pidx = ch["sample"].map(pt_of).to_numpy()
    ch2 = pd.concat([ch.assign(sample=bl[ch_pidx]), ch.assign(sample=ot[ch_pidx])], ignore_index=True)
    wv = np.r_[wbc_vaf, wbc_vaf]
    ch2["filter"] = "PASS"
    ch2 = core.add_counts(rng, ch2, wv * rng.uniform(0.7, 1.4, len(ch2)), 1500, (500, 3000), 3, (500, 3000), wv)
    # enforce observed plasma VAF <= 2x observed WBC VAF
    tdep = ch2["t_ref_count"] + ch2["t_alt_count"]
    ndep = ch2["n_ref_count"].astype(np.int64) + ch2["n_alt_count"].astype(np.int64)
    nalt = np.maximum(ch2["n_alt_count"].astype(np.int64).to_numpy(), 3)
    ch2["n_alt_count"] = nalt
    ch2["n_ref_count"] = ndep.to_numpy() - nalt
    cap = np.floor(2.0 * nalt / ndep.to_numpy() * tdep.to_numpy()).astype(np.int64)
    talt = np.minimum(ch2["t_alt_count"].to_numpy(), cap)
    ch2["t_alt_count"] = talt
    ch2["t_ref_count"] = tdep.to_numpy() - talt
    for c in ("n_ref_count", "n_alt_count"):
        ch2[c] = ch2[c].astype("Int64")
    tum["n_ref_count"] = tum["n_ref_count"].astype("Int64")
    tum["n_alt_count"] = tum["n_alt_count"].astype("Int64")
    allv = pd.concat([tum, ch2], ignore_index=True)
    wbc = {s: s.rsplit("-", 1)[0] + "-WBC" for s in np.r_[bl, ot]}
    maf = core.to_maf(ref, allv, wbc)

    samples_all = np.r_[bl, ot]
    burden = np.r_[tf * 400, np.where(clear, 2.0, tf * 300)]
    seg = core.make_segments(rng, samples_all, burden, events_mean=3.0, marks_per_mb=1.0)

    pfs, pfs_c = _survival(rng, np.where(clear, 11.0, 4.5), 0.15)
    os_, os_c = _survival(rng, np.full(n, 14.0), 0.4)
    os_ = np.round(pfs + os_, 2)
    os_c = np.where(pfs_c, True, os_c)
    best = np.where(clear, _pick(rng, ["CR", "PR", "SD"], [0.1, 0.6, 0.3], n),
                    _pick(rng, ["PR", "SD", "PD"], [0.15, 0.45, 0.4], n))
    ihc = _pick(rng, ["0", "1+", "2+"], [0.1, 0.5, 0.4], n)
    ish_done = ihc == "2+"
    ratio = np.where(ish_done, rng.uniform(1.0, 1.95, n), np.nan)
    copies = np.where(ish_done, rng.uniform(2.0, 3.9, n), np.nan)
    pr_pct = np.where(hr_pos & (rng.random(n) < 0.7), rng.integers(1, 90, n), 0)
    patient = pd.DataFrame({
        "PATIENT_ID": pts,
        "AGE": rng.normal(53, 10, n).round().astype(int).astype(str),
        "SEX": "Female",
        "HER2_IHC_SCORE": ihc,
        "HER2_IHC_ULTRALOW": np.where(ihc == "0", _pick(rng, ["Yes", "No"], [0.5, 0.5], n), "NA"),
        "HER2_ISH_RATIO": fmt(ratio, 2),
        "HER2_ISH_COPIES": fmt(copies, 1),
        "HER2_ISH_STATUS": np.where(ish_done, "Negative", "NA"),
        "ER_PERCENT": er_pct.astype(str),
        "PR_PERCENT": pr_pct.astype(str),
        "ER_STATUS": np.where(hr_pos, "Positive", "Negative"),
        "PR_STATUS": np.where(pr_pct >= 1, "Positive", "Negative"),
        "LINE_OF_THERAPY": rng.integers(1, 5, n).astype(str),
        "METASTATIC_SITES": _sites(rng, n),
        "BEST_RESPONSE": best,
        "PFS_MONTHS": fmt(pfs, 2),
        "PFS_STATUS": np.where(pfs_c, "0:CENSORED", "1:PROGRESSION"),
        "OS_MONTHS": fmt(os_, 2),
        "OS_STATUS": np.where(os_c, "0:LIVING", "1:DECEASED"),
    })
    sample = pd.concat([
        pd.DataFrame({"PATIENT_ID": pts, "SAMPLE_ID": bl, "SAMPLE_TYPE": "Plasma", "TIMEPOINT": "baseline"}),
        pd.DataFrame({"PATIENT_ID": pts, "SAMPLE_ID": ot, "SAMPLE_TYPE": "Plasma", "TIMEPOINT": "on_treatment"}),
    ]).sort_values("SAMPLE_ID", kind="mergesort").reset_index(drop=True)
    sample["TUMOR_SITE"] = "Blood"
    sample["CANCER_TYPE"] = BREAST
    sample["ONCOTREE_CODE"] = "BRCA"
    stop = _days(pfs)
    rows = [(pts[i], 0, int(stop[i]), "TREATMENT", "Targeted therapy", "Enhertu") for i in range(n)]
    yml = {
        "study_id": sid, "assay_id": panel, "tmb_definition": "nonsyn_cbioportal_v1",
        "variant_filter_rule_set": "yi2024_ctdna", "cna_call_rule_set": "log2_default",
        "columns": {}, "values": {},
        "signatures": {"variant_set": "all_snv", "min_snvs": 5},
        "nmf": {"features": "genes", "ranks": [2, 3], "runs": 10, "seed": 2024, "min_altered_samples": 5},
        "comparisons": [{
            "name": "baseline_vs_on_treatment", "unit": "sample", "group_by": "TIMEPOINT",
            "groups": {"baseline": ["baseline"], "on_treatment": ["on_treatment"]},
            "alternative": "greater", "analyses": ["burden", "longitudinal", "signatures"],
        }, {
            # Yi 2024: bTMB and mTBI change (baseline -> on treatment) by HER2 group (stat_paired_group_tests)
            "name": "her2_low_vs_zero_ctdna_change", "unit": "patient", "group_by": "HER2_CATEGORY_DERIVED",
            "groups": {"her2_low": ["low"], "her2_zero": ["zero"]}, "analyses": ["longitudinal"],
        }, {
            # NMF clusters of the baseline plasma against PFS and OS (the `nmf` analysis' log-rank rows)
            "name": "baseline_plasma", "unit": "patient", "samples": {"timepoint": ["baseline"]},
            "group_by": "ER_STATUS", "groups": {"er_positive": ["Positive"], "er_negative": ["Negative"]},
            "analyses": ["nmf"],
        }],
    }
    return _write_common(
        d, sid, "HER2-low metastatic breast cancer plasma ctDNA (demo, yi2024-like)",
        "Simulated plasma ctDNA (1,021-gene panel) at baseline and after two cycles, with matched WBC.",
        patient, sample, maf, seg, None, (panel, PANEL_DESC[panel], ref.panels[panel]), _timeline(rows), yml)


# --------------------------------------------------------------------------- d. zhang2022

def build_zhang2022(rng: np.random.Generator, ref: Reference, d: Path) -> list[Path]:
    sid = "demo_zhang2022_panel"
    panel = "demo_panel_520"
    n = 150
    pts = _ids("ZHA", n)
    tum = np.array([p + "-T" for p in pts], dtype=object)
    grp = np.array(["zero"] * 52 + ["low"] * 68 + ["pos"] * 30, dtype=object)[rng.permutation(n)]
    ihc = np.where(grp == "zero", "0",
                   np.where(grp == "low", _pick(rng, ["1+", "2+"], [0.55, 0.45], n),
                            _pick(rng, ["3+", "2+"], [0.7, 0.3], n))).astype(object)
    er_pos = np.where(grp == "zero", rng.random(n) < 0.35, np.where(grp == "low", rng.random(n) < 0.85, rng.random(n) < 0.5))
    tnbc = (grp == "zero") & ~er_pos
    er_low = er_pos & (rng.random(n) < 0.07)
    er_pct = np.where(er_pos, np.where(er_low, rng.integers(1, 11, n), rng.integers(20, 101, n)), 0)
    pr_pct = np.where(er_pos & (rng.random(n) < 0.7), rng.integers(1, 96, n), 0)
    fish = (ihc == "2+") | ((ihc == "3+") & (rng.random(n) < 0.4))
    amp = grp == "pos"
    ratio = np.where(fish, np.where(amp, rng.uniform(2.2, 8.0, n), rng.uniform(0.9, 1.9, n)), np.nan)
    copies = np.where(fish, np.where(amp, rng.uniform(6.0, 20.0, n), rng.uniform(1.8, 3.9, n)), np.nan)
    ki = rng.integers(3, 81, n)
    ki[rng.choice(n, 12, replace=False)] = 14
    ki[rng.choice(n, 12, replace=False)] = 30

    pool = _pool(ref, panel)
    # planted: PIK3CA HER2-low > HER2-zero; TP53 HER2-zero (TNBC) > HER2-low
    p_pik = np.select([grp == "zero", grp == "low"], [0.16, 0.42], 0.28)
    p_tp53 = np.select([tnbc, grp == "zero", grp == "low"], [0.78, 0.35, 0.2], 0.55)
    drv = pd.concat([
        _drivers(rng, ref, tum, "PIK3CA", p_pik, 0.85),
        _drivers(rng, ref, tum, "TP53", p_tp53, 0.6, truncating=0.5),
        _drivers(rng, ref, tum, "GATA3", np.where(er_pos, 0.12, 0.02), 0.2, truncating=0.8),
        _drivers(rng, ref, tum, "CDH1", np.where(er_pos, 0.1, 0.02), 0.0, truncating=0.8),
        _drivers(rng, ref, tum, "MAP3K1", np.where(er_pos, 0.1, 0.02), 0.0, truncating=0.7),
        _drivers(rng, ref, tum, "KMT2C", 0.08, 0.0, truncating=0.5),
        _drivers(rng, ref, tum, "AKT1", 0.05, 1.0),
        _drivers(rng, ref, tum, "PTEN", 0.05, 0.5, truncating=0.6),
        _drivers(rng, ref, tum, "ERBB2", np.where(amp, 0.0, 0.03), 1.0),
    ], ignore_index=True)
    target = _n_nonsyn(drv).reindex(tum).fillna(0).to_numpy() + rng.poisson(2.5, n)
    v = pd.concat([drv, _passengers_to_target(rng, ref, tum, target, drv, pool)], ignore_index=True)
    v["filter"] = "PASS"
    purity = dict(zip(tum, rng.uniform(0.3, 0.9, n)))
    v = core.add_counts(rng, v, _clonal_vaf(rng, len(v), v["sample"].map(purity).to_numpy()), 600, (100, 1500), 5, None)
    maf = core.to_maf(ref, v, None)

    # planted: ERBB2 amplification (CNA 2) in HER2-positive via a focal chr17q12 segment
    erbb2 = ref.genes.loc[ref.genes["gene"] == "ERBB2"].iloc[0]
    amp_s = tum[amp & (rng.random(n) < 0.93)]
    focal = pd.DataFrame({
        "sample": amp_s, "chrom": "17",
        "start": int(erbb2["gene_start"]) - rng.integers(100_000, 800_000, len(amp_s)),
        "end": int(erbb2["gene_end"]) + rng.integers(100_000, 1_500_000, len(amp_s)),
        "seg_mean": rng.uniform(1.2, 2.4, len(amp_s)),
    })
    ccnd1 = ref.genes.loc[ref.genes["gene"] == "CCND1"].iloc[0]
    c_s = tum[er_pos & (rng.random(n) < 0.15)]
    focal = pd.concat([focal, pd.DataFrame({
        "sample": c_s, "chrom": "11",
        "start": int(ccnd1["gene_start"]) - rng.integers(200_000, 900_000, len(c_s)),
        "end": int(ccnd1["gene_end"]) + rng.integers(200_000, 900_000, len(c_s)),
        "seg_mean": rng.uniform(1.1, 2.0, len(c_s)),
    })], ignore_index=True)
    seg = core.make_segments(rng, tum, 40.0 * np.exp(rng.normal(0, 0.6, n)), events_mean=5.0,
                             marks_per_mb=2.0, focal=focal)
    cna = core.discrete_cna(ref, seg, ref.gene_set(panel), list(tum))

    neo = rng.random(n) < 0.6
    p_pcr = np.select([amp, tnbc, grp == "zero"], [0.55, 0.4, 0.15], 0.15)
    pcr = np.where(neo, np.where(rng.random(n) < p_pcr, "Yes", "No"), "NA")
    dfs, dfs_c = _survival(rng, np.where(pcr == "Yes", 200.0, 70.0), 0.0)
    follow = rng.uniform(24, 84, n)
    dfs_event = dfs < follow
    dfs = np.where(dfs_event, dfs, np.round(follow, 2))
    er_raw = np.where(er_pos, "Positive", "Negative").astype(object)
    typo = np.where(er_pos)[0][:: max(1, int(er_pos.sum()) // 7)][:7]
    er_raw[typo] = "Positve"  # vendor misspelling, mapped in oncoduck_study.yml values:
    patient = pd.DataFrame({
        "PATIENT_ID": pts,
        "AGE": rng.normal(50, 11, n).round().astype(int).astype(str),
        "SEX": "Female",
        "STAGE": _pick(rng, ["I", "IIA", "IIB", "IIIA", "IIIB", "IIIC"], [0.2, 0.3, 0.2, 0.15, 0.05, 0.1], n),
        "IHC_HER2": ihc,
        "HER2_IHC_ULTRALOW": np.where(ihc == "0", _pick(rng, ["Yes", "No"], [0.3, 0.7], n), "NA"),
        "FISH_RATIO": fmt(ratio, 2),
        "FISH_HER2_COPIES": fmt(copies, 1),
        "HER2_ISH_STATUS": np.where(fish, np.where(amp, "Positive", "Negative"), "NA"),
        "ER": er_raw,
        "ER_PCT": er_pct.astype(str),
        "PR_STATUS": np.where(pr_pct >= 1, "Positive", "Negative"),
        "PR_PCT": pr_pct.astype(str),
        "Ki67": ki.astype(str),
        "NEOADJUVANT": np.where(neo, "Yes", "No"),
        "PCR": pcr,
        "ANTI_HER2_CYCLES": np.where(amp, rng.integers(4, 7, n).astype(str), "NA"),
        "DFS_MONTHS": fmt(dfs, 2),
        "DFS_STATUS": np.where(dfs_event, "1:Recurred/Progressed", "0:DiseaseFree"),
    })
    sample = pd.DataFrame({
        "PATIENT_ID": pts, "SAMPLE_ID": tum, "SAMPLE_TYPE": "Primary", "TUMOR_SITE": "Breast",
        "CANCER_TYPE": BREAST, "ONCOTREE_CODE": _pick(rng, ["IDC", "ILC", "MDLC"], [0.85, 0.1, 0.05], n),
        "TUMOR_PURITY": fmt(np.array([purity[t] for t in tum]), 2),
    })
    yml = {
        "study_id": sid, "assay_id": panel, "tmb_definition": "nonsyn_zhang2022_v1",
        "variant_filter_rule_set": "zhang2022_tissue", "cna_call_rule_set": "log2_default",
        "columns": {
            "IHC_HER2": "HER2_IHC_SCORE", "FISH_RATIO": "HER2_ISH_RATIO", "FISH_HER2_COPIES": "HER2_ISH_COPIES",
            "ER": "ER_STATUS", "ER_PCT": "ER_PERCENT", "PR_PCT": "PR_PERCENT", "Ki67": "KI67_PERCENT",
        },
        "values": {"ER_STATUS": {"Positve": "Positive"}},
        "nmf": {"features": "genes", "ranks": [2, 3, 4], "runs": 10, "seed": 2022, "min_altered_samples": 8},
        "comparisons": [{
            "name": "her2_low_vs_zero", "unit": "patient", "group_by": "HER2_CATEGORY_DERIVED",
            "groups": {"her2_low": ["low"], "her2_zero": ["zero"]},
            "analyses": ["genes", "pathways", "hotspots", "clinical", "response"],
        }, {
            "name": "her2_zero_low_positive", "unit": "patient", "group_by": "HER2_CATEGORY_DERIVED",
            "groups": {"her2_zero": ["zero"], "her2_low": ["low"], "her2_positive": ["positive"]},
            "analyses": ["genes", "pathways", "clinical", "response", "survival", "interactions", "nmf"],
        }, {
            # HER2-low vs zero within hormone-receptor strata: every analysis per stratum, CMH across them,
            # stratified log-rank and Cox strata
            "name": "her2_low_vs_zero_by_hr", "unit": "patient", "group_by": "HER2_CATEGORY_DERIVED",
            "groups": {"her2_low": ["low"], "her2_zero": ["zero"]}, "stratify_by": "HR_STATUS_DERIVED",
            "analyses": ["genes", "survival"],
        }, {
            # the README's selection examples: TMB within HER2-negative patients, pCR vs residual disease ...
            "name": "tmb_her2_negative_pcr", "unit": "patient",
            "samples": {"where": {"HER2_STATUS_DERIVED": "negative"}},
            "group_by": "PCR", "groups": {"pcr": ["Yes"], "residual_disease": ["No"]},
            "analyses": ["burden"],
        }, {
            # ... ERBB2 amplified vs not (copy number as a grouping), survival against the declared reference ...
            "name": "erbb2_amplified_vs_not", "unit": "patient", "group_by": "amplified:ERBB2",
            "reference": "not_amplified", "analyses": ["survival"],
        }, {
            # ... and groups declared by conditions within a selection combining and, or, a range and a gene
            "name": "ihc_groups_selected", "unit": "patient",
            "samples": {"where": {"HR_STATUS_DERIVED": "positive",
                                  "any": [{"mutated": "PIK3CA"}, {"AGE": {"min": 50}}]}},
            "groups": {"ihc_1_or_2": {"where": {"HER2_IHC_SCORE": ["1+", "2+"]}},
                       "ihc_0": {"where": {"HER2_IHC_SCORE": "0"}}},
            "analyses": ["burden"],
        }, {
            # a linear model (lm): Ki-67 index on HER2 category, adjusted for age, against HER2-zero
            "name": "ki67_by_her2_category", "unit": "patient", "group_by": "HER2_CATEGORY_DERIVED",
            "groups": {"her2_zero": ["zero"], "her2_low": ["low"], "her2_positive": ["positive"]},
            "covariates": ["AGE"], "outcome": "KI67_PERCENT", "analyses": ["linear"],
        }],
    }
    # a gene set file of the study's own (gene_sets:): the 17q12 ERBB2 amplicon core genes (Sircoulomb et al.,
    # BMC Cancer 2010) with CDK12 (co-amplified with ERBB2: Zhang 2022), as GMT
    yml["gene_sets"] = ["her2_amplicon.gmt"]
    d.mkdir(parents=True, exist_ok=True)
    gmt = d / "her2_amplicon.gmt"
    gmt.write_bytes(b"ERBB2_AMPLICON_17Q12\tSircoulomb 2010 core amplicon with CDK12\t"
                    + "\t".join(["ERBB2", "GRB7", "PGAP3", "STARD3", "MIEN1", "PNMT", "TCAP", "CDK12"]).encode() + b"\n")
    return [gmt] + _write_common(
        d, sid, "HER2-zero / HER2-low / HER2-positive early breast cancer (demo, zhang2022-like panel)",
        "Simulated 520-gene tissue panel of 150 primary tumours with HER2 IHC/FISH, ER/PR, Ki-67 and pCR.",
        patient, sample, maf, seg, cna, (panel, PANEL_DESC[panel], ref.panels[panel]), None, yml)


# --------------------------------------------------------------------------- e. li2024

def _li2024_fish_cells(rng: np.random.Generator, sample_id: str, biopsy: int, n_cells: int,
                       n_amplified: int) -> pd.DataFrame:
    """One biopsy's per-cell ERBB2 and CEP17 signal counts, ``n_amplified`` of ``n_cells`` cells amplified.

    Every cell is unambiguous under the li2024 cell rule (amplified when ERBB2/CEP17 >= 2 or ERBB2 >= 6):
    amplified cells carry 2 x CEP17 + Poisson(7) ERBB2 signals, the others fewer than 2 x CEP17 and at most 5.
    """
    is_amp = np.zeros(n_cells, dtype=bool)
    is_amp[rng.choice(n_cells, size=n_amplified, replace=False)] = True
    cep = rng.choice([1, 2, 2, 2, 2, 3, 3, 4], size=n_cells)
    amp_sig = 2 * cep + rng.poisson(7.0, n_cells)
    non_sig = np.minimum(rng.integers(1, 2 * cep), 5)
    return pd.DataFrame({
        "sample_id": sample_id, "biopsy": biopsy, "cell_id": np.arange(1, n_cells + 1),
        "erbb2_signals": np.where(is_amp, amp_sig, non_sig), "cep17_signals": cep,
    })


def build_li2024(rng: np.random.Generator, ref: Reference, d: Path) -> list[Path]:
    sid = "demo_li2024_fish"
    panel = "demo_panel_520"
    n = 40
    pts = _ids("LI", n)
    het = np.zeros(n, dtype=bool)
    het[rng.choice(n, size=12, replace=False)] = True
    f = np.where(het, rng.uniform(0.14, 0.38, n), rng.uniform(0.72, 0.98, n))
    b1 = np.array([p + "-B1" for p in pts], dtype=object)
    b2 = np.array([p + "-B2" for p in pts], dtype=object)
    samples = np.r_[b1, b2]
    pidx_s = np.r_[np.arange(n), np.arange(n)]
    n_cells = rng.integers(20, 61, 2 * n)
    few = rng.choice(2 * n, size=5, replace=False)
    n_cells[few] = rng.integers(10, 20, 5)
    fb = np.where(het[pidx_s], np.clip(f[pidx_s] + rng.normal(0, 0.04, 2 * n), 0.1, 0.42),
                  np.clip(f[pidx_s] + rng.normal(0, 0.04, 2 * n), 0.65, 1.0))
    k_amp = np.round(fb * n_cells).astype(np.int64)
    cell_rows = [_li2024_fish_cells(rng, samples[j], 1 if j < n else 2, int(n_cells[j]), int(k_amp[j]))
                 for j in range(2 * n)]
    cells = pd.concat(cell_rows, ignore_index=True).sort_values(["sample_id", "cell_id"], kind="mergesort")
    cells = cells.reset_index(drop=True)

    # planted: heterogeneous tumours -> lower pCR (2/12 vs 17/28)
    pcr = np.zeros(n, dtype=bool)
    hi, ho = np.where(het)[0], np.where(~het)[0]
    pcr[rng.choice(hi, size=2, replace=False)] = True
    pcr[rng.choice(ho, size=17, replace=False)] = True
    rcb_class = np.where(pcr, "RCB-0", np.where(het, _pick(rng, ["RCB-I", "RCB-II", "RCB-III"], [0.2, 0.5, 0.3], n),
                                                  _pick(rng, ["RCB-I", "RCB-II", "RCB-III"], [0.45, 0.4, 0.15], n)))
    lo = np.select([rcb_class == "RCB-0", rcb_class == "RCB-I", rcb_class == "RCB-II"], [0.0, 0.2, 1.36], 3.28)
    hi_ = np.select([rcb_class == "RCB-0", rcb_class == "RCB-I", rcb_class == "RCB-II"], [0.0, 1.36, 3.28], 4.8)
    rcb_score = lo + (hi_ - lo) * rng.random(n)

    ihc = _pick(rng, ["3+", "2+"], [0.75, 0.25], n)
    ratio_p = cells.assign(p=cells["sample_id"].str.rsplit("-", n=1).str[0]).groupby("p").agg(
        e=("erbb2_signals", "mean"), c=("cep17_signals", "mean"))
    ratio_p = ratio_p.reindex(pts)
    er_pos = rng.random(n) < 0.55
    dfs, _ = _survival(rng, np.where(pcr, 220.0, 80.0), 0.0)
    follow = rng.uniform(24, 60, n)
    dfs_event = dfs < follow
    dfs = np.where(dfs_event, dfs, np.round(follow, 2))
    patient = pd.DataFrame({
        "PATIENT_ID": pts,
        "AGE": rng.normal(49, 10, n).round().astype(int).astype(str),
        "SEX": "Female",
        "STAGE": _pick(rng, ["IIA", "IIB", "IIIA", "IIIB", "IIIC"], [0.3, 0.3, 0.2, 0.1, 0.1], n),
        "HER2_IHC_SCORE": ihc,
        "HER2_ISH_RATIO": fmt((ratio_p["e"] / ratio_p["c"]).to_numpy(), 2),
        "HER2_ISH_COPIES": fmt(ratio_p["e"].to_numpy(), 1),
        "HER2_ISH_STATUS": "Positive",
        "ER_STATUS": np.where(er_pos, "Positive", "Negative"),
        "PR_STATUS": np.where(er_pos & (rng.random(n) < 0.6), "Positive", "Negative"),
        "ER_PERCENT": np.where(er_pos, rng.integers(10, 96, n), 0).astype(str),
        "KI67_PERCENT": rng.integers(10, 81, n).astype(str),
        "PCR": np.where(pcr, "Yes", "No"),
        "RCB_CLASS": rcb_class,
        "RCB_SCORE": fmt(rcb_score, 3),
        "ANTI_HER2_CYCLES": "6",
        "DFS_MONTHS": fmt(dfs, 2),
        "DFS_STATUS": np.where(dfs_event, "1:Recurred/Progressed", "0:DiseaseFree"),
    })

    pool = _pool(ref, panel)
    drv = pd.concat([
        _drivers(rng, ref, pts, "PIK3CA", 0.25, 1.0, hotspots=["H1047R", "E545K", "E542K", "H1047L"]),
        _drivers(rng, ref, pts, "ERBB2", 0.08, 1.0, hotspots=["L755S", "V777L", "S310F", "D769Y"]),
        _drivers(rng, ref, pts, "TP53", 0.55, 0.6, truncating=0.5),
    ], ignore_index=True)
    target = _n_nonsyn(drv).reindex(pts).fillna(0).to_numpy() + rng.poisson(2.0, n)
    trunc = pd.concat([drv, _passengers_to_target(rng, ref, pts, target, drv, pool)], ignore_index=True)
    pt_of = dict(zip(pts, range(n)))
    ti = trunc["sample"].map(pt_of).to_numpy()
    priv = core.passenger_variants(rng, ref, samples, rng.poisson(0.6, 2 * n), pool[0], weights=pool[1])
    v = pd.concat([trunc.assign(sample=b1[ti]), trunc.assign(sample=b2[ti]), priv], ignore_index=True)
    v["filter"] = "PASS"
    purity = dict(zip(samples, rng.uniform(0.3, 0.85, 2 * n)))
    v = core.add_counts(rng, v, _clonal_vaf(rng, len(v), v["sample"].map(purity).to_numpy()), 600, (100, 1500), 5, None)
    maf = core.to_maf(ref, v, None)

    erbb2 = ref.genes.loc[ref.genes["gene"] == "ERBB2"].iloc[0]
    frac_b = k_amp / n_cells
    focal = pd.DataFrame({
        "sample": samples, "chrom": "17",
        "start": int(erbb2["gene_start"]) - rng.integers(100_000, 800_000, 2 * n),
        "end": int(erbb2["gene_end"]) + rng.integers(100_000, 1_500_000, 2 * n),
        "seg_mean": np.where(frac_b > 0.5, rng.uniform(1.2, 2.4, 2 * n), rng.uniform(0.35, 0.85, 2 * n)),
    })
    seg = core.make_segments(rng, samples, 45.0 * np.exp(rng.normal(0, 0.5, 2 * n)), events_mean=5.0,
                             marks_per_mb=2.0, focal=focal)
    cna = core.discrete_cna(ref, seg, ref.gene_set(panel), sorted(samples))

    sample = pd.DataFrame({
        "PATIENT_ID": pts[pidx_s], "SAMPLE_ID": samples, "SAMPLE_TYPE": "Primary",
        "TIMEPOINT": "baseline", "BIOPSY": np.r_[np.ones(n, int), np.full(n, 2)].astype(str),
        "TUMOR_SITE": "Breast", "CANCER_TYPE": BREAST, "ONCOTREE_CODE": "IDC",
        "TUMOR_PURITY": fmt(np.array([purity[s] for s in samples]), 2),
    }).sort_values("SAMPLE_ID", kind="mergesort").reset_index(drop=True)

    # planted: post-treatment FISH of the residual tumour at surgery, for every patient without pCR (a pCR
    # leaves no invasive cells to count): sample <patient>-POST, TIMEPOINT post_treatment, BIOPSY 1, FISH only
    # (not sequenced: NA in the gene panel matrix). Anti-HER2 therapy selects against amplified cells: the
    # amplified fraction is the patient's pooled baseline fraction x U(0.3, 0.7), so most homogeneous tumours
    # (>= 65 % amplified) become heterogeneous (< 50 %) and heterogeneous ones stay heterogeneous or fall to
    # <= 5 %. One residual tumour has 12-19 cells (too few for a call). Drawn after every baseline value, so
    # the baseline rows are unchanged.
    post = np.where(~pcr)[0]
    post_ids = np.array([p + "-POST" for p in pts[post]], dtype=object)
    f_pre = np.bincount(pidx_s, weights=k_amp) / np.bincount(pidx_s, weights=n_cells)
    f_post = f_pre[post] * rng.uniform(0.3, 0.7, post.size)
    n_cells_post = rng.integers(20, 61, post.size)
    n_cells_post[rng.integers(post.size)] = rng.integers(12, 20)
    k_post = np.round(f_post * n_cells_post).astype(np.int64)
    cells = pd.concat([cells] + [
        _li2024_fish_cells(rng, post_ids[j], 1, int(n_cells_post[j]), int(k_post[j])) for j in range(post.size)
    ], ignore_index=True).sort_values(["sample_id", "cell_id"], kind="mergesort").reset_index(drop=True)
    sample = pd.concat([sample, pd.DataFrame({
        "PATIENT_ID": pts[post], "SAMPLE_ID": post_ids, "SAMPLE_TYPE": "Primary", "TIMEPOINT": "post_treatment",
        "BIOPSY": "1", "TUMOR_SITE": "Breast", "CANCER_TYPE": BREAST, "ONCOTREE_CODE": "IDC", "TUMOR_PURITY": "NA",
    })], ignore_index=True).sort_values("SAMPLE_ID", kind="mergesort").reset_index(drop=True)

    rows = []
    for p in pts:
        for agent, t in [("Taxotere", "Chemotherapy"), ("Paraplatin", "Chemotherapy"),
                         ("Herceptin", "Targeted therapy"), ("Perjeta", "Targeted therapy")]:
            rows.append((p, 0, 126, "TREATMENT", t, agent))
    yml = {
        "study_id": sid, "assay_id": panel, "tmb_definition": "nonsyn_zhang2022_v1",
        "variant_filter_rule_set": "zhang2022_tissue", "cna_call_rule_set": "log2_default",
        "columns": {}, "values": {},
        "files": {"fish_cells": "data_fish_cells.txt"},
        "comparisons": [{
            "name": "heterogeneous_vs_homogeneous", "unit": "patient", "group_by": "HER2_HETEROGENEITY_DERIVED",
            "groups": {"heterogeneous": ["heterogeneous"], "homogeneous": ["homogeneous"]},
            "analyses": ["genes", "clinical", "response"],
        }],
    }
    out = _write_common(
        d, sid, "HER2 heterogeneity and neoadjuvant response, HER2-positive (demo, li2024-like)",
        "Simulated two-biopsy HER2-positive neoadjuvant cohort with per-cell FISH counts before and after treatment.",
        patient, sample, maf, seg, cna, (panel, PANEL_DESC[panel], ref.panels[panel]), _timeline(rows), yml)
    # the post-treatment samples were counted by FISH only: not profiled by the panel (cBioPortal's NA)
    profiled = np.where(sample["SAMPLE_ID"].isin(samples), panel, "NA")
    core.write_tsv(d / "data_gene_panel_matrix.txt",
                   pd.DataFrame({"SAMPLE_ID": sample["SAMPLE_ID"].to_numpy(), "mutations": profiled, "cna": profiled}))
    out.append(core.write_tsv(d / "data_fish_cells.txt", cells))
    return out


# --------------------------------------------------------------------------- entry points

BUILDERS: dict[str, Callable[[np.random.Generator, Reference, Path], list[Path]]] = {
    "demo_lim2021_wes": build_lim2021,
    "demo_paul2020_pairs": build_paul2020,
    "demo_yi2024_ctdna": build_yi2024,
    "demo_zhang2022_panel": build_zhang2022,
    "demo_li2024_fish": build_li2024,
}


def build_study(study_id: str, out_dir: Path, ref: Reference | None = None, seed: int = DEMO_SEED) -> list[Path]:
    ref = ref if ref is not None else core.load_reference()
    rng = np.random.default_rng([seed, STUDY_IDS.index(study_id)])
    d = Path(out_dir) / study_id
    if d.exists():
        for p in d.iterdir():
            if p.is_file():
                p.unlink()
    return BUILDERS[study_id](rng, ref, d)


def write_demo(out_dir: Path, reference_dir: Path | None = None, seed: int = DEMO_SEED) -> list[Path]:
    """Write the five demo study folders under ``out_dir``; returns the written files (sorted)."""
    ref = core.load_reference(reference_dir)
    out: list[Path] = []
    for s in STUDY_IDS:
        out += build_study(s, Path(out_dir), ref, seed)
    return sorted(out)
