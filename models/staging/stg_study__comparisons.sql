-- One row per group of each comparison declared in oncoduck_study.yml (comparisons:), as landed and checked by
-- python/oncoduck/ingest: the staging face of landing_comparisons, which every model above reads instead of the
-- landing table.
select
    study_id,
    source_file,
    comparison,
    unit,
    sample_types,
    timepoints,
    case_lists,
    group_by,
    group_by_kind,
    group_order,
    group_label,
    group_values,
    group_samples,
    n_groups,
    alternative,
    analyses,
    reference_group,
    reference_declared,
    covariates,
    reference_levels,
    stratify_by,
    outcome,
    studies
from {{ ref('landing_comparisons') }}
