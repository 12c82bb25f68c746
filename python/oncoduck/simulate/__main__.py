"""``python -m oncoduck.simulate --demo`` / ``--samples N --variants-per-sample K``."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from oncoduck.paths import DEMO_STUDIES_DIR

from .benchmark import ASSAYS, write_benchmark
from .demo import DEMO_SEED, write_demo


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m oncoduck.simulate", description=__doc__)
    ap.add_argument("--demo", action="store_true", help="regenerate the committed demo studies")
    ap.add_argument("--out", type=Path, default=None,
                    help="output folder (default: seeds/demo_studies for --demo, benchmarks/work otherwise)")
    ap.add_argument("--samples", type=int, default=None, help="benchmark: number of samples")
    ap.add_argument("--variants-per-sample", type=int, default=100, help="benchmark: MAF rows per sample")
    ap.add_argument("--seed", type=int, default=None, help=f"seed (demo default {DEMO_SEED}, benchmark 1)")
    ap.add_argument("--assay", choices=ASSAYS, default="demo_panel_520", help="benchmark assay")
    args = ap.parse_args(argv)
    if args.demo == (args.samples is not None):
        ap.error("give exactly one of --demo or --samples")
    t0 = time.perf_counter()
    if args.demo:
        out = args.out or DEMO_STUDIES_DIR
        paths = write_demo(out, seed=args.seed if args.seed is not None else DEMO_SEED)
        print(f"wrote {len(paths)} files under {out} in {time.perf_counter() - t0:.1f} s")
    else:
        out = args.out or DEMO_STUDIES_DIR.parents[1] / "benchmarks" / "work"
        d = write_benchmark(out, args.samples, args.variants_per_sample,
                            seed=args.seed if args.seed is not None else 1, assay=args.assay)
        print(f"wrote {d} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
