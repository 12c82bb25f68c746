"""maftools parity through the whole warehouse: TCGA-LAML DNMT3A and FLT3 survival (mafSurvival,
../shared/oracle/maftools/A_laml_mafSurvival.tsv) from the study folder to stats.stat_survival_tests.

maftools' sample universe is the MAF's samples (sequenced_samples: maf), time = days_to_last_followup,
status = Overall_Survival_Status, NA/-Inf times dropped (11 samples). Group sizes, log-rank chi-square
and p, Cox HR mutant vs wild type and its CI, and the KM medians agree to 1e-9. The oracle's KM median
CIs use conf.type "log-log" (not survfit's default "log", which we report), so they are not compared.
"""

from __future__ import annotations

import csv

import pytest

from oncoduck_testing import REPO, query, require_shared_data

RTOL = 1e-9


def _laml_study(tmp_path):
    maf = require_shared_data("maftools_extdata", "tcga_laml.maf.gz")
    annot = require_shared_data("maftools_extdata", "tcga_laml_annot.tsv")
    study = tmp_path / "tcga_laml_survival"
    study.mkdir()
    (study / maf.name).symlink_to(maf)
    (study / annot.name).symlink_to(annot)
    (study / "oncoduck_study.yml").write_text(
        "study_id: tcga_laml\nassay_id: maftools_default\ntmb_definition: nonsyn_maftools_v1\n"
        "variant_filter_rule_set: none\nsequenced_samples: maf\n"
        f"files:\n  mutations: [{maf.name}]\n  clinical_sample: [{annot.name}]\n"
        "columns:\n  clinical_sample:\n    Tumor_Sample_Barcode: SAMPLE_ID\n"
        "comparisons:\n"
        + "".join(f"  - name: {g.lower()}_mutant_vs_wt\n    unit: patient\n    group_by: 'mutated:{g}'\n"
                  "    groups: {wildtype: [wildtype], mutated: [mutated]}\n    analyses: [survival]\n"
                  for g in ("DNMT3A", "FLT3")))
    return study


@pytest.fixture(scope="module")
def laml_warehouse(tmp_path_factory, compiled_project):
    tmp_path = tmp_path_factory.mktemp("laml")
    warehouse = tmp_path / "oncoduck.duckdb"
    compiled_project.build(warehouse, [_laml_study(tmp_path)], "+stat_survival_tests")
    return warehouse


def _oracle() -> dict[str, dict[str, str]]:
    path = REPO.parent / "shared" / "oracle" / "maftools" / "A_laml_mafSurvival.tsv"
    if not path.exists():
        pytest.skip(f"maftools oracle {path} is absent")
    with open(path) as handle:
        return {row["gene"]: row for row in csv.DictReader(handle, delimiter="\t")}


@pytest.mark.parametrize("gene", ["DNMT3A", "FLT3"])
def test_survival_by_mutation_matches_maftools(laml_warehouse, gene):
    expected = _oracle()[gene]
    comparison = f"{gene.lower()}_mutant_vs_wt"
    rows = query(laml_warehouse, f"""select test, group_label, n, n_events, estimate, ci_low, ci_high, statistic, p_value
        from stats.stat_survival_tests where comparison = '{comparison}' and endpoint = 'OS'""")
    by = {(r[0], r[1]): r for r in rows}
    assert by[("km_median", "mutated")][2] == int(expected["n_mutant"])
    assert by[("km_median", "wildtype")][2] == int(expected["n_wt"])
    assert by[("km_median", "mutated")][3] == int(expected["events_mutant"])
    logrank = by[("logrank", None)]
    assert logrank[7] == pytest.approx(float(expected["logrank_chisq"]), rel=RTOL)
    assert logrank[8] == pytest.approx(float(expected["logrank_p"]), rel=RTOL)
    cox = by[("cox", "mutated")]
    assert cox[4] == pytest.approx(float(expected["hr_mutant_vs_wt"]), rel=RTOL)
    assert cox[5] == pytest.approx(float(expected["hr_mutant_vs_wt_ci_low"]), rel=RTOL)
    assert cox[6] == pytest.approx(float(expected["hr_mutant_vs_wt_ci_high"]), rel=RTOL)
    (days_per_month,) = query(laml_warehouse, "select distinct days_per_month from marts.fct_survival")[0]
    assert by[("km_median", "mutated")][4] * days_per_month == pytest.approx(float(expected["km_median_mutant"]), rel=RTOL)
    assert by[("km_median", "wildtype")][4] * days_per_month == pytest.approx(float(expected["km_median_wt"]), rel=RTOL)
