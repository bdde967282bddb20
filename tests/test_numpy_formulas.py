"""The numpy-change detector: numpy's gradient on fixed inputs against stored
bits (tests/numpy_formulas.py), failing with the name of the formula that moved."""

import copy

import numpy as np
import pytest

from gradient_ext import gradient
from gradient_ext._runtime import NUMPY_GRADIENT
from numpy_formulas import (FORMULAS, cases, compute, describe, load_reference,
                            moved_formulas)
from oracle import compared

REFERENCE = load_reference()["cases"]


def test_reference_covers_every_formula_and_dtype():
    assert list(REFERENCE) == list(cases())
    assert len(REFERENCE) == 4 * len(FORMULAS)


def test_numpy_formulas_have_not_moved():
    computed = compute(NUMPY_GRADIENT)
    compared(len(computed))
    moved = moved_formulas(computed, REFERENCE)
    assert not moved, describe(moved, computed, REFERENCE)


def test_gradient_ext_gives_the_reference_bits():
    computed = compute(gradient)
    moved = moved_formulas(computed, REFERENCE)
    assert not moved, describe(moved, computed, REFERENCE)


def _flip_low_bit(reference, name, index=0):
    altered = copy.deepcopy(reference)
    bits = altered[name]["bits"]
    bits[index] = format(int(bits[index], 16) ^ 1, f"0{len(bits[index])}x")
    return altered


@pytest.mark.parametrize("name", [
    "float64 uniform interior central difference",
    "float32 uniform edge_order=2 right edge",
    "complex128 uneven edge_order=2 left edge",
    "int64 uneven interior",
])
def test_an_altered_reference_names_the_formula(name):
    computed = compute(NUMPY_GRADIENT)
    altered = _flip_low_bit(REFERENCE, name, index=len(REFERENCE[name]["bits"]) - 1)
    moved = moved_formulas(computed, altered)
    assert moved == [name]
    assert name in describe(moved, computed, altered)


def test_a_missing_case_is_reported():
    computed = compute(NUMPY_GRADIENT)
    partial = dict(REFERENCE)
    del partial["float32 uneven interior"]
    assert moved_formulas(computed, partial) == ["float32 uneven interior"]


def _with_bits(reference, name, bits):
    altered = copy.deepcopy(reference)
    altered[name]["bits"] = bits
    return altered


ZERO, NEG_ZERO, ONE = "0" * 16, "8" + "0" * 15, "3ff" + "0" * 13


def test_only_a_zero_sign_in_complex_uneven_results_is_tolerated():
    name = "complex128 uneven interior"
    zero = _with_bits(REFERENCE, name, [ZERO] * len(REFERENCE[name]["bits"]))
    neg_zero = _with_bits(REFERENCE, name, [NEG_ZERO] + [ZERO] * (len(REFERENCE[name]["bits"]) - 1))
    assert moved_formulas(neg_zero, zero) == []
    # a sign of anything but zero, and a zero against a nonzero, still count
    one = _with_bits(REFERENCE, name, [ONE] + [ZERO] * (len(REFERENCE[name]["bits"]) - 1))
    minus_one = _with_bits(one, name, ["b" + ONE[1:]] + one[name]["bits"][1:])
    assert moved_formulas(minus_one, one) == [name]
    assert moved_formulas(one, zero) == [name]
    # the same zero sign in a uniform or a real result still counts
    for other in ("complex128 uniform interior central difference", "float64 uneven interior"):
        n = len(REFERENCE[other]["bits"])
        zeros = _with_bits(REFERENCE, other, [ZERO] * n)
        assert moved_formulas(_with_bits(zeros, other, [NEG_ZERO] + [ZERO] * (n - 1)),
                              zeros) == [other]


def _reciprocal_central_difference(f, *varargs, edge_order=1):
    """numpy's gradient with one formula changed as a numpy release might change
    it: the uniform central difference multiplies by 1/(2h) instead of dividing."""
    result = NUMPY_GRADIENT(f, *varargs, edge_order=edge_order)
    if varargs and isinstance(varargs[0], float):
        a = np.asarray(f, dtype=result.dtype)
        result[1:-1] = (a[2:] - a[:-2]) * (1 / (2 * varargs[0]))
    return result


def test_a_changed_numpy_formula_is_named():
    computed = compute(_reciprocal_central_difference)
    moved = moved_formulas(computed, REFERENCE)
    assert moved, "the changed central difference gave the reference's bits"
    assert all(name.endswith(" uniform interior central difference") for name in moved), moved
    assert "uniform interior central difference" in describe(moved, computed, REFERENCE)
