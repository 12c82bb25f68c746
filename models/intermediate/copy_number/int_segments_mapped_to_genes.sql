-- Copy-number calls of genes that are not neutral: one row per sample x gene (dim_gene, hg19) x gene-mapping
-- rule whose call is amplification, gain, loss, deep_deletion or not_contained (macro
-- segments_mapped_to_genes: entire_exonic_span (lim2021) and any_overlap). A gene inside one of the sample's
-- segments and absent here is neutral; neutral rows are left out because they are ~98 % of a dense
-- sample x gene table and no consumer counts them (paired analyses read int_pair_segments_mapped_to_genes,
-- which keeps them for paired samples).
select *
from ({{ segments_mapped_to_genes(ref('int_segments_called')) }}) as mapped
where cna_call <> 'neutral'
