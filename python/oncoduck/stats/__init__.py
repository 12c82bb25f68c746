"""R-exact statistics for oncoduck (see each module's docstring for the R function matched)."""
from .contingency import chisq_test, fisher_freeman_halton, kruskal, mcnemar, pearson, spearman
from .enrichment import compare_groups_binary
from .fisher import fisher_2x2, fisher_2x2_many
from .interactions import interaction_tests, somatic_interactions
from .logistic import logistic_regression
from .multiple import bh_adjust
from .survival import cox, kaplan_meier, km_median, logrank, survival_screen
from .wilcoxon import wilcoxon_rank_sum, wilcoxon_signed_rank

__all__ = [
    "bh_adjust", "chisq_test", "compare_groups_binary", "cox", "fisher_2x2", "fisher_2x2_many",
    "fisher_freeman_halton", "interaction_tests", "kaplan_meier", "km_median", "kruskal", "logistic_regression",
    "logrank", "mcnemar", "pearson", "somatic_interactions", "spearman", "survival_screen",
    "wilcoxon_rank_sum", "wilcoxon_signed_rank",
]
