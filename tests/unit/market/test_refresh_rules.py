"""The refresh's rules: a source's status from what happened to its files, and the payload."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing_core.errors import InvalidRequest
from pricing_core.market.refresh import SourceStatus, check_refresh, source_status


@given(files=st.integers(0, 50), loaded=st.integers(0, 50), failed=st.booleans())
def test_a_failure_always_shows_and_nothing_new_is_no_files(
    files: int, loaded: int, failed: bool
) -> None:
    loaded = min(loaded, files)
    status = source_status(files, loaded, failed)
    if failed:
        assert status is SourceStatus.FAILED
    elif files == 0:
        assert status is SourceStatus.NO_FILES
    elif loaded:
        assert status is SourceStatus.IMPORTED
    else:
        assert status is SourceStatus.UNCHANGED


def test_the_payload_takes_one_valid_source_name_or_nothing() -> None:
    assert check_refresh({}) == {}
    assert check_refresh({"source": "mercer-2025"}) == {"source": "mercer-2025"}
    with pytest.raises(InvalidRequest) as unknown:
        check_refresh({"folder": "x"})
    assert unknown.value.details["field"] == "payload.folder"
    for bad in ("Mercer 2025", "", 7):
        with pytest.raises(InvalidRequest) as refused:
            check_refresh({"source": bad})
        assert refused.value.details["field"] == "payload.source"
