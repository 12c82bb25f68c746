"""What a stats model may pull from Spark into Python (issue 22, Build 2: "every stats model narrows and
aggregates in the engine before anything reaches Python"): the rules of oncoduck.spark_target.pull_bound, on
pulls written here. Needs no Spark: `make test-spark` checks the demo's real pulls against the same rules."""

from __future__ import annotations

import pytest

from oncoduck.spark_target import DECLARATION_TABLES, ENTITY_TABLES, Pull, pull_bound
from oncoduck_testing import REPO


def pull(table: str, condition: str | None = None, columns: tuple[str, ...] | None = None,
         query: str | None = None) -> Pull:
    return Pull("stat_x_computed", table, condition, columns, query, 10)


def test_a_whole_cohort_table_is_unbounded():
    assert pull_bound(pull("intermediate.int_sample_gene_alterations")) is None
    assert pull_bound(pull("intermediate.int_sample_gene_alterations", "is_mutated")) is None
    assert pull_bound(pull("intermediate.int_pair_variants_compared", columns=("study_id", "hugo_symbol"))) is None


def test_an_entity_table_must_name_its_columns():
    assert pull_bound(pull("marts.fct_survival")) is None
    assert pull_bound(pull("marts.fct_survival", columns=("study_id", "patient_id", "time_months"))) == (
        "3 named columns, one row per patient x endpoint")


def test_the_declaring_studies_rows_are_bounded():
    # declared.study_rows' filter
    condition = "(is_mutated) and study_id in ('brca_a', 'brca_b')"
    assert pull_bound(pull("intermediate.int_sample_gene_alterations", condition)) == "the declaring studies' rows"
    assert pull_bound(pull("intermediate.int_sample_gene_alterations", "false")) == (
        "no row: no study declares the analysis")


def test_an_aggregate_query_is_bounded_and_a_plain_one_is_not():
    ranked = "select hugo_symbol, count(*) from alterations group by hugo_symbol"
    assert pull_bound(pull("intermediate.int_sample_gene_alterations", query=ranked)) == "aggregate computed on Spark"
    assert pull_bound(pull("intermediate.int_sample_gene_alterations", query="select * from alterations")) is None


def test_declaration_tables_are_read_whole():
    assert pull_bound(pull("intermediate.int_comparisons")).startswith("declarations: ")


@pytest.mark.parametrize("table", sorted({**DECLARATION_TABLES, **ENTITY_TABLES}))
def test_every_table_the_rules_name_is_a_model(table):
    assert list(REPO.joinpath("models").rglob(f"{table}.*")), f"{table}: no such model"
