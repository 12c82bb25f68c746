"""Bad variant / segment rows become rejects with reasons; a genome-build mismatch stops the build."""

from __future__ import annotations

import pytest

from variants.burden_selection import BURDEN_SELECTION
from oncoduck.compiled import BuildFailed
from oncoduck_testing import FIXTURE_STUDIES, query


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory, compiled_project):
    """The warehouse (what the failed build wrote) and the failure's message."""
    warehouse = tmp_path_factory.mktemp("bad") / "oncoduck.duckdb"
    with pytest.raises(BuildFailed) as failed:
        compiled_project.build(warehouse, [FIXTURE_STUDIES / "bad_variant_rows", FIXTURE_STUDIES / "wrong_genome_build"],
                               *BURDEN_SELECTION)
    return warehouse, str(failed.value)


def test_genome_build_mismatch_fails_loudly(bad_build):
    _, failure = bad_build
    message = [line for line in failure.splitlines() if "Genome build mismatch" in line]
    assert message, failure
    assert "wrong_genome_build/data_mutations.txt" in message[0]
    assert "NCBI_Build GRCh38" in message[0] and "reference_genome hg19" in message[0]


def test_bad_rows_are_rejected_with_reasons(bad_build):
    warehouse, _ = bad_build
    rejects = query(warehouse, """select input_kind, source_row, reject_reason, reject_detail
        from staging.all_rejects where study_id = 'bad_variant_rows' order by 1, 2""")
    reasons = {(kind, row): reason for kind, row, reason, _ in rejects}
    assert reasons == {
        ("mutations", 3): "vaf_out_of_range",
        ("mutations", 4): "zero_depth",
        ("mutations", 5): "vaf_out_of_range",
        ("mutations", 6): "zero_depth",
        # issue 23: each of these was accepted before (try_cast made 'many' NULL, read '12.5' as 13, and
        # ignored '0.3.1'; a position below 1 passed)
        ("mutations", 7): "non_positive_position",
        ("mutations", 8): "invalid_number",
        ("mutations", 9): "invalid_number",
        ("mutations", 10): "invalid_number",
        ("segments", 3): "end_before_start",
        ("segments", 5): "overlapping_segment",
    }
    details = {(kind, row): detail for kind, row, _, detail in rejects}
    assert "tumour VAF 1.5" in details[("mutations", 3)]
    assert details[("mutations", 5)].startswith("tumour VAF 150.0 is outside 0-1")
    assert "tumour depth is 0" in details[("mutations", 4)]
    assert details[("mutations", 7)] == "Start_Position -5 is not a position (they start at 1)"
    assert details[("mutations", 8)] == "t_alt_count 'many' is not a read count (a whole number >= 0)"
    assert details[("mutations", 9)] == "t_ref_count '12.5' is not a read count (a whole number >= 0)"
    assert details[("mutations", 10)] == "tumor_vaf '0.3.1' is not a number"
    # PIK3CA, and NF1 whose counts are missing tokens (NA, '.'): not given, not invalid
    assert query(warehouse, "select hugo_symbol from staging.stg_study__mutations where study_id = 'bad_variant_rows' "
                            "order by 1") == [("NF1",), ("PIK3CA",)]
