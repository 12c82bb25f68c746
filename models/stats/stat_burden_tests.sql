-- stat_burden_tests under a contract: the result computed by stat_burden_tests_computed (Python), typed for BI tools.
select
    cast(study_id as varchar) as study_id,
    cast(comparison as varchar) as comparison,
    cast(measure as varchar) as measure,
    cast(test as varchar) as test,
    cast(group1 as varchar) as group1,
    cast(group2 as varchar) as group2,
    cast(n1 as bigint) as n1,
    cast(n2 as bigint) as n2,
    cast(median1 as double) as median1,
    cast(median2 as double) as median2,
    cast(statistic as double) as statistic,
    cast(p_value as double) as p_value,
    cast(q_value as double) as q_value,
    cast(bh_family as varchar) as bh_family,
    cast(alternative as varchar) as alternative,
    cast(method as varchar) as method,
    cast(reason as varchar) as reason
from {{ ref('stat_burden_tests_computed') }}
