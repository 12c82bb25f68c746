-- stat_survival_curves under a contract: the result computed by stat_survival_curves_computed (Python), typed for BI tools.
select
    cast(study_id as varchar) as study_id,
    cast(comparison as varchar) as comparison,
    cast(endpoint as varchar) as endpoint,
    cast(group_label as varchar) as group_label,
    cast("time" as double) as "time",
    cast(n_risk as bigint) as n_risk,
    cast(n_event as bigint) as n_event,
    cast(n_censor as bigint) as n_censor,
    cast(surv as double) as surv,
    cast(std_err as double) as std_err,
    cast("lower" as double) as "lower",
    cast("upper" as double) as "upper"
from {{ ref('stat_survival_curves_computed') }}
