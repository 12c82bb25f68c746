"""Read a study text file into DuckDB as numbered lines, whatever its quirks.

Real cohort files come gzipped or not, with a UTF-8 byte-order mark, with LF, CRLF or old-Mac
CR-only line endings, with ``#`` preamble lines (MAF ``#version``, ``#Sequenced_Samples:``,
cBioPortal's four typed clinical header lines) and with blank or ragged lines. DuckDB's CSV
reader, asked for one column per line, handles the BOM, gzip and every line ending and keeps
blank lines, so ``source_row`` is the physical line number a text editor shows. Python only
sniffs the first lines (line ending, preamble, header, delimiter); the bulk read and split run in DuckDB.

Files are tab-separated (cBioPortal, MAF, SEG). Comma-separated files with RFC 4180 quoting
(a field ``"a, b"`` keeps its comma, a doubled quote inside quotes is one quote) are recognised by a ``.csv`` / ``.csv.gz`` name or by a header line
with commas and no tab (e.g. the TCGA-CDR table); they are split per physical line too, so a quoted
field must not contain a line break (such a line is landed with a wrong field count, i.e. rejected).
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import csv
import dataclasses
import gzip
import shutil
import tempfile
import threading
import zlib
from pathlib import Path

SNIFF_BYTES = 1 << 20  # enough for the preamble and header of any cohort file
MAX_FIELD_BYTES = 1 << 20  # a field longer than this (1 MiB) rejects its line: field_too_long
_DUCKDB_MAX_LINE = 1 << 21  # DuckDB's default max_line_size (2 MiB); a longer line stops its CSV reader
_CHUNK = 1 << 24
# C0 control characters but tab, line feed and carriage return (line endings), and DEL: not text in any field
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0e, 0x20)) + b"\x7f"
_CONTROL_CLASS = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"  # the same, as an RE2 class in a SQL literal


class FileFormatError(Exception):
    """A file that cannot be landed at all; the message names file, line and column."""


@dataclasses.dataclass(frozen=True)
class FileShape:
    path: Path
    newline: str  # '\n', '\r\n' or '\r'
    preamble: tuple[str, ...]  # leading '#' lines, without the '#'
    header_row: int  # 1-based line number of the column header (0 when the file has none)
    header: tuple[str, ...]
    delimiter: str = "\t"  # '\t', or ',' for quoted CSV
    encoding: str = "utf-8"  # as the study declares it (oncoduck_study.yml encoding:)

    def column_index(self) -> dict[str, int]:
        """Lower-cased header name -> 1-based field index (first occurrence wins)."""
        index: dict[str, int] = {}
        for i, name in enumerate(self.header, start=1):
            index.setdefault(name.strip().lower(), i)
        return index

    def preamble_value(self, key: str) -> str | None:
        """Value of a ``#key: value`` or ``#key value`` preamble line (MAF ``#version 2.4``)."""
        for line in self.preamble:
            head, _, rest = line.partition(":") if ":" in line.split(" ")[0] else line.partition(" ")
            if head.strip().lower() == key.lower():
                return rest.strip()
        return None


def _head_bytes(path: Path) -> bytes:
    with open(path, "rb") as raw:
        magic = raw.read(2)
    opener = gzip.open if magic == b"\x1f\x8b" else open
    try:
        with opener(path, "rb") as handle:
            return handle.read(SNIFF_BYTES)
    except (OSError, EOFError) as exc:
        raise FileFormatError(f"{path}:1:1: cannot read file ({exc})") from exc


@dataclasses.dataclass(frozen=True)
class TextCheck:
    """What a whole-file byte scan found (check_text). ``read_path`` is the file itself, or, when some bytes are
    not UTF-8 or the file is in another declared encoding, a UTF-8 copy (line numbers unchanged) in which each
    byte the encoding cannot decode is U+FFFD, so that DuckDB's reader, which stops at the first undecodable
    byte, reads every line and staging rejects the faulty ones."""
    read_path: Path
    undecodable: bool  # some bytes cannot be decoded in the file's encoding
    control: bool  # some field holds a control character (NUL, BEL, ESC ...)
    longest_line: int  # bytes of the longest line when one exceeds MAX_FIELD_BYTES, else 0


_checked: dict[tuple[str, int, int, str], TextCheck] = {}
_checked_lock = threading.Lock()
_copies: list[Path] = []


def check_text(path: Path, newline: str = "\n", encoding: str = "utf-8") -> TextCheck:
    """Scan every byte of a text file (gzipped or not) once per process and file version: bytes that ``encoding``
    cannot decode, control characters and lines longer than MAX_FIELD_BYTES. A clean UTF-8 file costs one read
    (about 0.5 s for a 330 MB MAF); a faulty one, or one in another declared encoding, a second pass that measures
    its longest line and writes the UTF-8 copy. A corrupt or truncated gzip archive raises FileFormatError naming
    the file and the line where the archive breaks."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns, encoding)
    with _checked_lock:
        if key not in _checked:
            _checked[key] = _scan(path, newline, encoding)
        return _checked[key]


def _open_bytes(path: Path):
    with open(path, "rb") as raw:
        magic = raw.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


def _chunks(path: Path, newline_byte: bytes):
    """The file's bytes in chunks; a broken archive becomes FileFormatError at the line where it breaks."""
    lines = 0
    try:
        with _open_bytes(path) as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk
                lines += chunk.count(newline_byte)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise FileFormatError(f"{path}:{lines + 1}:1: the compressed file is corrupt or truncated at or after line "
                              f"{lines + 1} ({exc}); nothing of it is landed") from exc


def is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def _scan(path: Path, newline: str, encoding: str) -> TextCheck:
    newline_byte = newline[-1].encode()
    decoder = codecs.getincrementaldecoder(encoding)()
    undecodable = control = long_line = False
    run = 0  # bytes of the line the previous chunk ended in
    for chunk in _chunks(path, newline_byte):
        if not undecodable:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                undecodable = True
        control = control or len(chunk.translate(None, _CONTROL_BYTES)) != len(chunk)
        long_line = long_line or _has_long_line(chunk, run, newline_byte)
        last = chunk.rfind(newline_byte)
        run = run + len(chunk) if last < 0 else len(chunk) - 1 - last
    if not undecodable:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            undecodable = True
    if not (undecodable or long_line) and is_utf8(encoding):
        return TextCheck(path, False, control, 0)
    return _rewrite(path, newline_byte, undecodable, control, encoding)


def _has_long_line(chunk: bytes, run: int, newline_byte: bytes) -> bool:
    """A line longer than MAX_FIELD_BYTES in ``chunk`` (``run``: bytes of the line it continues). Jumps from
    line ending to the last line ending within the next MAX_FIELD_BYTES + 1 bytes: a few calls per chunk."""
    first = chunk.find(newline_byte)
    if first < 0:
        return run + len(chunk) > MAX_FIELD_BYTES
    if run + first > MAX_FIELD_BYTES:
        return True
    at = first
    while len(chunk) - at - 1 > MAX_FIELD_BYTES:
        following = chunk.rfind(newline_byte, at + 1, at + 2 + MAX_FIELD_BYTES)
        if following < 0:
            return True
        at = following
    return False


def _rewrite(path: Path, newline_byte: bytes, undecodable: bool, control: bool, encoding: str) -> TextCheck:
    """Second pass over a faulty or non-UTF-8 file: the longest line, and the UTF-8 copy when bytes are not UTF-8
    or the file is in another encoding."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    copy = None
    if undecodable or not is_utf8(encoding):
        if not _copies:
            _copies.append(Path(tempfile.mkdtemp(prefix="oncoduck_utf8_")))
            atexit.register(shutil.rmtree, _copies[0], True)
        copy = _copies[0] / f"{len(list(_copies[0].iterdir()))}_{path.name.removesuffix('.gz')}"
    longest = run = 0
    with open(copy, "wb") if copy else contextlib.nullcontext() as out:
        for chunk in _chunks(path, newline_byte):
            if out:
                out.write(decoder.decode(chunk).encode())
            pieces = chunk.split(newline_byte)
            if len(pieces) == 1:
                run += len(chunk)
                continue
            longest = max(longest, run + len(pieces[0]), *map(len, pieces[1:-1]))
            run = len(pieces[-1])
        if out:
            out.write(decoder.decode(b"", final=True).encode())
    longest = max(longest, run)
    return TextCheck(copy or path, undecodable, control, longest if longest > MAX_FIELD_BYTES else 0)


def sniff(path: str | Path, has_header: bool = True, encoding: str = "utf-8") -> FileShape:
    """Find the line ending, the ``#`` preamble and the header line of a tab-separated file in ``encoding``."""
    path = Path(path)
    if not path.exists():
        raise FileFormatError(f"{path}:1:1: file does not exist")
    head = _head_bytes(path)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if b"\r\n" in head:
        newline = "\r\n"
    elif b"\r" in head and b"\n" not in head:
        newline = "\r"
    else:
        newline = "\n"
    text = head.decode(encoding, errors="replace")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    preamble: list[str] = []
    row = 0
    for row, line in enumerate(lines, start=1):
        if line.startswith("#"):
            preamble.append(line[1:])
            continue
        if not line.strip():
            continue
        break
    else:
        row = 0
    if not has_header:
        return FileShape(path, newline, tuple(preamble), 0, (), encoding=encoding)
    if row == 0 or not lines[row - 1].strip():
        raise FileFormatError(f"{path}:{len(lines)}:1: no header line found (file is empty or has only '#' lines)")
    header_line = lines[row - 1]
    is_csv = path.name.lower().endswith((".csv", ".csv.gz")) or ("\t" not in header_line and "," in header_line)
    if is_csv:
        header = tuple(h.strip() for h in next(csv.reader([header_line])))
        return FileShape(path, newline, tuple(preamble), row, header, ",", encoding)
    header = tuple(h.strip() for h in header_line.split("\t"))
    return FileShape(path, newline, tuple(preamble), row, header, encoding=encoding)


def sql_string(value: str) -> str:
    """Quote a value as a SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def values_sql(rows: list[dict], columns: tuple[str, ...], types: dict[str, str]) -> str:
    """A typed ``VALUES`` query of ``rows`` (``types``: column -> SQL type, default varchar; numbers without a
    type are double). No rows: an empty query with the same columns and types."""
    def literal(value, column) -> str:
        if value is None:
            return f"cast(null as {types.get(column, 'varchar')})"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return f"cast({value!r} as {types.get(column, 'double')})"
        return sql_string(value)

    if not rows:
        return "select " + ", ".join(f"cast(null as {types.get(c, 'varchar')}) as {c}" for c in columns) + " where false"
    values = ", ".join("(" + ", ".join(literal(r[c], c) for c in columns) + ")" for r in rows)
    return f"select * from (values {values}) v({', '.join(columns)})"


def lines_relation_sql(shape: FileShape) -> str:
    """SQL selecting ``source_row`` (physical line number) and ``line`` for every line of the file.

    Blank lines come back as NULL so numbering stays physical; callers drop them.

    ``row_number() over ()`` is a streaming window: DuckDB runs it, and every operator after it in the
    same pipeline, on one thread. The ``order by`` (on numbers already in order, so cheap) ends that
    pipeline, so that splitting, trimming and writing the fields run on all threads: landing a
    1M-row MAF into a warehouse file takes 1.9 s instead of 3.9 s on 2 cores.
    """
    newline = {"\n": "\\n", "\r\n": "\\r\\n", "\r": "\\r"}[shape.newline]
    text = check_text(shape.path, shape.newline, shape.encoding)
    longest = f", max_line_size = {text.longest_line + 1}" if text.longest_line >= _DUCKDB_MAX_LINE else ""
    return (
        # rtrim copies every string: strip a stray CR only from the lines that end with one
        "select row_number() over () as source_row, "
        "case when suffix(line, chr(13)) then rtrim(line, chr(13)) else line end as line "
        f"from read_csv({sql_string(str(text.read_path))}, columns = {{'line': 'VARCHAR'}}, delim = '\\x01', "
        f"header = false, quote = '', escape = '', strict_mode = false, auto_detect = false, "
        f"new_line = '{newline}'{longest}) "
        "order by source_row"
    )


def split_fields_sql(shape: FileShape, line: str = "line") -> str:
    """SQL expression splitting one line into its list of fields (tab, or quoted CSV)."""
    if shape.delimiter == ",":
        # every field follows a comma once one is put in front of the line; a quoted field keeps its
        # commas and its doubled quotes become one quote (RFC 4180)
        return (f"list_transform(regexp_extract_all(',' || {line}, ',(\"(?:[^\"]|\"\")*\"|[^,]*)', 1), "
                f"lambda x: case when x like '\"%\"' and length(x) >= 2 "
                f"then replace(substr(x, 2, length(x) - 2), '\"\"', '\"') else x end)")
    return f"string_split({line}, chr(9))"


def fields_relation_sql(shape: FileShape) -> str:
    """SQL giving ``source_row``, ``fields`` (list of strings), ``n_fields`` and ``text_fault`` /
    ``text_fault_detail`` for every data line. A text fault (a field with bytes that are not UTF-8, a control
    character, or more than MAX_FIELD_BYTES) rejects the line in staging; it is looked for only in the files
    whose byte scan (check_text) found one, so a clean file pays nothing here."""
    return (
        f"select source_row, fields, len(fields) as n_fields, {text_fault_sql(shape)} from ("
        f"select source_row, {split_fields_sql(shape)} as fields "
        f"from ({lines_relation_sql(shape)}) "
        f"where source_row > {shape.header_row} and line is not null and line not like '#%' "
        # blank = whitespace only; trim (a copy) only for lines that start with a space or a tab
        f"and (ascii(line) not in (9, 32) or trim(line) <> ''))"
    )


def text_fault_sql(shape: FileShape) -> str:
    """``text_fault, text_fault_detail`` of a line (its ``fields``): the first faulty field, in the order
    undecodable bytes, control character, too long."""
    text = check_text(shape.path, shape.newline, shape.encoding)
    tests = []  # (reason, SQL test of field x, SQL of what is wrong with a field given as SQL)
    if text.undecodable:
        tests.append(("undecodable_bytes", "contains(x, chr(65533))",
                      lambda field: "'holds bytes that are not UTF-8 (each shown as U+FFFD)'"))
    if text.control:
        tests.append(("control_character", f"regexp_matches(x, '{_CONTROL_CLASS}')",
                      lambda field: f"'holds the control character U+' || "
                                    f"printf('%04X', unicode(regexp_extract({field}, '{_CONTROL_CLASS}')))"))
    if text.longest_line:
        tests.append(("field_too_long", f"strlen(x) > {MAX_FIELD_BYTES}",
                      lambda field: f"'holds ' || strlen({field}) || ' bytes (at most {MAX_FIELD_BYTES} are accepted)'"))
    if not tests:
        return "cast(null as varchar) as text_fault, cast(null as varchar) as text_fault_detail"
    header = "([" + ", ".join(sql_string(h) for h in shape.header) + "]::varchar[])"
    reason, detail = "case", "case"
    for code, test, what in tests:
        column = f"list_position(list_transform(fields, lambda x: {test}), true)"
        reason += f" when {column} > 0 then '{code}'"
        detail += (f" when {column} > 0 then 'field ' || {column} || coalesce(' (' || {header}[{column}] || ')', '') "
                   f"|| ' ' || {what(f'fields[{column}]')}")
    return f"{reason} end as text_fault, {detail} end as text_fault_detail"
