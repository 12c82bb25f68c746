"""TCGA BRCA MC3 (../shared/data/tcga_brca): the 6 patients with -01 (primary) and -06 (metastasis)
samples get pair concordance rows, and the signed-rank test over their mutation counts runs in the
warehouse and agrees with R on the same numbers (fixtures/tcga_brca_mc3_pairs.csv; R call recorded in
fixtures/paired_htests.json by r/paired.R)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from oncoduck_testing import FIXTURE_STUDIES, query, require_shared_data

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def mc3_warehouse(tmp_path_factory, compiled_project):
    require_shared_data("tcga_brca", "MC3_BRCA.nonsilent.maf.tsv.gz")
    warehouse = tmp_path_factory.mktemp("mc3_pairs") / "oncoduck.duckdb"
    compiled_project.build(warehouse, [FIXTURE_STUDIES / "tcga_brca_mc3"], "+stat_paired_signed_rank")
    return warehouse


def test_six_mc3_patients_with_primary_and_metastasis_are_paired(mc3_warehouse):
    ours = pd.DataFrame(query(mc3_warehouse, """select patient_id, sample_id_a, sample_id_b, n_mutations_a, n_mutations_b
        from marts.fct_sample_pair_concordance where study_id = 'tcga_brca_mc3' and pair_rule = 'primary_metastasis'
        order by patient_id"""), columns=["patient_id", "sample_id_a", "sample_id_b", "n_mutations_a", "n_mutations_b"])
    expected = pd.read_csv(FIXTURES / "tcga_brca_mc3_pairs.csv")
    assert len(ours) == 6
    assert ours["sample_id_a"].str.endswith("-01").all() and ours["sample_id_b"].str.endswith("-06").all()
    pd.testing.assert_frame_equal(ours.astype({"n_mutations_a": int, "n_mutations_b": int}), expected)
    # the pair counts are the study's burden counts (same counted set, maftools nonsynonymous classes)
    burden = dict(query(mc3_warehouse, """select sample_id, n_nonsynonymous from marts.fct_sample_burden
        where is_study_definition and sample_id in ('TCGA-BH-A18V-01', 'TCGA-BH-A18V-06')"""))
    assert burden == {"TCGA-BH-A18V-01": 177, "TCGA-BH-A18V-06": 199}


def test_signed_rank_in_the_warehouse_agrees_with_r(mc3_warehouse):
    case = next(c for c in json.loads((FIXTURES / "paired_htests.json").read_text())
                if c["name"] == "tcga_brca_mc3_n_mutations_two.sided")
    statistic, p, n_pairs, method = query(mc3_warehouse, """select statistic, p_value, n_pairs, method
        from stats.stat_paired_signed_rank where study_id = 'tcga_brca_mc3' and pair_rule = 'primary_metastasis'
          and measure = 'n_mutations'""")[0]
    assert n_pairs == 6
    assert statistic == case["result"]["statistic"]
    assert p == pytest.approx(case["result"]["p_value"], rel=1e-9)
    assert method == case["result"]["method"]
