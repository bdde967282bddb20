"""Generator-driven differential tests: gradient_ext.gradient against
numpy.gradient, bit for bit, over the edge-case generator of generators.py.

Each test item covers one dtype (or one edge_order spelling) and loops over
the generated arrays inside, collecting every mismatch into one message, so
the suite stays fast while the ids stay readable.  The two large loops are
split by tiers.Share: their "fast" items sample every dimension of the loop,
their "rest" items (slow tier) run the remaining cases.
"""

import numpy as np
import pytest

from generators import (
    ALL_DTYPES, LAYOUTS, SMALL_SHAPES, array_generator, dtype_name, spacing_cases,
)
from oracle import check_cases
from tiers import PARTS, Share


def _axis_specs(ndim):
    """Axis arguments to try for an array of ``ndim`` dims."""
    specs = [None, ()]
    specs += list(range(ndim))
    if ndim:
        specs += [-1, -ndim, ndim, -ndim - 1]       # negatives and out of range
        specs += [(0, 0), 1.0]                      # duplicate; float axis
    if ndim >= 2:
        specs += [tuple(range(ndim))[::-1], (ndim - 1, 0), [0, -1]]
    return specs


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_name)
def test_default_spacing_all_axes(dtype, part):
    """Every generated array (every layout), every axis form, edge_order 1 and 2, no spacing."""
    share = Share(part, every=48)

    def cases():
        for layout in LAYOUTS:      # one layout at a time: each its own seeded arrays
            for a, desc in array_generator([dtype], layouts=[layout]):
                for axis in _axis_specs(a.ndim):
                    for edge_order in (1, 2):
                        kw = {"edge_order": edge_order}
                        if axis is not None:
                            kw["axis"] = axis
                        yield f"{desc} axis={axis!r} edge_order={edge_order}", a, (), kw
    assert check_cases(share.filter(cases())) == share.taken > 0


SPACING_LAYOUTS = ["C", "strided", "F"]
# np.ma masks divisions by zero / non-finite quotients: a trap for spacing 0,
# nan or inf, checked on a few dtypes to keep the run short
MASKED_SPACING_DTYPES = [np.dtype(t) for t in (np.float32, np.float64, np.int64, np.complex128)]


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_name)
def test_spacing_forms(dtype, part):
    """Every spacing form (scalars of many types, per-axis mixes of scalars and
    coordinate arrays, malformed forms) for each dtype."""
    share = Share(part, every=64)

    def cases():
        for a, desc in array_generator([dtype], shapes=SMALL_SHAPES, layouts=SPACING_LAYOUTS + (
                ["masked"] if dtype in MASKED_SPACING_DTYPES else [])):
            nd = a.ndim
            axis_choices = [None] + ([nd - 1] if nd >= 2 else [])
            for axis in axis_choices:
                axes = tuple(range(nd)) if axis is None else (axis,)
                for varargs, sdesc in spacing_cases(a.shape, axes):
                    for edge_order in (1, 2):
                        kw = {"edge_order": edge_order}
                        if axis is not None:
                            kw["axis"] = axis
                        yield (f"{desc} axis={axis} {sdesc} edge_order={edge_order}",
                               a, varargs, kw)
    assert check_cases(share.filter(cases())) == share.taken > 0


EQUIVALENT_EDGE_ORDERS = [1.0, 2.0, True, np.int64(2), np.int8(1), np.float32(2.0)]


@pytest.mark.parametrize("edge_order", EQUIVALENT_EDGE_ORDERS,
                         ids=[f"{type(e).__name__}({e})" for e in EQUIVALENT_EDGE_ORDERS])
def test_edge_order_spellings(edge_order):
    """1.0, 2.0, True, np.int64(2) ... behave exactly like 1 or 2 (as numpy)."""
    def cases():
        for a, desc in array_generator(
                [np.float64, np.float32, np.int64, np.complex128],
                shapes=[(3,), (4, 5), (2, 3, 4)], layouts=["C", "F"]):
            for varargs in [(), (0.5,), tuple(np.linspace(0, 1, n) ** 2 for n in a.shape)]:
                yield f"{desc} spacing={len(varargs)}", a, varargs, {"edge_order": edge_order}
    assert check_cases(cases()) > 0


def test_list_and_scalar_inputs():
    """Non-array inputs (lists, nested lists, Python scalars) are converted as numpy does."""
    cases = [
        ("list-int", [1, 2, 4, 7, 11, 16], (), {}),
        ("list-float", [1.5, -0.0, float("nan"), 3.0], (), {}),
        ("list-complex", [1 + 1j, 2, 3j], (), {}),
        ("nested", [[1, 1], [3, 4]], (), {}),
        ("nested-spacing", [[1, 2, 3], [4, 5, 7]], (2.0, [0, 1, 3]), {}),
        ("tuple", (1, 2, 3), (), {"edge_order": 2}),
        ("scalar-int", 5, (), {}),
        ("scalar-float", 2.5, (), {}),
        ("empty-list", [], (), {}),
        ("list-bool", [True, False, True], (), {}),
        ("list-none", [None, 1, 2], (), {}),
        ("list-str", ["a", "b", "c"], (), {}),
        ("bytes-array", np.array([b"a", b"b", b"c"]), (), {}),
    ]
    assert check_cases(cases) == len(cases)
