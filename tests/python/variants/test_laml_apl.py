"""maftools parity on its own example data (TCGA-LAML) and the APL quirks (CR-only files, ITD rows).

Oracle: ../shared/oracle/maftools/A_laml_tmb.tsv = maftools 2.22 tmb(captureSize = 50) on
tcga_laml.maf.gz. maftools drops samples without nonsynonymous variants; we keep every sample of the
registry (the annotation file) with TMB 0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from variants.burden_selection import BURDEN_SELECTION
from oncoduck_testing import FIXTURE_STUDIES, query, require_shared_data

ORACLE = Path(__file__).resolve().parents[3].parent / "shared" / "oracle" / "maftools"


@pytest.fixture(scope="module")
def laml_warehouse(tmp_path_factory, compiled_project):
    require_shared_data("maftools_extdata", "tcga_laml.maf.gz")
    if not (ORACLE / "A_laml_tmb.tsv").exists():
        pytest.skip(f"maftools oracle {ORACLE} is absent")
    warehouse = tmp_path_factory.mktemp("laml") / "oncoduck.duckdb"
    run = compiled_project.build(warehouse, [FIXTURE_STUDIES / "tcga_laml", FIXTURE_STUDIES / "maftools_apl"],
                                 *BURDEN_SELECTION)
    return warehouse, [name for name, _ in run.warned_tests]


def test_laml_tmb_equals_maftools_for_every_sample(laml_warehouse):
    warehouse, _ = laml_warehouse
    oracle = pd.read_csv(ORACLE / "A_laml_tmb.tsv", sep="\t")
    ours = pd.DataFrame(query(warehouse, """
        select sample_id, n_nonsynonymous, tmb_per_mb, coding_mb
        from marts.fct_sample_burden
        where study_id = 'tcga_laml' and tmb_definition = 'nonsyn_maftools_v1'"""),
        columns=["sample_id", "n_nonsynonymous", "tmb_per_mb", "coding_mb"])
    merged = oracle.merge(ours, left_on="Tumor_Sample_Barcode", right_on="sample_id", how="left")
    assert merged["sample_id"].notna().all(), "samples maftools reports are missing"
    assert (merged["coding_mb"] == 50).all()
    assert (merged["total"] == merged["n_nonsynonymous"]).all()
    assert (merged["total_perMB"] - merged["tmb_per_mb"]).abs().max() < 1e-12
    assert len(oracle) == 192


def test_laml_silent_only_sample_present_with_zero(laml_warehouse):
    warehouse, _ = laml_warehouse
    rows = query(warehouse, """
        select n_variants_total, n_silent + n_other_noncoding, n_nonsynonymous, tmb_per_mb
        from marts.fct_sample_burden
        where study_id = 'tcga_laml' and sample_id = 'TCGA-AB-2903' and tmb_definition = 'nonsyn_maftools_v1'""")
    assert rows and rows[0][0] >= 1 and rows[0][0] == rows[0][1] and rows[0][2] == 0 and rows[0][3] == 0.0
    # every annotated sample (200) is there, those without any variant too
    assert query(warehouse, """select count(*) from marts.fct_sample_burden
        where study_id = 'tcga_laml' and tmb_definition = 'nonsyn_maftools_v1'""")[0][0] == 200


def test_apl_cr_only_files_load_and_itd_is_unclassified(laml_warehouse):
    warehouse, warned = laml_warehouse
    per_file = dict(query(warehouse, """select regexp_extract(source_file, '[^/]+$'), count(*)
        from intermediate.int_variants_classified where study_id = 'maftools_apl' group by 1"""))
    assert per_file["APL_primary.maf.gz"] > 200 and per_file["APL_relapse.maf.gz"] > 100
    itd = query(warehouse, """select variant_class, count(*) from intermediate.int_variants_classified
        where study_id = 'maftools_apl' and variant_classification_given = 'ITD' group by 1""")
    assert itd and itd[0][0] == "unclassified"
    # 64 ITD rows in the files (45 + 19): the ones with a position are classified, the rest are rejects
    rejected = query(warehouse, """select count(*) from staging.stg_study__mutations_rejects
        where study_id = 'maftools_apl' and reject_reason = 'non_numeric_position'""")[0][0]
    assert itd[0][1] + rejected == 64
    # unclassified variants are never nonsynonymous and are listed by the warn-severity test
    assert query(warehouse, """select sum(n_unclassified), sum(case when n_unclassified > 0 then 1 else 0 end)
        from marts.fct_sample_burden where study_id = 'maftools_apl' and tmb_definition = 'nonsyn_maftools_v1'""")[0][0] == itd[0][1]
    assert any("unclassified_variant_classes_listed" in name for name in warned)
