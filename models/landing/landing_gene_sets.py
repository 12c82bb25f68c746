from oncoduck.ingest.dbt_landing import land_gene_sets


def model(dbt, session):
    dbt.config(materialized="table")
    return land_gene_sets(session, dbt.config.get("studies_json"))
