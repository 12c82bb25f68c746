from oncoduck.ingest.dbt_landing import land


def model(dbt, session):
    dbt.config(materialized="table")
    return land(session, 'fish_cells', dbt.config.get("studies_json"), dbt.config.get("skip_files_json"))
