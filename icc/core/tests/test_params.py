from __future__ import annotations

import pytest

from icc.core.params import MAX_ID, parse_id


@pytest.mark.parametrize("value", ["abc", "²", "-1", "1e3", "0", "", " 1", str(2**70), "9" * 5000, None, 12])
def test_what_is_not_an_id_is_refused(value: object) -> None:
    assert parse_id(value) is None


def test_an_id_is_read() -> None:
    assert parse_id("42") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID
