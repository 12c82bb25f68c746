"""R-exact statistics for oncoduck (see each module's docstring for the R function matched).

The names below are importable from the package (``from oncoduck.stats import fisher_2x2``) but are
loaded on first use: a dbt Python model that needs only Fisher's test does not pay for importing
statsmodels (about 0.3 s) at build time.
"""
import importlib

_SUBMODULE_OF = {
    "chisq_test": "contingency", "fisher_freeman_halton": "contingency", "kruskal": "contingency",
    "mcnemar": "contingency", "pearson": "contingency", "spearman": "contingency",
    "compare_groups_binary": "enrichment",
    "fisher_2x2": "fisher", "fisher_2x2_many": "fisher",
    "interaction_tests": "interactions", "somatic_interactions": "interactions",
    "logistic_regression": "logistic",
    "bh_adjust": "multiple",
    "cox_model": "models", "linear_model": "models", "logistic_model": "models",
    "cox": "survival", "kaplan_meier": "survival", "km_median": "survival", "logrank": "survival",
    "survival_screen": "survival",
    "wilcoxon_rank_sum": "wilcoxon", "wilcoxon_signed_rank": "wilcoxon",
}

__all__ = sorted(_SUBMODULE_OF)


def __getattr__(name: str):
    if name in _SUBMODULE_OF:
        return getattr(importlib.import_module(f".{_SUBMODULE_OF[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
