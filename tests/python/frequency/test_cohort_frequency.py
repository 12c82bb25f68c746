"""Cohort-wide marts without any declaration: a study folder with no oncoduck_study.yml still answers "how
often is PIK3CA mutated here" (fct_gene_frequency, comparison cohort:all / cohort:sample_type) and "what TMB
does it have" (fct_study_tmb_distribution). Counts are recomputed here with pandas from the files
themselves: denominators are the registry's non-normal samples (zero-mutation samples count), numerators
the samples with a nonsynonymous (maftools classes) mutation of the gene."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oncoduck.ingest import declarations
from oncoduck_testing import query, require_shared_data, typed_clinical_text

NONSYNONYMOUS = {"Frame_Shift_Del", "Frame_Shift_Ins", "Splice_Site", "Translation_Start_Site", "Nonsense_Mutation",
                 "Nonstop_Mutation", "In_Frame_Del", "In_Frame_Ins", "Missense_Mutation"}  # nonsyn_maftools_v1
SELECT = ["+fct_gene_frequency", "+fct_hotspot_frequency", "+fct_pathway_frequency",
          "+fct_study_tmb_distribution", "+fct_comparison_member"]

MAF_COLUMNS = ["Hugo_Symbol", "Chromosome", "Start_Position", "End_Position", "Reference_Allele", "Tumor_Seq_Allele2",
               "Variant_Classification", "Tumor_Sample_Barcode", "HGVSp_Short"]
# (sample, gene, chromosome, position, ref, alt, class, protein change)
VARIANTS = [
    ("S1", "PIK3CA", "3", 178952085, "A", "G", "Missense_Mutation", "p.H1047R"),
    ("S1", "TP53", "17", 7578406, "C", "T", "Missense_Mutation", "p.R175H"),
    ("S2", "PIK3CA", "3", 178936091, "G", "A", "Missense_Mutation", "p.E545K"),
    ("S2", "PIK3CA", "3", 178952085, "A", "G", "Missense_Mutation", "p.H1047R"),  # one sample, counted once
    ("S3", "PIK3CA", "3", 178921553, "T", "C", "Silent", "p.P104P"),              # silent: not mutated
    ("S3", "TP53", "17", 7577120, "C", "T", "Nonsense_Mutation", "p.R306*"),
    ("S5", "GATA3", "10", 8115874, "-", "A", "Frame_Shift_Ins", "p.P409fs"),
    ("S6", "PIK3CA", "3", 178952085, "A", "G", "Missense_Mutation", "p.H1047R"),   # the normal sample: left out
]
# S4 and S7 have no mutation at all: they count in every denominator.
SAMPLES = [("P1", "S1", "Primary"), ("P2", "S2", "Primary"), ("P3", "S3", "Metastasis"), ("P4", "S4", "Primary"),
           ("P5", "S5", "Primary"), ("P5", "S6", "Normal"), ("P5", "S7", "Metastasis")]


def write_undeclared_study(root):
    """A cBioPortal folder with a MAF, typed clinical files and no oncoduck_study.yml."""
    study = root / "undeclared"
    study.mkdir()
    (study / "meta_study.txt").write_text("cancer_study_identifier: undeclared_cohort\nreference_genome: hg19\n"
                                          "name: A study without declarations\n")
    (study / "data_clinical_patient.txt").write_text(typed_clinical_text(
        ["PATIENT_ID", "AGE", "PAM50"], ["STRING", "NUMBER", "STRING"],
        [("P1", 51, "LumA"), ("P2", 64, "LumB"), ("P3", 45, "Basal"), ("P4", "NA", "Her2"), ("P5", 70, "LumA")]))
    (study / "data_clinical_sample.txt").write_text(typed_clinical_text(
        ["PATIENT_ID", "SAMPLE_ID", "SAMPLE_TYPE"], ["STRING", "STRING", "STRING"], SAMPLES))
    maf = ["\t".join(MAF_COLUMNS)] + ["\t".join([g, c, str(p), str(p), r, a, k, s, h])
                                      for s, g, c, p, r, a, k, h in VARIANTS]
    (study / "data_mutations.txt").write_text("\n".join(maf) + "\n")
    return study


def expected_gene_counts(maf: pd.DataFrame, samples: pd.DataFrame) -> pd.DataFrame:
    """group_label x hugo_symbol -> n_profiled (every non-normal sample of the group), n_altered (samples with a
    nonsynonymous mutation of the gene), for cohort:all (group 'all') and cohort:sample_type."""
    tumours = samples[samples["sample_type"] != "normal"]
    mutated = maf[maf["Variant_Classification"].isin(NONSYNONYMOUS)][["Tumor_Sample_Barcode", "Hugo_Symbol"]]
    mutated = mutated.drop_duplicates().merge(tumours, left_on="Tumor_Sample_Barcode", right_on="sample_id")
    frames = []
    for comparison, by in (("cohort:all", None), ("cohort:sample_type", "sample_type")):
        groups = tumours.assign(group_label="all") if by is None else tumours.assign(group_label=tumours[by])
        altered = mutated.assign(group_label="all" if by is None else mutated[by])
        sizes = groups.groupby("group_label").size().rename("n_profiled").reset_index()
        counts = altered.groupby(["group_label", "Hugo_Symbol"]).size().rename("n_altered").reset_index()
        genes = counts[["Hugo_Symbol"]].drop_duplicates()
        frame = sizes.merge(genes, how="cross").merge(counts, how="left", on=["group_label", "Hugo_Symbol"])
        frames.append(frame.fillna({"n_altered": 0}).assign(comparison=comparison))
    out = pd.concat(frames, ignore_index=True).rename(columns={"Hugo_Symbol": "hugo_symbol"})
    return out.astype({"n_profiled": int, "n_altered": int})


def mart_gene_counts(warehouse, study_id: str) -> pd.DataFrame:
    rows = query(warehouse, f"""select comparison, group_label, hugo_symbol, n_profiled, n_altered
        from marts.fct_gene_frequency
        where study_id = '{study_id}' and comparison like 'cohort:%' and alteration_type = 'mutation'""")
    return pd.DataFrame(rows, columns=["comparison", "group_label", "hugo_symbol", "n_profiled", "n_altered"])


def assert_same_counts(mart: pd.DataFrame, expected: pd.DataFrame) -> None:
    keys = ["comparison", "group_label", "hugo_symbol"]
    merged = expected.merge(mart, on=keys, how="outer", suffixes=("_expected", "_mart"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    for column in ("n_profiled", "n_altered"):
        differ = merged[merged[f"{column}_expected"] != merged[f"{column}_mart"]]
        assert differ.empty, differ


def assert_tmb_distribution(warehouse, study_id: str, samples: pd.DataFrame, n_nonsynonymous: pd.Series) -> None:
    """fct_study_tmb_distribution (cohort:all, the study's definition) against numpy: the nonsynonymous count
    of every non-normal sample (zero when it has no mutation), and TMB = count / coding_mb when the study has
    a coding size (none when it declares no assay: then no sample has a TMB)."""
    (coding_mb,) = {r[0] for r in query(warehouse, f"""select coding_mb from marts.fct_sample_burden
        where study_id = '{study_id}' and is_study_definition""")}
    tumours = samples.loc[samples["sample_type"] != "normal", "sample_id"]
    counts = n_nonsynonymous.reindex(tumours, fill_value=0).to_numpy().astype(float)
    rows = query(warehouse, f"""select measure, n_samples, n_sequenced, n_with_value, minimum, q1, median, q3,
            maximum, mean from marts.fct_study_tmb_distribution
        where study_id = '{study_id}' and comparison = 'cohort:all' and is_study_definition""")
    by_measure = {r[0]: r[1:] for r in rows}
    assert set(by_measure) == {"n_nonsynonymous", "tmb_per_mb"}
    for measure, values in (("n_nonsynonymous", counts), ("tmb_per_mb", None if coding_mb is None else counts / coding_mb)):
        n_samples, n_sequenced, n_with_value, *stats = by_measure[measure]
        assert n_samples == n_sequenced == len(tumours)
        if values is None:
            assert n_with_value == 0 and stats == [None] * 6
            continue
        assert n_with_value == len(tumours)
        expected = [values.min(), *np.percentile(values, [25, 50, 75]), values.max(), values.mean()]  # type 7
        assert stats == pytest.approx(expected, rel=1e-12), measure


def _write_laml_bare(root: Path) -> Path | None:
    """TCGA-LAML (maftools' example MAF and its 200-sample annotation) as a bare cBioPortal folder, no
    oncoduck_study.yml; None when ../shared/data is absent."""
    from oncoduck_testing import SHARED_DATA

    maf_path = SHARED_DATA / "maftools_extdata" / "tcga_laml.maf.gz"
    annot_path = SHARED_DATA / "maftools_extdata" / "tcga_laml_annot.tsv"
    if not (maf_path.exists() and annot_path.exists()):
        return None
    annot = pd.read_csv(annot_path, sep="\t")
    study = root / "laml_bare"
    study.mkdir()
    (study / "meta_study.txt").write_text("cancer_study_identifier: laml_bare\nreference_genome: hg19\n")
    rows = [(b, b, "Primary", fab) for b, fab in zip(annot["Tumor_Sample_Barcode"], annot["FAB_classification"])]
    (study / "data_clinical_sample.txt").write_text(typed_clinical_text(
        ["PATIENT_ID", "SAMPLE_ID", "SAMPLE_TYPE", "FAB_CLASSIFICATION"], ["STRING"] * 4, rows))
    shutil.copyfile(maf_path, study / maf_path.name)  # a link out of the folder would be refused
    return study


@pytest.fixture(scope="module")
def undeclared(tmp_path_factory, compiled_project):
    """One build of the two undeclared studies (the small fixture, and LAML when ../shared/data is there)."""
    root = tmp_path_factory.mktemp("undeclared")
    studies = [write_undeclared_study(root), _write_laml_bare(root)]
    warehouse = root / "oncoduck.duckdb"
    compiled_project.build(warehouse, [s for s in studies if s is not None], *SELECT)
    return warehouse


def _fixture_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    maf = pd.DataFrame([(s, g, k) for s, g, _, _, _, _, k, _ in VARIANTS],
                       columns=["Tumor_Sample_Barcode", "Hugo_Symbol", "Variant_Classification"])
    samples = pd.DataFrame([(s, t.lower()) for _, s, t in SAMPLES], columns=["sample_id", "sample_type"])
    return maf, samples


def test_study_without_declarations_has_cohort_wide_gene_frequencies(undeclared):
    maf, samples = _fixture_frames()
    mart = mart_gene_counts(undeclared, "undeclared_cohort")
    assert_same_counts(mart, expected_gene_counts(maf, samples))
    pik3ca = mart[(mart["comparison"] == "cohort:all") & (mart["hugo_symbol"] == "PIK3CA")].iloc[0]
    assert (pik3ca["n_profiled"], pik3ca["n_altered"]) == (6, 2)  # S4 and S7 (no mutation) count; S6 is normal


def test_study_without_declarations_has_its_tmb_distribution(undeclared):
    maf, samples = _fixture_frames()
    n = maf[maf["Variant_Classification"].isin(NONSYNONYMOUS)].groupby("Tumor_Sample_Barcode").size()
    assert_tmb_distribution(undeclared, "undeclared_cohort", samples, n)
    by_type = dict(query(undeclared, """select group_label, n_samples from marts.fct_study_tmb_distribution
        where study_id = 'undeclared_cohort' and comparison = 'cohort:sample_type' and is_study_definition
          and measure = 'n_nonsynonymous'"""))
    assert by_type == {"primary": 4, "metastasis": 2}


def test_cohort_groupings_are_members_but_never_tested(undeclared):
    members = dict(query(undeclared, """select comparison, count(*) from marts.fct_comparison_member
        where study_id = 'undeclared_cohort' group by comparison"""))
    assert members == {"cohort:all": 6, "cohort:sample_type": 6}
    hotspots = query(undeclared, """select n_profiled, n_altered from marts.fct_hotspot_frequency
        where study_id = 'undeclared_cohort' and comparison = 'cohort:all' and hugo_symbol = 'PIK3CA'
          and feature = 'H1047'""")
    assert hotspots == [(6, 2)]  # S1 and S2 (S6, the normal sample, is no member)


def test_cohort_groupings_leave_the_demo_statistics_alone(demo_warehouse):
    # the implicit groupings are in the frequency marts of every demo study, and in no statistics table
    studies = query(demo_warehouse, """select count(distinct study_id) from marts.fct_gene_frequency
        where comparison = 'cohort:all'""")
    assert studies == [(5,)]
    stats_tables = query(demo_warehouse, """select table_name from information_schema.columns
        where table_schema in ('stats', 'stats_computed') and column_name = 'comparison'""")
    assert stats_tables
    for (table,) in stats_tables:
        schema = query(demo_warehouse, f"""select table_schema from information_schema.tables
            where table_name = '{table}' and table_schema like 'stats%'""")[0][0]
        leaked = query(demo_warehouse, f"select count(*) from {schema}.{table} where comparison like 'cohort:%'")
        assert leaked == [(0,)], table


def test_a_declared_comparison_may_not_take_a_reserved_name(tmp_path):
    (tmp_path / "oncoduck_study.yml").write_text(
        "comparisons:\n  - name: 'cohort:all'\n    group_by: SAMPLE_TYPE_CANONICAL\n"
        "    groups: {primary: [primary], metastasis: [metastasis]}\n")
    (problem,) = declarations.problems(tmp_path / "oncoduck_study.yml")
    assert ":2:5: comparisons[1].name: " in problem and "reserved for the implicit groupings" in problem


def test_laml_without_declarations_matches_pandas(undeclared):
    """TCGA-LAML as a bare folder: every gene count equals pandas, samples without mutations count."""
    maf_path = require_shared_data("maftools_extdata", "tcga_laml.maf.gz")
    annot = pd.read_csv(require_shared_data("maftools_extdata", "tcga_laml_annot.tsv"), sep="\t")
    warehouse = undeclared
    with gzip.open(maf_path, "rt") as handle:
        maf = pd.read_csv(handle, sep="\t", comment="#", low_memory=False,
                          usecols=["Hugo_Symbol", "Variant_Classification", "Tumor_Sample_Barcode"])
    samples = pd.DataFrame({"sample_id": annot["Tumor_Sample_Barcode"], "sample_type": "primary"})
    mart = mart_gene_counts(warehouse, "laml_bare")
    expected = expected_gene_counts(maf, samples)
    assert_same_counts(mart, expected)
    flt3 = mart[(mart["comparison"] == "cohort:all") & (mart["hugo_symbol"] == "FLT3")].iloc[0]
    assert flt3["n_profiled"] == len(annot) == 200  # the 7 annotated samples absent from the MAF count too
    n = maf[maf["Variant_Classification"].isin(NONSYNONYMOUS)].groupby("Tumor_Sample_Barcode").size()
    assert_tmb_distribution(warehouse, "laml_bare", samples, n)
    assert json.dumps(sorted(mart["comparison"].unique().tolist())) == '["cohort:all", "cohort:sample_type"]'
