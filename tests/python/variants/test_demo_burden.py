"""The demo cohort's planted burden effects (seeds/demo_studies/README.md) are visible in the burden marts (of
the session's demo build, conftest.demo_warehouse)."""

from __future__ import annotations

from oncoduck_testing import query


def test_every_sequenced_sample_has_every_definition(demo_warehouse):
    n_sequenced = query(demo_warehouse, "select count(*) from marts.dim_sample where is_sequenced")[0][0]
    n_definitions = query(demo_warehouse, "select count(*) from reference.tmb_definitions")[0][0]
    assert query(demo_warehouse, "select count(*) from marts.fct_sample_burden")[0][0] == n_sequenced * n_definitions


def test_non_responders_have_twice_the_nonsynonymous_mutations(demo_warehouse):
    rows = dict(query(demo_warehouse, """
        select attrs.value_text, median(burden.n_nonsynonymous)
        from marts.fct_sample_burden as burden
        inner join staging.stg_study__clinical_attributes as attrs
            on attrs.study_id = burden.study_id and attrs.patient_id = burden.patient_id
            and attrs.attribute = 'RESPONSE_GROUP'
        where burden.study_id = 'demo_lim2021_wes' and burden.is_study_definition
        group by 1"""))
    ratio = rows["Non-responder"] / rows["Extreme responder"]
    assert 1.7 <= ratio <= 2.4, rows


def test_non_responders_have_larger_cnv_burden(demo_warehouse):
    rows = dict(query(demo_warehouse, """
        select attrs.value_text, median(cnv.total_cnv_length_mb)
        from marts.fct_sample_cnv_burden as cnv
        inner join staging.stg_study__clinical_attributes as attrs
            on attrs.study_id = cnv.study_id and attrs.patient_id = cnv.patient_id
            and attrs.attribute = 'RESPONSE_GROUP'
        where cnv.study_id = 'demo_lim2021_wes' and cnv.sample_type <> 'normal'
        group by 1"""))
    # planted: 94.6 vs 14.3 Mb
    assert rows["Non-responder"] > 4 * rows["Extreme responder"], rows
    assert abs(rows["Non-responder"] - 94.6) < 1 and abs(rows["Extreme responder"] - 14.3) < 1


def test_clonal_haematopoiesis_is_excluded_and_listed(demo_warehouse):
    rows = query(demo_warehouse, """select count(*), max(plasma_to_wbc_vaf_ratio), count(distinct hugo_symbol)
        from intermediate.int_variants_clonal_haematopoiesis where study_id = 'demo_yi2024_ctdna'""")[0]
    assert rows[0] == 16 and rows[1] <= 2.0
    assert query(demo_warehouse, """select count(*) from intermediate.int_variants_filtered
        where is_clonal_haematopoiesis and filter_status = 'PASS'""")[0][0] == 0


def test_lim2021_filters_drop_non_pass_calls(demo_warehouse):
    # the 36 non-PASS rows of the demo WES study all fail caller_pass
    assert query(demo_warehouse, """select count(*) from intermediate.int_variants_filtered
        where study_id = 'demo_lim2021_wes' and failed_rules like '%caller_pass%'""")[0][0] == 36


def test_patient_rollup_averages_the_two_biopsies(demo_warehouse):
    rows = query(demo_warehouse, """select min(n_samples), max(n_samples), count(*)
        from marts.fct_patient_burden where study_id = 'demo_li2024_fish' and is_study_definition""")[0]
    assert rows == (2, 2, 40)
