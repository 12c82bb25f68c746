-- One row per distinct somatic variant per sample (the grain of stg_study__mutations / fct_variant),
-- with its canonical MAF class, parsed protein change, hotspot and domain flags.
-- Class lookup (consequence_vocabulary, case-insensitive), first hit wins:
--   1. Variant_Classification as a MAF class (vocabulary 'maf');
--   2. the first term of the VEP/SnpEff consequence string (VEP writes the most severe term first;
--      the string is cut at ',' then '&'), as an SO or SnpEff term;
--   3. Variant_Classification as an SO or SnpEff term (files that put VEP terms there).
-- SO terms whose class depends on the allele (frameshift_variant, protein_altering_variant) take
-- variant_classification_ins for insertions (Variant_Type INS or reference allele '-').
-- Anything else (e.g. 'ITD') is 'unclassified': kept, never counted as nonsynonymous, and listed by
-- a warn-severity test.
-- Before anything is classified, each MAF file's NCBI_Build is checked against the study's reference_genome:
-- a mismatch stops the build here (fail_build, the one way a model stops a build), naming file and builds
-- (variants placed on the wrong coordinates would silently corrupt hotspot, domain and copy-number joins).
-- NCBI_Build spellings: 37 / GRCh37 / hg19 / b37 ->
-- hg19; 38 / GRCh38 / hg38 -> hg38; empty or other -> not checked.
with build_mismatches as (
    select
        {{ sorted_listagg(
            "files.source_file || ': NCBI_Build ' || files.ncbi_build || ', study reference_genome ' || files.reference_genome",
            "'; '") }} as message
    from (
        select distinct mutations.source_file, mutations.ncbi_build, studies.reference_genome
        from {{ ref('stg_study__mutations') }} as mutations
        inner join {{ ref('stg_study__studies') }} as studies on studies.study_id = mutations.study_id
        where case
                when lower(trim(mutations.ncbi_build)) in ('37', 'grch37', 'hg19', 'grch37-lite', 'b37') then 'hg19'
                when lower(trim(mutations.ncbi_build)) in ('38', 'grch38', 'hg38') then 'hg38'
            end <> studies.reference_genome
    ) as files
),

build_check as (
    -- one row; evaluating `stop` stops the build when any file's build differs from its study's
    select case when message is not null then {{ fail_build(
        "'Genome build mismatch: ' || message || '. Set reference_genome in oncoduck_study.yml or meta_study.txt '"
        " || 'to the build of the file, or lift the file over.'") }} end as stop
    from build_mismatches
),

mutations as (
    select stg.*
    from {{ ref('stg_study__mutations') }} as stg
    cross join build_check
    where build_check.stop is null
),

vocabulary as (
    select
        vocabulary,
        lower(term) as term_key,
        variant_classification,
        variant_classification_ins,
        is_coding
    from {{ ref('consequence_vocabulary') }}
),

maf_terms as (
    select * from vocabulary where vocabulary = 'maf'
),

so_terms as (
    -- SO and SnpEff share most terms and agree on their class; prefer the VEP (so) row when both list it
    select * from vocabulary where vocabulary = 'so'
    union all
    select snpeff.* from vocabulary as snpeff
    where snpeff.vocabulary = 'snpeff'
      and not exists (select 1 from vocabulary as so where so.vocabulary = 'so' and so.term_key = snpeff.term_key)
),

amino_acids as (
    -- three-letter -> one-letter amino-acid codes (HGVS), for HGVSp such as p.Glu545Lys
    select three_letter, one_letter from (values
        ('Ala', 'A'), ('Arg', 'R'), ('Asn', 'N'), ('Asp', 'D'), ('Cys', 'C'), ('Gln', 'Q'), ('Glu', 'E'),
        ('Gly', 'G'), ('His', 'H'), ('Ile', 'I'), ('Leu', 'L'), ('Lys', 'K'), ('Met', 'M'), ('Phe', 'F'),
        ('Pro', 'P'), ('Ser', 'S'), ('Thr', 'T'), ('Trp', 'W'), ('Tyr', 'Y'), ('Val', 'V'), ('Sec', 'U'),
        ('Pyl', 'O'), ('Ter', '*'), ('Xaa', 'X')
    ) as codes (three_letter, one_letter)
),

hotspots as (
    select upper(gene) as gene, protein_position, min(residue) as residue
    from {{ ref('int_hotspot_residues') }}
    group by upper(gene), protein_position
),

domains as (
    select upper(gene) as gene, domain_id, aa_start, aa_end from {{ ref('protein_domains') }}
),

domain_breakpoints as (
    -- domains overlap (TP53 has three definitions): cut each gene's residues at every domain start and
    -- end + 1 into disjoint intervals, each listing the domains covering it, so that one range join
    -- per variant finds all its domains (no aggregation over variants)
    select gene, aa_start as breakpoint from domains
    union
    select gene, aa_end + 1 as breakpoint from domains
),

domain_intervals as (
    select gene, breakpoint as interval_start, interval_end
    from (
        select gene, breakpoint, lead(breakpoint) over (partition by gene order by breakpoint) - 1 as interval_end
        from domain_breakpoints
    ) as cut
    where interval_end is not null
),

domain_lists as (
    select
        domain_intervals.gene,
        domain_intervals.interval_start,
        domain_intervals.interval_end,
        {{ sorted_listagg('domains.domain_id', "';'") }} as protein_domains
    from domain_intervals
    inner join domains
        on domains.gene = domain_intervals.gene
        and domains.aa_start <= domain_intervals.interval_start
        and domains.aa_end >= domain_intervals.interval_end
    group by domain_intervals.gene, domain_intervals.interval_start, domain_intervals.interval_end
),

keyed as (
    select
        mutations.*,
        lower(trim(mutations.variant_classification)) as classification_key,
        lower(trim({{ split_part_at(split_part_at('mutations.consequence', "','", 1), "'&'", 1) }})) as consequence_key,
        (upper(mutations.variant_type) = 'INS' or mutations.reference_allele = '-') as is_insertion,
        -- protein change, one-letter form: HGVSp_Short, else Protein_Change / amino_acid_change, without 'p.'
        {{ regexp_group('coalesce(mutations.hgvsp_short, mutations.protein_change)', '^(p\\.)?([A-Z*][0-9]+.*)$', 2) }} as short_change,
        -- HGVSp (three-letter) only when there is no one-letter form
        case when mutations.hgvsp_short is null and mutations.protein_change is null then
            {{ regexp_group('mutations.hgvsp', '^(p\\.)?\\(?([A-Z][a-z]{2}[0-9]+.*?)\\)?$', 2) }}
        end as long_change
    from mutations
),

classified as (
    select
        keyed.*,
        case
            when maf_terms.term_key is not null then 'variant_classification'
            when consequence_terms.term_key is not null then 'consequence'
            when so_classification.term_key is not null then 'variant_classification_so'
            else 'none'
        end as class_source,
        coalesce(
            maf_terms.variant_classification,
            case when keyed.is_insertion then consequence_terms.variant_classification_ins else consequence_terms.variant_classification end,
            case when keyed.is_insertion then so_classification.variant_classification_ins else so_classification.variant_classification end,
            'unclassified'
        ) as variant_class,
        coalesce(maf_terms.is_coding, consequence_terms.is_coding, so_classification.is_coding, false) as is_coding
    from keyed
    left join maf_terms on maf_terms.term_key = keyed.classification_key
    left join so_terms as consequence_terms on consequence_terms.term_key = keyed.consequence_key
    left join so_terms as so_classification on so_classification.term_key = keyed.classification_key
),

parsed as (
    select
        classified.*,
        try_cast(coalesce(
            {{ regexp_group('short_change', '^[A-Z*]([0-9]+)', 1) }},
            {{ regexp_group('long_change', '^[A-Z][a-z]{2}([0-9]+)', 1) }}
        ) as bigint) as protein_position,
        -- short_change starts with the reference residue by construction
        coalesce(substr(short_change, 1, 1), long_reference.one_letter) as reference_aa,
        coalesce(
            -- simple substitutions only (E545K, R248*, p.Glu545Lys, p.Arg248Ter); '=' = synonymous
            {{ regexp_group('short_change', '^[A-Z*][0-9]+([A-Z*])$', 1) }},
            case when {{ regexp_like('short_change', '^[A-Z*][0-9]+=$') }} then substr(short_change, 1, 1) end,
            long_alternative.one_letter,
            case when {{ regexp_like('long_change', '^[A-Z][a-z]{2}[0-9]+=$') }} then long_reference.one_letter end
        ) as alternative_aa
    from classified
    left join amino_acids as long_reference
        on long_reference.three_letter = {{ regexp_group('classified.long_change', '^([A-Z][a-z]{2})[0-9]+', 1) }}
    left join amino_acids as long_alternative
        on long_alternative.three_letter = {{ regexp_group('classified.long_change', '^[A-Z][a-z]{2}[0-9]+([A-Z][a-z]{2})$', 1) }}
),

flagged as (
    -- a hotspot mutation changes the hotspot residue: a synonymous change there (class Silent, or a protein
    -- change keeping the residue, p.R175= / p.Arg175= / R175R, whatever class the annotator gave it: vcf2maf
    -- calls one at an exon edge Splice_Region) is not one (issue 19); hotspot_residue still names the residue
    select
        parsed.*,
        hotspots.residue as hotspot_residue,
        (hotspots.residue is not null
            and parsed.variant_class <> 'Silent'
            and not coalesce(parsed.alternative_aa = parsed.reference_aa, false)) as is_hotspot
    from parsed
    left join hotspots
        on hotspots.gene = upper(parsed.hugo_symbol) and hotspots.protein_position = parsed.protein_position
)

select
    flagged.study_id,
    flagged.sample_id,
    {{ variant_key('flagged') }} as variant_key,
    flagged.hugo_symbol,
    flagged.chromosome,
    flagged.start_position,
    flagged.end_position,
    flagged.reference_allele,
    flagged.tumor_allele,
    flagged.variant_type,
    flagged.variant_classification as variant_classification_given,
    flagged.consequence as consequence_given,
    flagged.variant_class,
    flagged.class_source,
    flagged.is_coding,
    coalesce(flagged.hgvsp_short, flagged.protein_change, flagged.hgvsp) as protein_change_given,
    flagged.protein_position,
    flagged.reference_aa,
    flagged.alternative_aa,
    flagged.is_hotspot,
    flagged.hotspot_residue,
    domain_lists.protein_domains,
    coalesce({{ in_delimited_list('domain_lists.protein_domains', "'tp53_dbd'") }}, false) as in_tp53_dna_binding_domain,
    coalesce({{ in_delimited_list('domain_lists.protein_domains', "'erbb2_kinase'") }}, false) as in_erbb2_kinase_domain,
    coalesce({{ in_delimited_list('domain_lists.protein_domains', "'pik3ca_helical'") }}
             or {{ in_delimited_list('domain_lists.protein_domains', "'pik3ca_kinase'") }}, false)
        as in_pik3ca_helical_or_kinase_domain,
    flagged.t_depth,
    flagged.t_alt_count,
    flagged.tumor_vaf,
    flagged.n_depth,
    flagged.n_alt_count,
    flagged.normal_vaf,
    flagged.normal_sample_id,
    flagged.filter,
    flagged.population_af,
    flagged.context,
    flagged.ncbi_build,
    -- the MAF's other columns as staging typed them, carried for fct_variant (which is this row plus its verdict)
    flagged.hugo_symbol_source,
    flagged.entrez_gene_id,
    flagged.aliquot_barcode,
    flagged.hgvsc,
    flagged.hgvsp,
    flagged.hgvsp_short,
    flagged.protein_change,
    flagged.transcript_id,
    flagged.t_ref_count,
    flagged.n_ref_count,
    flagged.tumor_vaf_source,
    flagged.source_file,
    flagged.source_row
from flagged
left join domain_lists
    on domain_lists.gene = upper(flagged.hugo_symbol)
    and flagged.protein_position between domain_lists.interval_start and domain_lists.interval_end
