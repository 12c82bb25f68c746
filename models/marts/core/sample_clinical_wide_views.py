"""One wide view per study of the clinical attributes, for BI tools that group by a column (PAM50, integrative
cluster, grade ...): marts.sample_clinical_wide__<study_id> (study id lower-cased, any character other than a-z,
0-9 and _ as _), one row per sample of dim_sample with study_id, patient_id, sample_id and one column per
attribute of fct_clinical_attribute_value, named by the attribute. A sample's own value wins over its patient's
when an attribute is given at both levels. Columns are typed as the files declare: double when the attribute is
NUMBER (header or dictionary) and every value reads as a number, boolean when BOOLEAN and every value reads as
one (the long table's value_boolean), else text.

A DuckDB view cannot pivot on values it has not been given, so this model lists each study's attributes when it
runs, (re)creates the views beside itself in the marts schema, drops the views of studies no longer built, and
returns one row per view. Being a model, it runs in every build that rebuilds the long table: `dbt build`,
`oncoduck build` and `oncoduck build --incremental` alike."""

WIDE_PREFIX = "sample_clinical_wide__"

COLUMN_TYPES = """
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
    from {attribute_values}
    where lower(attribute) not in ('study_id', 'patient_id', 'sample_id')
    group by study_id, attribute
    order by study_id, attribute
"""

WIDE_VIEW = """
    create or replace view {view} as
    with samples as (
        select study_id, patient_id, sample_id
        from {samples}
        where study_id = {study_literal}
    ),

    given as (
        -- each sample's own values, and its patient's
        select samples.sample_id, attribute_values.attribute, attribute_values.value_text,
               attribute_values.value_boolean, 0 as level_rank
        from samples
        inner join {attribute_values} as attribute_values
            on attribute_values.study_id = samples.study_id and attribute_values.level = 'sample'
            and attribute_values.sample_id = samples.sample_id
        union all
        select samples.sample_id, attribute_values.attribute, attribute_values.value_text,
               attribute_values.value_boolean, 1 as level_rank
        from samples
        inner join {attribute_values} as attribute_values
            on attribute_values.study_id = samples.study_id and attribute_values.level = 'patient'
            and attribute_values.patient_id = samples.patient_id
    ),

    preferred as (
        select sample_id, attribute, value_text, value_boolean
        from given
        qualify row_number() over (partition by sample_id, attribute order by level_rank) = 1
    )

    select
        samples.study_id,
        samples.patient_id,
        samples.sample_id{columns}
    from samples
    left join preferred on preferred.sample_id = samples.sample_id
    group by samples.study_id, samples.patient_id, samples.sample_id
"""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _column(attribute: str, column_type: str) -> str:
    """The typed value of one attribute for the grouped sample (at most one preferred row per attribute)."""
    where = f"filter (where preferred.attribute = {_literal(attribute)})"
    value = {"double": f"try_cast(first(preferred.value_text) {where} as double)",
             "boolean": f"first(preferred.value_boolean) {where}",
             "text": f"first(preferred.value_text) {where}"}[column_type]
    return f",\n        {value} as {_identifier(attribute)}"


def view_name(study_id: str) -> str:
    import re

    return WIDE_PREFIX + re.sub("[^a-z0-9_]", "_", study_id.lower())


def model(dbt, session):
    import pandas

    dbt.config(materialized="table")
    dbt.ref("fct_clinical_attribute_value")  # the views read these two marts, which sit beside this model
    dbt.ref("dim_sample")
    schema = f"{_identifier(dbt.this.database)}.{_identifier(dbt.this.schema)}"
    attribute_values, samples = f"{schema}.fct_clinical_attribute_value", f"{schema}.dim_sample"
    columns = session.execute(COLUMN_TYPES.format(attribute_values=attribute_values)).fetchall()
    study_ids = [s for (s,) in session.execute(f"select distinct study_id from {samples} order by study_id").fetchall()]
    rows = []
    for study_id in study_ids:
        study_columns = [(attribute, kind) for sid, attribute, kind in columns if sid == study_id]
        view = view_name(study_id)
        session.execute(WIDE_VIEW.format(
            view=f"{schema}.{_identifier(view)}", samples=samples, attribute_values=attribute_values,
            study_literal=_literal(study_id), columns="".join(_column(a, k) for a, k in study_columns)))
        rows.append((study_id, view, len(study_columns)))
    wanted = {view for _, view, _ in rows}
    for (existing,) in session.execute(
            "select view_name from duckdb_views() where database_name = ? and schema_name = ? "
            "and starts_with(view_name, ?)", [dbt.this.database, dbt.this.schema, WIDE_PREFIX]).fetchall():
        if existing not in wanted:
            session.execute(f"drop view if exists {schema}.{_identifier(existing)}")
    return pandas.DataFrame(rows, columns=["view_study_id", "view_name", "attribute_columns"]).astype(
        {"view_study_id": "string", "view_name": "string", "attribute_columns": "int64"})
