"""A study folder laid out as a cBioPortal download is (datahub / "Download" button), written byte by byte
so each convention is explicit. Conventions from cBioPortal's File-Formats documentation:

- gene panel matrix columns are named by the profile's stable_id, prefixed by the study in downloads
  (`brca_dl_2024_mutations`, `brca_dl_2024_gistic`); a value `NA` means "not profiled";
- gene panel definitions are files with `stable_id:` / `description:` / `gene_list:` lines, here called
  `data_gene_panel.txt` (no meta file: cBioPortal imports panels separately);
- a sample's panel may instead be given by the `GENE_PANEL` sample attribute ("Gene Panel");
- `case_lists/*.txt` hold named sample lists; `<study>_sequenced` is "samples with mutation data";
- meta files may name a data file the download does not include (here meta_CNA.txt);
- old Mac exports have CR-only line ends (the patient file).
"""

from __future__ import annotations

from pathlib import Path

STUDY_ID = "brca_dl_2024"
PANEL_GENES = ("PIK3CA", "TP53", "ERBB2", "GATA3", "CDH1", "MAP3K1", "PTEN", "AKT1")
# sample -> what decides its assay (the expectations of the tests)
SAMPLES = {
    "S1": "matrix DLPANEL", "S2": "matrix DLPANEL", "S3": "matrix DLPANEL",
    "S4": "matrix IMPACT468 (not shipped: the public panel seed defines it)",
    "S5": "matrix IMPACT999 (no definition anywhere)",
    "S6": "GENE_PANEL attribute DLPANEL (not in the matrix)",
    "S7": "sequenced, in no panel source: exome_undeclared",
    "S8": "not sequenced",
}


def _write(path: Path, lines: list[str], newline: str = "\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))


def write_download_study(root: Path) -> Path:
    d = root / STUDY_ID
    _write(d / "meta_study.txt", ["type_of_cancer: brca", f"cancer_study_identifier: {STUDY_ID}",
                                  "name: Download-style breast study", "description: fixture",
                                  "reference_genome: hg19"])
    _write(d / "meta_clinical_patient.txt", [f"cancer_study_identifier: {STUDY_ID}",
                                             "genetic_alteration_type: CLINICAL", "datatype: PATIENT_ATTRIBUTES",
                                             "data_filename: data_clinical_patient.txt"])
    _write(d / "data_clinical_patient.txt", [
        "#Patient Identifier\tOverall Survival Status\tOverall Survival (Months)",
        "#Patient Identifier\tOverall Survival Status\tOverall Survival (Months)",
        "#STRING\tSTRING\tNUMBER",
        "#1\t1\t1",
        "PATIENT_ID\tOS_STATUS\tOS_MONTHS",
        *[f"P{i}\t{'1:DECEASED' if i % 3 == 0 else '0:LIVING'}\t{10 + i}" for i in range(1, 9)],
    ], newline="\r")
    _write(d / "meta_clinical_sample.txt", [f"cancer_study_identifier: {STUDY_ID}",
                                            "genetic_alteration_type: CLINICAL", "datatype: SAMPLE_ATTRIBUTES",
                                            "data_filename: data_clinical_sample.txt"])
    _write(d / "data_clinical_sample.txt", [
        "#Patient Identifier\tSample Identifier\tSample Type\tGene Panel",
        "#Patient Identifier\tSample Identifier\tSample Type\tGene Panel",
        "#STRING\tSTRING\tSTRING\tSTRING",
        "#1\t1\t1\t1",
        "PATIENT_ID\tSAMPLE_ID\tSAMPLE_TYPE\tGENE_PANEL",
        *[f"P{i}\tS{i}\tPrimary\t{'DLPANEL' if i == 6 else ''}" for i in range(1, 9)],
    ])
    _write(d / "meta_mutations.txt", [f"cancer_study_identifier: {STUDY_ID}",
                                      "genetic_alteration_type: MUTATION_EXTENDED", "datatype: MAF",
                                      "stable_id: mutations", "show_profile_in_analysis_tab: true",
                                      "profile_name: Mutations", "profile_description: fixture",
                                      "data_filename: data_mutations.txt"])
    maf = ["Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2\t"
           "Variant_Classification\tVariant_Type\tTumor_Sample_Barcode"]
    for i in range(1, 8):  # S1..S7: PIK3CA H1047R in odd samples, TP53 R175H in all
        if i % 2:
            maf.append(f"PIK3CA\t3\t178952085\t178952085\tA\tG\tMissense_Mutation\tSNP\tS{i}")
        maf.append(f"TP53\t17\t7578406\t7578406\tC\tT\tMissense_Mutation\tSNP\tS{i}")
    _write(d / "data_mutations.txt", maf)
    _write(d / "meta_gene_panel_matrix.txt", [f"cancer_study_identifier: {STUDY_ID}",
                                              "genetic_alteration_type: GENE_PANEL_MATRIX",
                                              "datatype: GENE_PANEL_MATRIX",
                                              "data_filename: data_gene_panel_matrix.txt"])
    _write(d / "data_gene_panel_matrix.txt", [
        f"SAMPLE_ID\t{STUDY_ID}_mutations\t{STUDY_ID}_gistic",
        "S1\tDLPANEL\tNA", "S2\tDLPANEL\tNA", "S3\tDLPANEL\tNA", "S4\tIMPACT468\tNA",
        "S5\tIMPACT999\tNA", "S8\tNA\tNA",
    ])
    _write(d / "data_gene_panel.txt", ["stable_id: DLPANEL", "description: fixture panel of 8 genes",
                                       "gene_list: " + "\t".join(PANEL_GENES)])
    _write(d / "meta_CNA.txt", [f"cancer_study_identifier: {STUDY_ID}",
                                "genetic_alteration_type: COPY_NUMBER_ALTERATION", "datatype: DISCRETE",
                                "stable_id: gistic", "show_profile_in_analysis_tab: true",
                                "profile_name: Putative copy-number alterations from GISTIC",
                                "profile_description: fixture", "data_filename: data_CNA.txt"])
    _write(d / "case_lists" / "cases_sequenced.txt", [
        f"cancer_study_identifier: {STUDY_ID}", f"stable_id: {STUDY_ID}_sequenced",
        "case_list_name: Samples with mutation data", "case_list_description: Samples with mutation data (7 samples)",
        "case_list_ids: " + "\t".join(f"S{i}" for i in range(1, 8))])
    _write(d / "case_lists" / "cases_all.txt", [
        f"cancer_study_identifier: {STUDY_ID}", f"stable_id: {STUDY_ID}_all", "case_list_name: All samples",
        "case_list_description: All samples (8 samples)",
        "case_list_ids: " + "\t".join(f"S{i}" for i in range(1, 9))])
    _write(d / "case_lists" / "cases_her2_pos.txt", [
        f"cancer_study_identifier: {STUDY_ID}", f"stable_id: {STUDY_ID}_her2_pos", "case_list_name: HER2+",
        "case_list_description: HER2-positive samples", "case_list_category: other", "case_list_ids: S2\tS4"])
    return d
