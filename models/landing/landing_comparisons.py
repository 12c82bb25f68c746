from oncoduck.ingest.dbt_landing import land_comparisons


def model(dbt, session):
    dbt.config(materialized="table")
    return land_comparisons(session, dbt.config.get("studies_json"))
