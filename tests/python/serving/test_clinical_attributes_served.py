"""Every raw clinical attribute reaches the serving copy: long (marts.fct_clinical_attribute_value, typed as the
cBioPortal header declares) and wide, one table per study (marts.sample_clinical_wide__<study_id>: one row per
sample, one column per attribute, the sample's value else its patient's), with identifiers pseudonymised
like every other table's when the copy is."""

from __future__ import annotations

import duckdb
import pandas as pd

from oncoduck.publish import publish

WIDE_PREFIX = "sample_clinical_wide__"


def _wide_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts' "
                                      f"and starts_with(table_name, '{WIDE_PREFIX}') order by 1").fetchall()]


def _expected_wide_values(long: pd.DataFrame, samples: pd.DataFrame) -> pd.DataFrame:
    """sample_id, attribute, value_text: the sample's own value, else its patient's (pandas, from the long table)."""
    own = long[long["level"] == "sample"][["study_id", "sample_id", "attribute", "value_text"]].assign(rank=0)
    patients = long[long["level"] == "patient"][["study_id", "patient_id", "attribute", "value_text"]]
    inherited = samples.merge(patients, on=["study_id", "patient_id"]).drop(columns="patient_id").assign(rank=1)
    both = pd.concat([own, inherited], ignore_index=True).sort_values("rank", kind="stable")
    return both.drop_duplicates(["study_id", "sample_id", "attribute"]).drop(columns="rank")


def test_clinical_attributes_are_served_long_and_wide_per_study(built_demo):
    con = duckdb.connect(str(built_demo["serving_file"]), read_only=True)
    try:
        long = con.execute("select * from marts.fct_clinical_attribute_value").df()
        samples = con.execute("select study_id, patient_id, sample_id from marts.dim_sample").df()
        studies = sorted(samples["study_id"].unique())
        assert _wide_tables(con) == [WIDE_PREFIX + s for s in studies]

        # long: every attribute of the files, typed as declared in the 4-line header
        assert set(long["declared_type"]) == {"STRING", "NUMBER"}  # the demo's headers declare no BOOLEAN
        age = long[long["attribute"] == "AGE"]
        assert set(age["display_name"]) == {"Diagnosis Age"} and set(age["level"]) == {"patient"}
        numbers = long[(long["declared_type"] == "NUMBER") & long["value_text"].notna()]
        assert numbers["value_number"].notna().all()
        # zhang2022's ER column (renamed ER_STATUS by its oncoduck_study.yml) keeps its typo raw, mapped in value_text
        zhang_er = long[(long["study_id"] == "demo_zhang2022_panel") & (long["attribute"] == "ER_STATUS")]
        assert "Positve" in set(zhang_er["value_raw"]) and "Positve" not in set(zhang_er["value_text"])

        expected = _expected_wide_values(long, samples)
        for study in studies:
            table = WIDE_PREFIX + study
            wide = con.execute(f"select * from marts.{table}").df()
            types = dict(con.execute("select column_name, data_type from duckdb_columns() where schema_name = 'marts' "
                                     "and table_name = ?", [table]).fetchall())
            assert list(wide.columns[:3]) == ["study_id", "patient_id", "sample_id"]
            assert sorted(wide["sample_id"]) == sorted(samples.loc[samples["study_id"] == study, "sample_id"])
            assert types["AGE"] == "DOUBLE" and types["SEX"] == "VARCHAR"
            # every value of the wide table is the long table's (numbers compared as numbers)
            melted = wide.melt(id_vars=["study_id", "patient_id", "sample_id"], var_name="attribute", value_name="value")
            melted = melted[melted["value"].notna()]
            mine = expected[expected["study_id"] == study]
            assert set(melted["attribute"]) <= set(mine["attribute"])
            merged = melted.merge(mine, on=["study_id", "sample_id", "attribute"], how="left")
            numeric = merged["attribute"].map(lambda a: types[a] == "DOUBLE")
            assert (merged.loc[numeric, "value"].astype(float)
                    == merged.loc[numeric, "value_text"].astype(float)).all(), study
            assert (merged.loc[~numeric, "value"].astype(str) == merged.loc[~numeric, "value_text"]).all(), study
            assert len(merged) == mine["value_text"].notna().sum(), study  # nothing dropped
    finally:
        con.close()


def test_pseudonymised_copy_hashes_the_clinical_identifiers_so_joins_still_work(built_demo, tmp_path):
    serving = tmp_path / "pseudo"
    publish(built_demo["warehouse"], serving, pseudonymize=True, salt="clinical-test-salt",
            manifest=built_demo["root"] / "target" / "manifest.json")
    warehouse = duckdb.connect(str(built_demo["warehouse"]), read_only=True)
    con = duckdb.connect(str(serving / "oncoduck_serving.duckdb"), read_only=True)
    try:
        published = {r[0]: r[1] for r in con.execute(
            "select table_name, pseudonymized_columns from serving.published_tables where schema_name = 'marts'").fetchall()}
        for table in ["fct_clinical_attribute_value", *_wide_tables(con)]:
            assert set(published[table]) == {"patient_id", "sample_id"}, table
        joined = ("select count(*) from marts.fct_clinical_attribute_value v join marts.dim_sample s "
                  "using (study_id, patient_id, sample_id)")
        assert con.execute(joined).fetchone()[0] == warehouse.execute(joined).fetchone()[0] > 0
        for table in _wide_tables(con):
            (n, anonymous, joins) = con.execute(
                f"select count(*), count(*) filter (where w.patient_id like 'anon_%' and w.sample_id like 'anon_%'), "
                f"count(s.sample_id) from marts.{table} w left join marts.dim_sample s "
                "using (study_id, patient_id, sample_id)").fetchone()
            assert n == anonymous == joins > 0, table
    finally:
        con.close()
        warehouse.close()
