"""Rule parameters live in one place (issue 17, Build 4): every threshold a model applies is a row of
seeds/reference/rule_parameters.csv read with the rule_parameter() macro, or a var declared with its default
in dbt_project.yml; no threshold literal is written in models/ or macros/."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SQL_FILES = sorted([*ROOT.glob("models/**/*.sql"), *ROOT.glob("macros/**/*.sql")])
RULE_CALL = re.compile(r"rule_parameter\(\s*'([^']+)'\s*,\s*'([^']+)'\s*\)")
# a number after a comparison or before a multiplication: a threshold, unless 0 or 1
THRESHOLD = re.compile(r"(?:[<>]=?|=)\s*-?(\d+\.?\d*)\b|\b(\d+\.?\d*)\s*\*\s*[a-z_(]")
# numbers that are facts of a format or of arithmetic, not rule thresholds: (file, what the line holds)
NOT_THRESHOLDS = {
    ("macros/cohort_values.sql", "length(trim({{ value }})) >= 15"),  # TCGA barcode: sample part ends at 15
    ("macros/cohort_values.sql", "length(trim({{ value }})) >= 16"),  # ... the vial letter is the 16th
    ("models/intermediate/clinical/int_patients_her2_classified.sql", "ish_group = "),  # ASCO/CAP group numbers
    ("models/intermediate/clinical/int_patients_receptors_classified.sql", "_percent <= 100"),  # a percent
    ("models/intermediate/clinical/int_patients_receptors_classified.sql", "_allred <= 8"),  # Allred is 0-8
    ("models/intermediate/clinical/int_patients_subtyped.sql", "ki67_percent <= 100"),  # a percent
    ("models/intermediate/copy_number/int_segments_called.sql", "2 * power(2.0"),  # diploid copy number
    ("models/intermediate/signatures/int_snvs_contexted.sql", "window_length < 3"),  # a trinucleotide
    ("models/marts/burden/fct_patient_burden.sql", "count(*) > 2 as is_added_in_order"),  # x + y = y + x exactly
    ("models/staging/stg_study__mutations_checked.sql", "tumor_vaf <= 100"),  # a VAF given in percent
    ("models/staging/stg_study__gene_cna_checked.sql", "typed.value = -1.5"),  # a discrete CNA code
}


def _code(line: str) -> str:
    return line.split("--")[0]


def threshold_literals(files: list[Path], root: Path = ROOT) -> list[str]:
    found = []
    for path in files:
        relative = path.relative_to(root).as_posix()
        in_comment = False
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line.lstrip().startswith("{#"):
                in_comment = "#}" not in line
                continue
            if in_comment:
                in_comment = "#}" not in line
                continue
            code = _code(line)
            if any(relative == file and fragment in code for file, fragment in NOT_THRESHOLDS):
                continue
            for match in THRESHOLD.finditer(code):
                if float(match.group(1) or match.group(2)) not in (0.0, 1.0):
                    found.append(f"{relative}:{number}: {code.strip()}")
                    break
    return found


def test_no_threshold_literal_in_models():
    assert threshold_literals(SQL_FILES) == []


def test_the_literal_finder_finds_a_threshold(tmp_path):
    planted = tmp_path / "models" / "planted.sql"
    planted.parent.mkdir()
    planted.write_text("{#- >= 3 in a Jinja comment -#}\n"
                       "select case when her2_ish_ratio >= 2.2 then 1 end -- a comment: >= 5 is fine\n"
                       "select window_length < 3\n")  # allowed in int_snvs_contexted.sql only
    assert threshold_literals([planted], root=tmp_path) == [
        "models/planted.sql:2: select case when her2_ish_ratio >= 2.2 then 1 end",
        "models/planted.sql:3: select window_length < 3"]


def test_every_rule_parameter_named_in_models_is_a_seed_row():
    with (ROOT / "seeds" / "reference" / "rule_parameters.csv").open() as handle:
        rows = {(row["rule_id"], row["parameter"]) for row in csv.DictReader(handle)}
    named = {match.groups() for path in SQL_FILES for match in RULE_CALL.finditer(path.read_text())}
    named.discard(("rule_id", "parameter"))  # the macro's own signature in its comment
    assert named, "no model reads a rule parameter"
    assert named <= rows, sorted(named - rows)


def test_every_var_a_model_reads_is_declared_with_its_default():
    declared = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    read = {name for path in SQL_FILES
            for name in re.findall(r"var\(\s*['\"]([a-z0-9_]+)['\"]", path.read_text())}
    assert read <= set(declared), sorted(read - set(declared))
    with_default_in_code = [f"{path.relative_to(ROOT)}: {m.group(0)}" for path in SQL_FILES
                            for m in re.finditer(r"var\(\s*['\"][a-z0-9_]+['\"]\s*,[^)]*\)", path.read_text())]
    assert with_default_in_code == []
