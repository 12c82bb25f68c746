-- One row per sample per gene per kind of gene-level copy number given by the study:
-- discrete (GISTIC-style -2..2) or continuous (log2).
select
    study_id,
    sample_id,
    hugo_symbol,
    hugo_symbol_source,
    cna_kind,
    value,
    discrete_call,
    discrete_call_rule,
    source_file,
    source_row
from {{ ref('stg_study__gene_cna') }}
