-- Accepted gene-level copy number: one row per sample per gene per kind (discrete or continuous).
select
    study_id,
    source_file,
    source_row,
    source_column,
    cna_kind,
    sample_id,
    hugo_symbol,
    hugo_symbol_source,
    entrez_gene_id,
    value,
    discrete_call,
    discrete_call_rule
from {{ ref('stg_study__gene_cna_checked') }}
where reject_reason is null
