-- One row per accepted single-base substitution (reference and tumour allele one base each, A/C/G/T,
-- different), every variant class and filter verdict kept, with its sequence context and SBS96 channel.
-- Context: the MAF's own context column (CONTEXT / ref_context) when given, else the window read from
-- the study's reference_fasta (stg_study__reference_contexts). The middle base of the window must equal
-- the reference allele; otherwise the SNV stays out of the catalogue with context_status
-- 'context_mismatch' (listed by a warn-severity test). Channels are pyrimidine-normalised: a G or A
-- reference is read on the other strand (reverse complement of the trinucleotide), COSMIC names
-- 'A[C>T]G'. APOBEC columns follow maftools trinucleotideMatrix (Roberts et al. 2013): TCW motif
-- mutations = T[C>T]W and T[C>G]W (W = A or T) on either strand; background = C, G, TCW (TCA, TCT) and
-- WGA (TGA, AGA) counted over the window on the + strand.
with snvs as (
    select
        study_id,
        sample_id,
        variant_key,
        hugo_symbol,
        variant_class,
        filter_status,
        is_counted as is_counted_nonsynonymous,  -- PASS and counted by the study's mutated_definition
        reference_allele,
        tumor_allele,
        context as maf_context,
        source_file,
        source_row
    from {{ ref('int_variants_filtered') }}
    where reference_allele in ('A', 'C', 'G', 'T')
      and tumor_allele in ('A', 'C', 'G', 'T')
      and reference_allele <> tumor_allele
),

fasta as (
    select study_id, source_file, source_row, context, context_problem
    from {{ ref('stg_study__reference_contexts') }}
),

windows as (
    select
        snvs.*,
        coalesce(snvs.maf_context, fasta.context) as context_window,
        case
            when snvs.maf_context is not null then 'maf_column'
            when fasta.context is not null then 'reference_fasta'
        end as context_source,
        fasta.context_problem
    from snvs
    left join fasta
        on fasta.study_id = snvs.study_id and fasta.source_file = snvs.source_file
        and fasta.source_row = snvs.source_row
),

centred as (
    select
        windows.*,
        cast(length(context_window) as bigint) as window_length,
        cast((length(context_window) + 1) / 2 as integer) as centre
    from windows
),

bases as (
    select
        centred.*,
        substr(context_window, centre, 1) as context_reference_base,
        substr(context_window, centre - 1, 1) as plus_five_prime,
        substr(context_window, centre + 1, 1) as plus_three_prime
    from centred
),

statused as (
    select
        bases.*,
        case
            when context_window is null then 'no_context'
            when window_length < 3 or window_length % 2 = 0 then 'invalid_context'
            when context_reference_base <> reference_allele then 'context_mismatch'
            when plus_five_prime not in ('A', 'C', 'G', 'T') or plus_three_prime not in ('A', 'C', 'G', 'T')
                then 'ambiguous_context'
            else 'ok'
        end as context_status
    from bases
),

normalised as (
    select
        statused.*,
        reference_allele in ('C', 'T') as is_pyrimidine_reference,
        case when reference_allele in ('C', 'T') then reference_allele || '>' || tumor_allele
             else translate(reference_allele, 'ACGT', 'TGCA') || '>' || translate(tumor_allele, 'ACGT', 'TGCA')
        end as substitution_class
    from statused
)

select
    study_id,
    sample_id,
    variant_key,
    hugo_symbol,
    variant_class,
    filter_status,
    is_counted_nonsynonymous,
    reference_allele,
    tumor_allele,
    substitution_class,
    substitution_class in ('C>T', 'T>C') as is_transition,
    context_source,
    context_status,
    case
        when context_status = 'no_context' then coalesce(context_problem, 'no context column in the MAF and no reference_fasta declared')
        when context_status = 'invalid_context' then 'context of ' || window_length || ' bases has no middle base'
        when context_status = 'context_mismatch'
            then 'middle base of the context is ' || context_reference_base || ', Reference_Allele is ' || reference_allele
        when context_status = 'ambiguous_context' then 'a flanking base is not A, C, G or T'
    end as context_reason,
    window_length,
    case when context_status = 'ok' then
        case when is_pyrimidine_reference
             then plus_five_prime || '[' || substitution_class || ']' || plus_three_prime
             else translate(plus_three_prime, 'ACGT', 'TGCA') || '[' || substitution_class || ']'
                  || translate(plus_five_prime, 'ACGT', 'TGCA')
        end
    end as sbs96_channel,
    context_status = 'ok' and substitution_class in ('C>T', 'C>G') as is_apobec_class,
    context_status = 'ok' and (
        (reference_allele = 'C' and tumor_allele in ('T', 'G') and plus_five_prime = 'T' and plus_three_prime in ('A', 'T'))
        or (reference_allele = 'G' and tumor_allele in ('A', 'C') and plus_three_prime = 'A' and plus_five_prime in ('A', 'T'))
    ) as is_tcw_motif_mutation,
    case when context_status = 'ok' then cast(length(context_window) - length(replace(context_window, 'C', '')) as bigint) end as window_c,
    case when context_status = 'ok' then cast(length(context_window) - length(replace(context_window, 'G', '')) as bigint) end as window_g,
    case when context_status = 'ok' then {{ motif_count('context_window', ['TCA', 'TCT']) }} end as window_tcw,
    case when context_status = 'ok' then {{ motif_count('context_window', ['TGA', 'AGA']) }} end as window_wga,
    source_file,
    source_row
from normalised
