"""User-supplied reference tables: a CDS coordinate table gives a panel's coding size (TMB denominator),
and a full hotspot table (cancerhotspots.org v2 as shipped with maftools) extends the hotspot seed."""

from __future__ import annotations

import json

import pytest

from oncoduck_testing import assert_build_ok, dbt_build, query, require_shared_data


@pytest.fixture(scope="module")
def reference_warehouse(tmp_path_factory):
    cds = require_shared_data("reference", "gencode_cdss_protein_coding_hg19.tsv.gz")
    hotspots = require_shared_data("maftools_extdata", "cancerhotspots_v2_hg19.tsv.gz")
    warehouse = tmp_path_factory.mktemp("reference") / "oncoduck.duckdb"
    result = dbt_build(warehouse, None, "--select", "+int_assays_coding_size", "+int_hotspot_residues",
                       "--indirect-selection", "cautious",
                       "--vars", json.dumps({"cds_coordinates_file": str(cds), "hotspots_file": str(hotspots)}))
    assert_build_ok(result)
    return warehouse


def test_panel_coding_size_from_gencode_cds(reference_warehouse):
    rows = {assay: (seed, cds, n, n_cds) for assay, seed, cds, n, n_cds in query(reference_warehouse, """
        select assay_id, coding_mb_seed, coding_mb_panel_cds, n_panel_genes, n_panel_genes_with_cds
        from intermediate.int_assays_coding_size where coding_mb_panel_cds is not null""")}
    # the demo panels' stated coding sizes (assays seed) agree with the merged GENCODE CDS footprint
    for assay in ("demo_panel_520", "demo_panel_1021"):
        seed, cds, n, n_cds = rows[assay]
        assert n == n_cds
        assert abs(cds - seed) / seed < 0.01, (assay, seed, cds)


def test_full_hotspot_table_extends_the_seed(reference_warehouse):
    by_source = dict(query(reference_warehouse, "select source, count(*) from intermediate.int_hotspot_residues group by 1"))
    assert by_source["user_file"] > 900 and by_source["cancerhotspots_v2"] == 48
    assert query(reference_warehouse, """select count(*) from intermediate.int_hotspot_residues
        where gene = 'PIK3CA' and protein_position in (542, 545, 1047)""")[0][0] == 3
