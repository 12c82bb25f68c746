"""maftools parity through the whole warehouse: APL primary vs relapse (mafCompare, minMut = 5;
../shared/oracle/maftools/B_apl_mafCompare_minMut5.tsv) from the two CR-only MAFs to the frequency mart.

The study declares the comparison (relapse vs primary by sample type) with maftools' sample universe
(sequenced_samples: maf). fct_gene_frequency must give maftools' counts and cohort sizes, and the stats
library in maftools compatibility mode (genes with >= 5 altered in either group; BH over those genes)
must give pval, or, ci.low, ci.up and adjPval to 1e-9. Our default q (stat_enrichment) is BH over every
gene tested in the family, a documented, deliberate difference.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from oncoduck.stats.enrichment import compare_groups_binary
from oncoduck_testing import FIXTURE_STUDIES, REPO, assert_build_ok, dbt_build, query, require_shared_data

RTOL = 1e-9


@pytest.fixture(scope="module")
def apl_warehouse(tmp_path_factory):
    study = tmp_path_factory.mktemp("apl") / "maftools_apl_compare"
    study.mkdir()
    for name in ("APL_primary.maf.gz", "APL_relapse.maf.gz"):
        (study / name).symlink_to(require_shared_data("maftools_extdata", name))
    (study / "data_clinical_sample.txt").symlink_to(FIXTURE_STUDIES / "maftools_apl" / "data_clinical_sample.txt")
    (study / "oncoduck_study.yml").write_text(
        "study_id: maftools_apl\nreference_genome: hg19\nassay_id: maftools_default\ntmb_definition: nonsyn_maftools_v1\n"
        "variant_filter_rule_set: none\nsequenced_samples: maf\n"
        "files:\n  mutations: [APL_primary.maf.gz, APL_relapse.maf.gz]\n  clinical_sample: [data_clinical_sample.txt]\n"
        "comparisons:\n  - name: primary_vs_relapse\n    group_by: SAMPLE_TYPE_CANONICAL\n"
        "    groups: {primary: [primary], relapse: [recurrence]}\n    analyses: [genes]\n")
    warehouse = study.parent / "apl.duckdb"
    assert_build_ok(dbt_build(warehouse, [study], "--select", "+fct_gene_frequency",
                              "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"))
    return warehouse


def _oracle() -> pd.DataFrame:
    path = REPO.parent / "shared" / "oracle" / "maftools" / "B_apl_mafCompare_minMut5.tsv"
    if not path.exists():
        pytest.skip(f"maftools oracle {path} is absent")
    with open(path) as handle:
        return pd.DataFrame(list(csv.DictReader(handle, delimiter="\t"))).set_index("Hugo_Symbol")


def test_mafcompare_from_the_warehouse_matches_maftools(apl_warehouse):
    oracle = _oracle()
    rows = query(apl_warehouse, """select hugo_symbol, group_label, n_profiled, n_altered from marts.fct_gene_frequency
        where comparison = 'primary_vs_relapse' and alteration_type = 'mutation'""")
    counts = pd.DataFrame(rows, columns=["feature", "group", "n_profiled", "n_altered"])
    sizes = counts.groupby("group")["n_profiled"].max().to_dict()
    assert sizes == {"primary": 124, "relapse": 58}  # B_apl_mafCompare_sample_sizes.tsv
    result = compare_groups_binary(counts, groups=["primary", "relapse"], maftools_compat=True, min_mut=5)
    result = result.set_index("feature")
    assert sorted(result.index) == sorted(oracle.index)
    for gene, expected in oracle.iterrows():
        got = result.loc[gene]
        assert (got.altered1, got.altered2) == (int(expected.Primary), int(expected.Relapse)), gene
        for ours, theirs in (("p_value", "pval"), ("odds_ratio", "or"), ("ci_low", "ci.low"), ("ci_high", "ci.up"),
                             ("q_value", "adjPval")):
            assert got[ours] == pytest.approx(float(expected[theirs]), rel=RTOL, abs=0 if float(expected[theirs]) else 1e-300), (gene, ours)
