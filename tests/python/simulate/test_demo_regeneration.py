"""The committed demo studies regenerate byte-identically from the fixed seed."""
from pathlib import Path

from oncoduck.paths import DEMO_STUDIES_DIR
from oncoduck.simulate import STUDY_IDS, write_demo


def _files(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in root.rglob("*") if p.is_file() and p.parent != root}


def test_demo_regenerates_byte_identically(tmp_path: Path) -> None:
    written = write_demo(tmp_path)
    new = _files(tmp_path)
    old = _files(DEMO_STUDIES_DIR)
    assert sorted(new) == sorted(old), "file set differs from the committed demo"
    assert sorted(str(p.relative_to(tmp_path)) for p in written) == sorted(new)
    for rel, p in new.items():
        assert p.read_bytes() == old[rel].read_bytes(), f"{rel} differs from the committed file"
    assert sorted({r.split("/")[0] for r in new}) == sorted(STUDY_IDS)


def test_files_are_plain_lf_text() -> None:
    for p in _files(DEMO_STUDIES_DIR).values():
        b = p.read_bytes()
        assert b"\r" not in b and b.endswith(b"\n"), p
        assert b'"' not in b, f"{p} contains quotes"
