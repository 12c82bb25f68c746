{#- The reject rules of a staging model, each written once: a list of rules, in precedence order (the first rule
    a row breaks is its reason), each a dict with
      when       the SQL condition that rejects the row;
      code       the reason code (a literal), or code_sql (an SQL expression giving it);
      detail     an SQL expression: the sentence saying what was expected (file and line come with the row);
      column     (only with with_column) the SQL expression of the offending column (a name or a field
                 number); null when the rule has none.
    Renders reject_reason, [reject_column,] reject_detail: the ladders that used to be written two or three
    times per rule. line_rejects() gives the two rules every line-based input starts with. -#}
{% macro reject_ladder(rules, with_column=false) -%}
    case
        {%- for rule in rules %}
        when {{ rule.when }} then {{ rule.code_sql if rule.code_sql is defined else "'" ~ rule.code ~ "'" }}
        {%- endfor %}
    end as reject_reason,
    {%- if with_column %}
    case
        {%- for rule in rules %}
        when {{ rule.when }} then {{ rule.column if rule.column is defined else 'null' }}
        {%- endfor %}
    end as reject_column,
    {%- endif %}
    case
        {%- for rule in rules %}
        when {{ rule.when }} then {{ rule.detail }}
        {%- endfor %}
    end as reject_detail
{%- endmacro %}

{#- A line the reader could not decode (text_fault: encoding, NUL byte ...) or whose field count differs from
    the header's: the first two rules of every line-based input. -#}
{% macro line_rejects() -%}
    {{ return([
        {'when': 'text_fault is not null', 'code_sql': 'text_fault', 'detail': 'text_fault_detail'},
        {'when': 'n_fields <> n_header_fields', 'code': 'wrong_field_count',
         'detail': "'line has ' || n_fields || ' fields, header has ' || n_header_fields"},
    ]) }}
{%- endmacro %}

{#- The provenance and line-fault columns every line-based input lands with (python/oncoduck/ingest/landing.py
    LINE_COLUMNS), selected from the landed relation `alias`; `with_column` for wide layouts, whose rows are
    fields of a line (source_column). The columns line_rejects() reads. -#}
{% macro landed_line_columns(alias='landed', with_column=false) -%}
        {{ alias }}.study_id,
        {{ alias }}.source_file,
        {{ alias }}.source_row,
        {%- if with_column %}
        {{ alias }}.source_column,
        {%- endif %}
        {{ alias }}.n_fields,
        {{ alias }}.n_header_fields,
        {{ alias }}.text_fault,
        {{ alias }}.text_fault_detail
{%- endmacro %}
