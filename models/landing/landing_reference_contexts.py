from oncoduck.ingest.dbt_landing import land_reference_contexts


def model(dbt, session):
    dbt.config(materialized="table")
    return land_reference_contexts(session, dbt.ref("landing_mutations"), dbt.config.get("studies_json"))
