-- One row per hotspot residue (gene, protein position): the curated seed (seeds/reference/hotspots.csv)
-- plus, optionally, a full hotspot table supplied by the user. To use cancerhotspots.org v2 as shipped
-- with maftools (headerless TSV: chrom, pos, ref, alt, gene, class, protein change 'C111Y', ...):
--   dbt build --vars '{hotspots_file: ../shared/data/maftools_extdata/cancerhotspots_v2_hg19.tsv.gz}'
-- Residues are taken from column 5 (gene) and the leading residue of column 7 (protein change).
-- Reading a file from SQL is engine-specific (DuckDB read_csv); the seed path is portable.
with seeded as (
    select
        upper(gene) as gene,
        residue,
        protein_position,
        reference_aa,
        source
    from {{ ref('hotspots') }}
)

{% if var('hotspots_file') %}
, user_file as (
    select
        upper(hotspot_gene) as gene,
        {{ regexp_group('hotspot_change', '^(p\\.)?([A-Z][0-9]+)', 2) }} as residue,
        try_cast({{ regexp_group('hotspot_change', '^(p\\.)?[A-Z]([0-9]+)', 2) }} as bigint) as protein_position,
        {{ regexp_group('hotspot_change', '^(p\\.)?([A-Z])[0-9]+', 2) }} as reference_aa,
        'user_file' as source
    from read_csv('{{ var("hotspots_file") }}', delim = '\t', header = false, all_varchar = true,
        names = ['chrom', 'pos', 'ref', 'alt', 'hotspot_gene', 'variant_class', 'hotspot_change', 'annotation'])
),

user_residues as (
    select gene, min(residue) as residue, protein_position, min(reference_aa) as reference_aa, min(source) as source
    from user_file
    where protein_position is not null
    group by gene, protein_position
)
{% endif %}

select gene, residue, protein_position, reference_aa, source from seeded
{% if var('hotspots_file') %}
union all
select user_residues.gene, user_residues.residue, user_residues.protein_position, user_residues.reference_aa, user_residues.source
from user_residues
where not exists (
    select 1 from seeded where seeded.gene = user_residues.gene and seeded.protein_position = user_residues.protein_position
)
{% endif %}
