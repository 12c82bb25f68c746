"""A discrete gene CNA of -1.5, end to end: refused unless the study declares what it means.

cBioPortal's validator accepts -1.5 beside -2..2 (validateData.py, CNADiscreteValidator), but its discrete
copy-number format defines only -2..2, and readers differ: MSK CMO, following GENIE, reads -1.5 as -2 (gnomeR
wiki, "CNA Coding Documentation"); an integer cast reads it as -1 on one engine and -2 on another. So it is a
rejected row (discrete_half_step_undeclared) unless oncoduck_study.yml says `discrete_cna_minus_1_5:
deep_deletion` or `shallow_deletion`; then the value stays -1.5 and the call and its rule sit beside it.
"""

from __future__ import annotations

from bad_input_corpus import edit_field, write_base, write_file
from oncoduck_testing import query

CNA = "data_cna.txt"  # base: ERBB2 2 0 0 / TP53 0 -1 0 for S1 S2 S3; line 3, field 4 is TP53 in S2


def _study(root, name: str, declared: str | None):
    folder = write_base(root / name, name)
    edit_field(CNA, 3, 4, "-1.5")(folder)
    if declared:
        write_file("oncoduck_study.yml", f"discrete_cna_minus_1_5: {declared}\n")(folder)
    return folder


def test_minus_1_5_is_rejected_unless_declared_then_called_as_declared(tmp_path, compiled_project):
    studies = [_study(tmp_path, "undeclared", None), _study(tmp_path, "genie", "deep_deletion"),
               _study(tmp_path, "rounded", "shallow_deletion")]
    warehouse = tmp_path / "oncoduck.duckdb"
    compiled_project.build(warehouse, studies, "+fct_gene_cna +int_sample_gene_alterations +all_rejects")

    rejects = query(warehouse, "select study_id, source_row, source_column, reject_reason, reject_detail "
                               "from staging.all_rejects order by all")
    assert [r[:4] for r in rejects] == [("undeclared", 3, 4, "discrete_half_step_undeclared")]
    assert "discrete_cna_minus_1_5: deep_deletion or shallow_deletion" in rejects[0][4]

    tp53_s2 = query(warehouse, """select study_id, value, discrete_call, discrete_call_rule from marts.fct_gene_cna
        where hugo_symbol = 'TP53' and sample_id = 'S2' order by study_id""")
    assert tp53_s2 == [("genie", -1.5, "deep_deletion", "discrete_cna_minus_1_5: deep_deletion"),
                       ("rounded", -1.5, "shallow_deletion", "discrete_cna_minus_1_5: shallow_deletion")]
    # the other values keep their GISTIC meaning, in every study
    assert query(warehouse, """select distinct discrete_call, discrete_call_rule from marts.fct_gene_cna
        where study_id = 'undeclared' order by 1""") == [
        ("amplification", "gistic_value"), ("neutral", "gistic_value")]

    # landed = accepted + rejected: 2 genes x 3 samples in each study
    assert query(warehouse, "select study_id, count(*) from marts.fct_gene_cna group by 1 order by 1") == [
        ("genie", 6), ("rounded", 6), ("undeclared", 5)]

    # downstream, the declared call is the alteration (a deep deletion counts as a CNA event; a shallow one does not)
    assert query(warehouse, """select study_id, cna_call, is_cna_altered from intermediate.int_sample_gene_alterations
        where hugo_symbol = 'TP53' and sample_id = 'S2' order by 1""") == [
        ("genie", "deep_deletion", True), ("rounded", "shallow_deletion", False)]
