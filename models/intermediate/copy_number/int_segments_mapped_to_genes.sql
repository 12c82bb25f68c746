-- Copy-number calls of genes that are not neutral: one row per sample x gene (every protein-coding gene of the
-- study's build: seed genes_hg19 or genes_hg38) x gene-mapping rule whose call is amplification, gain, loss,
-- deep_deletion or not_contained (macro segments_mapped_to_genes: entire_exonic_span (lim2021) and
-- any_overlap). A gene inside one of the sample's segments and absent here is neutral; neutral rows are left
-- out because they are ~98 % of a dense sample x gene table and no consumer counts them (the paired analyses,
-- int_pair_cna_call_counts and fct_sample_pair_concordance, count the neutral genes of paired samples themselves).
select *
from ({{ segments_mapped_to_genes(ref('int_segments_called'), neutral=false) }}) as mapped
where cna_call <> 'neutral'
