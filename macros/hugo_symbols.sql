{#- One spelling per gene. Gene lists are often written upper case (a panel's 'C11ORF30') where MAFs and
    copy-number files keep HGNC's case ('C11orf30'), and every mart joins genes on their symbol: joined as written,
    such a gene's mutations were missing from the frequency marts of the samples whose panel lists it, and the
    gene was in dim_gene twice. So every symbol an input gives takes the spelling of the gene references when it
    matches one whatever its case (reference_symbol_join, reference_symbol); a symbol no reference knows is kept
    as the input writes it (files of variants, copy number and structural variants) or upper case (gene lists).
    The references: the GENCODE genes of both builds (seeds genes_hg19, genes_hg38) and HGNC's approved
    symbols (seed hgnc_entrez_symbols). -#}
{% macro reference_symbol_join(given, alias='reference_spelling') -%}
left join (
        -- GENCODE v19 itself has five genes in two spellings (C15ORF37 and C15orf37 ...): max() takes the one
        -- with lower-case letters, HGNC's convention
        select upper(symbol) as symbol_key, max(symbol) as hugo_symbol
        from (
            select gene as symbol from {{ ref('genes_hg19') }}
            union
            select gene as symbol from {{ ref('genes_hg38') }}
            union
            select hugo_symbol as symbol from {{ ref('hgnc_entrez_symbols') }}
        ) as reference_symbols
        group by upper(symbol)
    ) as {{ alias }} on {{ alias }}.symbol_key = upper({{ given }})
{%- endmacro %}

{#- A gene list's symbol (panels, assays, gene sets, the genes comparisons name): the reference spelling, else
    upper case. Use after reference_symbol_join(given, alias). -#}
{% macro reference_symbol(given, alias='reference_spelling') -%}
coalesce({{ alias }}.hugo_symbol, upper({{ given }}))
{%- endmacro %}

{#- A gene's Hugo symbol in a file of variants, copy number or structural variants: the symbol the file gives, in
    the reference spelling (above), or where the file gives only its Entrez id (as cBioPortal accepts) the approved
    HGNC symbol of that id, from the seed hgnc_entrez_symbols, with `hugo_symbol_source` saying which. `given` is
    the symbol as the file gives it (NULL when the file has no such column or the field is empty). Use
    hugo_symbol_columns in the select list and hgnc_symbol_join after the FROM (`alias` names the joined seeds
    where a line has two genes, as a structural variant's two sites). -#}
{% macro hugo_symbol_columns(given, alias='hgnc') -%}
{{ given_symbol(given, alias) }} as hugo_symbol,
        case
            when {{ given }} is not null then 'file'
            when {{ alias }}.hugo_symbol is not null then 'hgnc_entrez'
        end as hugo_symbol_source
{%- endmacro %}

{% macro given_symbol(given, alias='hgnc') -%}
coalesce({{ alias }}_spelling.hugo_symbol, {{ given }}, {{ alias }}.hugo_symbol)
{%- endmacro %}

{% macro hgnc_symbol_join(given, entrez_gene_id, alias='hgnc') -%}
left join {{ ref('hgnc_entrez_symbols') }} as {{ alias }}
        on {{ given }} is null and {{ alias }}.entrez_gene_id = {{ entrez_gene_id }}
    {{ reference_symbol_join(given, alias ~ '_spelling') }}
{%- endmacro %}
