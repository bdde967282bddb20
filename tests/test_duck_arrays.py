"""NEP 18: when f or a spacing overrides __array_function__, gradient_ext returns what
numpy.gradient returns through the protocol, unchanged."""

import numpy as np
import pytest

import gradient_ext
from gradient_ext._api import _NUMPY_GRADIENT
from oracle import assert_same_as_numpy


class Duck:
    """A duck array that answers every numpy function with a new object, and records
    the call and its answer in its own ``calls`` (no state shared between tests, nor
    between the threads of pytest --parallel-threads)."""

    def __init__(self, data):
        self.data = np.asarray(data)
        self.calls = []

    def __array_function__(self, func, types, args, kwargs):
        answer = ("answer", object())
        self.calls.append((func, types, args, kwargs, answer))
        return answer


class Refuser:
    def __array_function__(self, func, types, args, kwargs):
        return NotImplemented


class Unwrapping:
    """Answers numpy.gradient by calling it again on its plain data."""

    def __init__(self, data):
        self.data = np.asarray(data)

    def __array_function__(self, func, types, args, kwargs):
        args = [a.data if isinstance(a, Unwrapping) else a for a in args]
        return func(*args, **kwargs)


class OverridingSubclass(np.ndarray):
    def __array_function__(self, func, types, args, kwargs):
        return "subclass answer"


def _same_call_as_numpy(*args, **kwargs):
    """gradient_ext's answer is the duck's own object, from the same call numpy makes."""
    (duck,) = [a for a in args if isinstance(a, Duck)]
    got = gradient_ext.gradient(*args, **kwargs)
    expected = _NUMPY_GRADIENT(*args, **kwargs)
    (func_g, types_g, args_g, kw_g, answer_g), (func_n, types_n, args_n, kw_n, _) = duck.calls
    assert got is answer_g                        # unchanged: the very object
    assert expected[0] == "answer"
    assert func_g is func_n is _NUMPY_GRADIENT
    assert types_g == types_n
    assert len(args_g) == len(args_n) and all(a is b for a, b in zip(args_g, args_n))
    assert kw_g == kw_n


def test_duck_f():
    _same_call_as_numpy(Duck([1.0, 2.0, 4.0]))
    _same_call_as_numpy(Duck(np.ones((3, 3))), 0.5, axis=1, edge_order=2)


def test_duck_spacing():
    _same_call_as_numpy(np.ones((4, 3)), Duck(np.arange(4.0)), 1.0)
    _same_call_as_numpy([1.0, 2.0, 4.0], Duck(2.0))


def test_refusing_duck_raises_like_numpy():
    with pytest.raises(TypeError):
        _NUMPY_GRADIENT(Refuser())
    with pytest.raises(TypeError):
        gradient_ext.gradient(Refuser())


def test_overriding_subclass_dispatches():
    a = np.ones(4).view(OverridingSubclass)
    assert _NUMPY_GRADIENT(a) == "subclass answer"
    assert gradient_ext.gradient(a) == "subclass answer"


def test_subclasses_numpy_handles_are_not_dispatched():
    m = np.ma.masked_array([1.0, 2.0, 4.0, 7.0], mask=[0, 1, 0, 0])
    assert_same_as_numpy(m)
    assert_same_as_numpy(np.matrix([[1.0, 2.0, 4.0], [1.0, 3.0, 9.0]]))
    assert_same_as_numpy(np.arange(5.0), np.ma.masked_array(np.arange(5.0) ** 2))


def test_out_with_duck_is_a_type_error():
    with pytest.raises(TypeError, match="out="):
        gradient_ext.gradient(Duck([1.0, 2.0]), out=np.empty(2))


def test_patched_numpy_gradient_does_not_recurse(monkeypatch):
    """A duck that calls numpy.gradient again reaches numpy's own code, not gradient_ext."""
    data = np.array([1.0, 2.0, 4.0, 7.0])
    expected = _NUMPY_GRADIENT(data, 0.5)
    monkeypatch.setattr(np, "gradient", gradient_ext.gradient)
    got = gradient_ext.gradient(Unwrapping(data), 0.5)
    assert np.array_equal(got, expected) and got.dtype == expected.dtype
    duck = Duck(data)
    answer = np.gradient(duck)                    # the patched numpy.gradient
    assert answer is duck.calls[-1][-1] and duck.calls[-1][0] is _NUMPY_GRADIENT
