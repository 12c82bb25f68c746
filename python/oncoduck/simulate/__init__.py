"""Deterministic demo and benchmark cohort simulator (cBioPortal study folders).

* :func:`write_demo` -- the five committed demo studies under seeds/demo_studies/
* :func:`write_benchmark` -- one benchmark study of any size
* :func:`write_benchmark_settings` -- (re)write a benchmark study's oncoduck_study.yml
"""
from .benchmark import benchmark_study_id, write_benchmark, write_benchmark_settings
from .demo import DEMO_SEED, STUDY_IDS, write_demo

__all__ = ["DEMO_SEED", "STUDY_IDS", "benchmark_study_id", "write_benchmark", "write_benchmark_settings", "write_demo"]
