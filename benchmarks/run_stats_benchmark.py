"""Benchmark: the enrichment statistics for 20,000 genes x 3 pairwise comparisons on 10,000 samples.

    python benchmarks/run_stats_benchmark.py [--genes 20000] [--samples 10000] [--record]

Builds the frequency table the stats layer receives (per gene and group: members profiled and altered;
three groups of 10,000 samples in all, so three pairwise comparisons per gene), with alteration
frequencies drawn from a breast-cancer-like long tail, and times oncoduck.stats.declared.enrichment
(Fisher with conditional-MLE OR and CI for every gene and pair, omnibus test per gene, BH per family).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]


def frequency_table(n_genes: int, n_samples: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sizes = np.array([n_samples // 3, n_samples // 3, n_samples - 2 * (n_samples // 3)])
    base = np.clip(rng.pareto(1.5, n_genes) * 0.002, 0, 0.6)  # long tail: few frequent genes
    rows = []
    for order, (label, size) in enumerate(zip(["g1", "g2", "g3"], sizes), start=1):
        shift = rng.lognormal(0, 0.3, n_genes)
        rows.append(pd.DataFrame({
            "study_id": "bench", "comparison": "three_groups", "group_label": label, "group_order": order,
            "feature_level": "gene", "feature": [f"GENE{i:05d}" for i in range(n_genes)], "alteration_type": "mutation",
            "n_profiled": size, "n_altered": rng.binomial(size, np.clip(base * shift, 0, 0.9)),
        }))
    return pd.concat(rows, ignore_index=True)


def main() -> None:
    from oncoduck.stats.declared import enrichment

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--genes", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--record", action="store_true")
    ns = parser.parse_args()
    table = frequency_table(ns.genes, ns.samples)
    comparisons = pd.DataFrame({"study_id": ["bench"], "comparison": ["three_groups"], "alternative": ["two.sided"]})
    start = time.perf_counter()
    result = enrichment(table, comparisons)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n_pairwise = int((result["test"] == "pairwise").sum())
    print(f"{n_pairwise} pairwise Fisher tests + {int((result['test'] == 'omnibus').sum())} omnibus tests in {wall:.2f} s, "
          f"peak RSS {peak:.0f} MiB")
    if ns.record:
        import scipy

        with open(REPO / "benchmarks" / "RESULTS.md", "a") as out:
            out.write(f"| {dt.date.today()} | stats: enrichment (Fisher + CI + omnibus + BH) | {ns.genes:,} genes x 3 pairs, "
                      f"{ns.samples:,} samples ({n_pairwise:,} pairwise tests) | {wall:.2f} s | {peak:.0f} MiB (process) | - | "
                      f"{os.cpu_count()} cores, {platform.python_version()}, scipy {scipy.__version__} | "
                      f"`python benchmarks/run_stats_benchmark.py --genes {ns.genes} --samples {ns.samples}` |\n")


if __name__ == "__main__":
    main()
