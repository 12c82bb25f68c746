"""Mutational signatures: COSMIC SBS fitting and APOBEC enrichment tests (pandas in, tidy pandas out).

* The COSMIC reference signatures are read from the files SigProfilerAssignment ships
  (``SigProfilerAssignment/data/Reference_Signatures/<genome>/COSMIC_v<version>_SBS_<genome>[_exome].txt``),
  never typed here. The package is only located, not imported (its import pulls in plotting stacks).
  Exome-normalised signatures are used for exome and panel assays, genome-wide ones otherwise.
* Exposures are fitted by non-negative least squares (``scipy.optimize.nnls``) of each sample's SBS96
  counts on the chosen signatures: exposure = mutations attributed to the signature, the fit's
  reconstruction compared with the catalogue by cosine similarity.
* APOBEC enrichment: maftools' one-sided Fisher test per sample, BH over the samples of a study.
* De novo extraction (optional, ``de_novo_ranks``): NMF of the samples x 96 catalogue as maftools
  estimateSignatures / extractSignatures do it (Brunet's KL updates; rank survey by the cophenetic
  correlation of the consensus matrix, oncoduck.stats.nmf), the rank with the highest cophenetic correlation
  kept, the run with the lowest divergence at that rank reported, and each extracted signature matched to
  the closest COSMIC signature by cosine similarity (maftools compareSignatures).
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import nnls

from .fisher import fisher_2x2_many
from .multiple import bh_adjust
from .tidy import tidy_result
from .nmf import CHOICE_RULE, choose, consensus

EXPOSURE_COLUMNS = ["study_id", "sample_id", "signature_id", "exposure", "relative_exposure", "n_snv",
                    "cosine_similarity", "reference_set", "variant_set", "method", "reason"]
APOBEC_TEST_COLUMNS = ["study_id", "sample_id", "n_tcw_mutations", "n_apobec_class", "background_c", "background_tcw",
                       "odds_ratio", "ci_low", "ci_high", "p_value", "q_value", "bh_family", "method", "reason"]
EXOME_ASSAY_TYPES = ("exome", "panel", "targeted_plasma")
NNLS_METHOD = "non-negative least squares (scipy.optimize.nnls) on COSMIC SBS96 counts"
DE_NOVO_COLUMNS = ["study_id", "signature_label", "channel", "weight", "rank", "cophenetic_correlation",
                   "best_cosmic_match", "cosine_similarity", "reference_set", "n_samples", "runs", "seed", "choice_rule",
                   "method", "reason"]
DE_NOVO_METHOD = ("NMF of the samples x SBS96 catalogue (scikit-learn, KL divergence, multiplicative updates); "
                  "signatures = rows of H scaled to sum 1, from the run with the lowest divergence")


def _reference_folder() -> Path:
    spec = importlib.util.find_spec("SigProfilerAssignment")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("SigProfilerAssignment is not installed: it ships the COSMIC reference signatures")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "Reference_Signatures"


def reference_set_name(version: str, genome: str, exome: bool) -> str:
    return f"COSMIC_v{version}_SBS_{genome}" + ("_exome" if exome else "")


@lru_cache(maxsize=8)
def cosmic_reference(version: str, genome: str, exome: bool) -> pd.DataFrame:
    """96 channels (COSMIC names, rows in the file's order) x signatures, each column summing to 1."""
    path = _reference_folder() / genome / (reference_set_name(version, genome, exome) + ".txt")
    if not path.exists():
        raise FileNotFoundError(f"COSMIC reference {path.name} is not in SigProfilerAssignment's data ({path.parent})")
    return pd.read_csv(path, sep="\t", index_col=0)


def cosine_similarity(x: np.ndarray, y: np.ndarray) -> float:
    norm = float(np.linalg.norm(x) * np.linalg.norm(y))
    return float(x @ y / norm) if norm > 0 else np.nan


def fit_exposures(catalogue: np.ndarray, signatures: np.ndarray) -> tuple[np.ndarray, float]:
    """Exposures (mutations per signature) of one 96-count catalogue by NNLS, and the cosine similarity of
    the reconstruction ``signatures @ exposures`` with the catalogue."""
    exposures, _ = nnls(signatures, catalogue.astype(float))
    return exposures, cosine_similarity(signatures @ exposures, catalogue.astype(float))


def _declared(settings: pd.DataFrame, samples: pd.DataFrame):
    """Per study declaring ``signatures``: (study_id, resolved settings, the study's samples, genome), the genome
    being the declared one, else the study's reference genome (hg19 -> GRCh37, hg38 -> GRCh38)."""
    genomes = {"hg19": "GRCh37", "hg38": "GRCh38"}
    for study_id, block in settings[settings["analysis"] == "signatures"].groupby("study_id", sort=True):
        config = dict(zip(block["setting"], block["value"]))
        study = samples[samples["study_id"] == study_id]
        study_genome = str(study["reference_genome"].iloc[0]) if len(study) else ""
        yield study_id, config, study, config.get("genome") or genomes.get(study_genome, "GRCh37")


def signature_exposures(catalogues: pd.DataFrame, settings: pd.DataFrame, studies: pd.DataFrame) -> pd.DataFrame:
    """Exposures of every sample of the studies that declare ``signatures``.

    ``catalogues``: study_id, sample_id, variant_set, channel, n_snv (fct_sample_sbs96);
    ``settings``: study_id, analysis, setting, value (stg_study__analysis_settings, defaults resolved);
    ``studies``: study_id, reference_genome and, per sample, assay_type (study_id, sample_id, assay_type).
    One row per sample x signature; samples with fewer than ``min_snvs`` SNVs get NaN with a reason."""
    rows: list[pd.DataFrame] = []
    for study_id, config, study, genome in _declared(settings, studies):
        variant_set = config["variant_set"]
        min_snvs = int(config["min_snvs"])
        data = catalogues[(catalogues["study_id"] == study_id) & (catalogues["variant_set"] == variant_set)]
        if data.empty:
            continue
        matrix = data.pivot_table(index="sample_id", columns="channel", values="n_snv", aggfunc="sum", fill_value=0)
        assay = study.set_index("sample_id")["assay_type"] if len(study) else pd.Series(dtype=object)
        for exome in (True, False):
            samples = [s for s in matrix.index if (assay.get(s) in EXOME_ASSAY_TYPES) == exome]
            if not samples:
                continue
            reference = cosmic_reference(config["cosmic_version"], genome, exome)
            wanted = config.get("signatures")
            names = wanted.split(";") if wanted else list(reference.columns)
            W = reference.loc[:, names].to_numpy(float)
            counts = matrix.loc[samples].reindex(columns=reference.index, fill_value=0).to_numpy(float)
            totals = counts.sum(axis=1)
            exposures = np.full((len(samples), len(names)), np.nan)
            cosines = np.full(len(samples), np.nan)
            for i in np.flatnonzero(totals >= min_snvs):
                exposures[i], cosines[i] = fit_exposures(counts[i], W)
            fitted = exposures.sum(axis=1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                relative = np.where(fitted > 0, exposures / fitted, np.nan)
            reasons = np.where(totals < min_snvs, np.char.add(totals.astype(int).astype(str),
                                                              f" SNVs in the catalogue, fewer than min_snvs = {min_snvs}: not fitted"),
                               None)
            k = len(names)
            rows.append(pd.DataFrame({
                "study_id": study_id, "sample_id": np.repeat(np.asarray(samples, dtype=object), k),
                "signature_id": np.tile(np.asarray(names, dtype=object), len(samples)),
                "exposure": exposures.ravel(), "relative_exposure": relative.ravel(),
                "n_snv": np.repeat(totals.astype(np.int64), k), "cosine_similarity": np.repeat(cosines, k),
                "reference_set": reference_set_name(config["cosmic_version"], genome, exome),
                "variant_set": variant_set, "method": NNLS_METHOD, "reason": np.repeat(reasons.astype(object), k)}))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("exposure", "relative_exposure", "cosine_similarity")
                                          else "int64" if c == "n_snv" else "string") for c in EXPOSURE_COLUMNS})
    return tidy_result(pd.concat(rows, ignore_index=True), EXPOSURE_COLUMNS)


def apobec_tests(apobec: pd.DataFrame) -> pd.DataFrame:
    """maftools' APOBEC test per sample: one-sided (greater) Fisher test of the table
    rows (TCW mutations, other C>T/C>G mutations) and (background C + background TCW, background C -
    background TCW), exactly as maftools trinucleotideMatrix builds it; BH over the samples of each study
    (maftools: over the samples of the MAF). Samples without C>T/C>G mutations get NaN with a reason.

    ``apobec``: fct_sample_apobec (study_id, sample_id, n_tcw_mutations, n_apobec_class, background_c,
    background_tcw)."""
    frame = apobec[["study_id", "sample_id", "n_tcw_mutations", "n_apobec_class", "background_c", "background_tcw"]]
    frame = frame.sort_values(["study_id", "sample_id"], ignore_index=True)
    testable = frame["n_apobec_class"] > 0
    tables = pd.DataFrame({"a": frame["n_tcw_mutations"], "b": frame["n_apobec_class"] - frame["n_tcw_mutations"],
                           "c": frame["background_c"] + frame["background_tcw"],
                           "d": frame["background_c"] - frame["background_tcw"]})
    result = fisher_2x2_many(tables[testable], alternative="greater")
    out = frame.copy()
    for column in ("odds_ratio", "ci_low", "ci_high", "p_value"):
        out[column] = np.nan
        out.loc[testable, column] = result[column].to_numpy(float)
    out["reason"] = None
    out.loc[testable, "reason"] = result["reason"].to_numpy(object)
    out.loc[~testable, "reason"] = "no C>T or C>G mutation with a context: nothing to test"
    out["q_value"] = np.nan
    for study_id, index in out.groupby("study_id").groups.items():
        out.loc[index, "q_value"] = bh_adjust(out.loc[index, "p_value"].to_numpy(float))
    out["bh_family"] = "samples of " + out["study_id"].astype(str)
    out["method"] = "Fisher's Exact Test for Count Data, alternative greater (maftools trinucleotideMatrix APOBEC table)"
    return tidy_result(out, APOBEC_TEST_COLUMNS)


def extract_de_novo(catalogue: pd.DataFrame, ranks: list[int], runs: int, seed: int,
                    reference: pd.DataFrame) -> pd.DataFrame:
    """De novo signatures of one study: ``catalogue`` is samples (index) x 96 channels (reference order);
    ranks not below the number of samples are skipped. Signatures are numbered by the mutations they account
    for (Signature_1 the most). One row per extracted signature x channel (columns
    DE_NOVO_COLUMNS without study and reference set), or one row with a reason when nothing can be run."""
    values = catalogue.reindex(columns=reference.index, fill_value=0).to_numpy(float)
    values = values[values.sum(axis=1) > 0]
    usable = sorted(r for r in set(ranks) if r < values.shape[0])
    if not usable:
        return pd.DataFrame([{"signature_label": None, "channel": None, "weight": np.nan, "rank": np.nan,
                              "reason": f"{values.shape[0]} samples with SNVs: too few for ranks {sorted(set(ranks))}"}])
    chosen = choose([consensus(values, rank, runs, seed) for rank in usable])
    W, H = chosen.W, chosen.H  # the run with the lowest divergence at the rank kept
    attributed = W.sum(axis=0) * H.sum(axis=1)  # mutations each signature accounts for
    H = H / H.sum(axis=1, keepdims=True)
    order = np.argsort(-attributed, kind="stable")  # Signature_1 accounts for the most mutations
    rows = []
    cosmic = reference.to_numpy(float)
    for number, k in enumerate(order, start=1):
        similarities = [cosine_similarity(H[k], cosmic[:, j]) for j in range(cosmic.shape[1])]
        best = int(np.nanargmax(similarities))
        rows.append(pd.DataFrame({
            "signature_label": f"Signature_{number}", "channel": reference.index, "weight": H[k],
            "rank": chosen.rank, "cophenetic_correlation": chosen.cophenetic,
            "best_cosmic_match": reference.columns[best], "cosine_similarity": similarities[best], "reason": None}))
    return pd.concat(rows, ignore_index=True)


def de_novo_signatures(catalogues: pd.DataFrame, settings: pd.DataFrame, samples: pd.DataFrame) -> pd.DataFrame:
    """extract_de_novo for every study that declares ``signatures.de_novo_ranks`` (inputs as
    signature_exposures). Extracted signatures are matched to the exome-normalised COSMIC reference when
    most of the study's samples are exome or panel assays, else to the genome-wide one."""
    parts = []
    for study_id, config, study, genome in _declared(settings, samples):
        if not config.get("de_novo_ranks"):
            continue
        exome = bool(len(study)) and study["assay_type"].isin(EXOME_ASSAY_TYPES).mean() >= 0.5
        reference = cosmic_reference(config["cosmic_version"], genome, exome)
        data = catalogues[(catalogues["study_id"] == study_id) & (catalogues["variant_set"] == config["variant_set"])]
        matrix = data.pivot_table(index="sample_id", columns="channel", values="n_snv", aggfunc="sum", fill_value=0)
        runs, seed = int(config["de_novo_runs"]), int(config["seed"])
        out = extract_de_novo(matrix.sort_index(), [int(r) for r in config["de_novo_ranks"].split(";")], runs, seed,
                              reference)
        out["study_id"] = study_id
        out["reference_set"] = reference_set_name(config["cosmic_version"], genome, exome)
        out["n_samples"] = int((matrix.sum(axis=1) > 0).sum())
        out["runs"], out["seed"], out["choice_rule"], out["method"] = runs, seed, CHOICE_RULE, DE_NOVO_METHOD
        parts.append(out)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("weight", "cophenetic_correlation", "cosine_similarity")
                                          else "int64" if c in ("rank", "n_samples", "runs", "seed") else "string")
                             for c in DE_NOVO_COLUMNS})
    return tidy_result(pd.concat(parts, ignore_index=True), DE_NOVO_COLUMNS)
