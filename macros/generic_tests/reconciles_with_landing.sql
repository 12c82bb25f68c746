{#- Nothing is dropped silently: per source file, landed rows = accepted rows + rejected rows.
    `model` is the accepted staging model, `rejects` a model whose rows with a reject_reason are the rejected ones
    (a *_checked model, or a *_rejects one); fails with the files whose counts do not add up. -#}
{% test reconciles_with_landing(model, landing, rejects, landing_filter='true') %}
with landed as (
    select source_file, count(*) as n from {{ landing }} where {{ landing_filter }} group by source_file
),
accepted as (
    select source_file, count(*) as n from {{ model }} group by source_file
),
rejected as (
    select source_file, count(*) as n from {{ rejects }} where reject_reason is not null group by source_file
)
select
    landed.source_file,
    landed.n as n_landed,
    coalesce(accepted.n, 0) as n_accepted,
    coalesce(rejected.n, 0) as n_rejected
from landed
left join accepted on accepted.source_file = landed.source_file
left join rejected on rejected.source_file = landed.source_file
where landed.n <> coalesce(accepted.n, 0) + coalesce(rejected.n, 0)
{% endtest %}
