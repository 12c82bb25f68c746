-- stat_survival_tests under a contract: the result computed by stat_survival_tests_computed (Python), typed for BI tools.
select
    cast(study_id as varchar) as study_id,
    cast(comparison as varchar) as comparison,
    cast(endpoint as varchar) as endpoint,
    cast(test as varchar) as test,
    cast(group_label as varchar) as group_label,
    cast(reference_group as varchar) as reference_group,
    cast(n as bigint) as n,
    cast(n_events as bigint) as n_events,
    cast(estimate as double) as estimate,
    cast(ci_low as double) as ci_low,
    cast(ci_high as double) as ci_high,
    cast(statistic as double) as statistic,
    cast(df as bigint) as df,
    cast(p_value as double) as p_value,
    cast(method as varchar) as method,
    cast(reason as varchar) as reason
from {{ ref('stat_survival_tests_computed') }}
