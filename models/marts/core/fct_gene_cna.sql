-- One row per sample per gene per kind of gene-level copy number given by the study:
-- discrete (GISTIC-style -2..2) or continuous (log2).
select
    study_id,
    sample_id,
    hugo_symbol,
    hugo_symbol_source,
    cna_kind,
    value,
    case when cna_kind = 'discrete' then
        case cast(value as integer)
            when -2 then 'deep_deletion'
            when -1 then 'shallow_deletion'
            when 0 then 'neutral'
            when 1 then 'gain'
            when 2 then 'amplification'
        end
    end as discrete_call,
    source_file,
    source_row
from {{ ref('stg_study__gene_cna') }}
