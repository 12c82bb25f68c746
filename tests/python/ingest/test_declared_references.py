"""A study's own TMB definitions and assays (oncoduck_study.yml ``tmb_definitions:`` / ``assays:``; issue 19,
Build 3) keep the contract of declarations.py: checked like the seed ids (an unknown id refused with
file:line:column: key and the closest names), a seed id taken again refused, every field typed; and they land
one row per setting (ingest/declared_references.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncoduck.ingest import declarations
from oncoduck.ingest.analysis_settings import DeclarationError
from oncoduck.ingest.declared_references import declared_references_sql, resolve
from oncoduck.ingest.study import Study, StudyError, discover

DEFINITION = "tmb_definitions:\n  - id: transneo_all_rows\n    variants: all\n    coding_mb: 45.54094\n"
ASSAY = "assays:\n  - id: transneo_exome\n    type: exome\n    coding_mb: 45.54094\n"


def _problems(tmp_path: Path, text: str) -> list[str]:
    config = tmp_path / "oncoduck_study.yml"
    config.write_text(text)
    return declarations.problems(config)


def _one(tmp_path: Path, text: str) -> str:
    found = _problems(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


def test_a_declared_definition_and_assay_may_be_the_study_s_own(tmp_path):
    assert _problems(tmp_path, DEFINITION + "tmb_definition: transneo_all_rows\n" + ASSAY
                     + "assay_id: transneo_exome\n") == []


@pytest.mark.parametrize("key, value, seed, closest", [
    ("tmb_definition", "transneo_all_row", "tmb_definitions.csv", "transneo_all_rows"),
    ("assay_id", "transneo_exom", "assays.csv", "transneo_exome"),
])
def test_an_unknown_id_is_refused_with_the_closest_seed_or_declared_names(tmp_path, key, value, seed, closest):
    problem = _one(tmp_path, DEFINITION + ASSAY + f"{key}: {value}\n")
    where = tmp_path / "oncoduck_study.yml"
    assert problem.startswith(f"{where}:9:1: {key}: '{value}' is not in seeds/reference/{seed}")
    assert f"nor declared under {key.replace('_id', 's').replace('tmb_definition', 'tmb_definitions')}" in problem
    assert f"'{closest}'" in problem.split("did you mean", 1)[1]


def test_a_declared_id_is_not_accepted_by_another_file(tmp_path):
    """The study's own ids are its own: a file that does not declare them cannot name them."""
    problem = _one(tmp_path, "tmb_definition: transneo_all_rows\n")
    assert ":1:1: tmb_definition: 'transneo_all_rows' is not in seeds/reference/tmb_definitions.csv" in problem


@pytest.mark.parametrize("text, expected", [
    ("tmb_definitions:\n  - id: nonsyn_maftools_v1\n    variants: all\n",
     ":2:5: tmb_definitions[1].id: 'nonsyn_maftools_v1' is an id of seeds/reference/tmb_definitions.csv: the seeds are "
     "the shared vocabulary and a study cannot redefine them"),
    ("tmb_definitions:\n  - id: maftools\n    variants: [Missense_Mutation]\n",
     ":2:5: tmb_definitions[1].id: 'maftools' is an id of seeds/reference/nonsynonymous_definitions.csv"),
    ("assays:\n  - id: wes_generic\n    type: exome\n",
     ":2:5: assays[1].id: 'wes_generic' is an id of seeds/reference/assays.csv"),
    ("assays:\n  - id: IMPACT468\n    type: panel\n    genes: [TP53]\n",
     ":2:5: assays[1].id: 'IMPACT468' is an id of seeds/reference/assays.csv"),
])
def test_a_declared_id_colliding_with_a_seed_is_refused(tmp_path, text, expected):
    problem = _one(tmp_path, text)
    assert expected in problem
    assert "use the seed's with `" in problem


@pytest.mark.parametrize("text, expected", [
    (DEFINITION.replace("45.54094", "0"), ":4:5: tmb_definitions[1].coding_mb: expected a number > 0, got 0"),
    (DEFINITION.replace("45.54094", "'45.5'"), ":4:5: tmb_definitions[1].coding_mb: expected a number > 0, got '45.5'"),
    (DEFINITION.replace("45.54094", "-1"), ":4:5: tmb_definitions[1].coding_mb: expected a number > 0, got -1"),
    (ASSAY.replace("45.54094", "0"), ":4:5: assays[1].coding_mb: expected a number > 0, got 0"),
    (DEFINITION + "    excludes_hotspots: 'no'\n", ":5:5: tmb_definitions[1].excludes_hotspots: expected true or false, got 'no'"),
    (DEFINITION + "    coding_size: 30\n", ":5:5: tmb_definitions[1].coding_size: unknown key"),
    (DEFINITION.replace("variants: all", "variants: alll"),
     ":3:5: tmb_definitions[1].variants: 'alll' is neither all, a list of Variant_Classification values, nor a "
     "definition_id of seeds/reference/nonsynonymous_definitions.csv"),
    (DEFINITION.replace("variants: all", "variants: [Missense_Mutation, Misense_Mutation]"),
     ":3:35: tmb_definitions[1].variants[2]: 'Misense_Mutation' is not a Variant_Classification"),
    (DEFINITION.replace("    variants: all\n", ""), ":2:5: tmb_definitions[1]: no variants given"),
    ("tmb_definitions:\n  - variants: all\n", ":2:5: tmb_definitions[1]: no id given"),
    ("tmb_definitions:\n  - id: 'has space'\n    variants: all\n",
     ":2:5: tmb_definitions[1].id: expected an id of letters, digits"),
    (DEFINITION + DEFINITION.replace("tmb_definitions:\n", ""),
     ":5:5: tmb_definitions[2].id: 'transneo_all_rows' is declared twice (also tmb_definitions[1])"),
    ("tmb_definitions: {id: x}\n", ":1:1: tmb_definitions: expected a list of TMB definitions"),
    (ASSAY.replace("type: exome", "type: wes"),
     ":3:5: assays[1].type: 'wes' is not one of exome, panel, targeted_plasma, genome"),
    ("assays:\n  - id: p\n    type: panel\n", ":2:5: assays[1]: a panel assay lists its genes"),
    ("assays:\n  - id: p\n    type: panel\n    genes: all\n", ":4:5: assays[1].genes: a panel assay lists its genes"),
    ("assays:\n  - id: p\n    type: panel\n    genes: []\n", ":4:5: assays[1].genes: expected all or a non-empty list"),
    ("assays:\n  - id: p\n    type: panel\n    genes_file: genes.txt\n", ":4:5: assays[1].genes_file: 'genes.txt' does not exist"),
    ("assays:\n  - id: p\n    type: panel\n    genes: [TP53]\n    genes_file: genes.txt\n",
     ":5:5: assays[1].genes_file: give genes or genes_file, not both"),
])
def test_every_field_is_checked(tmp_path, text, expected):
    assert expected in _one(tmp_path, text)


def test_discover_refuses_the_study(tmp_path):
    (tmp_path / "oncoduck_study.yml").write_text(DEFINITION.replace("45.54094", "0") + "tmb_definition: nonsyn_foo\n")
    with pytest.raises(StudyError) as raised:
        discover(tmp_path)
    lines = str(raised.value).splitlines()
    assert [line.split(": ")[1] for line in lines] == ["tmb_definitions[1].coding_mb", "tmb_definition"]


def test_declarations_land_one_row_per_setting(tmp_path):
    (tmp_path / "genes.txt").write_text("# tiny panel\nTP53\n\npik3ca\tcomment\n")
    text = (DEFINITION + "  - id: listed\n    variants: [Missense_Mutation, Nonsense_Mutation]\n    assay_genes_only: true\n"
            + ASSAY + "  - id: p\n    type: panel\n    genes_file: genes.txt\n")
    config = tmp_path / "oncoduck_study.yml"
    config.write_text(text)
    import yaml

    rows = resolve(config, yaml.safe_load(text), "s")
    got = {(r["item_id"], r["setting"], r["list_index"], r["value"], r["value_source"], r["source_line"]) for r in rows}
    assert ("transneo_all_rows", "tmb_definitions[].variants", None, "all", "oncoduck_study.yml", 3) in got
    assert ("transneo_all_rows", "tmb_definitions[].coding_mb", None, "45.54094", "oncoduck_study.yml", 4) in got
    assert ("transneo_all_rows", "tmb_definitions[].excludes_hotspots", None, "false", "default", 2) in got
    assert ("transneo_all_rows", "tmb_definitions[].description", None, "declared by s in oncoduck_study.yml",
            "default", 2) in got
    assert ("listed", "tmb_definitions[].variants", 1, "Missense_Mutation", "oncoduck_study.yml", 6) in got
    assert ("listed", "tmb_definitions[].variants", 2, "Nonsense_Mutation", "oncoduck_study.yml", 6) in got
    assert ("listed", "tmb_definitions[].assay_genes_only", None, "true", "oncoduck_study.yml", 7) in got
    assert ("transneo_exome", "assays[].genes", None, "all", "default", 9) in got
    genes = [(r["list_index"], r["value"], Path(r["source_file"]).name, r["source_line"]) for r in rows
             if r["setting"] == "assays[].genes" and r["item_id"] == "p"]
    assert genes == [(1, "TP53", "genes.txt", 2), (2, "PIK3CA", "genes.txt", 4)]
    # every setting landed is a key of the contract (the README table documents it)
    assert {r["setting"] for r in rows} <= {k.path for k in declarations.KEYS}


def test_one_assay_id_declared_differently_by_two_studies_is_refused(tmp_path):
    studies = []
    for name, coding_mb in (("a", 45.54094), ("b", 30)):
        folder = tmp_path / name
        folder.mkdir()
        config = {"assays": [{"id": "shared_exome", "type": "exome", "coding_mb": coding_mb}]}
        (folder / "oncoduck_study.yml").write_text(f"assays:\n  - {{id: shared_exome, type: exome, coding_mb: {coding_mb}}}\n")
        studies.append(Study(name, folder, {}, config, ()))
    with pytest.raises(DeclarationError, match="'shared_exome' is also declared by .*a/oncoduck_study.yml"):
        declared_references_sql(studies)
    same = [Study(s.study_id, s.directory, {}, studies[0].config, ()) for s in studies]
    (same[1].directory / "oncoduck_study.yml").write_text((same[0].directory / "oncoduck_study.yml").read_text())
    assert "shared_exome" in declared_references_sql(same)  # the same declaration twice is one assay


@pytest.mark.parametrize("bed, extra, expected", [
    ("chr17\t100\n", "", "bed.bed line 1: a BED line is chrom<TAB>start<TAB>end"),
    ("chr17\tten\t20\n", "", "bed.bed line 1: start and end must be whole numbers"),
    ("chr17\t20\t20\n", "", "bed.bed line 1: needs 0 <= start < end, got 20, 20"),
    ("track name=x\n# only comments\n", "", "'bed.bed' has no target interval"),
    ("chr17\t10\t20\n", "    genes: [TP53]\n", "give one of genes, genes_file, targets_file (genes, targets_file given)"),
])
def test_a_bed_of_targets_is_read_or_refused_naming_the_line(tmp_path, bed, extra, expected):
    (tmp_path / "bed.bed").write_text(bed)
    text = "assays:\n  - id: my_panel\n    type: panel\n    targets_file: bed.bed\n" + extra
    assert expected in _one(tmp_path, text)


def test_the_targets_land_as_intervals(tmp_path):
    (tmp_path / "bed.bed").write_text("browser position chr17\nchr17\t37856000\t37856300\tERBB2\n17\t7577000\t7577200\n")
    config = tmp_path / "oncoduck_study.yml"
    config.write_text("assays:\n  - id: my_panel\n    type: panel\n    targets_file: bed.bed\n")
    rows = [r for r in resolve(config, {"assays": [{"id": "my_panel", "type": "panel", "targets_file": "bed.bed"}]},
                               "s") if r["setting"] == "assays[].targets_file"]
    assert [(r["list_index"], r["value"], r["source_line"]) for r in rows] == [
        (None, str((tmp_path / "bed.bed").resolve()), 4), (1, "chr17:37856000:37856300", 2), (2, "17:7577000:7577200", 3)]
