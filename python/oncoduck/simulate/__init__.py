"""Deterministic demo and benchmark cohort simulator (cBioPortal study folders).

* :func:`write_demo` -- the five committed demo studies under seeds/demo_studies/
* :func:`write_benchmark` -- one benchmark study of any size
"""
from .benchmark import benchmark_study_id, write_benchmark
from .demo import DEMO_SEED, STUDY_IDS, write_demo

__all__ = ["DEMO_SEED", "STUDY_IDS", "benchmark_study_id", "write_benchmark", "write_demo"]
