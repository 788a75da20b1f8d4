"""plain.py and wire.py: what crosses from the sandbox is plain data, nothing that runs code."""
from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
import torch

from graders.engine.sandbox.plain import Opaque, revive, to_plain
from graders.engine.sandbox.safe_pickle import dump_plain, load_plain


def roundtrip(value):
    return load_plain(dump_plain(value))


@pytest.mark.parametrize("value", [None, True, 3, 2.5, 1 + 2j, "text", b"raw", [1, 2.0], {"a": [1]}])
def test_builtins_survive(value):
    assert roundtrip(value) == value


def test_arrays_keep_shape_dtype_and_bits():
    for arr in [np.arange(6.0).reshape(2, 3), np.array(3.5), np.array([1, 2], dtype=np.int32),
                np.array([True]), np.array(["a", "bc"]), np.asfortranarray(np.eye(3)),
                np.array(["2024-01-01"], dtype="M8[ns]"), np.arange(10.0)[::3]]:
        back = roundtrip(arr)
        assert back.dtype == arr.dtype and back.shape == arr.shape and np.array_equal(back, arr)


def test_numpy_scalars_keep_their_type_and_tuples_stay_tuples():
    back = roundtrip((np.float32(1.5), np.int64(2)))
    assert isinstance(back, tuple) and type(back[0]) is np.float32 and type(back[1]) is np.int64


def test_pandas_objects_come_back_as_pandas():
    df = pd.DataFrame({"x": [1.0, np.nan], "s": ["a", None], "n": [1, 2]}, index=[10, 20])
    back = roundtrip(df)
    assert list(back.columns) == ["x", "s", "n"] and list(back.index) == [10, 20]
    assert back["n"].dtype == np.int64 and np.isnan(back["x"][20]) and back["s"].isna()[20]
    s = roundtrip(pd.Series([1.5, 2.5], name="price"))
    assert isinstance(s, pd.Series) and s.name == "price"


def test_tensors_come_back_with_their_metadata():
    p = torch.nn.Parameter(torch.ones(2, 3))
    back = roundtrip(p)
    assert isinstance(back, torch.Tensor) and back.shape == (2, 3) and back.requires_grad
    assert back.mlkata_is_parameter and back.mlkata_device == "cpu"


def test_foreign_objects_become_opaque_and_never_compare_equal():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    back = roundtrip(AlwaysEqual())
    assert isinstance(back, Opaque) and back.type_name.endswith("AlwaysEqual")
    assert back != 0


def test_subclasses_of_builtins_lose_their_overrides():
    class Liar(float):
        def __eq__(self, other):
            return True

        def __float__(self):
            return 42.0

    back = roundtrip(Liar(1.25))
    assert type(back) is float and back == 1.25


def test_hostile_bytes_cannot_run_code():
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    with pytest.raises(pickle.UnpicklingError):
        load_plain(pickle.dumps(Evil()))
    with pytest.raises(pickle.UnpicklingError):
        load_plain(pickle.dumps(np.arange(3)))     # numpy's own pickle needs globals: refused too


def test_revive_leaves_plain_trees_alone():
    assert revive({"value": [1, 2]}) == {"value": [1, 2]}
    assert to_plain(("a", 1)) == to_plain(("a", 1))


def test_timestamps_keep_their_unit():
    for stamp in (pd.Timestamp("2024-03-01 12:30"), pd.Timestamp("2024-03-01 12:30").as_unit("us")):
        assert pd.Timestamp(roundtrip(stamp)) == stamp
