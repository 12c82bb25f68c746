{#- One spelling per gene. Gene lists are often written upper case (a panel's 'C11ORF30') where MAFs and
    copy-number files keep HGNC's case ('C11orf30'), and every mart joins genes on their symbol: joined as written,
    such a gene's mutations were missing from the frequency marts of the samples whose panel lists it, and the
    gene was in dim_gene twice. So every symbol an input gives takes the spelling of the gene references when it
    matches one whatever its case (reference_symbol_join, reference_symbol: the table stg_reference__gene_spellings);
    a symbol no reference knows is kept as the input writes it (files of variants, copy number and structural
    variants) or upper case (gene lists). -#}
{% macro reference_symbol_join(given, alias='reference_spelling') -%}
left join {{ ref('stg_reference__gene_spellings') }} as {{ alias }} on {{ alias }}.symbol_key = upper({{ given }})
{%- endmacro %}

{#- A gene list's symbol (panels, assays, gene sets, the genes comparisons name): the reference spelling, else
    upper case. Use after reference_symbol_join(given, alias). -#}
{% macro reference_symbol(given, alias='reference_spelling') -%}
coalesce({{ alias }}.hugo_symbol, upper({{ given }}))
{%- endmacro %}

{#- A gene's Hugo symbol in a file of variants, copy number or structural variants: the symbol the file gives, in
    the reference spelling (above), or where the file gives only its Entrez id (as cBioPortal accepts) the approved
    HGNC symbol of that id, from the seed hgnc_entrez_symbols, with `hugo_symbol_source` saying which: 'file' (as
    written), 'file_reference_spelling' (the file's symbol in another letter case, 'C11ORF30' given, 'C11orf30'
    kept) or 'hgnc_entrez'. `given` is the symbol as the file gives it (NULL when the file has no such column or
    the field is empty). Use hugo_symbol_columns in the select list and hugo_symbol_joins after the FROM (`alias`
    names the joined tables where a line has two genes, as a structural variant's two sites). -#}
{% macro hugo_symbol_columns(given, alias='hgnc') -%}
{{ given_symbol(given, alias) }} as hugo_symbol,
        case
            when {{ given }} is not null and {{ alias }}_spelling.hugo_symbol <> {{ given }} then 'file_reference_spelling'
            when {{ given }} is not null then 'file'
            when {{ alias }}.hugo_symbol is not null then 'hgnc_entrez'
        end as hugo_symbol_source
{%- endmacro %}

{% macro given_symbol(given, alias='hgnc') -%}
coalesce({{ alias }}_spelling.hugo_symbol, {{ given }}, {{ alias }}.hugo_symbol)
{%- endmacro %}

{#- The two joins hugo_symbol_columns and given_symbol read: the reference spelling of the given symbol
    (`<alias>_spelling`) and, for a line without a symbol, HGNC's symbol of its Entrez id (`<alias>`). -#}
{% macro hugo_symbol_joins(given, entrez_gene_id, alias='hgnc') -%}
left join {{ ref('hgnc_entrez_symbols') }} as {{ alias }}
        on {{ given }} is null and {{ alias }}.entrez_gene_id = {{ entrez_gene_id }}
    {{ reference_symbol_join(given, alias ~ '_spelling') }}
{%- endmacro %}
