{#- One wide view per study of the clinical attributes, for BI tools that group by a column (PAM50,
    integrative cluster, grade ...): <schema>.sample_clinical_wide__<study_id> (study id lower-cased, any
    character other than a-z, 0-9 and _ as _), one row per registry sample (`samples`: dim_sample) with
    study_id, patient_id, sample_id and one column per attribute of `attribute_values`
    (fct_clinical_attribute_value), named by the attribute. A sample-level value wins over its patient's
    when an attribute is given at both levels. Columns are typed as the files declare: double when the
    attribute is NUMBER (header or dictionary) and every value reads as a number, boolean when BOOLEAN and
    every value reads as one (macro clinical_boolean), else text.
    Called as the post-hook of fct_clinical_attribute_value: a DuckDB view cannot pivot on values it has not
    been given, so the columns are listed when the build runs, and views of studies no longer built are
    dropped. `oncoduck build --incremental` runs no hooks: the views keep the columns of the last full build
    (their rows follow the rebuilt tables). DuckDB only (PIVOT, duckdb_views()); other engines get no view. -#}
{% macro create_clinical_wide_views(attribute_values, samples) -%}
    {{ return(adapter.dispatch('create_clinical_wide_views', 'oncoduck')(attribute_values, samples)) }}
{%- endmacro %}

{% macro default__create_clinical_wide_views(attribute_values, samples) -%}
    select 1 as no_clinical_wide_views
{%- endmacro %}

{% macro clinical_wide_view_name(study_id) -%}
    {{- 'sample_clinical_wide__' ~ modules.re.sub('[^a-z0-9_]', '_', study_id | lower) -}}
{%- endmacro %}

{% macro duckdb__create_clinical_wide_views(attribute_values, samples) -%}
    {%- if execute -%}
        {%- set columns_query -%}
            select
                study_id,
                attribute,
                case
                    when bool_or(declared_type = 'NUMBER' or data_type = 'number')
                         and bool_and(value_text is null or value_number is not null) then 'double'
                    when bool_or(declared_type = 'BOOLEAN' or data_type = 'boolean')
                         and bool_and(value_text is null or value_boolean is not null) then 'boolean'
                    else 'text'
                end as column_type
            from {{ attribute_values }}
            where lower(attribute) not in ('study_id', 'patient_id', 'sample_id')
            group by study_id, attribute
            order by study_id, attribute
        {%- endset -%}
        {%- set studies_query -%}
            select distinct study_id from {{ samples }} order by study_id
        {%- endset -%}
        {%- set columns = run_query(columns_query).rows -%}
        {%- set study_ids = run_query(studies_query).columns[0].values() -%}
        {%- set wanted = [] -%}
        {%- for study_id in study_ids -%}
            {%- set view = api.Relation.create(database=attribute_values.database, schema=attribute_values.schema,
                                               identifier=clinical_wide_view_name(study_id)) -%}
            {%- do wanted.append(view.identifier) -%}
            {%- set study_columns = [] -%}
            {%- for column in columns if column[0] == study_id -%}{%- do study_columns.append(column) -%}{%- endfor -%}
            {%- set create_view -%}
                create or replace view {{ view }} as
                with samples as (
                    select study_id, patient_id, sample_id
                    from {{ samples }}
                    where study_id = '{{ study_id | replace("'", "''") }}'
                ),

                given as (
                    -- each sample's own values, and its patient's
                    select samples.sample_id, attribute_values.attribute, attribute_values.value_text, 0 as level_rank
                    from samples
                    inner join {{ attribute_values }} as attribute_values
                        on attribute_values.study_id = samples.study_id and attribute_values.level = 'sample'
                        and attribute_values.sample_id = samples.sample_id
                    union all
                    select samples.sample_id, attribute_values.attribute, attribute_values.value_text, 1 as level_rank
                    from samples
                    inner join {{ attribute_values }} as attribute_values
                        on attribute_values.study_id = samples.study_id and attribute_values.level = 'patient'
                        and attribute_values.patient_id = samples.patient_id
                ),

                preferred as (
                    select sample_id, attribute, value_text
                    from given
                    qualify row_number() over (partition by sample_id, attribute order by level_rank) = 1
                ){{ ',' if study_columns }}

                {%- if study_columns %}
                pivoted as (
                    pivot preferred
                    on attribute in (
                        {%- for column in study_columns -%}
                        '{{ column[1] | replace("'", "''") }}'{{ ', ' if not loop.last }}
                        {%- endfor -%}
                    )
                    using first(value_text)
                    group by sample_id
                )
                {%- endif %}

                select
                    samples.study_id,
                    samples.patient_id,
                    samples.sample_id
                    {%- for column in study_columns %}
                    {%- set name = adapter.quote(column[1]) %},
                    {% if column[2] == 'double' -%}
                        try_cast(pivoted.{{ name }} as double)
                    {%- elif column[2] == 'boolean' -%}
                        {{ clinical_boolean('pivoted.' ~ name) }}
                    {%- else -%}
                        pivoted.{{ name }}
                    {%- endif %} as {{ name }}
                    {%- endfor %}
                from samples
                {%- if study_columns %}
                left join pivoted on pivoted.sample_id = samples.sample_id
                {%- endif %}
            {%- endset -%}
            {%- do run_query(create_view) -%}
        {%- endfor -%}
        {%- set existing_query -%}
            select view_name from duckdb_views()
            where database_name = '{{ attribute_values.database }}' and schema_name = '{{ attribute_values.schema }}'
              and starts_with(view_name, 'sample_clinical_wide__')
        {%- endset -%}
        {%- for existing in run_query(existing_query).columns[0].values() -%}
            {%- if existing not in wanted -%}
                {%- do run_query('drop view if exists ' ~ api.Relation.create(database=attribute_values.database,
                                 schema=attribute_values.schema, identifier=existing)) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select 1 as clinical_wide_views_created
{%- endmacro %}
