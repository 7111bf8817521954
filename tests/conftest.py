from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
EXAMPLE = ROOT / "examples" / "bridge-collapse"


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "multinews").is_dir():
        pytest.skip("../shared/data/multinews is not beside the repository")
    return SHARED_DATA
