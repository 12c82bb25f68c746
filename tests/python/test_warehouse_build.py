"""The warehouse builds from study folders: the demo, a folder full of real-world quirks, cBioPortal's
es_0 test study (real data from ../shared; TCGA BRCA as a study: ingest/test_tcga_brca_study.py)."""

from __future__ import annotations

import hashlib
import json


from oncoduck_testing import query, require_shared_data, run_oncoduck, untyped_columns
from study_fixtures import write_quirky_study


def test_demo_builds_with_every_test_green_and_no_deprecation_warning(demo_warehouse):
    log = (demo_warehouse.parent / "build.log").read_text()
    assert "ERROR=0" in log and "WARN=0" in log
    assert "deprecat" not in log.lower()


def test_demo_every_model_and_column_is_described(demo_warehouse):
    manifest = json.loads((demo_warehouse.parent / "target" / "manifest.json").read_text())
    built = query(demo_warehouse, "select table_schema, table_name, column_name from information_schema.columns")
    by_table: dict[str, set[str]] = {}
    for _, table, column in built:
        by_table.setdefault(table, set()).add(column)
    undocumented = []
    nodes = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] in ("model", "seed")}
    for node in nodes.values():
        if not node["description"].strip():
            undocumented.append(node["name"])
        # a Python stats model stat_x_computed may leave its columns to its typed face stat_x
        described_by = nodes.get(node["name"].removesuffix("_computed"), node)
        described = {c for c, meta in {**described_by["columns"], **node["columns"]}.items()
                     if meta.get("description", "").strip()}
        undocumented += [f"{node['name']}.{c}" for c in sorted(by_table.get(node["name"], set()) - described)]
    assert not undocumented, f"not described: {undocumented[:20]}"


def test_demo_has_no_untyped_column(demo_warehouse):
    assert untyped_columns(demo_warehouse) == []


def test_counts_are_bigint_not_duckdb_hugeint(demo_warehouse):
    """DuckDB's sum() of integers is a 128-bit HUGEINT, which Spark does not have and which the Parquet serving
    copy stores as DOUBLE (a BI tool then shows 3.0 missense mutations): counts are cast to BIGINT."""
    assert query(demo_warehouse, """select schema_name || '.' || table_name || '.' || column_name from duckdb_columns()
        where database_name = current_database() and data_type = 'HUGEINT'
          and schema_name in ('staging', 'intermediate', 'marts', 'stats') order by all""") == []


def test_sums_of_doubles_come_out_in_the_same_bits_every_run(demo_warehouse):
    """A sum of doubles added in whatever order DuckDB's threads finish differs in its last bits from run to run
    (int_fish_patients_summarised did within 8 runs on the demo): the models that sum or average non-integral
    doubles add them in a stated order (macro ordered_sum), so a rebuild gives the same bits."""
    manifest = json.loads((demo_warehouse.parent / "target" / "manifest.json").read_text())
    compiled = {node["name"]: node["compiled_code"] for node in manifest["nodes"].values()
                if node["resource_type"] == "model"}
    models = ["int_fish_biopsies_summarised", "int_fish_patients_summarised", "fct_patient_burden",
              "fct_longitudinal_ctdna", "fct_study_tmb_distribution"]
    for model in models:
        runs = {hashlib.sha256(repr(query(demo_warehouse, f"select * from ({compiled[model]}) order by all"))
                               .encode()).hexdigest() for _ in range(8)}
        assert len(runs) == 1, f"{model}: {len(runs)} different results in 8 runs"


def test_demo_every_sequenced_sample_is_in_dim_sample_even_without_variants(demo_warehouse):
    (n_sequenced,) = query(demo_warehouse, "select count(*) from marts.dim_sample where is_sequenced")[0]
    (with_variants,) = query(demo_warehouse, "select count(distinct study_id || sample_id) from marts.fct_variant")[0]
    assert n_sequenced >= with_variants > 0
    assert query(demo_warehouse, "select count(*) from staging.all_rejects")[0][0] == 0  # the demo is clean


def test_quirky_study_lands_every_quirk(tmp_path, compiled_project):
    study = write_quirky_study(tmp_path)
    warehouse = tmp_path / "oncoduck.duckdb"
    compiled_project.build(warehouse, [study])
    samples = query(warehouse, "select sample_id, patient_id, sample_type from marts.dim_sample order by 1")
    assert samples == [("TCGA-AA-0001-01", "TCGA-AA-0001", "primary"), ("TCGA-AA-0002-01", "TCGA-AA-0002", "primary"),
                       ("TCGA-AA-0003-01", "TCGA-AA-0003", "primary")]  # lower-case barcodes, [Not Applicable] -> barcode code
    variants = query(warehouse, "select sample_id, chromosome, protein_change, t_alt_count, variant_classification, aliquot_barcode "
                                "from marts.fct_variant order by start_position")
    assert ("TCGA-AA-0001-01", "3", "p.H1047R", 12, "Missense_Mutation", "TCGA-AA-0001-01A-11D-A000-09") in variants  # chr3, vendor columns, vial A wins
    assert any(v[1] == "X" for v in variants)  # 23 -> X
    assert query(warehouse, "select count(*) from marts.fct_variant")[0][0] == 3
    status = dict(query(warehouse, "select patient_id, status_event from staging.stg_study__clinical_attributes where attribute = 'OS_STATUS'"))
    assert status == {"TCGA-AA-0001": 0, "TCGA-AA-0002": 1, "TCGA-AA-0003": 0}  # 0:LIVING, 1:DECEASED, plain LIVING
    segments = query(warehouse, "select chromosome from marts.fct_cna_segment order by 1")
    assert segments == [("17",), ("X",)]
    rejects = query(warehouse, "select input_kind, reject_reason, source_row from staging.all_rejects order by 1, 3")
    assert rejects == [("mutations", "duplicate_variant", 5), ("survival", "missing_time", 7), ("survival", "missing_time", 8)]


def test_cbioportal_es0_ingests_with_every_file_accounted_for(tmp_path, cli_compiled_graph):
    """cBioPortal's own test study, built as a user's build after the first (from the compiled project)."""
    es0 = require_shared_data("cbioportal_study_es_0")
    warehouse = tmp_path / "oncoduck.duckdb"
    build = run_oncoduck("build", "--study", str(es0), "--target", "test", "--no-publish",
                         env={"ONCODUCK_TEST_WAREHOUSE": str(warehouse)}, timeout=900)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "run from the project compiled at the last dbt build" in build.stdout
    # cBioPortal's own test study passes validate with warnings only (exit 3, never 1), and validate lists
    # the findings the build prints: the same files not landed, the same 67 survival statuses without a time
    validate = run_oncoduck("validate", str(es0))
    assert validate.returncode == 3, validate.stdout[-2000:] + validate.stderr[-2000:]
    lines = validate.stdout.splitlines()
    assert lines and all(": WARNING: " in line for line in lines)
    not_landed = sorted(line for line in lines if ": WARNING: file_not_landed: " in line)
    summary = build.stdout[build.stdout.index("Build summary"):]
    assert len(not_landed) == 17 and all(line in summary for line in not_landed)
    assert sum(": WARNING: missing_time: " in line for line in lines) == 67
    assert "(missing_time 67)" in summary
    # its MAF gives WUSTL's tumor_vaf in percent (13.64, 30.0 ...) and no read counts on 10 lines: without
    # vaf_scale: percent declared, those lines are rejected with the fix named, not read as percentages silently
    vaf = [line for line in lines if ": WARNING: vaf_out_of_range: " in line]
    assert len(vaf) == 10 and all(line.endswith("declare vaf_scale: percent in oncoduck_study.yml") for line in vaf)
    files = dict(query(warehouse, "select file_name, coalesce(file_kind, 'not landed: ' || decided_by) from landing.landing_study_files"))
    data_files = {p.name for p in es0.iterdir() if p.is_file() and p.name.startswith("data_")}
    assert data_files <= set(files)
    assert files["data_mutations_extended.maf"] == "mutations"
    assert query(warehouse, "select count(*) from marts.fct_variant")[0][0] == 36 - 10
    assert query(warehouse, "select count(*) from marts.dim_sample")[0][0] == 845
    assert query(warehouse, "select count(*) from marts.dim_patient")[0][0] == 841
    # the long-format discrete CNA lands gene by gene
    assert query(warehouse, "select count(*) from landing.landing_cna where cna_kind = 'discrete'")[0][0] == 6304
    # its 48 structural variants (fusions; NA for absent fields) land and are all accepted, each with the genes
    # of both sites as the file gives them (one line has no Site1 gene, one no Site2 gene)
    assert files["data_structural_variants.txt"] == "structural_variants"
    assert query(warehouse, "select count(*) from landing.landing_structural_variants") == [(48,)]
    assert query(warehouse, "select count(*) from staging.all_rejects where input_kind = 'structural_variants'") == [(0,)]
    first = query(warehouse, """select sample_id, site1_hugo_symbol, site1_chromosome, site1_position, site2_hugo_symbol,
                                       site2_position, event_info, sv_class, sv_status
                                from staging.stg_study__structural_variants order by source_row limit 1""")
    assert first == [("TCGA-A2-A04P-01", "PIEZO1", "7", 138536968, "NCOA4", 140482957, "Fusion", None, "SOMATIC")]
    assert query(warehouse, """select count(*) filter (where site1_hugo_symbol is null),
                                      count(*) filter (where site2_hugo_symbol is null)
                               from staging.stg_study__structural_variants""") == [(1, 1)]


def test_sample_file_without_patient_column_makes_each_sample_its_own_patient(tmp_path, compiled_project):
    study = tmp_path / "no_patient_column"
    study.mkdir()
    (study / "meta_study.txt").write_text("cancer_study_identifier: nopat\nreference_genome: hg19\n")
    (study / "data_clinical_sample.txt").write_text("SAMPLE_ID\tSAMPLE_TYPE\nS1\tPrimary\nS2\tMetastasis\n")
    (study / "data_mutations.txt").write_text(
        "Hugo_Symbol\tChromosome\tStart_Position\tReference_Allele\tTumor_Seq_Allele2\tVariant_Classification\tTumor_Sample_Barcode\n"
        "TP53\t17\t7578406\tC\tT\tMissense_Mutation\tS1\n")
    warehouse = tmp_path / "oncoduck.duckdb"
    compiled_project.build(warehouse, [study], "+dim_sample", "+fct_variant", "+all_rejects")
    assert query(warehouse, "select sample_id, patient_id from marts.dim_sample order by 1") == [("S1", "S1"), ("S2", "S2")]
    assert query(warehouse, "select count(*) from staging.all_rejects")[0][0] == 0
