"""The bad-input corpus (issue 23, Build 6; tests/python/bad_input_corpus.py): more than sixty one-defect study
folders across every input kind, each with its expected outcome. All of them go through one `oncoduck validate`
(the same findings, with the same severities, that a build prints) and one landing + staging build with its
reconciliation tests, so the corpus costs two dbt runs in CI. Acceptance: no traceback, no silent acceptance
(every case ends in exactly its expected finding; the clean base in none), no line lost (every data line of
every file is a landed row, and landed = accepted + rejected per file)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from oncoduck.findings import folder_findings
from oncoduck.ingest.kinds import line_tables

from bad_input_corpus import CASES, Case, data_lines, write_corpus
from oncoduck_testing import query, run_oncoduck

FINDING = re.compile(r"^(?P<file>/[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>ERROR|WARNING): (?P<code>[a-z_]+): .+$")
CHECKED = [case for case in CASES if not case.stops_discovery]


def test_the_corpus_has_a_defect_of_every_input_kind():
    assert len(CASES) >= 60
    kinds = {case.kind for case in CASES}
    assert kinds >= {"mutations", "clinical_patient", "clinical_sample", "cna_discrete", "segments", "gene_panel_matrix",
                     "timeline", "fish_cells", "structural_variants", "meta", "oncoduck_study.yml"}
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def validated(corpus, cli_compiled_graph) -> dict[str, set[tuple[str, str, int, str]]]:
    """One `oncoduck validate` of the clean base and every case whose folder can be read: folder name ->
    {(severity, file name, line, code)}."""
    folders = [corpus["clean"]] + [corpus[case.name] for case in CHECKED]
    result = run_oncoduck("validate", *map(str, folders))
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 1, result.stderr[-2000:]  # the file-level cases are errors
    by_folder: dict[str, set] = defaultdict(set)
    for line in result.stdout.splitlines():
        match = FINDING.match(line)
        assert match, f"not file:line:column: SEVERITY: code: detail: {line!r}"
        path = Path(match["file"])
        by_folder[path.parent.name].add((match["severity"], path.name, int(match["line"]), match["code"]))
    return by_folder


def test_the_clean_base_has_no_finding(validated):
    assert validated["clean"] == set()


@pytest.mark.parametrize("case", CHECKED, ids=lambda case: case.name)
def test_each_case_ends_in_its_expected_finding(validated, case: Case):
    expected = {(o.severity, o.file, o.line, o.code) for o in case.expected}
    reported = validated.get(case.name, set())
    if case.refuses_a_file:
        # a refused file's rows are not checked, and what read them (samples of a refused clinical file ...)
        # may warn in turn; the errors must be exactly the planted ones
        assert {r for r in reported if r[0] == "ERROR"} == expected
    else:
        assert reported == expected


@pytest.mark.parametrize("case", [case for case in CASES if case.stops_discovery], ids=lambda case: case.name)
def test_an_unreadable_folder_is_an_error_naming_file_and_line(corpus, case: Case):
    findings = folder_findings([corpus[case.name]])
    reported = {(f.severity, Path(f.location.split(":")[0]).name, int(f.location.split(":")[1]), f.code)
                for f in findings if f.severity == "ERROR"}
    assert reported == {(o.severity, o.file, o.line, o.code) for o in case.expected}


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory, compiled_project) -> Path:
    """Landing and staging of the clean base and every case without a refused file, with their data tests (the
    per-file reconciliation landed = accepted + rejected among them)."""
    folders = [corpus["clean"]] + [corpus[case.name] for case in CASES if not case.refuses_a_file]
    warehouse = tmp_path_factory.mktemp("corpus_build") / "oncoduck.duckdb"
    compiled_project.build(warehouse, folders, "+path:models/staging")
    return warehouse


def test_no_line_is_lost(built, corpus):
    landed = dict(query(built, " union all ".join(
        f"select source_file, count(distinct source_row) from landing.{table} group by source_file"
        for table in line_tables())))
    expected = {str(path): data_lines(path) for case in ["clean"] + [c.name for c in CASES if not c.refuses_a_file]
                for path in corpus[case].iterdir()
                if path.name.startswith("data_") and "gene_panel_p1" not in path.name and "methylation" not in path.name
                and data_lines(path)}
    assert landed == expected


def test_genes_given_by_entrez_id_alone_take_their_hgnc_symbol(built):
    # issue 23: a MAF with Entrez_Gene_Id and no Hugo_Symbol landed every variant gene-less; the symbol now comes
    # from HGNC (seed hgnc_entrez_symbols) and hugo_symbol_source says so beside it; a given symbol is kept
    mutations = query(built, """select study_id, entrez_gene_id, hugo_symbol, hugo_symbol_source
        from staging.stg_study__mutations where study_id in ('corpus_maf_entrez_ids_only', 'corpus_clean')
        order by study_id, source_row""")
    assert mutations == [("corpus_clean", None, "TP53", "file"), ("corpus_clean", None, "PIK3CA", "file"),
                         ("corpus_clean", None, "GATA3", "file"),
                         ("corpus_maf_entrez_ids_only", 7157, "TP53", "hgnc_entrez"),
                         ("corpus_maf_entrez_ids_only", 5290, "PIK3CA", "hgnc_entrez"),
                         ("corpus_maf_entrez_ids_only", 2625, "GATA3", "hgnc_entrez")]
    cna = query(built, """select distinct study_id, entrez_gene_id, hugo_symbol, hugo_symbol_source
        from staging.stg_study__gene_cna where study_id in ('corpus_cna_entrez_ids_only', 'corpus_cna_blank_symbol_entrez_given') order by all""")
    assert cna == [("corpus_cna_blank_symbol_entrez_given", 2064, "ERBB2", "file"),
                   ("corpus_cna_blank_symbol_entrez_given", 7157, "TP53", "hgnc_entrez"),
                   ("corpus_cna_entrez_ids_only", 2064, "ERBB2", "hgnc_entrez"),
                   ("corpus_cna_entrez_ids_only", 7157, "TP53", "hgnc_entrez")]


def test_a_given_vaf_is_read_on_the_declared_scale(built):
    # issue 23: a given VAF above 1 was read as a percentage in every study, silently (33 -> 0.33, but 0.5 % stayed
    # 0.5); now a VAF is a fraction unless the study declares vaf_scale: percent, and the source is kept beside it
    rows = query(built, """select study_id, tumor_vaf, tumor_vaf_source from staging.stg_study__mutations
        where study_id in ('corpus_maf_vaf_percent_declared', 'corpus_clean') and sample_id = 'S1' order by all""")
    assert rows == [("corpus_clean", 10 / 30, "read_counts"), ("corpus_maf_vaf_percent_declared", 0.33, "given_percent")]
    detail = query(built, """select reject_detail from staging.stg_study__mutations_rejects
        where study_id = 'corpus_maf_vaf_percent_undeclared'""")
    assert detail == [("tumour VAF 33.0 is outside 0-1 (t_alt_count empty, t_depth empty, given VAF 33.0); if the file "
                       "gives percentages, declare vaf_scale: percent in oncoduck_study.yml",)]


def test_a_declared_encoding_is_read_as_such(built):
    # issue 23, Build 1: undecodable bytes reject their line "or, by declared encoding, transcode it"
    values = query(built, """select distinct value_raw from landing.landing_timeline
        where study_id = 'corpus_timeline_latin1_declared' and value_raw like 'Hormon%'""")
    assert values == [("Hormonothérapie",)]
