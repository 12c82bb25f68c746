"""Sequence context of single-base substitutions from a reference FASTA the study names (``reference_fasta:``).

For every landed MAF row whose reference allele is one base, the reference sequence from 20 bases
before to 20 bases after the position (41 bases, the window maftools ``trinucleotideMatrix`` reads for
its APOBEC background), read with pyfaidx. pyfaidx builds the FASTA's index (``.fai``) in a scratch
folder, so a read-only study folder is never written to.

Contig names are matched as given, then with ``chr`` added or removed (``23``/``24`` as ``X``/``Y``,
``MT``/``M``). Rows whose contig is not in the FASTA, or whose window runs off the contig, get no
context and a reason; int_snvs_contexted then checks the middle base against the MAF's reference
allele and leaves mismatches out of the catalogue with a reason.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .reader import values_sql

if TYPE_CHECKING:
    import pandas as pd

FLANK = 20  # bases each side (maftools trinucleotideMatrix: Start_Position - 20 .. End_Position + 20)
COLUMNS = ["study_id", "source_file", "source_row", "reference_fasta", "fasta_contig", "context", "context_problem"]


def _contig_candidates(chromosome: str) -> list[str]:
    bare = chromosome[3:] if chromosome.lower().startswith("chr") else chromosome
    bare = {"23": "X", "24": "Y", "MT": "M"}.get(bare.upper(), bare)
    names = [chromosome, bare, "chr" + bare]
    if bare.upper() == "M":
        names += ["MT", "chrMT", "chrM"]
    return list(dict.fromkeys(names))


def fasta_contexts(fasta_path: Path, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows``: study_id, source_file, source_row, chromosome, start_position (landed text). Returns
    COLUMNS, one row per input row: the 41-base window (upper case) or the reason there is none."""
    import pandas as pd
    from pyfaidx import Fasta  # imported here: only studies that declare a FASTA pay for it

    with tempfile.TemporaryDirectory(prefix="oncoduck_fai_") as scratch:
        index = Path(scratch) / (fasta_path.name + ".fai")
        fasta = Fasta(str(fasta_path), indexname=str(index), sequence_always_upper=True, as_raw=True)
        try:
            lengths = {name: len(fasta[name]) for name in fasta.keys()}
            contig_of = {c: next((n for n in _contig_candidates(c) if n in lengths), None)
                         for c in rows["chromosome"].dropna().unique()}
            contexts, contigs, problems = [], [], []
            for chromosome, position in zip(rows["chromosome"], rows["start_position"]):
                contig = contig_of.get(chromosome) if chromosome is not None else None
                start = pd.to_numeric(position, errors="coerce")
                context = problem = None
                if contig is None:
                    problem = f"contig '{chromosome}' is not in the FASTA"
                elif pd.isna(start) or start != int(start):
                    problem = "position is not a whole number"
                elif start - FLANK < 1 or start + FLANK > lengths[contig]:
                    problem = f"the +/-{FLANK} base window runs off contig {contig} (length {lengths[contig]})"
                else:
                    context = fasta[contig][int(start) - 1 - FLANK:int(start) + FLANK]
                contexts.append(context)
                contigs.append(contig)
                problems.append(problem)
        finally:
            fasta.close()
    out = rows[["study_id", "source_file", "source_row"]].copy()
    out["reference_fasta"] = str(fasta_path)
    out["fasta_contig"] = contigs
    out["context"] = contexts
    out["context_problem"] = problems
    return out[COLUMNS]


def contexts_frame(session, landing_mutations, studies_json: str | None):
    """landing_reference_contexts: FASTA windows for the single-base rows of every study that declares
    ``reference_fasta`` (a pandas frame), or an empty DuckDB relation when none does: a build without a FASTA
    does not import pandas for it (half a second on the landing models' path, which the statistics' imports
    wait for)."""
    from .analysis_settings import resolve
    from .dbt_landing import study_dirs_from_config
    from .study import CONFIG_FILE, discover_all

    parts = []
    for study in discover_all(study_dirs_from_config(studies_json)):
        settings = resolve(study.directory / CONFIG_FILE, study.config)
        fasta = next((r["value"] for r in settings if r["setting"] == "reference_fasta"), None)
        if fasta is None:
            continue
        study_id = study.study_id.replace("'", "''")
        rows = landing_mutations.filter(
            f"study_id = '{study_id}' and length(trim(reference_allele)) = 1"
        ).project("study_id, source_file, source_row, trim(chromosome) as chromosome, "
                  "trim(start_position) as start_position").df()
        parts.append(fasta_contexts(Path(fasta), rows))
    if not parts:
        return session.sql(values_sql([], tuple(COLUMNS), {"source_row": "bigint"}))
    import pandas as pd

    frame = pd.concat(parts, ignore_index=True)
    for column in COLUMNS:
        if column != "source_row":
            frame[column] = frame[column].astype("string")
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame


__all__ = ["fasta_contexts", "contexts_frame", "FLANK"]
