"""numpy.gradient's formulas on a small fixed set of inputs, against stored bits.

gradient_ext is bit-identical to numpy because it computes numpy's formulas in
numpy's order.  A numpy release that changes one (an open numpy pull request,
#31505, removes a temporary from the central difference) could change bits, and
the differential tests would then report mismatches everywhere at once.  This
module names the formula that moved: each case below isolates one formula (one
dtype, one spacing form, one edge_order, interior or one edge) and its result
is compared with the bits numpy gave when the reference was written,
``tests/data/numpy_gradient_bits.json``.

The inputs are built from integers with correctly rounded operations only (no
random generator, no transcendental function), so they are the same bits on
every machine and numpy version; they are normal numbers, far from underflow.

To rewrite the reference, only after checking that a change is numpy's intent
and gradient_ext follows it::

    python tests/numpy_formulas.py --write
"""

import json
import os
import sys

import numpy as np

from oracle import same_or_zero_in_both

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                         "numpy_gradient_bits.json")
N = 9                # points: an interior and both edges for every formula
SPACING = 1.1        # a Python float (weak: float32 data stays float32, NEP 50) whose
                     # reciprocal, multiplied, gives other bits than dividing by it

# (formula, spacing form, edge_order, the elements that formula computes)
FORMULAS = [
    ("uniform interior central difference", "uniform", 1, slice(1, -1)),
    ("uniform edge_order=1 left edge", "uniform", 1, slice(0, 1)),
    ("uniform edge_order=1 right edge", "uniform", 1, slice(-1, None)),
    ("uniform edge_order=2 left edge", "uniform", 2, slice(0, 1)),
    ("uniform edge_order=2 right edge", "uniform", 2, slice(-1, None)),
    ("uneven interior", "uneven", 1, slice(1, -1)),
    ("uneven edge_order=1 left edge", "uneven", 1, slice(0, 1)),
    ("uneven edge_order=1 right edge", "uneven", 1, slice(-1, None)),
    ("uneven edge_order=2 left edge", "uneven", 2, slice(0, 1)),
    ("uneven edge_order=2 right edge", "uneven", 2, slice(-1, None)),
]
# data dtype -> coordinate dtype of the uneven cases
DTYPES = {"float64": "float64", "float32": "float32", "complex128": "float64",
          "int64": "float64"}


def _data(dtype):
    i = np.arange(N, dtype=np.int64)
    ints = (i * i * 7919 + i * 613) % 1009 - 504
    if dtype == "int64":
        return ints
    real = ints / 97.0
    if dtype == "complex128":
        return real + 1j * (((i * i * 331 + i * 89) % 211 - 105) / 13.0)
    return real.astype(dtype)


def _coordinates(dtype):
    i = np.arange(N, dtype=np.float64)
    return ((3 * i * i + 7 * i) / 10.0).astype(dtype)


def cases():
    """``{name: (f, varargs, edge_order, elements)}``, one per dtype and formula."""
    out = {}
    for dtype, coord_dtype in DTYPES.items():
        for formula, spacing, edge_order, elements in FORMULAS:
            varargs = (SPACING,) if spacing == "uniform" else (_coordinates(coord_dtype),)
            out[f"{dtype} {formula}"] = (_data(dtype), varargs, edge_order, elements)
    return out


def _real_view(a):
    """The float components of ``a`` (complex as re, im pairs)."""
    a = np.ascontiguousarray(a)
    return a.view(a.real.dtype) if a.dtype.kind == "c" else a


def to_bits(a):
    """Hex strings of the bits of each float component of ``a``."""
    r = _real_view(a)
    width = r.dtype.itemsize
    return [format(int(b), f"0{2 * width}x") for b in r.view(f"u{width}")]


def from_bits(bits, dtype):
    """The float components stored by ``to_bits``, as an array of ``dtype``'s
    component type."""
    component = np.dtype(dtype).type(0).real.dtype
    width = component.itemsize
    return np.array([int(b, 16) for b in bits], dtype=f"u{width}").view(component)


def compute(gradient):
    """``{name: {"dtype", "bits"}}``: ``gradient`` on every case, the elements
    each formula computes."""
    result = {}
    for name, (f, varargs, edge_order, elements) in cases().items():
        with np.errstate(all="ignore"):
            g = gradient(f, *varargs, edge_order=edge_order)
        result[name] = {"dtype": str(g.dtype), "bits": to_bits(g[elements])}
    return result


def _zero_sign_tolerated(name):
    """The one difference numpy's own CPU dispatch makes (documented difference
    5, docs/guide/numpy_compat.rst): the sign of a zero in complex results on
    uneven coordinates.  These inputs give no zero; the rule is the oracle's."""
    return name.startswith("complex") and " uneven " in name


def _differs(name, got, want):
    if got["dtype"] != want["dtype"] or len(got["bits"]) != len(want["bits"]):
        return True
    g, w = from_bits(got["bits"], got["dtype"]), from_bits(want["bits"], want["dtype"])
    bad = np.array(got["bits"]) != np.array(want["bits"])
    if _zero_sign_tolerated(name):
        bad &= ~same_or_zero_in_both(g, w)
    return bool(bad.any())


def moved_formulas(computed, reference):
    """Names of the cases whose bits differ from ``reference`` (or that one of
    the two lacks), in case order."""
    names = list(reference) + [n for n in computed if n not in reference]
    return [n for n in names
            if n not in computed or n not in reference
            or _differs(n, computed[n], reference[n])]


def describe(moved, computed, reference):
    lines = [f"numpy.gradient's results moved for {len(moved)} formula(s):"]
    for name in moved:
        lines.append(f"  {name}: numpy now {computed.get(name, {}).get('bits')}, "
                     f"reference {reference.get(name, {}).get('bits')}")
    lines.append("gradient_ext computes the reference's formulas: check numpy's change, "
                 "follow it in the kernels, then rewrite the reference "
                 "(python tests/numpy_formulas.py --write).")
    return "\n".join(lines)


def load_reference(path=REFERENCE):
    with open(path) as fh:
        return json.load(fh)


def write_reference(path=REFERENCE):
    from gradient_ext._runtime import NUMPY_GRADIENT
    data = {"numpy": np.__version__, "cases": compute(NUMPY_GRADIENT)}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:     # one line per case, for readable diffs
        fh.write('{"numpy": %s, "cases": {\n' % json.dumps(np.__version__))
        fh.write(",\n".join(f" {json.dumps(name)}: {json.dumps(case)}"
                            for name, case in data["cases"].items()))
        fh.write("\n}}\n")
    print(f"wrote {len(data['cases'])} cases from numpy {np.__version__} to {path}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit(__doc__)
    write_reference()
