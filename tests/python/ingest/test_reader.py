"""Landing reads real-world file quirks: line endings, BOM, gzip, '#' preambles, ragged lines."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest

from oncoduck.ingest.reader import FileFormatError, fields_relation_sql, sniff


def _query(sql: str) -> list[tuple]:
    with duckdb.connect() as con:  # a connection of its own, never the shared default one
        return con.sql(sql).fetchall()


def _lines(path: Path) -> list[tuple[int, list[str]]]:
    shape = sniff(path)
    return [(row, fields) for row, fields, _ in _query(fields_relation_sql(shape) + " order by source_row")]


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
