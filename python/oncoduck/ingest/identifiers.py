"""Direct identifiers in clinical and timeline files: flagged at landing, never in an analysis table, never published.

A column is a direct identifier when its name says it holds a person's name, a date of birth, a record or
identity number, or an address or contact (HIPAA's Safe Harbor list names these among its 18 identifiers;
the patterns below match whole column names, ignoring case and separators), or when the study lists it under
``identifiers:`` in oncoduck_study.yml. Such a column is not landed with the clinical values
(landing_clinical, landing_timeline), so no model reads it and publish never sees it; discovery reports it
as a WARNING (``direct_identifier_dropped``) at file:line:column. A study that must keep one lists it under
``keep_identifiers:``: its values then land in ``landing.landing_direct_identifiers`` only, a table of its own
in the warehouse that no model reads and publish does not copy (``direct_identifier_kept``).

Study ids (PATIENT_ID, SAMPLE_ID) are pseudonymous codes, not direct identifiers; publish's pseudonymize
option replaces them in the serving copy.
"""

from __future__ import annotations

import re

from .reader import FileFormatError, FileShape
from .study import Finding, Study, StudyFile

IDENTIFIER_KINDS = ("clinical_patient", "clinical_sample", "timeline")

# (whole column name, normalised: upper case, runs of non-alphanumerics as '_') -> what it holds
_PATTERNS = (
    (re.compile(r"(PATIENT|PERSON|FIRST|LAST|GIVEN|FAMILY|FULL|MIDDLE|MAIDEN|MOTHERS?_MAIDEN)?_?NAME|SURNAME|FORENAME"),
     "a person's name"),
    (re.compile(r"DATE_OF_BIRTH|DOB|D_O_B|BIRTH_?DATE|BIRTH_?DAY|DATE_BIRTH"), "a date of birth"),
    (re.compile(r"MRN|MEDICAL_RECORD(_NUMBER|_NO|_NUM|_ID)?|HOSPITAL_(NUMBER|NO|NUM|ID)|NHS_(NUMBER|NO)|SSN"
                r"|SOCIAL_SECURITY(_NUMBER|_NO)?|(HEALTH_)?INSURANCE_(NUMBER|NO|ID)|HEALTH_CARD(_NUMBER|_NO)?"
                r"|PASSPORT(_NUMBER|_NO)?|DRIVERS?_LICEN[CS]E(_NUMBER|_NO)?"), "a record or identity number"),
    (re.compile(r"(HOME_|STREET_|POSTAL_|MAILING_)?ADDRESS|STREET|CITY|ZIP(_?CODE)?|POST_?CODE|POSTAL_CODE"
                r"|(HOME_|MOBILE_|CELL_)?PHONE(_NUMBER|_NO)?|TELEPHONE|MOBILE|FAX|E_?MAIL(_ADDRESS)?"),
     "an address or contact"),
)


def _normalised(name: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", name.strip().upper()).strip("_")


def what_it_holds(study: Study, name: str) -> str | None:
    """Why column ``name`` of a clinical or timeline file of ``study`` is a direct identifier, else None."""
    key = _normalised(name)
    if key in {_normalised(str(c)) for c in study.config.get("identifiers") or []}:
        return "declared under identifiers: in oncoduck_study.yml"
    return next((why for pattern, why in _PATTERNS if pattern.fullmatch(key)), None)


def is_kept(study: Study, name: str) -> bool:
    """The study keeps this identifier (``keep_identifiers:``), in landing_direct_identifiers only."""
    return _normalised(name) in {_normalised(str(c)) for c in study.config.get("keep_identifiers") or []}


def identifier_columns(study: Study, f: StudyFile, shape: FileShape) -> dict[int, str]:
    """1-based column -> what it holds, for the direct identifiers of a clinical or timeline file."""
    if f.kind not in IDENTIFIER_KINDS:
        return {}
    return {i: why for i, name in enumerate(shape.header, start=1) if (why := what_it_holds(study, name))}


def identifier_findings(study: Study) -> list[Finding]:
    """A WARNING per direct identifier column of the study's files, dropped or kept. A name under ``identifiers:``
    or ``keep_identifiers:`` that matches no such column is refused (StudyError at its line): a declaration that
    would do nothing silently."""
    findings = []
    found: set[str] = set()  # normalised names of the identifier columns found
    headers: set[str] = set()  # normalised names of every column of the study's clinical and timeline files
    for f in study.files:
        if f.kind not in IDENTIFIER_KINDS:
            continue
        try:
            shape = f.sniff()
        except FileFormatError:
            continue  # check_file reports the file itself
        headers |= {_normalised(name) for name in shape.header}
        for i, why in identifier_columns(study, f, shape).items():
            name = shape.header[i - 1]
            found.add(_normalised(name))
            if is_kept(study, name):
                findings.append(Finding("WARNING", f"{f.path}:{shape.header_row}:{i}", "direct_identifier_kept",
                                        f"column {name} holds {why}: kept as keep_identifiers: declares, in "
                                        f"landing.landing_direct_identifiers only (no model reads it; never published)"))
            else:
                findings.append(Finding("WARNING", f"{f.path}:{shape.header_row}:{i}", "direct_identifier_dropped",
                                        f"column {name} holds {why}: not landed, so it is in no table and never "
                                        f"published (keep_identifiers: [{name}] in oncoduck_study.yml keeps it apart)"))
    _refuse_idle_declarations(study, headers, found)
    return findings


def _refuse_idle_declarations(study: Study, headers: set[str], found: set[str]) -> None:
    from .declarations import _Positions
    from .study import CONFIG_FILE, StudyError

    problems = []
    where = study.directory / CONFIG_FILE
    for key, known, what in (("identifiers", headers, "a column of"),
                             ("keep_identifiers", found, "a direct identifier column of")):
        for n, name in enumerate(study.config.get(key) or []):
            if _normalised(str(name)) not in known:
                line, column = _Positions(where).of((key, n))
                problems.append(f"{where}:{line}:{column}: {key}[{n + 1}]: '{name}' is not {what} the study's clinical "
                                f"or timeline files" + (" (list it under identifiers: too)" if key == "keep_identifiers"
                                                        and _normalised(str(name)) in headers else ""))
    if problems:
        raise StudyError("\n".join(problems))
