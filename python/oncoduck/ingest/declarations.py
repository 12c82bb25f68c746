"""The contract of ``oncoduck_study.yml``: every key a study may declare, checked and documented from one place.

``KEYS`` declares each key once: where it sits, its type, its default, its allowed values (or the seed whose
ids it takes), what it does and an example. The same list drives

* the check (:func:`problems`): every problem of a file, not only the first, each as
  ``{file}:{line}:{column}: {key}: {message}``, with the closest valid names (difflib) for a misspelt key,
  choice or id. An unknown key, a value of the wrong type, an id that is not in its seed, a file that does not
  exist, a key given twice and a selection oncoduck cannot honour are all refused: a declaration is honoured
  or refused, never dropped.
* the README table (:func:`markdown_table`; ``python -m oncoduck.ingest.declarations`` prints it, and
  tests/python/ingest/test_declarations.py fails when the README's copy differs).

Positions come from the composed YAML (node marks), so a message points where an editor shows the key.
List items are numbered from 1 in key paths (``comparisons[2].groups``).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import difflib
import functools
import math
import re
from pathlib import Path
from typing import Any

import yaml

from ..paths import PROJECT_ROOT
from .study import CONFIG_FILE, KINDS

COSMIC_VERSIONS = ("3.4",)
GENOMES = ("GRCh37", "GRCh38")
VARIANT_SETS = ("all_snv", "nonsynonymous_snv")
NMF_FEATURES = ("genes", "pathways")
REFERENCE_GENOMES = ("hg19", "hg38", "GRCh37", "GRCh38")
SEQUENCED_SAMPLES = ("declared", "maf")
VAF_SCALES = ("fraction", "percent")
MINUS_1_5_CALLS = ("reject", "deep_deletion", "shallow_deletion")
UNITS = ("sample", "patient")
ALTERNATIVES = ("two.sided", "greater", "less")
ANALYSES = ("burden", "genes", "pathways", "cytobands", "hotspots", "survival", "clinical", "response",
            "interactions", "paired", "longitudinal", "signatures", "nmf", "linear")
DEFAULT_ANALYSES = ("burden", "genes", "pathways")
#: analyses a comparison across studies (``studies:`` with two or more) cannot run, and why
CROSS_STUDY_REFUSED = {
    "nmf": "NMF clusters are fitted per study, so cluster 1 of one study is not cluster 1 of another",
    "paired": "pairs are read within one study (its patients' samples); compare each study's pairs on its own",
    "longitudinal": "series are read within one study (its patients' samples); compare each study's on its own",
}
DERIVED_PREFIXES = ("mutated", "amplified", "deleted", "cna", "altered", "tmb", "cnv_burden")
DERIVED_GROUPS = {"mutated": ("mutated", "wildtype"), "amplified": ("amplified", "not_amplified"),
                  "deleted": ("deleted", "not_deleted"), "cna": ("altered", "unaltered"),
                  "altered": ("altered", "unaltered"), "tmb": ("high", "low"), "cnv_burden": ("high", "low")}
#: derived groupings of one gene's status (the rest take a cut-off)
GENE_PREFIXES = ("mutated", "amplified", "deleted", "cna", "altered")
#: alteration conditions of a ``where:`` selection -> (status, whether the sample must have it); each names a gene
#: (or a list: every gene must satisfy it). A sample whose assay does not profile the gene passes neither form.
ALTERATION_CONDITIONS = {
    "mutated": ("mutated", True), "wildtype": ("mutated", False),
    "amplified": ("amplified", True), "not_amplified": ("amplified", False),
    "deleted": ("deleted", True), "not_deleted": ("deleted", False),
    "cna": ("cna", True), "no_cna": ("cna", False),
    "altered": ("altered", True), "unaltered": ("altered", False),
}
#: operators of an attribute condition given as a mapping
CONDITION_OPERATORS = ("in", "not_in", "min", "max", "not_null")
#: dim_sample.sample_type (accepted_values in models/marts/burden/_burden__models.yml)
SAMPLE_TYPES = ("primary", "metastasis", "recurrence", "plasma", "normal", "other", "unknown")
#: the dim_sample columns a comparison's ``samples:`` may select on (int_comparison_members honours these only)
SELECTION_KEYS = ("sample_type", "timepoint", "case_list", "where")


def case_list_stable_ids(directory: Path) -> dict[str, str]:
    """The study's case lists (``case_lists/*.txt``): every name a declaration may use -> stable_id. A list is
    named by its stable_id, or without the ``<study>_`` prefix cBioPortal puts in front (``her2_pos`` for
    ``brca_x_her2_pos``)."""
    from .study import read_key_value_file

    names: dict[str, str] = {}
    for path in sorted((directory / "case_lists").glob("*.txt")):
        keys = read_key_value_file(path)
        stable_id = keys.get("stable_id") or path.stem
        names[stable_id] = stable_id
        study = keys.get("cancer_study_identifier", "")
        if study and stable_id.startswith(study + "_"):
            names.setdefault(stable_id[len(study) + 1:], stable_id)
    return names

SEEDS_DIR = PROJECT_ROOT / "seeds" / "reference"

#: dim_assay.assay_type of an assay a study declares (``assays[].type``)
ASSAY_TYPES = ("exome", "panel", "targeted_plasma", "genome")
#: the seed ids a study's own TMB definitions and assays may not take: the seeds are the shared vocabulary
#: (a TMB definition's classes become a nonsynonymous definition of the same id, hence that seed too)
DECLARED_ID_SEEDS = {
    "tmb_definitions": (("tmb_definitions.csv", "definition_id"), ("nonsynonymous_definitions.csv", "definition_id")),
    "assays": (("assays.csv", "assay_id"), ("panel_genes.csv", "panel_id"), ("public_panel_genes.csv", "panel_id")),
}


@dataclasses.dataclass(frozen=True)
class Key:
    """One declarable key. ``path`` is dotted; ``[]`` marks the items of a list and ``<...>`` a key the
    study names itself (a file kind, a column, an attribute)."""

    path: str
    kind: str  # see _TYPE_DOCS
    default: str  # as documented ("" = not set: nothing happens)
    description: str
    example: str
    choices: tuple[str, ...] = ()
    seed: tuple[str, str] | None = None  # (csv file under seeds/reference, id column)
    ignore_case: bool = False
    value: Any = None  # the default as a value, where the Python code fills it in (signatures, nmf)
    declared: str = ""  # a "seed" key that also takes the ids the same file declares under this list key

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def parent(self) -> str:
        return self.path.rsplit(".", 1)[0] if "." in self.path else ""

    @property
    def type_doc(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(f"`{c}`" for c in self.choices)
        if self.kind == "seed":
            return f"id: `{self.seed[1]}` of `seeds/reference/{self.seed[0]}`" + (
                f", or an `id` declared under `{self.declared}`" if self.declared else "")
        if self.kind == "list_of_choice":
            return "list of: " + ", ".join(f"`{c}`" for c in self.choices)
        return _TYPE_DOCS[self.kind]


_TYPE_DOCS = {
    "text": "text",
    "name": "text (or a whole number)",
    "path": "path, relative to the study folder",
    "paths": "path or list of paths, relative to the study folder",
    "positive_number": "number > 0",
    "percent": "number from 0 to 100",
    "positive_int": "whole number >= 1",
    "non_negative_int": "whole number >= 0",
    "list_of_text": "list of names",
    "list_of_rank": "list of whole numbers >= 2",
    "text_or_list": "text or list of text",
    "canonical": "text or list of text (canonical names)",
    "mapping": "mapping",
    "signatures_block": "mapping (or `true`: every default)",
    "list_of_mappings": "list of mappings",
    "group_by": "text: an attribute, or `mutated:GENE`, `amplified:GENE`, `deleted:GENE`, `cna:GENE`, `altered:GENE`, "
                "`tmb:median`, `tmb:<number>`, `cnv_burden:median`, `cnv_burden:<number>`",
    "group": "list of values, `{samples: [...]}` or `{where: {...}}`",
    "selection": "mapping: attribute or gene condition -> value(s); `any:` list of mappings",
    "scalar": "text or number",
    "boolean": "`true` or `false`",
    "encoding": "a text encoding Python knows that keeps ASCII as it is (`latin-1`, `cp1252`, `utf-8` ...)",
    "declared_id": "text: letters, digits, `_`, `-`, `.`",
    "variants": "`all`, a list of Variant_Classification values, or a `definition_id` of "
                "`seeds/reference/nonsynonymous_definitions.csv`",
    "genes": "`all` or a list of gene symbols",
}

# Every key of oncoduck_study.yml, in the order the README lists them.
KEYS: tuple[Key, ...] = (
    Key("study_id", "text", "meta_study.txt `cancer_study_identifier`, else the folder name",
        "The study's id in every table.", "study_id: my_study"),
    Key("reference_genome", "choice", "meta_study.txt `reference_genome`, else `hg19`",
        "Genome build of the coordinates (GRCh37/GRCh38 are read as hg19/hg38; any case).",
        "reference_genome: hg19", choices=REFERENCE_GENOMES, ignore_case=True),
    Key("assay_id", "seed", "`exome_undeclared`: every gene profiled, no coding size, so no TMB",
        "Assay of the samples neither the gene panel matrix nor a Gene Panel attribute names (its genes, coding "
        "size, type): a seed assay (`wes_generic` is cBioPortal's 30 Mb exome) or one of the study's own `assays`.",
        "assay_id: demo_panel_520", seed=("assays.csv", "assay_id"), declared="assays"),
    Key("tmb_definition", "seed", "`nonsyn_maftools_v1`",
        "Which variants count for TMB and which coding size divides them (also which make a gene mutated, unless "
        "`mutated_definition` says otherwise): a seed definition or one of the study's own `tmb_definitions`.",
        "tmb_definition: nonsyn_zhang2022_v1", seed=("tmb_definitions.csv", "definition_id"),
        declared="tmb_definitions"),
    Key("mutated_definition", "seed", "the study's `tmb_definition`",
        "Whose variant classes make a gene mutated in the frequency marts, gene groupings and conditions, pairs "
        "and the signatures' nonsynonymous set: a seed definition or one of the study's own `tmb_definitions`. "
        "Declare it when the TMB counts every row (`variants: all`): else a silent or intronic variant makes its "
        "gene mutated, and the study file gets a warning.",
        "mutated_definition: nonsyn_maftools_v1", seed=("tmb_definitions.csv", "definition_id"),
        declared="tmb_definitions"),
    Key("tmb_definitions", "list_of_mappings", "",
        "The study's own TMB definitions, for this study only, beside the seed's (the shared vocabulary, which a "
        "study cannot redefine). Each is computed for every sequenced sample of the study (fct_sample_burden, "
        "`definition_declared_by` = oncoduck_study.yml); name one with `tmb_definition` to make it the study's.",
        "tmb_definitions: [{id: transneo_all_rows, variants: all, coding_mb: 45.54094}]"),
    Key("tmb_definitions[].id", "declared_id", "required",
        "The definition's id (unique in the file; not an id of tmb_definitions.csv or "
        "nonsynonymous_definitions.csv).", "id: transneo_all_rows"),
    Key("tmb_definitions[].variants", "variants", "required",
        "The PASS variants counted: `all` (every mutation row of the study, any class), the listed classes (any "
        "of consequence_vocabulary.csv, or `unclassified`), or the nonsynonymous classes of a seed definition.",
        "variants: [Missense_Mutation, Nonsense_Mutation, Frame_Shift_Del, Frame_Shift_Ins]"),
    Key("tmb_definitions[].excludes_hotspots", "boolean", "`false`",
        "Leave out mutations at hotspot residues (seeds hotspots.csv), as nonsyn_zhang2022_v1 does.",
        "excludes_hotspots: true"),
    Key("tmb_definitions[].assay_genes_only", "boolean", "`false` (as every seed definition)",
        "Count only mutations in genes the sample's assay covers (bridge_assay_gene: a panel's gene list; an "
        "exome covers every gene).", "assay_genes_only: true"),
    Key("tmb_definitions[].coding_mb", "positive_number", "the study's `coding_mb`, else the assay's coding size",
        "Coding size in Mb that divides the count, for every sample of the study whose assay is resolved (wins "
        "over the study's and the assay's).", "coding_mb: 45.54094"),
    Key("tmb_definitions[].description", "text", "`declared by <study> in oncoduck_study.yml`",
        "What the definition is (stg_study__tmb_definitions.description).",
        "description: TransNEO exome TMB (all mutation rows / 45.54 Mb)"),
    Key("assays", "list_of_mappings", "",
        "The study's own assays, for this study only, beside the seed's (which a study cannot redefine): name "
        "one with `assay_id`, the gene panel matrix or a Gene Panel attribute. Two studies may declare the "
        "same id only with the same type, coding size, genes and description (dim_assay has one row per id).",
        "assays: [{id: transneo_exome, type: exome, coding_mb: 45.54094}]"),
    Key("assays[].id", "declared_id", "required",
        "The assay's id (unique in the file; not an id of assays.csv, panel_genes.csv or public_panel_genes.csv).",
        "id: transneo_exome"),
    Key("assays[].type", "choice", "required", "Kind of assay (dim_assay.assay_type).", "type: panel",
        choices=ASSAY_TYPES),
    Key("assays[].coding_mb", "positive_number",
        "a panel's: the CDS footprint of its genes (int_assays_coding_size); an exome's or genome's: none (no "
        "TMB unless `coding_mb` or the definition gives one)",
        "Coding size in Mb, the TMB denominator of the samples on the assay.", "coding_mb: 45.54094"),
    Key("assays[].genes", "genes", "`all` for an exome or genome; a panel must list its genes",
        "The genes the assay covers (bridge_assay_gene): the denominators of gene frequencies, and what "
        "`assay_genes_only` definitions count.", "genes: [TP53, PIK3CA, ERBB2]"),
    Key("assays[].genes_file", "path", "",
        "Instead of `genes`: a file in the study folder listing the genes, one per line (blank lines and `#` "
        "comments ignored).", "genes_file: panel_genes.txt"),
    Key("assays[].targets_file", "path", "",
        "Instead of `genes`: a BED file of the assay's targets (chrom, 0-based start, end; `track`, `browser` "
        "and `#` lines skipped) in the study folder: the assay covers the genes whose exonic span overlaps a "
        "target, in the gene reference of the study's genome (seeds genes_hg19 / genes_hg38). The coding size "
        "stays `coding_mb`, else the CDS footprint of those genes.", "targets_file: panel_targets.bed"),
    Key("assays[].description", "text", "`<id> (declared in oncoduck_study.yml)`",
        "What the assay is (dim_assay.description).", "description: TransNEO whole exome"),
    Key("variant_filter_rule_set", "seed", "`none`", "Which variant filters apply (PASS, depth, VAF ...).",
        "variant_filter_rule_set: zhang2022_tissue", seed=("variant_filter_rules.csv", "rule_set")),
    Key("cna_call_rule_set", "seed", "`log2_default`",
        "Thresholds that call amplifications and deletions from copy-number values and segments.",
        "cna_call_rule_set: log2_default", seed=("cna_call_rules.csv", "rule_set")),
    Key("sequenced_samples", "choice", "`declared`",
        "`declared`: #Sequenced_Samples, cases_sequenced.txt or the gene panel matrix (else every non-normal "
        "sample of a study with a MAF); `maf`: the samples in the mutation files (maftools' view).",
        "sequenced_samples: maf", choices=SEQUENCED_SAMPLES, ignore_case=True),
    Key("vaf_scale", "choice", "`fraction`: a given VAF above 1 rejects its line (vaf_out_of_range)",
        "How the MAF's VAF column (tumor_vaf, t_vaf, tumor_f) is scaled: `fraction` (0-1) or `percent` (0-100, as in "
        "WUSTL's MAFs). Read counts, when a line has them, give the VAF instead; fct_variant.tumor_vaf_source says "
        "which was used.", "vaf_scale: percent", choices=VAF_SCALES, ignore_case=True),
    Key("discrete_cna_minus_1_5", "choice", "`reject`: a -1.5 rejects its value (discrete_half_step_undeclared)",
        "What a -1.5 in a discrete gene CNA file means. cBioPortal's validator accepts -1.5 beside -2..2, but its "
        "file format gives no meaning for it, and sources differ: MSK CMO, following GENIE, reads it as -2 "
        "(`deep_deletion`; gnomeR's CNA coding notes), a rounding reads it as -1. The value stays -1.5 in "
        "fct_gene_cna; `discrete_call_rule` says which reading gave its call.",
        "discrete_cna_minus_1_5: deep_deletion", choices=MINUS_1_5_CALLS, ignore_case=True),
    Key("coding_mb", "positive_number", "the assay's coding size",
        "Coding size in Mb that divides TMB, over the assay's and a seed definition's (a study-declared definition's "
        "own `coding_mb` wins over it).", "coding_mb: 33.5"),
    Key("thresholds", "mapping", "", "Study-specific cut-offs of clinical rules.",
        "thresholds: {ki67_cutoff_percent: 20}"),
    Key("thresholds.ki67_cutoff_percent", "percent", "var `ki67_cutoff_percent` (14)",
        "Ki-67 % at or above which an HR+/HER2- tumour is Luminal B-like (St. Gallen 2013).",
        "thresholds: {ki67_cutoff_percent: 20}"),
    Key("thresholds.luminal_a_pr_min_percent", "percent", "PR not applied (Ki-67 alone, as zhang2022)",
        "PR % at or above which an HR+/HER2- tumour with low Ki-67 is Luminal A-like; below it, Luminal B-like "
        "(St. Gallen 2013: 20, Prat et al. 2013).", "thresholds: {luminal_a_pr_min_percent: 20}"),
    Key("thresholds.lim2021_historical_pfs_months", "positive_number",
        "var `lim2021_historical_pfs_months` (6)",
        "Historical median PFS (months) of the lim2021 extreme-responder rule.",
        "thresholds: {lim2021_historical_pfs_months: 6}"),
    Key("thresholds.lim2021_durable_multiple", "positive_number", "var `lim2021_durable_multiple` (2)",
        "A PR is extreme when PFS >= this multiple of the historical median (lim2021 rule).",
        "thresholds: {lim2021_durable_multiple: 2}"),
    Key("files", "mapping", "files found by meta files and conventional names",
        "Lists files explicitly, by file kind (paths may point outside the folder; each must exist).",
        "files: {mutations: [a.maf.gz, b.maf.gz]}"),
    Key("files.<kind>", "paths", "",
        "The files of one kind: " + ", ".join(KINDS) + ".",
        "files: {clinical_sample: data_clinical_sample.txt}"),
    Key("columns", "mapping", "", "Vendor column names -> canonical names, for every file of the study.",
        "columns: {tumors_var_reads: t_alt_count}"),
    Key("columns.<source column>", "canonical", "",
        "The canonical name(s) a source column lands as (a list lands it under each name).",
        "columns: {VITAL_STATUS: [OS_STATUS, DSS_STATUS]}"),
    Key("columns.<kind>.<source column>", "canonical", "",
        "The same for one file kind only (wins over the study-wide name).",
        "columns: {clinical_sample: {Tumor_Sample_Barcode: SAMPLE_ID}}"),
    Key("encoding", "encoding", "`utf-8`: a byte that is not UTF-8 rejects its line (undecodable_bytes)",
        "The text encoding of the study's tabular files when they are not UTF-8 (a clinical export from Windows is "
        "often `cp1252`, an older one `latin-1`): each file is read through a UTF-8 copy decoded from it, so "
        "`Hormonothérapie` lands as written; a byte the encoding cannot decode still rejects its line. VCF files "
        "are UTF-8 by their specification and are read as such.", "encoding: latin-1"),
    Key("identifiers", "list_of_text", "the column names of ingest/identifiers.py (names, dates of birth, record "
        "numbers, addresses)",
        "More clinical or timeline columns that identify a person directly: like those found by name, they are not "
        "landed, and the build summary names each one.", "identifiers: [CLINIC_CONTACT]"),
    Key("keep_identifiers", "list_of_text", "none: every direct identifier is dropped",
        "Direct identifier columns to keep in the warehouse, in `landing.landing_direct_identifiers` only: no model "
        "reads them and publish never copies them.", "keep_identifiers: [MRN]"),
    Key("values", "mapping", "", "Raw value -> canonical value, per attribute: wins over the seed's synonyms, for "
        "the study's files and for the values its comparisons declare.",
        "values: {ER_STATUS: {Positve: Positive}}"),
    Key("values.<ATTRIBUTE>.<raw value>", "scalar", "",
        "The canonical value of one raw value (matched ignoring case and surrounding spaces, so two raw values the "
        "same that way are refused; quote yes/no/true/false).",
        "values: {HER2_IHC_SCORE: {'2+ (equivocal)': '2+'}}"),
    Key("vcf", "mapping", "single sample: tumour; TUMOR/NORMAL columns paired; else every column a tumour",
        "Which VCF sample columns are the tumour and the matched normal.",
        "vcf: {tumor_sample: T1, normal_sample: N1}"),
    Key("vcf.tumor_sample", "name", "", "The tumour sample column.", "vcf: {tumor_sample: T1}"),
    Key("vcf.normal_sample", "name", "", "The matched normal sample column.", "vcf: {normal_sample: N1}"),
    Key("vcf.sample_ids", "mapping", "the column name",
        "Sample column -> sample id landed.", "vcf: {sample_ids: {TUMOR: S1-T}}"),
    Key("vcf.files", "mapping", "", "Per-file overrides: VCF file name -> tumor_sample, normal_sample, sample_ids.",
        "vcf: {files: {t2.vcf.gz: {tumor_sample: T2}}}"),
    Key("reference_fasta", "path", "",
        "FASTA giving the sequence context of SNVs whose MAF has no context column (must exist).",
        "reference_fasta: ref/GRCh37.fa"),
    Key("gene_sets", "paths", "only the shared sets (seeds/reference/gene_sets.csv)",
        "Gene sets the study adds (GMT, or TSV with gene_set and gene columns), each file a collection named by "
        "its file name: counted by pathway frequencies and their tests, paired tests and NMF on pathways, for "
        "this study only.", "gene_sets: [kegg_metabolism.gmt]"),
    Key("signatures", "signatures_block", "", "Fit COSMIC SBS exposures (stats.stat_signature_exposures).",
        "signatures: {min_snvs: 5}"),
    Key("signatures.cosmic_version", "choice", "`3.4`", "COSMIC reference (SigProfilerAssignment's files).",
        "signatures: {cosmic_version: '3.4'}", choices=COSMIC_VERSIONS, value="3.4"),
    Key("signatures.genome", "choice", "the study's reference genome",
        "Genome of the COSMIC reference.", "signatures: {genome: GRCh37}", choices=GENOMES),
    Key("signatures.variant_set", "choice", "`all_snv`",
        "SNVs fitted: every PASS SNV, or those the study counts as mutations (its `mutated_definition`, else its "
        "TMB definition).",
        "signatures: {variant_set: all_snv}", choices=VARIANT_SETS, value="all_snv"),
    Key("signatures.signatures", "list_of_text", "every SBS of the reference",
        "The signatures to fit (each must be in the reference).", "signatures: {signatures: [SBS1, SBS2, SBS13]}"),
    Key("signatures.min_snvs", "positive_int", "`10`", "Samples with fewer SNVs are not fitted (reason given).",
        "signatures: {min_snvs: 10}", value=10),
    Key("signatures.de_novo_ranks", "list_of_rank", "no de novo extraction",
        "Also extract signatures de novo by NMF at these ranks (stats.stat_signatures_de_novo).",
        "signatures: {de_novo_ranks: [2, 3, 4]}"),
    Key("signatures.de_novo_runs", "positive_int", "`10`", "NMF runs per rank for the extraction.",
        "signatures: {de_novo_runs: 10}", value=10),
    Key("signatures.seed", "non_negative_int", "`1`", "Run r uses seed + r (stored with the result).",
        "signatures: {seed: 2021}", value=1),
    Key("nmf", "signatures_block", "", "Consensus NMF subtypes (marts.fct_sample_nmf_cluster).",
        "nmf: {ranks: [2, 3, 4]}"),
    Key("nmf.features", "choice", "`genes`",
        "What is clustered: genes, or pathways (the shared gene sets and the study's own).", "nmf: {features: genes}",
        choices=NMF_FEATURES, value="genes"),
    Key("nmf.ranks", "list_of_rank", "`[2, 3, 4, 5]`",
        "Ranks tried; the one with the highest cophenetic correlation is kept.", "nmf: {ranks: [2, 3]}",
        value=[2, 3, 4, 5]),
    Key("nmf.runs", "positive_int", "`20`", "NMF runs per rank (consensus matrix).", "nmf: {runs: 10}", value=20),
    Key("nmf.seed", "non_negative_int", "`1`", "Run r uses seed + r (stored with the result).", "nmf: {seed: 2022}",
        value=1),
    Key("nmf.min_altered_samples", "positive_int", "`3`", "Features altered in fewer samples are left out.",
        "nmf: {min_altered_samples: 8}", value=3),
    Key("comparisons", "list_of_mappings", "", "Declared comparisons between groups of samples or patients.",
        "comparisons: [{name: a_vs_b, group_by: SEX, groups: {f: [Female], m: [Male]}}]"),
    Key("comparisons[].name", "text", "`comparison_<n>`", "The comparison's name (unique in the study).",
        "name: nonresponders_vs_responders"),
    Key("comparisons[].unit", "choice", "`sample`",
        "`patient`: one representative sample per patient: a sequenced sample first, then one with copy-number "
        "data, then primary, metastasis, recurrence, plasma, then sample id.",
        "unit: patient", choices=UNITS),
    Key("comparisons[].studies", "list_of_text", "the declaring study",
        "The studies whose samples the comparison draws on (study ids of the same build; list the declaring study "
        "to include its own samples). Each sample keeps its own study's registry, assay coverage, TMB definition "
        "and CNA calls, so every group's denominators are its studies' own; the results belong to the declaring "
        "study. `STUDY_ID` is an attribute for group_by and where: conditions. Not with `nmf`, `paired` or "
        "`longitudinal` (fitted or paired within one study).",
        "studies: [demo_paul2020_pairs, demo_zhang2022_panel]"),
    Key("comparisons[].samples", "mapping", "every sample",
        "Selection of the samples compared, on sample_type, timepoint, case lists and `where:` conditions on "
        "attributes and gene status; a sample must pass every key given.",
        "samples: {sample_type: [primary, metastasis]}"),
    Key("comparisons[].samples.sample_type", "list_of_choice", "", "Sample types kept (any case).",
        "samples: {sample_type: [primary]}", choices=SAMPLE_TYPES, ignore_case=True),
    Key("comparisons[].samples.timepoint", "text_or_list", "",
        "Timepoints kept (any case), read as the samples' TIMEPOINT is (the study's `values:`, then seed "
        "clinical_value_synonyms): `pre` keeps the baseline samples.",
        "samples: {timepoint: [baseline]}"),
    Key("comparisons[].samples.case_list", "text_or_list", "",
        "Case lists (`case_lists/*.txt`, by stable_id, with or without the `<study>_` prefix) whose samples are kept "
        "(in any of them).", "samples: {case_list: her2_pos}"),
    Key("comparisons[].samples.where", "selection", "",
        "Conditions on attributes and gene status that every sample kept must meet (and); `any: [{...}, {...}]` "
        "inside it holds when one of its mappings holds (or). An attribute condition is a value, a list (in), "
        "`{not_in: [...]}`, `{min: x, max: y}` (inclusive, numeric) or `{not_null: true}`; a sample-level value "
        "wins over the patient's. A gene condition is `mutated`, `wildtype`, `amplified`, `not_amplified`, "
        "`deleted`, `not_deleted`, `cna`, `no_cna`, `altered` or `unaltered`: a gene (or a list: each gene), "
        "as the study counts mutations (mutated_definition) and calls CNA; samples not profiled for the gene meet "
        "neither form.",
        "samples: {where: {ER_STATUS: Positive, AGE: {min: 40}, any: [{mutated: PIK3CA}, {amplified: ERBB2}]}}"),
    Key("comparisons[].group_by", "group_by", "none: each group lists its samples",
        "The attribute whose values make the groups (clinical canonical name, SAMPLE_TYPE_CANONICAL, TIMEPOINT, "
        "*_DERIVED), or a derived grouping of a gene's status (`mutated:`, `amplified:`, `deleted:`, `cna:` "
        "(amplification or deep deletion), `altered:` (mutation or either CNA)) or of a burden.",
        "group_by: RESPONSE_GROUP"),
    Key("comparisons[].groups", "mapping", "derived groupings: mutated/wildtype or high/low",
        "Two or more groups, in order: label -> values of the attribute (any case), read as the files' values are "
        "(the study's `values:`, then seed clinical_value_synonyms).",
        "groups: {responder: [Extreme responder], non_responder: [Non-responder]}"),
    Key("comparisons[].groups.<label>", "group", "",
        "The values that make the group; without group_by, `{samples: [...]}` (an explicit list) or `{where: "
        "{...}}` (conditions as in samples.where; a sample meeting two groups' conditions fails the build).",
        "groups: {her2_low: {where: {HER2_IHC_SCORE: ['1+', '2+']}}, her2_zero: {where: {HER2_IHC_SCORE: '0'}}}"),
    Key("comparisons[].alternative", "choice", "`two.sided`", "Direction of the test: group 1 vs group 2.",
        "alternative: greater", choices=ALTERNATIVES),
    Key("comparisons[].reference", "name", "the first group (R's first factor level)",
        "The group every effect (hazard ratio, odds ratio, linear coefficient) is estimated against; each "
        "result row names it.", "reference: wildtype"),
    Key("comparisons[].covariates", "list_of_text", "none: unadjusted",
        "Attributes adjusted for in the models of `survival` (Cox), `response` (logistic) and `linear`: numeric "
        "when every value is a number, else categorical.", "covariates: [AGE, STAGE_GROUP_DERIVED]"),
    Key("comparisons[].reference_levels", "mapping", "each categorical covariate's first value in sorted order "
        "(R's factor default)", "Reference level of a categorical covariate, read as the covariate's values are (the "
        "study's `values:`, then the seed synonyms).",
        "reference_levels: {STAGE_GROUP_DERIVED: I}"),
    Key("comparisons[].stratify_by", "text_or_list", "none",
        "One or two attributes whose values make strata: every analysis also runs within each stratum "
        "(sub-comparisons 'name [ATTR=value]'), with the stratified tests: Cochran-Mantel-Haenszel for the "
        "two-group alteration frequencies, stratified log-rank and Cox strata for `survival`.",
        "stratify_by: HR_STATUS_DERIVED"),
    Key("comparisons[].outcome", "text", "`response`: pCR; `linear`: none (required)",
        "The outcome attribute: binary for `response` (logistic), numeric for `linear`.", "outcome: RCB_SCORE"),
    Key("comparisons[].analyses", "list_of_choice", "`[burden, genes, pathways]`", "The analyses run.",
        "analyses: [burden, genes, survival]", choices=ANALYSES),
)

BY_PATH = {k.path: k for k in KEYS}


def children(parent: str) -> dict[str, Key]:
    """The fixed keys directly under ``parent`` ("" = top level), by name."""
    return {k.name: k for k in KEYS if k.parent == parent and not k.name.startswith("<")}


# ---------------------------------------------------------------------------------------------------------------
# positions
# ---------------------------------------------------------------------------------------------------------------

KeyPath = tuple  # a key path: str keys and int list indices


@dataclasses.dataclass(frozen=True)
class Problem:
    """One problem of a study file: the key path, its position and what is wrong. ``code``: the finding code of a
    caution (a WARNING, see :func:`cautions`); a refusal has none (it stops the study's read, see :func:`find`)."""

    path: KeyPath
    line: int
    column: int
    message: str
    code: str = ""

    @property
    def key(self) -> str:
        return key_name(self.path)

    def format(self, file: Path | str) -> str:
        return f"{file}:{self.line}:{self.column}: {self.key}: {self.message}"

    def format_short(self, file: Path | str) -> str:
        """``file:line: key: message`` (analysis_settings' historical form)."""
        return f"{file}:{self.line}: {self.key}: {self.message}"


def key_name(path: KeyPath) -> str:
    """``("comparisons", 1, "groups")`` -> ``comparisons[2].groups`` (list items numbered from 1)."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if _is_int(part) else (f".{part}" if text else str(part))
    return text or "(file)"


class _Positions:
    """Line and column (1-based) of every mapping key and list item of a YAML file, by key path; and the keys
    given twice in one mapping (YAML loaders keep the last one silently)."""

    def __init__(self, config_path: Path):
        self.marks: dict[KeyPath, tuple[int, int]] = {}
        self.duplicates: list[tuple[KeyPath, int, int, int]] = []
        if not config_path.is_file():
            return
        try:
            root = yaml.compose(config_path.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError:
            return  # read_config reports invalid YAML
        self._constructor = yaml.SafeLoader("")
        self._walk(root, ())

    def _key(self, node) -> Any:
        try:
            key = self._constructor.construct_object(node, deep=True)
            hash(key)
            return key
        except Exception:  # noqa: BLE001 - an unhashable or odd key: locate it by its text
            return str(getattr(node, "value", ""))

    def _walk(self, node, prefix: KeyPath) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = self._key(key_node)
                path = prefix + (key,)
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                if key in seen:
                    self.duplicates.append((path, line, column, seen[key]))
                seen[key] = line
                self.marks[path] = (line, column)
                self._walk(value_node, path)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.marks[prefix + (i,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                self._walk(item, prefix + (i,))

    def of(self, path: KeyPath) -> tuple[int, int]:
        """The position of ``path``, else of its nearest parent that has one, else 1:1."""
        for n in range(len(path), 0, -1):
            if path[:n] in self.marks:
                return self.marks[path[:n]]
        return 1, 1


# ---------------------------------------------------------------------------------------------------------------
# value checks
# ---------------------------------------------------------------------------------------------------------------

def closest(word: Any, candidates, n: int = 3) -> str:
    """``did you mean 'x'?`` (up to n names, difflib), or "" when nothing is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=n)
    if not close:
        return ""
    names = [f"'{c}'" for c in close]
    return "did you mean " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]) + "?"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (_is_int(value) or isinstance(value, float)) and not (isinstance(value, float) and math.isnan(value))


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{value!r} (YAML reads yes/no/true/false/on/off as a boolean: quote it)"
    return repr(value)


@functools.lru_cache(maxsize=None)
def seed_ids(file: str, column: str) -> tuple[str, ...]:
    """The ids of one seed column (seeds/reference/<file>), in file order, without duplicates."""
    with open(SEEDS_DIR / file, newline="", encoding="utf-8") as handle:
        return tuple(dict.fromkeys(row[column] for row in csv.DictReader(handle) if row.get(column)))


@functools.lru_cache(maxsize=None)
def variant_classes() -> tuple[str, ...]:
    """Every variant_class int_variants_classified gives a variant: the MAF classes of consequence_vocabulary.csv
    (and of nonsynonymous_definitions.csv), and ``unclassified``."""
    return tuple(dict.fromkeys([*seed_ids("consequence_vocabulary.csv", "variant_classification"),
                                *seed_ids("consequence_vocabulary.csv", "variant_classification_ins"),
                                *seed_ids("nonsynonymous_definitions.csv", "variant_classification"), "unclassified"]))


def _variants_problem(value: Any) -> str | None:
    """Why ``value`` is not one item of a ``variants:`` list (a variant class), or None."""
    known = variant_classes()
    if isinstance(value, str) and value in known:
        return None
    hint = closest(value, known, n=1)
    shown = f"'{value}'" if isinstance(value, str) else _describe(value)
    return f"{shown} is not a Variant_Classification ({', '.join(known)})" + (f"; {hint}" if hint else "")


def _encoding_problem(value: Any) -> str | None:
    """Why ``value`` cannot be a study's encoding: unknown to Python, or one whose tabs and line endings are not
    the ASCII bytes that files are split on (UTF-16, EBCDIC ...)."""
    if not _is_text(value):
        return f"expected an encoding name, got {_describe(value)}"
    try:
        codecs.lookup(value)
    except LookupError:
        return f"'{value}' is not a text encoding Python knows (latin-1, cp1252, utf-8 ...)"
    if "\t\n\r#A,:".encode(value, errors="replace") != b"\t\n\r#A,:":
        return f"'{value}' does not keep ASCII as it is (tabs and line endings); convert the files to UTF-8"
    return None


DECLARED_ID_PATTERN = re.compile(r"[A-Za-z0-9_.\-]+")


def check_value(key: Key, value: Any) -> str | None:
    """Why ``value`` cannot be ``key``'s value, or None when it can (scalar and list kinds)."""
    kind = key.kind
    if value is None:
        return "no value given (remove the key to take the default)" if key.default not in ("", "required") \
            else "no value given"
    if kind == "choice":
        choices = key.choices
        text = str(value)
        known = {c.lower(): c for c in choices} if key.ignore_case else {c: c for c in choices}
        if isinstance(value, (dict, list, bool)) or (text.lower() if key.ignore_case else text) not in known:
            return _choice_message(value, choices, closest(text, choices, n=1))
        return None
    if kind == "seed":
        file, column = key.seed
        ids = seed_ids(file, column)
        if not isinstance(value, str) or value not in ids:
            hint = closest(value, ids)
            shown = f"'{value}'" if isinstance(value, str) else _describe(value)
            return (f"{shown} is not in seeds/reference/{file} ({column}: {', '.join(ids)})"
                    + (f"; {hint}" if hint else ""))
        return None
    if kind in ("text", "path"):
        return None if _is_text(value) else f"expected {'a path' if kind == 'path' else 'text'}, got {_describe(value)}"
    if kind == "name":
        return None if _is_text(value) or _is_int(value) else f"expected a name, got {_describe(value)}"
    if kind == "scalar":
        return None if _is_text(value) or _is_number(value) else f"expected text or a number, got {_describe(value)}"
    if kind == "positive_number":
        return None if _is_number(value) and value > 0 else f"expected a number > 0, got {_describe(value)}"
    if kind == "percent":
        ok = _is_number(value) and 0 <= value <= 100
        return None if ok else f"expected a number from 0 to 100, got {_describe(value)}"
    if kind == "list_of_text":
        ok = isinstance(value, list) and value and all(_is_text(v) for v in value)
        return None if ok else f"expected a non-empty list of names, got {value!r}"
    if kind == "list_of_rank":
        ok = isinstance(value, list) and value and all(_is_int(v) and v >= 2 for v in value)
        return None if ok else f"expected a non-empty list of whole numbers >= 2, got {value!r}"
    if kind in ("positive_int", "non_negative_int"):
        low = 1 if kind == "positive_int" else 0
        return None if _is_int(value) and value >= low else f"expected a whole number >= {low}, got {value!r}"
    if kind in ("text_or_list", "canonical", "paths"):
        items = value if isinstance(value, list) else [value]
        what = {"paths": "a path or a list of paths", "canonical": "a canonical name or a list of them"}.get(
            kind, "text or a list of text")
        ok = bool(items) and all(_is_text(v) for v in items)
        return None if ok else f"expected {what}, got {_describe(value)}"
    if kind == "boolean":
        return None if isinstance(value, bool) else f"expected true or false, got {_describe(value)}"
    if kind == "encoding":
        return _encoding_problem(value)
    if kind == "declared_id":
        ok = isinstance(value, str) and DECLARED_ID_PATTERN.fullmatch(value)
        return None if ok else f"expected an id of letters, digits, '_', '-' or '.', got {_describe(value)}"
    if kind == "variants":
        nonsynonymous = seed_ids("nonsynonymous_definitions.csv", "definition_id")
        if isinstance(value, list):
            if not value:
                return "expected at least one Variant_Classification, got []"
            return next((why for why in map(_variants_problem, value) if why), None)
        if value == "all" or (isinstance(value, str) and value in nonsynonymous):
            return None
        hint = closest(value, ("all", *nonsynonymous), n=1)
        shown = f"'{value}'" if isinstance(value, str) else _describe(value)
        return (f"{shown} is neither all, a list of Variant_Classification values, nor a definition_id of "
                f"seeds/reference/nonsynonymous_definitions.csv ({', '.join(nonsynonymous)})"
                + (f"; {hint}" if hint else ""))
    if kind == "genes":
        if value == "all" or (isinstance(value, list) and value and all(_is_text(v) for v in value)):
            return None
        return f"expected all or a non-empty list of gene symbols, got {_describe(value)}"
    raise AssertionError(kind)


def _choice_message(value: Any, choices, hint: str) -> str:
    shown = f"'{value}'" if isinstance(value, str) else _describe(value)
    return f"{shown} is not one of {', '.join(choices)}" + (f" ({hint})" if hint else "")


# ---------------------------------------------------------------------------------------------------------------
# the walk
# ---------------------------------------------------------------------------------------------------------------

class _Checker:
    def __init__(self, config_path: Path, config: dict[str, Any]):
        self.config_path = config_path
        self.directory = config_path.parent
        self.config = config
        self.positions = _Positions(config_path)
        self.found: list[Problem] = []

    def problem(self, path: KeyPath, message: str) -> None:
        line, column = self.positions.of(path)
        self.found.append(Problem(tuple(path), line, column, message))

    def unknown_key(self, path: KeyPath, known) -> None:
        known = list(known)
        hint = closest(path[-1], known)
        self.problem(path, f"unknown key (known: {', '.join(known)})" + (f"; {hint}" if hint else ""))

    def leaf(self, key: Key, path: KeyPath, value: Any) -> bool:
        why = check_value(key, value)
        if why:
            self.problem(path, why)
        return why is None

    def mapping(self, path: KeyPath, value: Any, what: str) -> dict | None:
        """``value`` as a mapping (None = empty); a problem and None when it is not one."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"expected {what}, got {_describe(value)}")
            return None
        return value

    def fixed(self, parent: str, path: KeyPath, block: dict) -> dict[str, Key]:
        """Check the keys of a mapping whose keys are fixed; returns the known ones."""
        known = children(parent)
        for name, value in block.items():
            if name not in known:
                self.unknown_key(path + (name,), known)
            elif known[name].kind not in ("mapping", "list_of_mappings", "signatures_block", "group_by",
                                          "list_of_choice"):
                self.leaf(known[name], path + (name,), value)
        return known

    def run(self) -> list[Problem]:
        for path, line, column, first in self.positions.duplicates:
            self.found.append(Problem(path, line, column, f"given twice (first on line {first}); YAML keeps only "
                                                          f"the last: remove one"))
        top = children("")
        for name, value in self.config.items():
            if name not in top:
                self.unknown_key((name,), top)
                continue
            handler = getattr(self, f"check_{name}", None)
            if handler:
                handler(value)
            else:
                self.leaf(top[name], (name,), value)
        self.found.sort(key=lambda p: (p.line, p.column))
        return self.found

    # --- blocks --------------------------------------------------------------------------------------------------

    def check_thresholds(self, value: Any) -> None:
        block = self.mapping(("thresholds",), value, "a mapping of cut-offs")
        if block:
            self.fixed("thresholds", ("thresholds",), block)

    # --- the study's own TMB definitions and assays (ingest/declared_references.py lands them) ------------------

    def _declared_ids(self, block: str) -> list[str]:
        """The ids the file declares under ``block`` (tmb_definitions, assays), in file order."""
        items = self.config.get(block)
        return [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)] \
            if isinstance(items, list) else []

    def _seed_or_declared(self, name: str, value: Any) -> None:
        """``tmb_definition`` / ``assay_id``: an id of the key's seed, or one the same file declares."""
        key = BY_PATH[name]
        declared = self._declared_ids(key.declared)
        if isinstance(value, str) and value in declared:
            return
        why = check_value(key, value)
        if why and declared and isinstance(value, str):
            file, column = key.seed
            ids = seed_ids(file, column)
            hint = closest(value, (*ids, *declared))
            why = (f"'{value}' is not in seeds/reference/{file} ({column}: {', '.join(ids)}) nor declared under "
                   f"{key.declared} (id: {', '.join(declared)})" + (f"; {hint}" if hint else ""))
        if why:
            self.problem((name,), why)

    def check_tmb_definition(self, value: Any) -> None:
        self._seed_or_declared("tmb_definition", value)

    def check_mutated_definition(self, value: Any) -> None:
        self._seed_or_declared("mutated_definition", value)

    def check_assay_id(self, value: Any) -> None:
        self._seed_or_declared("assay_id", value)

    def _declared_items(self, block: str, value: Any, what: str, chosen_by: str) -> list[tuple[KeyPath, dict]]:
        """The items of a ``tmb_definitions:`` / ``assays:`` list that are mappings, their keys known and their
        ``id`` given, well formed, unique in the file and not a seed id."""
        if value is None:
            return []
        known = children(f"{block}[]")
        if not isinstance(value, list):
            self.problem((block,), f"expected a list of {what} (mappings of {', '.join(known)}), "
                                   f"got {_describe(value)}")
            return []
        first: dict[str, int] = {}
        items = []
        for i, item in enumerate(value):
            path = (block, i)
            if not isinstance(item, dict):
                self.problem(path, f"expected a mapping of {', '.join(known)}, got {_describe(item)}")
                continue
            for name in item:
                if name not in known:
                    self.unknown_key(path + (name,), known)
            if "id" not in item:
                self.problem(path, f"no id given (every one of the study's {what} needs one)")
            elif self.leaf(known["id"], path + ("id",), item["id"]):
                item_id = item["id"]
                taken = [file for file, column in DECLARED_ID_SEEDS[block] if item_id in seed_ids(file, column)]
                if taken:
                    self.problem(path + ("id",), f"'{item_id}' is an id of seeds/reference/{taken[0]}: the seeds are "
                                                 f"the shared vocabulary and a study cannot redefine them; give the "
                                                 f"study's own another id, or use the seed's with "
                                                 f"`{chosen_by}: {item_id}`")
                elif item_id in first:
                    self.problem(path + ("id",), f"'{item_id}' is declared twice (also {block}[{first[item_id] + 1}])")
                first.setdefault(item_id, i)
            items.append((path, item))
        return items

    def check_tmb_definitions(self, value: Any) -> None:
        known = children("tmb_definitions[]")
        for path, item in self._declared_items("tmb_definitions", value, "TMB definitions", "tmb_definition"):
            if "variants" not in item:
                self.problem(path, "no variants given: all, a list of Variant_Classification values, or a "
                                   "definition_id of seeds/reference/nonsynonymous_definitions.csv")
            for name in ("excludes_hotspots", "assay_genes_only", "coding_mb", "description"):
                if name in item:
                    self.leaf(known[name], path + (name,), item[name])
            variants = item.get("variants")
            if isinstance(variants, list) and variants:  # each class where it stands
                for j, variant_class in enumerate(variants):
                    why = _variants_problem(variant_class)
                    if why:
                        self.problem(path + ("variants", j), why)
            elif "variants" in item:
                self.leaf(known["variants"], path + ("variants",), variants)

    def check_assays(self, value: Any) -> None:
        from .declared_references import read_bed, read_genes_file

        known = children("assays[]")
        for path, item in self._declared_items("assays", value, "assays", "assay_id"):
            if "type" not in item:
                self.problem(path, f"no type given ({', '.join(ASSAY_TYPES)})")
            for name in ("type", "coding_mb", "description"):
                if name in item:
                    self.leaf(known[name], path + (name,), item[name])
            is_panel = item.get("type") in ("panel", "targeted_plasma")
            given = [name for name in ("genes", "genes_file", "targets_file") if name in item]
            if "targets_file" in item:
                if len(given) > 1:
                    self.problem(path + ("targets_file",), f"give one of genes, genes_file, targets_file "
                                                           f"({', '.join(given)} given)")
                elif self.leaf(known["targets_file"], path + ("targets_file",), item["targets_file"]):
                    bed = self.directory / item["targets_file"]
                    intervals, problems = read_bed(bed) if bed.is_file() else ([], [f"'{item['targets_file']}' "
                                                                                     f"does not exist (paths are "
                                                                                     f"relative to {self.directory})"])
                    for problem in problems:
                        self.problem(path + ("targets_file",), problem)
                    if not intervals and not problems:
                        self.problem(path + ("targets_file",), f"'{item['targets_file']}' has no target interval")
            elif "genes" in item and "genes_file" in item:
                self.problem(path + ("genes_file",), "give genes or genes_file, not both")
            elif "genes" in item:
                if self.leaf(known["genes"], path + ("genes",), item["genes"]) and item["genes"] == "all" and is_panel:
                    self.problem(path + ("genes",), f"a {item['type']} assay lists its genes (genes: [...] or "
                                                    f"genes_file:); all is for an exome or genome")
            elif "genes_file" in item:
                if self.leaf(known["genes_file"], path + ("genes_file",), item["genes_file"]):
                    genes_file = self.directory / item["genes_file"]
                    if not genes_file.is_file():
                        self.problem(path + ("genes_file",), f"'{item['genes_file']}' does not exist (paths are "
                                                             f"relative to {self.directory})")
                    elif not read_genes_file(genes_file):
                        self.problem(path + ("genes_file",), f"'{item['genes_file']}' lists no gene (one per line)")
            elif is_panel:
                self.problem(path, f"a {item['type']} assay lists its genes: genes: [...] or genes_file:")

    def check_files(self, value: Any) -> None:
        block = self.mapping(("files",), value, "a mapping of file kind -> path(s)")
        for kind, names in (block or {}).items():
            path = ("files", kind)
            if kind not in KINDS:
                hint = closest(kind, KINDS)
                self.problem(path, f"unknown file kind '{kind}' (known: {', '.join(KINDS)})"
                                   + (f"; {hint}" if hint else ""))
                continue
            if not self.leaf(BY_PATH["files.<kind>"], path, names):
                continue
            for i, name in enumerate([names] if isinstance(names, str) else names):
                item = path if isinstance(names, str) else path + (i,)
                if not (self.directory / name).exists():
                    self.problem(item, f"'{name}' does not exist in {self.directory}")

    def check_columns(self, value: Any) -> None:
        block = self.mapping(("columns",), value, "a mapping of source column -> canonical name")
        for source, target in (block or {}).items():
            path = ("columns", source)
            if not isinstance(source, str):
                self.problem(path, f"a source column name must be text, got {_describe(source)}")
            if isinstance(target, dict):
                if source not in KINDS:
                    hint = closest(source, KINDS)
                    self.problem(path, f"'{source}' is not a file kind (a nested mapping maps the columns of one "
                                       f"file kind: {', '.join(KINDS)})" + (f"; {hint}" if hint else ""))
                    continue
                for inner, inner_target in target.items():
                    if not isinstance(inner, str):
                        self.problem(path + (inner,), f"a source column name must be text, got {_describe(inner)}")
                    self.leaf(BY_PATH["columns.<kind>.<source column>"], path + (inner,), inner_target)
            else:
                self.leaf(BY_PATH["columns.<source column>"], path, target)

    def check_values(self, value: Any) -> None:
        # Attributes are matched upper case and raw values ignoring case and surrounding spaces (as the files'
        # values are read: macros/study_value_synonyms.sql), so two keys the same that way would map one value twice.
        block = self.mapping(("values",), value, "a mapping of attribute -> {raw value: canonical value}")
        attributes_seen: dict[str, Any] = {}
        for attribute, mapping in (block or {}).items():
            path = ("values", attribute)
            if not _is_text(attribute) or "." in attribute:
                self.problem(path, f"expected an attribute name (text without '.'), got {_describe(attribute)}")
                continue
            if attribute.upper() in attributes_seen:
                self.problem(path, f"'{attribute}' is the attribute '{attributes_seen[attribute.upper()]}' again "
                                   "(attribute names are matched ignoring case); give its values in one mapping")
            attributes_seen.setdefault(attribute.upper(), attribute)
            inner = self.mapping(path, mapping, "a mapping of raw value -> canonical value")
            raws_seen: dict[str, Any] = {}
            for raw, canonical in (inner or {}).items():
                if not (_is_text(raw) or _is_number(raw)):
                    self.problem(path + (raw,), f"a raw value must be text or a number, got {_describe(raw)}")
                elif str(raw).strip().lower() in raws_seen:
                    self.problem(path + (raw,), f"'{raw}' is the raw value '{raws_seen[str(raw).strip().lower()]}' "
                                                "again (raw values are matched ignoring case and surrounding spaces); "
                                                "keep one")
                else:
                    raws_seen[str(raw).strip().lower()] = raw
                self.leaf(BY_PATH["values.<ATTRIBUTE>.<raw value>"], path + (raw,), canonical)

    def _vcf_settings(self, path: KeyPath, block: dict, allow_files: bool) -> None:
        known = {k: v for k, v in children("vcf").items() if allow_files or k != "files"}
        for name, value in block.items():
            if name not in known:
                self.unknown_key(path + (name,), known)
            elif name == "sample_ids":
                ids = self.mapping(path + (name,), value, "a mapping of sample column -> sample id")
                for column, sample in (ids or {}).items():
                    self.leaf(BY_PATH["vcf.tumor_sample"], path + (name, column), sample)
            elif name == "files":
                files = self.mapping(path + (name,), value, "a mapping of VCF file name -> settings")
                listed = self.config.get("files") or {}
                listed = listed.get("vcf") if isinstance(listed, dict) else None
                listed_names = {Path(str(p)).name for p in ([listed] if isinstance(listed, str) else listed or [])}
                for file_name, settings in (files or {}).items():
                    where = path + (name, file_name)
                    if not (self.directory / str(file_name)).is_file() and str(file_name) not in listed_names:
                        vcfs = sorted(p.name for p in self.directory.glob("*.vcf*")) + sorted(listed_names)
                        hint = closest(file_name, vcfs)
                        self.problem(where, f"'{file_name}' is not a file of the study" + (f"; {hint}" if hint else ""))
                    inner = self.mapping(where, settings, "a mapping of tumor_sample, normal_sample, sample_ids")
                    if inner:
                        self._vcf_settings(where, inner, allow_files=False)
            else:
                self.leaf(known[name], path + (name,), value)

    def check_vcf(self, value: Any) -> None:
        block = self.mapping(("vcf",), value, "a mapping of tumor_sample, normal_sample, sample_ids, files")
        if block:
            self._vcf_settings(("vcf",), block, allow_files=True)

    def check_reference_fasta(self, value: Any) -> None:
        if self.leaf(BY_PATH["reference_fasta"], ("reference_fasta",), value):
            if not (self.directory / value).is_file():
                self.problem(("reference_fasta",),
                             f"'{value}' does not exist (paths are relative to {self.directory})")

    def check_gene_sets(self, value: Any) -> None:
        if not self.leaf(BY_PATH["gene_sets"], ("gene_sets",), value):
            return
        shared = seed_ids("gene_sets.csv", "collection")
        from .gene_sets import collection_name

        for i, name in enumerate([value] if isinstance(value, str) else value):
            where = ("gene_sets",) if isinstance(value, str) else ("gene_sets", i)
            path = self.directory / name
            if not path.is_file():
                self.problem(where, f"'{name}' does not exist in {self.directory}")
            elif collection_name(path) in shared:
                self.problem(where, f"'{name}': the collection '{collection_name(path)}' is a shared one "
                                    f"(seeds/reference/gene_sets.csv: {', '.join(shared)}); rename the file")

    def _analysis_block(self, name: str, value: Any) -> dict | None:
        known = children(name)
        if value is True:
            value = {}
        block = self.mapping((name,), value, f"a mapping of settings ({', '.join(known)})")
        if block is None:
            return None
        self.fixed(name, (name,), block)
        return block

    def check_signatures(self, value: Any) -> None:
        block = self._analysis_block("signatures", value)
        names = (block or {}).get("signatures")
        version = (block or {}).get("cosmic_version", BY_PATH["signatures.cosmic_version"].value)
        if not names or check_value(BY_PATH["signatures.signatures"], names) \
                or check_value(BY_PATH["signatures.cosmic_version"], version):
            return
        from ..stats.signatures import cosmic_reference

        known = list(cosmic_reference(str(version), "GRCh37", False).columns)
        for signature in names:
            if signature not in known:
                hint = closest(signature, known, n=1)
                self.problem(("signatures", "signatures"),
                             f"'{signature}' is not a COSMIC v{version} SBS signature" + (f" ({hint})" if hint else ""))

    def check_nmf(self, value: Any) -> None:
        self._analysis_block("nmf", value)

    def check_comparisons(self, value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            self.problem(("comparisons",), f"expected a list of comparisons, got {_describe(value)}")
            return
        names: dict[str, int] = {}
        for i, comparison in enumerate(value):
            path = ("comparisons", i)
            if not isinstance(comparison, dict):
                self.problem(path, f"expected a comparison (a mapping of {', '.join(children('comparisons[]'))}), "
                                   f"got {_describe(comparison)}")
                continue
            name = comparison.get("name") if _is_text(comparison.get("name")) else f"comparison_{i + 1}"
            if name in names:
                self.problem(path + ("name",), f"comparison '{name}': the name is used twice (also comparison "
                                               f"{names[name] + 1})")
            if str(name).lower().startswith("cohort:"):
                self.problem(path + ("name",), f"comparison '{name}': names starting with cohort: are reserved for "
                                               f"the implicit groupings cohort:all and cohort:sample_type; rename it")
            names.setdefault(name, i)
            self._comparison(path, name, comparison)

    def _comparison(self, path: KeyPath, name: str, comparison: dict) -> None:
        def refuse(where: KeyPath, message: str) -> None:
            self.problem(where, f"comparison '{name}': {message}")

        known = children("comparisons[]")
        for key, value in comparison.items():
            if key not in known:
                hint = closest(key, known)
                refuse(path + (key,), f"unknown key (known: {', '.join(known)})" + (f"; {hint}" if hint else ""))
            elif known[key].kind not in ("mapping", "group_by", "list_of_choice"):
                why = check_value(known[key], value)
                if why:
                    refuse(path + (key,), why)
        # analyses
        analyses = comparison.get("analyses")
        if "analyses" in comparison:
            items = analyses if isinstance(analyses, list) else [analyses]
            if not items or analyses is None:
                refuse(path + ("analyses",), f"expected a list of analyses ({', '.join(ANALYSES)}), got "
                                             f"{_describe(analyses)}")
            for j, analysis in enumerate(items if analyses is not None else []):
                where = path + ("analyses", j) if isinstance(analyses, list) else path + ("analyses",)
                if not isinstance(analysis, str) or analysis not in ANALYSES:
                    hint = closest(analysis, ANALYSES, n=1)
                    refuse(where, f"unknown analysis {_describe(analysis)} (known: {', '.join(ANALYSES)})"
                                  + (f"; {hint}" if hint else ""))
        # selection
        if "samples" in comparison:
            selection = self.mapping(path + ("samples",), comparison["samples"],
                                     "a selection: a mapping of sample_type, timepoint and/or case_list")
            for key, value in (selection or {}).items():
                where = path + ("samples", key)
                if key not in SELECTION_KEYS:
                    hint = closest(key, SELECTION_KEYS, n=1)
                    refuse(where, f"samples: selection on '{key}' cannot be honoured: a comparison selects samples "
                                  f"by {', '.join(SELECTION_KEYS)} (conditions on attributes and genes go under "
                                  f"where:)" + (f"; {hint}" if hint else ""))
                    continue
                if key == "where":
                    self._where(where, value, refuse)
                    continue
                why = check_value(BY_PATH["comparisons[].samples.timepoint"], value)
                if why:
                    refuse(where, why)
                elif key == "case_list":
                    known = case_list_stable_ids(self.directory)
                    items = value if isinstance(value, list) else [value]
                    for j, name in enumerate(items):
                        if str(name) not in known:
                            hint = closest(str(name), sorted(known), n=1)
                            refuse(where + ((j,) if isinstance(value, list) else ()),
                                   f"no case list '{name}' in {self.directory / 'case_lists'}"
                                   + (f" (lists: {', '.join(sorted(set(known.values())))})" if known else "")
                                   + (f"; {hint}" if hint else ""))
                elif key == "sample_type":
                    items = value if isinstance(value, list) else [value]
                    for j, sample_type in enumerate(items):
                        if sample_type.lower() not in SAMPLE_TYPES:
                            hint = closest(sample_type.lower(), SAMPLE_TYPES, n=1)
                            refuse(where + ((j,) if isinstance(value, list) else ()),
                                   f"'{sample_type}' is not a sample type ({', '.join(SAMPLE_TYPES)})"
                                   + (f"; {hint}" if hint else ""))
        # grouping
        group_by = comparison.get("group_by")
        prefix = None
        if "group_by" in comparison:
            if not _is_text(group_by):
                refuse(path + ("group_by",), f"expected an attribute or a derived grouping, got {_describe(group_by)}")
                group_by = None
            elif ":" in group_by:
                prefix, argument = (part.strip() for part in group_by.split(":", 1))
                if prefix not in DERIVED_PREFIXES:
                    hint = closest(prefix, DERIVED_PREFIXES, n=1)
                    refuse(path + ("group_by",), f"'{group_by}': '{prefix}' is not a derived grouping "
                                                 f"({', '.join(DERIVED_PREFIXES)})" + (f"; {hint}" if hint else ""))
                    prefix = "?"
                elif prefix in GENE_PREFIXES and not argument:
                    refuse(path + ("group_by",), f"'{group_by}': name the gene ({prefix}:ERBB2)")
                elif prefix not in GENE_PREFIXES and argument != "median" and not _is_float(argument):
                    refuse(path + ("group_by",), f"'{group_by}': the cut-off must be 'median' or a number "
                                                 f"({prefix}:median, {prefix}:10)")
        groups = comparison.get("groups")
        if groups is None and prefix is not None:  # the derived grouping's own two groups (or an unknown one)
            self._models(path, comparison, list(DERIVED_GROUPS.get(prefix, ())), refuse)
            return
        where = path + ("groups",)
        if not isinstance(groups, dict) or len(groups) < 2:
            got = len(groups) if isinstance(groups, dict) else _describe(groups)
            refuse(where, f"needs at least two groups, got {got}")
            if not isinstance(groups, dict):
                self._models(path, comparison, [], refuse)
                return
        for label, values in groups.items():
            group_path = where + (label,)
            if not (_is_text(label) or _is_int(label)):
                refuse(group_path, f"a group label must be text, got {_describe(label)}")
            if isinstance(values, dict):
                if group_by is not None or "group_by" in comparison:
                    refuse(group_path, f"group '{label}': with group_by, a group lists values of {group_by}; "
                                       f"{{samples: [...]}} is for comparisons without group_by")
                    continue
                extra = [k for k in values if k not in ("samples", "where")]
                for k in extra:
                    refuse(group_path + (k,), f"group '{label}': unknown key (a group is a list of values, "
                                              f"{{samples: [...]}} or {{where: {{...}}}})"
                                              + (f"; {closest(k, ['samples', 'where'])}"
                                                 if closest(k, ["samples", "where"]) else ""))
                if "samples" in values and "where" in values:
                    refuse(group_path, f"group '{label}': give samples or where, not both")
                if "where" in values:
                    self._where(group_path + ("where",), values["where"], refuse)
                samples = values.get("samples")
                if "samples" in values and (not isinstance(samples, list) or not samples
                                            or not all(_is_text(s) or _is_int(s) for s in samples)):
                    refuse(group_path + ("samples",), f"group '{label}': expected a non-empty list of sample ids, "
                                                      f"got {_describe(samples)}")
                continue
            if group_by is None and "group_by" not in comparison:
                refuse(group_path, f"group '{label}': without group_by, each group lists its samples "
                                   f"({{samples: [...]}}) or its conditions ({{where: {{...}}}})")
                continue
            items = values if isinstance(values, list) else [values]
            if values is None or not items or not all(_is_text(v) or _is_number(v) for v in items):
                refuse(group_path, f"group '{label}': expected a value or a list of values of {group_by}, got "
                                   f"{_describe(values)}")
                continue
            if prefix in DERIVED_GROUPS:
                wrong = [str(v) for v in items if str(v).lower() not in DERIVED_GROUPS[prefix]]
                if wrong:
                    refuse(group_path, f"group '{label}': {prefix}: groups are "
                                       f"{' and '.join(DERIVED_GROUPS[prefix])}, not {', '.join(wrong)}")
        self._models(path, comparison, [str(label) for label in groups], refuse)

    def _models(self, path: KeyPath, comparison: dict, labels: list[str], refuse) -> None:
        """reference, covariates, reference_levels, stratify_by and outcome: what the models of the comparison
        can honour."""
        reference = comparison.get("reference")
        if reference is not None and labels and str(reference) not in labels:
            hint = closest(str(reference), labels, n=1)
            refuse(path + ("reference",), f"'{reference}' is not a group of this comparison ({', '.join(labels)})"
                                          + (f"; {hint}" if hint else ""))
        covariates = comparison.get("covariates")
        names = [str(c).upper() for c in covariates] if isinstance(covariates, list) else []
        levels = comparison.get("reference_levels")
        if "reference_levels" in comparison:
            block = self.mapping(path + ("reference_levels",), levels, "a mapping of covariate -> reference level")
            for covariate, level in (block or {}).items():
                where = path + ("reference_levels", covariate)
                if str(covariate).upper() not in names:
                    refuse(where, f"'{covariate}' is not one of the covariates ({', '.join(names) or 'none declared'})")
                elif not (_is_text(level) or _is_number(level)):
                    refuse(where, f"expected a level (text or a number), got {_describe(level)}")
        analyses = comparison.get("analyses") or list(DEFAULT_ANALYSES)
        analyses = analyses if isinstance(analyses, list) else [analyses]
        modelled = [a for a in ("survival", "response", "linear") if a in analyses]
        if "covariates" in comparison and not modelled:
            refuse(path + ("covariates",), f"covariates adjusts the models of survival, response and linear, and "
                                           f"this comparison runs none of them (analyses: "
                                           f"{', '.join(map(str, analyses))})")
        studies = comparison.get("studies")
        if isinstance(studies, list) and len(set(map(str, studies))) > 1:
            for analysis, why in CROSS_STUDY_REFUSED.items():
                if analysis in analyses:
                    refuse(path + ("analyses",), f"{analysis} cannot run on a comparison across studies: {why}")
        if isinstance(studies, list) and len(set(map(str, studies))) != len(studies):
            refuse(path + ("studies",), f"a study is listed twice: {', '.join(map(str, studies))}")
        strata = comparison.get("stratify_by")
        if isinstance(strata, list) and len(strata) > 2:
            refuse(path + ("stratify_by",), f"at most two attributes make strata, got {len(strata)}")
        if "linear" in analyses and not _is_text(comparison.get("outcome")):
            refuse(path + ("analyses",), "the linear analysis needs outcome: the numeric attribute it models")
        if "outcome" in comparison and not ({"response", "linear"} & set(analyses)):
            refuse(path + ("outcome",), "outcome is the modelled attribute of response or linear, and this "
                                        "comparison runs neither")

    def _where(self, path: KeyPath, block: Any, refuse, nested: bool = False) -> None:
        """A ``where:`` selection: attribute and gene conditions (and), ``any:`` lists of them (or)."""
        block = self.mapping(path, block, "conditions: a mapping of attribute or gene condition -> value(s)")
        if block == {}:
            refuse(path, "no conditions given")
        for name, value in (block or {}).items():
            where = path + (name,)
            if name == "any":
                if nested:
                    refuse(where, "any: cannot be nested inside any: (write the conditions out)")
                elif not isinstance(value, list) or len(value) < 2:
                    refuse(where, f"any: expects a list of two or more mappings of conditions, got {_describe(value)}")
                else:
                    for j, branch in enumerate(value):
                        self._where(where + (j,), branch, refuse, nested=True)
                continue
            if not _is_text(name):
                refuse(where, f"a condition names an attribute or a gene status, got {_describe(name)}")
            elif name in ALTERATION_CONDITIONS:
                genes = value if isinstance(value, list) else [value]
                if not genes or not all(_is_text(g) for g in genes):
                    refuse(where, f"{name}: expects a gene or a list of genes, got {_describe(value)}")
            elif name.lower() in ALTERATION_CONDITIONS or name.lower() in ("and", "or", "all", "not"):
                refuse(where, f"'{name}': gene conditions are lower case ({', '.join(ALTERATION_CONDITIONS)}); "
                              f"'or' is any: [...]; conditions side by side must all hold")
            elif isinstance(value, dict):
                unknown = [k for k in value if k not in CONDITION_OPERATORS]
                for k in unknown:
                    hint = closest(k, CONDITION_OPERATORS, n=1)
                    refuse(where + (k,), f"unknown operator (known: {', '.join(CONDITION_OPERATORS)})"
                                         + (f"; {hint}" if hint else ""))
                given = [k for k in value if k in CONDITION_OPERATORS]
                if not given and not unknown:
                    refuse(where, f"expects a value, a list, or one of {', '.join(CONDITION_OPERATORS)}")
                elif len({"range" if k in ("min", "max") else k for k in given}) > 1:
                    refuse(where, f"one operator per condition ({', '.join(given)} given): write a second condition "
                                  f"with any: or a second selection")
                for k in given:
                    operand = value[k]
                    if k in ("min", "max") and not _is_number(operand):
                        refuse(where + (k,), f"expects a number, got {_describe(operand)}")
                    elif k == "not_null" and operand is not True:
                        refuse(where + (k,), f"expects true, got {_describe(operand)}")
                    elif k in ("in", "not_in"):
                        items = operand if isinstance(operand, list) else [operand]
                        if not items or not all(_is_text(v) or _is_number(v) for v in items):
                            refuse(where + (k,), f"expects a value or a list of values, got {_describe(operand)}")
                if "min" in value and "max" in value and all(_is_number(value[k]) for k in ("min", "max")) \
                        and value["min"] > value["max"]:
                    refuse(where, f"min {value['min']} is above max {value['max']}")
            else:
                items = value if isinstance(value, list) else [value]
                if value is None or not items or not all(_is_text(v) or _is_number(v) for v in items):
                    refuse(where, f"expects a value or a list of values of {name}, got {_describe(value)}")


def _is_float(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------------------------------

def _load(config_path: Path) -> dict[str, Any]:
    from .study import read_config

    return read_config(config_path.parent) if config_path.name == CONFIG_FILE else (
        yaml.safe_load(config_path.read_text(encoding="utf-8-sig")) or {})


def find(config_path: Path | str, config: dict[str, Any] | None = None,
         only: tuple[str, ...] | None = None) -> list[Problem]:
    """Every problem of one study file (``config``: its loaded content, read from the file when None),
    in file order. ``only``: the top-level keys to check (the rest is left alone)."""
    config_path = Path(config_path)
    if config is None:
        config = _load(config_path) if config_path.exists() else {}
    if only is not None:
        config = {k: v for k, v in config.items() if k in only}
    checker = _Checker(config_path, config)
    found = checker.run()
    if only is not None:
        found = [p for p in found if p.path and p.path[0] in only]
    return found


def cautions(config_path: Path | str, config: dict[str, Any]) -> list[Problem]:
    """What a valid study file declares that changes a number the study may not mean, to show as a WARNING with
    its line: a TMB definition counting every mutation row (`variants: all`) that also decides which genes are
    mutated, because no `mutated_definition` is declared."""
    if "mutated_definition" in config:
        return []
    chosen = config.get("tmb_definition")
    declared = config.get("tmb_definitions")
    every_row = isinstance(declared, list) and any(
        isinstance(item, dict) and item.get("id") == chosen and item.get("variants") == "all" for item in declared)
    if not every_row:
        return []
    line, column = _Positions(Path(config_path)).of(("tmb_definition",))
    return [Problem(("tmb_definition",), line, column,
                    f"'{chosen}' counts every mutation row, and it also decides which genes are mutated (frequency "
                    f"marts, gene groupings, pairs): a silent or intronic variant makes its gene mutated. Declare "
                    f"mutated_definition (e.g. nonsyn_maftools_v1) to count genes by protein-altering classes",
                    "mutated_counts_every_row")]


def problems(config_path: Path | str, config: dict[str, Any] | None = None) -> list[str]:
    """Every problem of one ``oncoduck_study.yml`` as ``{file}:{line}:{column}: {key}: {message}``; [] when
    it is a valid declaration."""
    return [p.format(config_path) for p in find(config_path, config)]


def markdown_table() -> str:
    """The README's key-by-key table, generated from ``KEYS``."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| key | type | default | what it does | example |", "| --- | --- | --- | --- | --- |"]
    for key in KEYS:
        lines.append(f"| `{key.path}` | {cell(key.type_doc)} | {cell(key.default) or '-'} | {cell(key.description)} "
                     f"| `{cell(key.example)}` |")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m oncoduck.ingest.declarations > table for the README
    print(markdown_table())
