"""Annotated VCFs (VEP CSQ, SnpEff ANN) land in landing_mutations beside MAFs and are typed, checked and
classified by the same staging and intermediate models (python/oncoduck/ingest/vcf.py)."""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import duckdb
import pytest

from oncoduck_testing import query
from oncoduck.ingest.landing import check_file, landing_sql
from oncoduck.ingest.study import discover
from oncoduck.ingest.vcf import maf_allele_sql, vcf_samples, read_vcf_shape

VEP_CSQ_HEADER = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
                  'Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|HGVSc|HGVSp|'
                  'CANONICAL|gnomADe_AF">')
SNPEFF_ANN_HEADER = ('##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: \'Allele | Annotation | '
                     'Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | '
                     'HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | '
                     'ERRORS / WARNINGS / INFO\' ">')
FORMAT_HEADER = ['##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
                 '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
                 '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
                 '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fraction">']
COLUMNS = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT"


def csq(*entries: str) -> str:
    return "CSQ=" + ",".join(entries)


def _vep_lines() -> list[str]:
    return ["##fileformat=VCFv4.2", "##reference=GRCh38", VEP_CSQ_HEADER, *FORMAT_HEADER, COLUMNS + "\tS1",
            # line 9 SNV: a more severe non-canonical transcript loses to the canonical one
            "chr3\t178936091\t.\tG\tA\t.\tPASS\t" + csq(
                "A|stop_gained|HIGH|PIK3CA|ENSG00000121879|Transcript|ENST00000999999.1|protein_coding|"
                "ENST00000999999.1:c.1A>T|ENSP00000999999.1:p.Lys1Ter||",
                "A|missense_variant|MODERATE|PIK3CA|ENSG00000121879|Transcript|ENST00000263967.4|protein_coding|"
                "ENST00000263967.4:c.1633G>A|ENSP00000263967.3:p.Glu545Lys|YES|1e-05")
            + "\tGT:AD:DP:AF\t0/1:60,40:100:0.4",
            # line 10 multi-allelic: each ALT takes its own entries
            "chr17\t7675088\t.\tC\tT,A\t.\tPASS\t" + csq(
                "T|missense_variant|MODERATE|TP53|ENSG00000141510|Transcript|ENST00000269305.9|protein_coding|"
                "ENST00000269305.9:c.524G>A|ENSP00000269305.4:p.Arg175His|YES|",
                "A|synonymous_variant|LOW|TP53|ENSG00000141510|Transcript|ENST00000269305.9|protein_coding|"
                "ENST00000269305.9:c.525G>T|ENSP00000269305.4:p.Arg175%3D|YES|")
            + "\tGT:AD:DP:AF\t1/2:10,30,20:60:0.5,0.333",
            # line 11 deletion CAT>C (VEP writes the allele without the anchor base: '-')
            "chr17\t7675200\t.\tCAT\tC\t.\tPASS\t" + csq(
                "-|frameshift_variant|HIGH|TP53|ENSG00000141510|Transcript|ENST00000269305.9|protein_coding|"
                "ENST00000269305.9:c.400_401del|ENSP00000269305.4:p.Met134fs|YES|")
            + "\tGT:AD:DP:AF\t0/1:45,15:60:0.25",
            # line 12 no CANONICAL flag: the most severe consequence wins over file order
            "chr12\t25245350\t.\tC\tG\t.\tclustered_events\t" + csq(
                "G|intron_variant|MODIFIER|KRAS|ENSG00000133703|Transcript|ENST00000311936.8|protein_coding|||||",
                "G|splice_region_variant&synonymous_variant|LOW|KRAS|ENSG00000133703|Transcript|ENST00000556131.1|"
                "protein_coding|||||",
                "G|missense_variant|MODERATE|KRAS|ENSG00000133703|Transcript|ENST00000256078.10|protein_coding|"
                "ENST00000256078.10:c.35G>C|ENSP00000256078.5:p.Gly12Ala||")
            + "\tGT:AD:DP\t0/1:30,10:40"]


def _snpeff_lines() -> list[str]:
    # normal column first: oncoduck_study.yml names which is which
    return ["##fileformat=VCFv4.2", "##reference=file:///ref/GRCh38.fa", SNPEFF_ANN_HEADER, *FORMAT_HEADER,
            COLUMNS + "\tN2\tT2",
            # line 9 insertion A>AT
            "chr7\t55174772\t.\tA\tAT\t.\tPASS\tDP=60;ANN=AT|frameshift_variant|HIGH|EGFR|ENSG00000146648|transcript|"
            "ENST00000275493.7|protein_coding|19/28|c.2235_2236insT|p.Glu746fs|2235/5616|2235/3633|745/1210||"
            "\tGT:AD:DP:AF\t0/0:30,0:30:0\t0/1:20,10:30:0.333",
            # line 10 SNV: the first ANN entry is the less severe one
            "chr12\t25245350\t.\tC\tT\t.\tPASS\tANN=T|upstream_gene_variant|MODIFIER|LYRM5|ENSG00000205707|transcript|"
            "ENST00000381356.9|protein_coding||c.-1234G>A||||1234|,T|missense_variant|MODERATE|KRAS|ENSG00000133703|"
            "transcript|ENST00000256078.10|protein_coding|2/6|c.35G>A|p.Gly12Asp|225/5430|35/570|12/189||"
            "\tGT:AD:DP:AF\t0/0:40,1:41:0.024\t0/1:25,25:50:0.5"]


def write_vcf_study(root: Path) -> Path:
    d = root / "vcf_study"
    d.mkdir(parents=True)
    (d / "meta_study.txt").write_text("type_of_cancer: brca\ncancer_study_identifier: vcf_study\nname: VCF input\n"
                                      "reference_genome: hg38\n")
    (d / "data_clinical_patient.txt").write_text("PATIENT_ID\tSEX\nP1\tFemale\nP2\tFemale\n")
    (d / "data_clinical_sample.txt").write_text("PATIENT_ID\tSAMPLE_ID\nP1\tS1\nP2\tT2\n")
    (d / "s1.vep.vcf").write_text("\n".join(_vep_lines()) + "\n")
    (d / "t2.snpeff.vcf.gz").write_bytes(gzip.compress(("\n".join(_snpeff_lines()) + "\n").encode(), mtime=0))
    (d / "oncoduck_study.yml").write_text(
        "assay_id: wes_generic\n"
        "vcf:\n"
        "  files:\n"
        "    t2.snpeff.vcf.gz: {tumor_sample: T2, normal_sample: N2}\n")
    return d


# ---------------------------------------------------------------------------------------------
# unit level: allele conversion and sample roles
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("pos, ref, alt, expected", [
    ("100", "A", "G", ("100", "100", "A", "G", "SNP")),
    ("100", "AC", "GT", ("100", "101", "AC", "GT", "DNP")),
    ("100", "ACG", "TTA", ("100", "102", "ACG", "TTA", "TNP")),
    ("100", "ACGT", "TTAA", ("100", "103", "ACGT", "TTAA", "ONP")),
    ("100", "AT", "A", ("101", "101", "T", "-", "DEL")),  # deletion: the anchor base goes, start moves on
    ("100", "ATCG", "A", ("101", "103", "TCG", "-", "DEL")),
    ("100", "A", "AT", ("100", "101", "-", "T", "INS")),  # insertion: between start and start + 1
    ("100", "A", "ATTT", ("100", "101", "-", "TTT", "INS")),
    ("100", "ACGT", "AGG", ("101", "103", "CGT", "GG", "DEL")),  # complex: after the shared base
    ("100", "AC", "ATTG", ("101", "101", "C", "TTG", "INS")),
    ("x", "A", "G", ("x", None, "A", "G", "SNP")),  # a non-numeric POS stays as written (staging rejects it)
])
def test_vcf_to_maf_allele_conversion(pos, ref, alt, expected):
    sql = maf_allele_sql("pos", "ref", "alt")
    columns = ["start_position", "end_position", "reference_allele", "tumor_seq_allele2", "variant_type"]
    with duckdb.connect() as con:  # a connection of its own: the module-level default one is shared by tests
        got = con.sql(f"select {', '.join(sql[c] for c in columns)} from (select '{pos}' as pos, '{ref}' as ref, "
                      f"'{alt}' as alt)").fetchall()[0]
    assert got == expected


def _samples(tmp_path: Path, names: list[str], config: str = "") -> list[tuple]:
    d = tmp_path / "roles"
    d.mkdir(parents=True)
    (d / "x.vcf").write_text("\n".join(["##fileformat=VCFv4.2", VEP_CSQ_HEADER, "\t".join([COLUMNS, *names])]) + "\n")
    if config:
        (d / "oncoduck_study.yml").write_text(config)
    study = discover(d)
    f = study.files_of("vcf")[0]
    return [(s.tumor_barcode, s.normal_barcode) for s in vcf_samples(study, f, read_vcf_shape(f.path).shape)]


def test_sample_roles(tmp_path):
    assert _samples(tmp_path / "a", ["S1"]) == [("S1", None)]
    assert _samples(tmp_path / "b", ["normal", "Tumor"]) == [("Tumor", "normal")]
    assert _samples(tmp_path / "c", ["S1", "S2", "S3"]) == [("S1", None), ("S2", None), ("S3", None)]
    assert _samples(tmp_path / "d", ["S1", "B1"], "vcf: {tumor_sample: S1, normal_sample: B1}\n") == [("S1", "B1")]
    assert _samples(tmp_path / "e", ["TUMOR", "NORMAL"], "vcf: {sample_ids: {TUMOR: P9-T, NORMAL: P9-N}}\n") == [
        ("P9-T", "P9-N")]


def test_unannotated_or_misconfigured_vcf_is_a_fatal_problem(tmp_path):
    d = tmp_path / "plain"
    d.mkdir()
    (d / "plain.vcf").write_text("##fileformat=VCFv4.2\n" + COLUMNS + "\tS1\nchr1\t10\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n")
    (d / "vep.vcf").write_text("##fileformat=VCFv4.2\n" + VEP_CSQ_HEADER + "\n" + COLUMNS + "\tS1\n")
    (d / "oncoduck_study.yml").write_text("vcf: {files: {vep.vcf: {tumor_sample: TUMOUR}}}\n")
    study = discover(d)
    problems = {f.path.name: check_file(study, f) for f in study.files_of("vcf")}
    assert problems["plain.vcf"] and "plain.vcf:2:8: no ##INFO=<ID=CSQ" in problems["plain.vcf"][0]
    assert problems["vep.vcf"] and "vep.vcf:3:10: oncoduck_study.yml vcf.tumor_sample 'TUMOUR'" in problems["vep.vcf"][0]


def test_landing_has_exactly_the_maf_columns(tmp_path):
    study = discover(write_vcf_study(tmp_path))
    assert [f.kind for f in study.files if f.path.name.endswith((".vcf", ".vcf.gz"))] == ["vcf", "vcf"]
    con = duckdb.connect()
    landed = con.sql(landing_sql("mutations", [study]))
    maf_only = con.sql(landing_sql("mutations", [dataclasses.replace(study, files=())]))
    assert landed.columns == maf_only.columns
    assert [str(t) for t in landed.types] == [str(t) for t in maf_only.types]
    assert con.sql(f"select count(*) from ({landing_sql('mutations', [study])})").fetchall()[0][0] == 7  # 4 VEP lines (one with 2 ALTs) + 2 SnpEff lines
    columns = con.sql(f"""select source_name, landed_as from ({landing_sql('file_columns', [study])})
        where source_file like '%t2.snpeff.vcf.gz' order by source_column""").fetchall()
    assert columns == [("CHROM", "chromosome"), ("POS", "start_position"), ("ID", None), ("REF", "reference_allele"),
                       ("ALT", "tumor_seq_allele2"), ("QUAL", None), ("FILTER", "filter"), ("INFO", "ann annotation"),
                       ("FORMAT", "sample format"), ("N2", "matched_norm_sample_barcode"), ("T2", "tumor_sample_barcode")]


# ---------------------------------------------------------------------------------------------
# through the build: staging types VCF rows like MAF rows, the intermediate model classifies them
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def vcf_warehouse(tmp_path_factory, compiled_project):
    root = tmp_path_factory.mktemp("vcf")
    study = write_vcf_study(root / "studies")
    warehouse = root / "oncoduck.duckdb"
    compiled_project.build(warehouse, [study], "+int_variants_classified")
    return warehouse


def test_vcf_rows_are_typed_in_staging(vcf_warehouse):
    rows = query(vcf_warehouse, """
        select source_file like '%s1.vep.vcf' as vep, source_row, sample_id, normal_sample_id, hugo_symbol, chromosome,
            start_position, end_position, reference_allele, tumor_allele, variant_type, transcript_id, consequence,
            hgvsc, hgvsp, t_ref_count, t_alt_count, t_depth, round(tumor_vaf, 3), n_ref_count, n_alt_count, n_depth,
            filter, population_af, ncbi_build
        from staging.stg_study__mutations where study_id = 'vcf_study' order by vep desc, source_row, tumor_allele""")
    assert rows == [
        (True, 9, "S1", None, "PIK3CA", "3", 178936091, 178936091, "G", "A", "SNP", "ENST00000263967.4",
         "missense_variant", "c.1633G>A", "p.Glu545Lys", 60, 40, 100, 0.4, None, None, None, "PASS", 1e-05, "GRCh38"),
        (True, 10, "S1", None, "TP53", "17", 7675088, 7675088, "C", "A", "SNP", "ENST00000269305.9",
         "synonymous_variant", "c.525G>T", "p.Arg175=", 10, 20, 60, 0.333, None, None, None, "PASS", None, "GRCh38"),
        (True, 10, "S1", None, "TP53", "17", 7675088, 7675088, "C", "T", "SNP", "ENST00000269305.9",
         "missense_variant", "c.524G>A", "p.Arg175His", 10, 30, 60, 0.5, None, None, None, "PASS", None, "GRCh38"),
        (True, 11, "S1", None, "TP53", "17", 7675201, 7675202, "AT", "-", "DEL", "ENST00000269305.9",
         "frameshift_variant", "c.400_401del", "p.Met134fs", 45, 15, 60, 0.25, None, None, None, "PASS", None, "GRCh38"),
        (True, 12, "S1", None, "KRAS", "12", 25245350, 25245350, "C", "G", "SNP", "ENST00000256078.10",
         "missense_variant", "c.35G>C", "p.Gly12Ala", 30, 10, 40, 0.25, None, None, None, "clustered_events", None,
         "GRCh38"),
        (False, 9, "T2", "N2", "EGFR", "7", 55174772, 55174773, "-", "T", "INS", "ENST00000275493.7",
         "frameshift_variant", "c.2235_2236insT", "p.Glu746fs", 20, 10, 30, 0.333, 30, 0, 30, "PASS", None, "GRCh38"),
        (False, 10, "T2", "N2", "KRAS", "12", 25245350, 25245350, "C", "T", "SNP", "ENST00000256078.10",
         "missense_variant", "c.35G>A", "p.Gly12Asp", 25, 25, 50, 0.5, 40, 1, 41, "PASS", None, "GRCh38"),
    ]


def test_vcf_rows_are_classified(vcf_warehouse):
    rows = query(vcf_warehouse, """
        select sample_id, hugo_symbol, tumor_allele, variant_class, class_source, protein_position
        from intermediate.int_variants_classified where study_id = 'vcf_study' order by sample_id, hugo_symbol, tumor_allele""")
    assert rows == [
        ("S1", "KRAS", "G", "Missense_Mutation", "consequence", 12),
        ("S1", "PIK3CA", "A", "Missense_Mutation", "consequence", 545),
        ("S1", "TP53", "-", "Frame_Shift_Del", "consequence", 134),
        ("S1", "TP53", "A", "Silent", "consequence", 175),
        ("S1", "TP53", "T", "Missense_Mutation", "consequence", 175),
        ("T2", "EGFR", "T", "Frame_Shift_Ins", "consequence", 746),
        ("T2", "KRAS", "T", "Missense_Mutation", "consequence", 12),
    ]


def test_vcf_landing_reconciles(vcf_warehouse):
    rows = query(vcf_warehouse, """
        with landed as (select source_file, count(*) as n from landing.landing_mutations group by 1),
        accepted as (select source_file, count(*) as n from staging.stg_study__mutations group by 1),
        rejected as (select source_file, count(*) as n from staging.stg_study__mutations_checked
                     where reject_reason is not null group by 1)
        select landed.source_file, landed.n, coalesce(accepted.n, 0), coalesce(rejected.n, 0)
        from landed left join accepted using (source_file) left join rejected using (source_file)""")
    assert len(rows) == 2
    assert all(n == a + r for _, n, a, r in rows)
    assert sum(n for _, n, _, _ in rows) == 7 and sum(r for _, _, _, r in rows) == 0
