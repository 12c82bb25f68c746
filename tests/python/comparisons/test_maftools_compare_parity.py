"""maftools parity through the whole warehouse: APL primary vs relapse (mafCompare, minMut = 5;
../shared/oracle/maftools/B_apl_mafCompare_minMut5.tsv) from the two CR-only MAFs to the frequency mart.

maftools compares two MAFs, two cohorts: mafCompare(m1 = primary.apl, m2 = relapse.apl). Here each MAF is its
own study (apl_primary, apl_relapse, each with maftools' sample universe: sequenced_samples: maf) and
apl_relapse declares a comparison across both (issue 19, Build 4: ``studies:``, grouped by STUDY_ID).
fct_gene_frequency must give maftools' counts and cohort sizes, and the stats library in maftools
compatibility mode (genes with >= 5 altered in either group; BH over those genes) must give pval, or,
ci.low, ci.up and adjPval to 1e-9. Our default q (stat_enrichment) is BH over every gene tested in the
family, a documented, deliberate difference.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from oncoduck.stats.enrichment import compare_groups_binary
from oncoduck_testing import FIXTURE_STUDIES, REPO, query, require_shared_data

RTOL = 1e-9
COMPARISON = "primary_vs_relapse"


@pytest.fixture(scope="module")
def apl_warehouse(tmp_path_factory, compiled_project):
    root = tmp_path_factory.mktemp("apl")
    registry = (FIXTURE_STUDIES / "maftools_apl" / "data_clinical_sample.txt").read_text().splitlines(keepends=True)
    studies = []
    for study_id, maf, sample_type in (("apl_primary", "APL_primary.maf.gz", "Primary"),
                                       ("apl_relapse", "APL_relapse.maf.gz", "Recurrence")):
        study = root / study_id
        study.mkdir()
        (study / maf).symlink_to(require_shared_data("maftools_extdata", maf))
        # the study's own rows of the shared registry (every Tumor_Sample_Barcode of both files)
        (study / "data_clinical_sample.txt").write_text(
            registry[0] + "".join(line for line in registry[1:] if line.rstrip("\n").endswith("\t" + sample_type)))
        (study / "oncoduck_study.yml").write_text(
            f"study_id: {study_id}\nreference_genome: hg19\nassay_id: maftools_default\n"
            "tmb_definition: nonsyn_maftools_v1\nvariant_filter_rule_set: none\nsequenced_samples: maf\n"
            f"files:\n  mutations: [{maf}]\n  clinical_sample: [data_clinical_sample.txt]\n")
        studies.append(study)
    with open(studies[1] / "oncoduck_study.yml", "a") as yml:
        yml.write(f"comparisons:\n  - name: {COMPARISON}\n    studies: [apl_primary, apl_relapse]\n"
                  "    group_by: STUDY_ID\n    groups: {primary: [apl_primary], relapse: [apl_relapse]}\n"
                  "    analyses: [genes]\n")
    warehouse = root / "oncoduck.duckdb"
    compiled_project.build(warehouse, studies, "+fct_gene_frequency")
    return warehouse


def _oracle() -> pd.DataFrame:
    path = REPO.parent / "shared" / "oracle" / "maftools" / "B_apl_mafCompare_minMut5.tsv"
    if not path.exists():
        pytest.skip(f"maftools oracle {path} is absent")
    with open(path) as handle:
        return pd.DataFrame(list(csv.DictReader(handle, delimiter="\t"))).set_index("Hugo_Symbol")


def test_mafcompare_from_the_warehouse_matches_maftools(apl_warehouse):
    oracle = _oracle()
    rows = query(apl_warehouse, f"""select hugo_symbol, group_label, n_profiled, n_altered from marts.fct_gene_frequency
        where study_id = 'apl_relapse' and comparison = '{COMPARISON}' and alteration_type = 'mutation'""")
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
