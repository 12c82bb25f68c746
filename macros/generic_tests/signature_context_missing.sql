{#- Studies that declare `signatures` but none of whose SNVs has a usable context (no MAF context column and
    no reference_fasta): signatures are skipped for them. Use with severity warn: a finding, not an error. -#}
{% test signature_context_missing(model) %}
select settings.study_id, 'signatures declared but no SNV has a sequence context: no context column in the MAF and no reference_fasta; signatures skipped' as finding
from (select distinct study_id from {{ ref('stg_study__analysis_settings') }} where analysis = 'signatures') as settings
where not exists (
    select 1 from {{ model }} as snvs where snvs.study_id = settings.study_id and snvs.context_status = 'ok'
)
{% endtest %}
