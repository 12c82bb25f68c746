-- One row per single-base MAF row of a study that declares reference_fasta: the 41-base reference
-- window read from that FASTA (reference base in the middle), or why there is none.
select
    study_id,
    source_file,
    cast(source_row as bigint) as source_row,
    reference_fasta,
    fasta_contig,
    upper(context) as context,
    context_problem
from {{ ref('landing_reference_contexts') }}
