"""Comparators: tolerances from the syllabus, and messages that never leak expected values."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import close, each, exact
from graders.engine.sandbox.plain import Opaque


def test_default_tolerances_follow_the_expected_dtype():
    cmp = close()
    exp64 = np.array([1.0, 2.0])
    assert cmp(exp64 * (1 + 5e-7), exp64) is None
    assert cmp(exp64 * (1 + 5e-6), exp64) is not None
    exp32 = exp64.astype(np.float32)
    assert cmp(exp32 * np.float32(1 + 5e-5), exp32) is None
    assert "off" in cmp(exp64.astype(np.float32) + np.float32(1e-5), exp64)


def test_scalars_may_be_python_numpy_or_zero_d():
    cmp = close()
    for got in (2.0, np.float64(2.0), np.array(2.0), 2):
        assert cmp(got, np.float64(2.0)) is None


def test_messages_describe_the_difference_in_words():
    cmp = close()
    exp = np.ones((2, 3))
    assert "shape (2, 3)" in cmp(np.ones(3), exp)
    assert "NaN in 1 of 6" in cmp(np.array([[np.nan, 1, 1], [1, 1, 1]]), exp)
    assert "integer dtype" in cmp(np.zeros((2, 3), dtype=int), exp)
    assert "got None" in cmp(None, exp) and "return" in cmp(None, exp)
    assert "Opaque" not in cmp(Opaque("Thing", "<Thing>"), exp) and "Thing" in cmp(Opaque("Thing", "<Thing>"), exp)
    message = cmp(np.full((2, 3), 1.5), exp)
    assert "1.0" not in message.replace("1e", "")       # no expected value in the feedback


def test_each_and_exact():
    pair = each(close(), close(), names=("w", "b"))
    assert pair([np.array([1.0]), 2.0], (np.array([1.0]), 2.0)) is None
    assert "`b`" in pair((np.array([1.0]), 3.0), (np.array([1.0]), 2.0))
    assert "pair" in pair(np.array([1.0]), (np.array([1.0]), 2.0))
    assert exact()(np.array([1, 2]), np.array([1, 2])) is None
    assert "1 of 2" in exact()(np.array([1, 3]), np.array([1, 2]))
