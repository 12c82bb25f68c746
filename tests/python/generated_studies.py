"""Hypothesis strategies for small study folders within the input contract (issue 23, Build 4): what a build must
take without an exception, whatever the mix. Patients with one sample or a primary and a metastasis; a grouping
attribute whose values may all be equal (one group: no comparison is declared then, as declarations refuse one
with fewer than two groups); survival that may be all censored; a covariate that may be constant; a response
and a numeric outcome; mutations that may be none at all (a MAF with its header only); discrete copy number
or none. Each study with two or more groups declares two comparisons that between them ask for every analysis
that reads these inputs (burden, genes, pathways, hotspots, survival, clinical, response, interactions, paired,
linear)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import strategies as st

GENES = (("TP53", "17", 7578406, "C", "T"), ("PIK3CA", "3", 178952085, "A", "G"), ("GATA3", "10", 8115874, "G", "A"),
         ("ERBB2", "17", 37880220, "T", "C"), ("CDH1", "16", 68835600, "C", "T"), ("MAP3K1", "5", 56177843, "G", "T"))
CLASSES = ("Missense_Mutation", "Nonsense_Mutation", "Silent", "Frame_Shift_Del")


@dataclasses.dataclass(frozen=True)
class Patient:
    group: str
    os_months: float
    died: bool
    age: int
    pcr: bool
    ki67: int
    has_metastasis: bool


@dataclasses.dataclass(frozen=True)
class StudySpec:
    patients: tuple[Patient, ...]
    mutations: tuple[tuple[int, int, int, int], ...]  # (sample index, gene index, offset, class index)
    cna: tuple[tuple[int, ...], ...] | None  # per gene: a value per sample, or no CNA file

    def samples(self) -> list[tuple[str, str, str]]:
        """(patient id, sample id, sample type) in order."""
        rows = []
        for i, patient in enumerate(self.patients, start=1):
            rows.append((f"P{i}", f"P{i}-T", "Primary"))
            if patient.has_metastasis:
                rows.append((f"P{i}", f"P{i}-M", "Metastasis"))
        return rows


@st.composite
def study_specs(draw) -> StudySpec:
    n = draw(st.integers(1, 6))
    groups = draw(st.lists(st.sampled_from("abc"), min_size=n, max_size=n))
    constant_age = draw(st.booleans())
    all_censored = draw(st.booleans())
    patients = tuple(Patient(
        group=groups[i],
        os_months=draw(st.integers(1, 600)) / 10,
        died=False if all_censored else draw(st.booleans()),
        age=55 if constant_age else draw(st.integers(30, 80)),
        pcr=draw(st.booleans()),
        ki67=draw(st.integers(0, 100)),
        has_metastasis=draw(st.booleans())) for i in range(n))
    n_samples = n + sum(p.has_metastasis for p in patients)
    mutations = tuple(draw(st.lists(
        st.tuples(st.integers(0, n_samples - 1), st.integers(0, len(GENES) - 1), st.integers(0, 3),
                  st.integers(0, len(CLASSES) - 1)), max_size=12, unique_by=lambda m: m[:3])))
    cna = draw(st.none() | st.lists(st.lists(st.sampled_from([-2, -1, 0, 0, 0, 1, 2]), min_size=n_samples,
                                             max_size=n_samples).map(tuple), min_size=1, max_size=3).map(tuple))
    return StudySpec(patients, mutations, cna)


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_study(spec: StudySpec, folder: Path, study_id: str) -> Path:
    folder.mkdir(parents=True)
    _write(folder / "meta_study.txt", ["type_of_cancer: brca", f"cancer_study_identifier: {study_id}",
                                       f"name: {study_id}", "reference_genome: hg19"])
    _write(folder / "data_clinical_patient.txt", [
        "#Patient Identifier\tGroup\tOverall Survival Status\tOverall Survival (Months)\tAge\tpCR\tKi-67",
        "#Patient Identifier\tGroup\tOverall Survival Status\tOverall Survival (Months)\tAge\tpCR\tKi-67",
        "#STRING\tSTRING\tSTRING\tNUMBER\tNUMBER\tSTRING\tNUMBER",
        "#1\t1\t1\t1\t1\t1\t1",
        "PATIENT_ID\tGROUP\tOS_STATUS\tOS_MONTHS\tAGE\tPCR\tKI67"]
        + [f"P{i}\t{p.group}\t{'1:DECEASED' if p.died else '0:LIVING'}\t{p.os_months}\t{p.age}\t"
           f"{'Yes' if p.pcr else 'No'}\t{p.ki67}" for i, p in enumerate(spec.patients, start=1)])
    samples = spec.samples()
    _write(folder / "data_clinical_sample.txt", [
        "#Patient Identifier\tSample Identifier\tSample Type", "#Patient Identifier\tSample Identifier\tSample Type",
        "#STRING\tSTRING\tSTRING", "#1\t1\t1", "PATIENT_ID\tSAMPLE_ID\tSAMPLE_TYPE"]
        + ["\t".join(s) for s in samples])
    maf = ["Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2\t"
           "Variant_Classification\tVariant_Type\tTumor_Sample_Barcode\tt_ref_count\tt_alt_count"]
    for sample_i, gene_i, offset, class_i in spec.mutations:
        gene, chrom, position, ref, alt = GENES[gene_i]
        maf.append(f"{gene}\t{chrom}\t{position + offset}\t{position + offset}\t{ref}\t{alt}\t{CLASSES[class_i]}\tSNP\t"
                   f"{samples[sample_i][1]}\t30\t12")
    _write(folder / "data_mutations.txt", maf)
    if spec.cna is not None:
        _write(folder / "data_cna.txt", ["Hugo_Symbol\t" + "\t".join(s[1] for s in samples)]
               + [f"{GENES[g][0]}\t" + "\t".join(map(str, values)) for g, values in enumerate(spec.cna)])
    present = sorted({p.group for p in spec.patients})
    config = ["assay_id: wes_generic"]
    if len(present) >= 2:
        groups = "{" + ", ".join(f"group_{g}: [{g}]" for g in present) + "}"
        config += ["comparisons:",
                   "  - name: by_group", "    unit: patient", "    group_by: GROUP", f"    groups: {groups}",
                   "    covariates: [AGE]",
                   "    analyses: [burden, genes, pathways, hotspots, survival, clinical, response, interactions, paired]",
                   "  - name: ki67_by_group", "    unit: patient", "    group_by: GROUP", f"    groups: {groups}",
                   "    covariates: [AGE]", "    outcome: KI67", "    analyses: [linear]"]
    _write(folder / "oncoduck_study.yml", config)
    return folder


def data_line_count(spec: StudySpec) -> dict[str, int]:
    """Data lines per file name, as landing counts them."""
    counts = {"data_clinical_patient.txt": len(spec.patients), "data_clinical_sample.txt": len(spec.samples()),
              "data_mutations.txt": len(spec.mutations)}
    if spec.cna is not None:
        counts["data_cna.txt"] = len(spec.cna)
    return counts
