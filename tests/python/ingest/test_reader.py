"""Landing reads real-world file quirks: line endings, BOM, gzip, '#' preambles, ragged lines."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest

from oncoduck.ingest.reader import MAX_FIELD_BYTES, FileFormatError, check_text, fields_relation_sql, sniff


def _query(sql: str) -> list[tuple]:
    with duckdb.connect() as con:  # a connection of its own, never the shared default one
        return con.sql(sql).fetchall()


def _lines(path: Path) -> list[tuple[int, list[str]]]:
    shape = sniff(path)
    return _query(f"select source_row, fields from ({fields_relation_sql(shape)}) order by source_row")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR-only"])
def test_every_line_ending_gives_physical_line_numbers(tmp_path, newline):
    path = tmp_path / "f.txt"
    path.write_bytes(newline.join(["#version 2.4", "a\tb", "1\t2", "", "3\t4", ""]).encode())
    shape = sniff(path)
    assert shape.newline == newline
    assert shape.header == ("a", "b") and shape.header_row == 2
    assert _lines(path) == [(3, ["1", "2"]), (5, ["3", "4"])]  # the blank line 4 keeps its number


def test_bom_is_not_part_of_the_first_column(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"\xef\xbb\xbfPATIENT_ID\tAGE\r\nP1\t50\r\n")
    assert sniff(path).header == ("PATIENT_ID", "AGE")
    assert _lines(path) == [(2, ["P1", "50"])]


def test_gzip_and_preamble_values(tmp_path):
    path = tmp_path / "m.maf.gz"
    path.write_bytes(gzip.compress(b"#version gdc-1.0.0\n#Sequenced_Samples: S1 S2\nHugo_Symbol\tx\nTP53\t1\n"))
    shape = sniff(path)
    assert shape.preamble_value("version") == "gdc-1.0.0"
    assert shape.preamble_value("Sequenced_Samples") == "S1 S2"
    assert _lines(path) == [(4, ["TP53", "1"])]


def test_ragged_lines_are_kept_with_their_field_count(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("a\tb\tc\n1\t2\n1\t2\t3\t4\n")
    shape = sniff(path)
    counts = _query(f"select source_row, n_fields from ({fields_relation_sql(shape)}) order by 1")
    assert counts == [(2, 2), (3, 4)]  # staging rejects them as wrong_field_count


def test_an_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("#only a comment\n")
    with pytest.raises(FileFormatError, match=r"empty.txt:\d+:1: no header line"):
        sniff(path)


def test_the_apl_maf_with_cr_only_line_endings_lands(tmp_path):
    from oncoduck_testing import require_shared_data

    path = require_shared_data("maftools_extdata", "APL_primary.maf.gz")
    shape = sniff(path)
    assert shape.newline == "\r"
    rows = _query(f"select count(*), max(n_fields), min(n_fields) from ({fields_relation_sql(shape)})")[0]
    assert rows[0] > 0 and rows[1] == rows[2] == len(shape.header)


# Issue 23: one Latin-1 byte or one 10 MB field stopped the whole study with DuckDB's raw CSV error, and a
# NUL byte inside a field was landed silently; now each rejects its line, naming the field.

def test_text_faults_reject_their_line_and_name_the_field(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"A\tB\tC\nok\t1\t2\nPA\x00SS\t1\t2\ncaf\xe9\t1\t2\nx\t" + b"y" * (3 << 20)
                     + b"\t3\nlast\t1\t2\n")
    shape = sniff(path)
    text = check_text(shape.path, shape.newline)
    assert text.undecodable and text.control and text.longest_line > MAX_FIELD_BYTES
    assert text.read_path != path  # a UTF-8 copy: DuckDB's reader stops at the first undecodable byte
    rows = _query(f"select source_row, n_fields, text_fault, text_fault_detail from ({fields_relation_sql(shape)}) "
                  "order by 1")
    assert rows == [
        (2, 3, None, None),
        (3, 3, "control_character", "field 1 (A) holds the control character U+0000"),
        (4, 3, "undecodable_bytes", "field 1 (A) holds bytes that are not UTF-8 (each shown as U+FFFD)"),
        (5, 3, "field_too_long", f"field 2 (B) holds {3 << 20} bytes (at most {MAX_FIELD_BYTES} are accepted)"),
        (6, 3, None, None)]


def test_a_clean_file_is_read_in_place_and_has_no_fault_column_work(tmp_path):
    path = tmp_path / "f.txt.gz"
    path.write_bytes(gzip.compress(b"A\tB\n1\t2\n"))
    shape = sniff(path)
    assert check_text(path, shape.newline).read_path == path
    assert "text_fault" in fields_relation_sql(shape) and "list_position" not in fields_relation_sql(shape)


@pytest.mark.parametrize("damage", [lambda b: b[:-8] + bytes([b[-8] ^ 0xFF]) + b[-7:], lambda b: b[: len(b) // 2]],
                         ids=["crc", "truncated"])
def test_a_corrupt_archive_names_the_file(tmp_path, damage):
    path = tmp_path / "calls.maf.gz"
    path.write_bytes(damage(gzip.compress(b"A\tB\n" + b"1\t2\n" * 1000)))
    with pytest.raises(FileFormatError, match=r"calls.maf.gz:1:1: the compressed file is corrupt or truncated"):
        check_text(path)
