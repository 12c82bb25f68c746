{#- A gene's Hugo symbol where an input file gives only its Entrez id (a MAF or gene-level CNA file with
    Entrez_Gene_Id alone, as cBioPortal accepts): the approved HGNC symbol of that id, from the seed
    hgnc_entrez_symbols, with `hugo_symbol_source` saying where each symbol came from. `given` is the symbol
    as the file gives it (NULL when the file has no such column or the field is empty); a given symbol is
    never replaced. Use hugo_symbol_columns in the select list and hgnc_symbol_join after the FROM (`alias`
    names the joined seed where a line has two genes, as a structural variant's two sites). -#}
{% macro hugo_symbol_columns(given) -%}
coalesce({{ given }}, hgnc.hugo_symbol) as hugo_symbol,
        case
            when {{ given }} is not null then 'file'
            when hgnc.hugo_symbol is not null then 'hgnc_entrez'
        end as hugo_symbol_source
{%- endmacro %}

{% macro hgnc_symbol_join(given, entrez_gene_id, alias='hgnc') -%}
left join {{ ref('hgnc_entrez_symbols') }} as {{ alias }}
        on {{ given }} is null and {{ alias }}.entrez_gene_id = {{ entrez_gene_id }}
{%- endmacro %}
