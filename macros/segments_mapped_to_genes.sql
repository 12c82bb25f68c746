{#- Copy-number calls of genes from a sample's segments, for every gene overlapping at least one of the sample's
    segments. The genes are every protein-coding gene of the study's reference genome: seed genes_hg19 or
    genes_hg38 (GENCODE, built by oncoduck.reference.gencode), matched on int_segments_called.reference_genome
    (macro gene_exonic_spans). `segments`: rows of int_segments_called (a relation or a CTE name).
    Two named rules read these calls:
      entire_exonic_span (lim2021): the gene is called only when its whole exonic span
        (exonic_start..exonic_end of the build's seed) lies inside ONE segment; it takes that segment's call.
        A gene straddling a breakpoint gets cna_call 'not_contained' (no call).
      any_overlap: the gene takes the most extreme call among all segments it overlaps
        (amplification/deep_deletion over gain/loss over neutral; ties by larger |seg.mean|, then the
        earlier segment).
    A gene inside one segment takes that segment's call under both rules, so the calls are one row per sample x
    gene, not per rule: is_contained says whether the entire_exonic_span rule calls it (else not_contained), and
    the call columns hold the any_overlap call (model int_segments_mapped_to_genes spells the two rules out).
    Rows: the genes inside a segment that is not neutral, and every gene a segment boundary straddles (its
    any_overlap call may be neutral); a gene inside a neutral segment has no row.
    Segments of a study whose reference_genome has no gene seed (neither hg19 nor hg38) are not mapped (no
    rows), rather than mapped to the wrong genes. Staging rejects overlapping segments of one sample, so a
    gene contained in a segment overlaps no other segment: n_segments = 1 without grouping. A gene no segment
    contains overlaps each of its segments at a segment boundary inside the gene (a start after the gene's
    first base or an end before its last); only those (sample, gene) pairs are grouped and ranked.
    contained_only=true: instead, only the genes inside one segment, neutral ones included, as
    entire_exonic_span rows (int_pair_cna_call_counts counts the calls of paired samples from them).
    The straddled genes are found from the segment boundaries, binned (bins as long as the longest gene, so
    a boundary is compared with the genes of its bin only), instead of comparing every segment with every
    gene of its chromosome. -#}
{% macro segments_mapped_to_genes(segments, contained_only=false) -%}
with segments as {{ not_materialized() }} (
    select * from {{ segments }}
),

genes as {{ not_materialized() }} (
    {{ gene_exonic_spans() }}
),

contained as (
    -- genes whose whole exonic span lies inside one segment: that segment's call under both rules
    select
        segments.study_id,
        segments.sample_id,
        genes.hugo_symbol,
        genes.cytoband,
        segments.seg_mean,
        segments.cna_call,
        segments.cna_direction,
        segments.cna_call_rule_set
    from segments
    inner join genes
        on genes.reference_genome = segments.reference_genome
        and genes.chromosome = segments.chromosome
        and genes.exonic_start >= segments.start_position
        and genes.exonic_end <= segments.end_position
    {%- if not contained_only %}
    where segments.cna_call <> 'neutral'
    {%- endif %}
)
{%- if contained_only %}

select study_id, sample_id, hugo_symbol, 'entire_exonic_span' as gene_mapping_rule, cytoband,
    cast(1 as bigint) as n_segments, seg_mean, cna_call, cna_direction, cna_call_rule_set
from contained
{%- else %},

bin_size as (
    -- bins no gene's exonic span is longer than, so a gene touches only the bins of its first and last base
    select max(exonic_end - exonic_start) + 1 as bp from genes
),

gene_bins as (
    select genes.*, cast(floor(genes.exonic_start / bin_size.bp) as bigint) as bin
    from genes cross join bin_size
    union
    select genes.*, cast(floor(genes.exonic_end / bin_size.bp) as bigint) as bin
    from genes cross join bin_size
),

boundaries as (
    -- the first base of each segment and the base after its last: a gene holding one of them after its own
    -- first base is not inside that segment
    select study_id, sample_id, reference_genome, chromosome, start_position as boundary from segments
    union all
    select study_id, sample_id, reference_genome, chromosome, end_position + 1 as boundary from segments
),

straddled_genes as (
    select distinct
        boundaries.study_id,
        boundaries.sample_id,
        gene_bins.reference_genome,
        gene_bins.chromosome,
        gene_bins.hugo_symbol,
        gene_bins.cytoband,
        gene_bins.exonic_start,
        gene_bins.exonic_end
    from boundaries
    cross join bin_size
    inner join gene_bins
        on gene_bins.reference_genome = boundaries.reference_genome
        and gene_bins.chromosome = boundaries.chromosome
        and gene_bins.bin = cast(floor(boundaries.boundary / bin_size.bp) as bigint)
        and gene_bins.exonic_start < boundaries.boundary
        and gene_bins.exonic_end >= boundaries.boundary
),

straddling_ranked as (
    -- every segment of the sample that overlaps a straddled gene
    select
        segments.study_id,
        segments.sample_id,
        straddled_genes.hugo_symbol,
        straddled_genes.cytoband,
        segments.seg_mean,
        segments.cna_call,
        segments.cna_direction,
        segments.cna_call_rule_set,
        count(*) over (
            partition by segments.study_id, segments.sample_id, straddled_genes.hugo_symbol
        ) as n_segments,
        row_number() over (
            partition by segments.study_id, segments.sample_id, straddled_genes.hugo_symbol
            order by
                case segments.cna_call when 'amplification' then 1 when 'deep_deletion' then 1
                    when 'gain' then 2 when 'loss' then 2 else 3 end,
                abs(segments.seg_mean) desc,
                segments.start_position
        ) as extremity_rank
    from straddled_genes
    inner join segments
        on segments.study_id = straddled_genes.study_id
        and segments.sample_id = straddled_genes.sample_id
        and segments.reference_genome = straddled_genes.reference_genome
        and segments.chromosome = straddled_genes.chromosome
        and segments.start_position <= straddled_genes.exonic_end
        and segments.end_position >= straddled_genes.exonic_start
),

mapped as (
    select study_id, sample_id, hugo_symbol, cytoband, true as is_contained, 1 as n_segments, seg_mean, cna_call,
        cna_direction, cna_call_rule_set
    from contained
    union all
    select study_id, sample_id, hugo_symbol, cytoband, false as is_contained, n_segments, seg_mean, cna_call,
        cna_direction, cna_call_rule_set
    from straddling_ranked
    where extremity_rank = 1
)

select study_id, sample_id, hugo_symbol, cytoband, is_contained, cast(n_segments as bigint) as n_segments,
    seg_mean, cna_call, cna_direction, cna_call_rule_set
from mapped
{%- endif %}
{%- endmacro %}


{#- The exonic span of every protein-coding gene of each build with a gene seed: one row per reference_genome
    (hg19, hg38) x gene, from seeds genes_hg19 and genes_hg38 (oncoduck.reference.gencode). The genes a
    segment of a study can call are the rows of the study's reference_genome. -#}
{% macro gene_exonic_spans() -%}
    select 'hg19' as reference_genome, gene as hugo_symbol, chrom as chromosome,
        cast(exonic_start as bigint) as exonic_start, cast(exonic_end as bigint) as exonic_end, cytoband
    from {{ ref('genes_hg19') }}
    union all
    select 'hg38' as reference_genome, gene as hugo_symbol, chrom as chromosome,
        cast(exonic_start as bigint) as exonic_start, cast(exonic_end as bigint) as exonic_end, cytoband
    from {{ ref('genes_hg38') }}
{%- endmacro %}
