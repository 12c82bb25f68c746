"""TCGA BRCA: MC3 TMB for all 1,026 samples, and ERBB2 amplification from Firehose SNP6 segments
against HER2 IHC 3+ / ISH-positive (the agreement is written in
models/intermediate/copy_number/_copy_number__models.yml, int_segments_mapped_to_genes)."""

from __future__ import annotations

import pandas as pd
import pytest

from variants.burden_selection import BURDEN_SELECTION
from oncoduck_testing import FIXTURE_STUDIES, query, require_shared_data

MAFTOOLS_NONSYN = {"Frame_Shift_Del", "Frame_Shift_Ins", "Splice_Site", "Translation_Start_Site", "Nonsense_Mutation",
                   "Nonstop_Mutation", "In_Frame_Del", "In_Frame_Ins", "Missense_Mutation"}


@pytest.fixture(scope="module")
def brca_warehouse(tmp_path_factory, compiled_project):
    require_shared_data("tcga_brca", "firehose", "BRCA.CNV.20160128.tsv.gz")
    require_shared_data("tcga_brca", "MC3_BRCA.nonsilent.maf.tsv.gz")
    warehouse = tmp_path_factory.mktemp("brca") / "oncoduck.duckdb"
    compiled_project.build(warehouse, [FIXTURE_STUDIES / "tcga_brca_cn"], *BURDEN_SELECTION)
    return warehouse


def test_mc3_tmb_for_all_1026_samples(brca_warehouse):
    rows = query(brca_warehouse, """select count(distinct sample_id), count(tmb_per_mb), min(coding_mb), max(coding_mb)
        from marts.fct_sample_burden where tmb_definition = 'nonsyn_maftools_v1'""")[0]
    assert rows == (1026, 1026, 35.8, 35.8)




def test_mc3_counts_equal_pandas(brca_warehouse):
    base = require_shared_data("tcga_brca")
    maf = pd.concat([pd.read_csv(base / name, sep="\t", comment="#", low_memory=False,
                                 usecols=["Tumor_Sample_Barcode", "Chromosome", "Start_Position", "Reference_Allele",
                                          "Tumor_Seq_Allele2", "Variant_Classification"])
                     for name in ("MC3_BRCA.nonsilent.maf.tsv.gz", "MC3_BRCA.silent.maf.tsv.gz")])
    maf["sample_id"] = maf["Tumor_Sample_Barcode"].str.upper().str[:15]
    maf = maf.drop_duplicates(["sample_id", "Chromosome", "Start_Position", "Reference_Allele", "Tumor_Seq_Allele2"])
    expected = maf[maf["Variant_Classification"].isin(MAFTOOLS_NONSYN)].groupby("sample_id").size()
    ours = pd.Series(dict(query(brca_warehouse, """select sample_id, n_nonsynonymous from marts.fct_sample_burden
        where tmb_definition = 'nonsyn_maftools_v1'""")))
    joined = pd.concat([expected.rename("expected"), ours.rename("ours")], axis=1).fillna(0)
    assert (joined["expected"] == joined["ours"]).all(), joined[joined["expected"] != joined["ours"]].head()


def test_segments_exclude_normals_and_map_x(brca_warehouse):
    assert query(brca_warehouse, """select count(*) from intermediate.int_segments_called
        where substr(sample_id, 14, 2) in ('10', '11')""")[0][0] == 0
    assert query(brca_warehouse, "select count(*) from intermediate.int_segments_called where chromosome = 'X'")[0][0] > 0


def test_erbb2_amplification_agrees_with_her2_status(brca_warehouse):
    rows = query(brca_warehouse, """
        with her2 as (
            select sample_id,
                max(case when attribute = 'HER2_IHC_SCORE' then value_text end) as ihc,
                max(case when attribute = 'HER2_ISH_STATUS' then value_text end) as ish
            from staging.stg_study__clinical_attributes where level = 'sample' group by sample_id
        ),
        labelled as (
            select sample_id, coalesce(ihc = '3+', false) or coalesce(ish = 'Positive', false) as her2_positive
            from her2 where ihc is not null or ish is not null
        ),
        segmented as (  -- samples with a segment over ERBB2's exonic span (dim_gene)
            select distinct segments.sample_id
            from intermediate.int_segments_called as segments
            inner join marts.dim_gene as genes on genes.hugo_symbol = 'ERBB2'
                and genes.chromosome = segments.chromosome
                and segments.start_position <= genes.exonic_end and segments.end_position >= genes.exonic_start
        ),
        rules as (select 'entire_exonic_span' as gene_mapping_rule union all select 'any_overlap'),
        calls as (  -- int_segments_mapped_to_genes leaves neutral genes out: no row = neutral
            select segmented.sample_id, rules.gene_mapping_rule, coalesce(mapped.cna_call = 'amplification', false) as amplified
            from segmented cross join rules
            left join intermediate.int_segments_mapped_to_genes as mapped
                on mapped.sample_id = segmented.sample_id and mapped.gene_mapping_rule = rules.gene_mapping_rule
                and mapped.hugo_symbol = 'ERBB2'
        )
        select gene_mapping_rule, count(*), sum(case when her2_positive then 1 else 0 end),
            sum(case when her2_positive and amplified then 1 else 0 end),
            sum(case when not her2_positive and amplified then 1 else 0 end),
            avg(case when her2_positive = amplified then 1.0 else 0.0 end)
        from labelled inner join calls using (sample_id)
        group by gene_mapping_rule order by gene_mapping_rule""")
    report = {rule: dict(n=n, positives=pos, true_pos=tp, false_pos=fp, agreement=round(agree, 3))
              for rule, n, pos, tp, fp, agree in rows}
    print("ERBB2 amplification vs HER2 IHC 3+ / ISH positive:", report)
    span = report["entire_exonic_span"]
    # the numbers written in the model docs
    assert (span["n"], span["positives"], span["true_pos"], span["false_pos"]) == (677, 134, 61, 9)
    assert span["agreement"] == 0.879 and report["any_overlap"]["agreement"] == 0.913
