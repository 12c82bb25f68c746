from oncoduck.ingest.dbt_landing import land_comparison_selections


def model(dbt, session):
    dbt.config(materialized="table")
    return land_comparison_selections(session, dbt.config.get("studies_json"))
