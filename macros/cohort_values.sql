{#- Value conventions shared by every staging model (one implementation per idea). -#}

{#- cBioPortal / TCGA missing-value tokens; compared case-insensitively after trimming. -#}
{% macro missing_tokens() -%}
    ('', 'na', 'n/a', 'nan', 'null', 'none', '[not available]', '[unknown]', '[not applicable]',
     '[not evaluated]', '[discrepancy]', '[completed]', '[pending]', '.', '--')
{%- endmacro %}

{% macro nullif_missing(value) -%}
    case when lower(trim({{ value }})) in {{ missing_tokens() }} then null else trim({{ value }}) end
{%- endmacro %}

{#- Chromosome names: strip 'chr', 23 -> X, 24 -> Y, M/MT -> MT; anything else -> null (rejected). -#}
{% macro normalize_chromosome(value) -%}
    case
        when upper(regexp_replace(trim({{ value }}), '^(?i)chr', '')) in
             ('1','2','3','4','5','6','7','8','9','10','11','12','13','14','15','16','17','18','19','20','21','22','X','Y')
            then upper(regexp_replace(trim({{ value }}), '^(?i)chr', ''))
        when regexp_replace(trim({{ value }}), '^(?i)chr', '') = '23' then 'X'
        when regexp_replace(trim({{ value }}), '^(?i)chr', '') = '24' then 'Y'
        when upper(regexp_replace(trim({{ value }}), '^(?i)chr', '')) in ('M', 'MT') then 'MT'
    end
{%- endmacro %}

{#- TCGA barcodes: upper-case; an aliquot barcode (TCGA-XX-XXXX-01A-11D-A41F-09) is truncated to its
    sample (TCGA-XX-XXXX-01) and patient (TCGA-XX-XXXX). Other identifiers are only trimmed. -#}
{% macro is_tcga_barcode(value) -%}
    {{ regexp_like('upper(trim(' ~ value ~ '))', '^TCGA-[A-Z0-9]{2}-[A-Z0-9]{4}') }}
{%- endmacro %}

{% macro sample_id_from_barcode(value) -%}
    case when {{ is_tcga_barcode(value) }} and length(trim({{ value }})) >= 15
         then upper(substr(trim({{ value }}), 1, 15))
         else trim({{ value }}) end
{%- endmacro %}

{% macro patient_id_from_barcode(value) -%}
    case when {{ is_tcga_barcode(value) }} then upper(substr(trim({{ value }}), 1, 12)) end
{%- endmacro %}

{#- Vial letter of a TCGA aliquot (01A -> 'A'); used to order replicate aliquots of one sample. -#}
{% macro tcga_vial(value) -%}
    case when {{ is_tcga_barcode(value) }} and length(trim({{ value }})) >= 16
         then upper(substr(trim({{ value }}), 16, 1)) end
{%- endmacro %}
