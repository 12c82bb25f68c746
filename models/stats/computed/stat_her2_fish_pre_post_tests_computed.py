"""HER2 FISH before vs after treatment (li2024), per study: Wilcoxon signed-rank (R wilcox.test(post, pre,
paired = TRUE)) on the amplified fraction and on Shannon equitability, and McNemar (R mcnemar.test,
continuity correction) on the heterogeneous status, over the evaluable pairs of
fct_her2_fish_pre_post_treatment. One row per test (oncoduck.stats.paired.fish_pre_post_tests).
Computed here in Python; stats.stat_her2_fish_pre_post_tests (SQL) types it under a contract."""
from oncoduck.stats.paired import FISH_PRE_POST_INPUT_COLUMNS, fish_pre_post_tests


def model(dbt, session):
    dbt.config(materialized="table")
    return fish_pre_post_tests(dbt.ref("fct_her2_fish_pre_post_treatment").project(
        ", ".join(FISH_PRE_POST_INPUT_COLUMNS)).df())
