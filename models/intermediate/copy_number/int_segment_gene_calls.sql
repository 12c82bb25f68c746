-- Copy-number calls of genes from the samples' segments, one row per sample x gene (every protein-coding gene
-- of the study's build: seed genes_hg19 or genes_hg38) that lies inside a segment that is not neutral or that
-- a segment boundary straddles (macro segments_mapped_to_genes). A gene inside one segment takes its call
-- under both gene-mapping rules, so the calls are stored once, not once per rule: is_contained says whether
-- the entire_exonic_span rule (lim2021) calls the gene, and the call columns hold the any_overlap call.
-- int_segments_mapped_to_genes spells the two rules out. Genes inside a neutral segment (~98 % of a dense
-- sample x gene table) have no row.
{{ segments_mapped_to_genes(ref('int_segments_called')) }}
