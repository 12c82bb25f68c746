-- One spelling per gene (macros/hugo_symbols.sql): each symbol of the gene references, keyed by its upper case,
-- in the spelling the references give it. The references: the GENCODE genes of both builds (seeds genes_hg19,
-- genes_hg38) and HGNC's approved symbols (seed hgnc_entrez_symbols). Built once per build from the seeds, and
-- read by every model that spells an input's symbol (reference_symbol_join).
select
    upper(symbol) as symbol_key,
    -- GENCODE v19 itself has five genes in two spellings (C15ORF37 and C15orf37 ...): max() takes the one with
    -- lower-case letters, HGNC's convention
    max(symbol) as hugo_symbol
from (
    select gene as symbol from {{ ref('genes_hg19') }}
    union
    select gene as symbol from {{ ref('genes_hg38') }}
    union
    select hugo_symbol as symbol from {{ ref('hgnc_entrez_symbols') }}
) as reference_symbols
group by upper(symbol)
