import pytest

from stats_rhelp import SHARED


@pytest.fixture
def shared_dir():
    if not (SHARED / "data").exists() or not (SHARED / "oracle").exists():
        pytest.skip(f"{SHARED}/data or /oracle absent (maftools oracle tests need ../shared next to the repo)")
    return SHARED
