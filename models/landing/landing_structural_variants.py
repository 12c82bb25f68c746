from oncoduck.ingest.dbt_landing import land


def model(dbt, session):
    dbt.config(materialized="table")
    return land(session, 'structural_variants', dbt.config.get("studies_json"), dbt.config.get("skip_files_json"))
