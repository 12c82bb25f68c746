"""Benchmark cohorts of any size, in the same cBioPortal layout as the demo studies.

``write_benchmark(out_dir, n_samples, variants_per_sample, seed, assay)`` writes one study
folder with exactly ``n_samples * variants_per_sample`` MAF rows (one tumour sample per
patient), clinical patient/sample files, segments and (panel assays) a gene panel matrix.
Fully vectorised: 1,000,000 MAF rows over 10,000 samples take a few seconds.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import core

__all__ = ["ASSAYS", "benchmark_study_id", "write_benchmark", "write_benchmark_settings"]

ASSAYS = ("demo_wes_lim2021", "demo_panel_1021", "demo_panel_520")
# MAF rows generated and written at a time: about 8 GB of working memory; a cohort of at most this many rows is
# one piece, as it was before chunking (the same rows for the same seed)
MAF_CHUNK_ROWS = 10_000_000


def benchmark_study_id(n_samples: int, variants_per_sample: int, assay: str) -> str:
    return f"bench_{assay}_{n_samples}x{variants_per_sample}"


def write_benchmark(
    out_dir: Path,
    n_samples: int,
    variants_per_sample: int,
    seed: int = 1,
    assay: str = "demo_panel_520",
    reference_dir: Path | None = None,
) -> Path:
    """Write one benchmark study folder under ``out_dir`` and return its path."""
    if assay not in ASSAYS:
        raise ValueError(f"assay must be one of {ASSAYS}, got {assay!r}")
    if n_samples < 1 or variants_per_sample < 0:
        raise ValueError("n_samples must be >= 1 and variants_per_sample >= 0")
    ref = core.load_reference(reference_dir)
    rng = np.random.default_rng(seed)
    sid = benchmark_study_id(n_samples, variants_per_sample, assay)
    d = Path(out_dir) / sid
    d.mkdir(parents=True, exist_ok=True)
    width = max(6, len(str(n_samples)))
    pts = np.array([f"BEN-P{i:0{width}d}" for i in range(1, n_samples + 1)], dtype=object)
    tum = pts + "-T"
    panel = assay in ref.panels

    # ---- mutations: exactly n_samples * variants_per_sample rows, already in sort order, written MAF_CHUNK_ROWS at
    # a time (samples in order, so the chunks' rows stay sorted): a 30M-row cohort in one piece needed over 24 GB
    pool = ref.gene_set(assay)
    w = ref.genes["cds_bp"].to_numpy()[pool].astype(float)
    normal_of = None if panel else pd.Series(pts + "-N", index=tum)
    chunk_samples = max(1, MAF_CHUNK_ROWS // max(variants_per_sample, 1))
    for chunk, first in enumerate(range(0, n_samples, chunk_samples)):
        samples = tum[first:first + chunk_samples]
        n_rows = len(samples) * variants_per_sample
        s_idx = np.repeat(np.arange(len(samples)), variants_per_sample)
        g_idx = pool[rng.choice(len(pool), size=n_rows, p=w / w.sum())]
        vclass = core._choice(rng, core.FULL_MIX, n_rows)
        v = core.random_variants(rng, ref, s_idx, g_idx, vclass)
        depth_mean = 110 if not panel else 600
        purity = rng.uniform(0.3, 0.9, len(samples))[s_idx]
        vaf = np.clip(purity / 2 * np.where(rng.random(n_rows) < 0.75, 1.0, rng.uniform(0.15, 0.8, n_rows)), 0.03, 0.95)
        v = core.add_counts(rng, v, vaf, depth_mean, (20, 2000), 4, (40, 120) if not panel else None)
        chrom_rank = ref.genes["chrom"].map(core.CHROM_RANK).to_numpy()[v["gene_idx"].to_numpy()]
        order = np.lexsort((v["start"].to_numpy(), chrom_rank, s_idx))
        v = v.iloc[order].reset_index(drop=True)
        v["sample"] = samples[v["sample"].to_numpy()]
        maf = core.with_context(core.to_maf(ref, v, normal_of, center="oncoduck-bench", sort=False), seed + chunk)
        del v
        if chunk == 0:
            paths = [core.write_maf(d / "data_mutations.txt", maf)]
        else:
            core.write_tsv(d / "data_mutations.txt", maf, append=True)
        del maf

    # ---- clinical
    os_m = np.round(np.maximum(rng.exponential(30.0, n_samples), 0.3), 2)
    patient = pd.DataFrame({
        "PATIENT_ID": pts,
        "AGE": np.clip(rng.normal(55, 11, n_samples).round(), 22, 95).astype(np.int64).astype(str),
        "SEX": "Female",
        "HER2_IHC_SCORE": core._choice(rng, {"0": 0.35, "1+": 0.3, "2+": 0.2, "3+": 0.15}, n_samples),
        "OS_MONTHS": core.fmt(os_m, 2),
        "OS_STATUS": np.where(rng.random(n_samples) < 0.4, "1:DECEASED", "0:LIVING"),
    })
    sample = pd.DataFrame({
        "PATIENT_ID": pts, "SAMPLE_ID": tum,
        "SAMPLE_TYPE": core._choice(rng, {"Primary": 0.6, "Metastasis": 0.4}, n_samples),
        "CANCER_TYPE": "Breast Cancer", "ONCOTREE_CODE": "IDC",
    })
    paths.append(core.write_clinical(d / "data_clinical_patient.txt", patient))
    paths.append(core.write_clinical(d / "data_clinical_sample.txt", sample))

    # ---- segments
    seg = core.make_segments(rng, tum, 40.0 * np.exp(rng.normal(0, 0.6, n_samples)), events_mean=4.0,
                             marks_per_mb=20.0 if not panel else 2.0)
    paths.append(core.write_tsv(d / "data_cna_hg19.seg", core.format_segments(seg)))
    has = ["patient", "sample", "mutations", "seg"]

    # ---- panel
    if panel:
        mat = pd.DataFrame({"SAMPLE_ID": tum, "mutations": assay, "cna": "NA"})
        paths.append(core.write_tsv(d / "data_gene_panel_matrix.txt", mat))
        paths.append(core.write_gene_panel(d / f"data_gene_panel_{assay}.txt", assay,
                                           f"Demo gene panel {assay}.", ref.panels[assay]))
        has.append("panel_matrix")
    core.study_meta_files(d, sid, f"Benchmark cohort {sid}",
                          f"Simulated benchmark: {n_samples} samples x {variants_per_sample} variants ({assay}), seed {seed}.",
                          has)
    write_benchmark_settings(d, assay)
    return d


# What the benchmark comparison declares: maftools' mafCompare (Fisher per gene), and the analyses beyond the
# frequency families that scale with the samples and the mutated genes, so that the scale benchmarks build them.
BENCHMARK_ANALYSES = ["genes", "burden", "survival", "clinical", "interactions"]


def write_benchmark_settings(study_dir: Path, assay: str) -> Path:
    """(Re)write a benchmark study's oncoduck_study.yml (its study id is the folder's name). The settings do not
    depend on the data, so a cached cohort takes new ones without regenerating its files."""
    study_dir = Path(study_dir)
    return core.write_yaml(study_dir / "oncoduck_study.yml", {
        "study_id": study_dir.name, "assay_id": assay, "tmb_definition": "nonsyn_cbioportal_v1",
        "variant_filter_rule_set": {"demo_wes_lim2021": "lim2021_wes", "demo_panel_1021": "yi2024_ctdna"}.get(
            assay, "zhang2022_tissue"),
        "cna_call_rule_set": "log2_default", "columns": {}, "values": {},
        "comparisons": [{
            "name": "metastasis_vs_primary", "unit": "sample", "group_by": "SAMPLE_TYPE_CANONICAL",
            "groups": {"metastasis": ["metastasis"], "primary": ["primary"]},
            "analyses": BENCHMARK_ANALYSES,
        }],
    })
