"""``python -m gradient_ext``: a short tour that doubles as a self-check.

Every example computes the gradient twice, with numpy's own gradient
(``_runtime.NUMPY_GRADIENT``, even where ``GRADIENT_EXT_PATCH_NUMPY=1`` has made
``numpy.gradient`` gradient_ext's) and with gradient_ext.gradient, and compares
the results bit for bit (``compare.identical``: dtype, shape, single array or
tuple, and the raw bytes).  A user who just installed the
package sees in a few seconds what it does and that it agrees with numpy on
their machine; the exit status is 1 if anything differed.
"""

import numpy as np

import gradient_ext
from gradient_ext._runtime import NUMPY_GRADIENT

from .cases import SEED, random_array
from .compare import identical
from .report import patched_note


class _Checker:
    """Runs both gradients, prints one line per check, counts mismatches."""

    def __init__(self):
        self.checks = 0
        self.mismatches = 0

    def check(self, what, f, *varargs, show=False, **kwargs):
        """Compare gradient_ext with numpy on one call; print values if `show`."""
        want = NUMPY_GRADIENT(f, *varargs, **kwargs)
        try:
            got = gradient_ext.gradient(f, *varargs, **kwargs)
            ok = identical(got, want, nan_sign=True)
        except Exception as exc:       # a crash is a mismatch too; say which
            got, ok = None, False
            what = f"{what} (raised {type(exc).__name__}: {exc})"
        self.report(what, f, ok)
        if show and got is not None:
            print("\n".join(_values(got)))
        return got

    def count(self, ok):
        self.checks += 1
        self.mismatches += not ok

    def report(self, what, f, ok):
        self.count(ok)
        shape = "x".join(map(str, f.shape)) or "scalar"
        verdict = "identical to numpy.gradient" if ok else "MISMATCH"
        print(f"  {what:<56} {shape:>9} {str(f.dtype):<10} {verdict}")


def _values(result, indent="      "):
    """Printable lines of a gradient result (one array, or one per axis)."""
    arrays = [result] if isinstance(result, np.ndarray) else result
    labels = ["-> "] if isinstance(result, np.ndarray) else [
        f"axis {k}: " for k in range(len(arrays))]
    lines = []
    for label, a in zip(labels, arrays):
        text = np.array2string(a, separator=", ", prefix=label)
        lines.append(indent + label + text.replace("\n", "\n" + indent))
    return lines


def _expect(checker, got, expected):
    """Also hold the seed examples to the values their explanation states."""
    ok = identical(got, np.array(expected, dtype=float))
    checker.count(ok)
    print(f"      {'as the explanation says' if ok else 'MISMATCH with'}: {expected}")


def seed_examples(c):
    """The examples of the classic 'what does numpy.gradient do' explanation."""
    print("Central differences inside, one-sided differences at the ends:")
    y = np.array([1, 2, 4, 7, 11, 16], dtype=float)
    got = c.check("gradient([1, 2, 4, 7, 11, 16])", y, show=True)
    _expect(c, got, [1, 1.5, 2.5, 3.5, 4.5, 5])

    f = np.array([5, 7, 4, 8])
    got = c.check("gradient([5, 7, 4, 8])   (spacing 1)", f, show=True)
    _expect(c, got, [2, -0.5, 0.5, 4])
    got = c.check("gradient([5, 7, 4, 8], 0.5)", f, 0.5, show=True)
    _expect(c, got, [4, -1, 1, 8])
    c.check("gradient([5, 7, 4, 8], x=[0, 1, 3, 3.5])", f,
            np.array([0, 1, 3, 3.5]), show=True)


def partial_derivatives(c):
    """A 2-D array gives one partial derivative per axis, as a tuple."""
    print("\n2-D: partial derivatives along rows (axis 0) and columns (axis 1):")
    f = np.array([[1, 2, 6], [3, 4, 5]], dtype=float)
    c.check("gradient([[1, 2, 6], [3, 4, 5]])", f, show=True)
    c.check("  same, spacing dy=2, dx=0.5", f, 2.0, 0.5, show=True)
    c.check("  same, axis=1 only (one array back)", f, axis=1, show=True)


def second_order_edges(c):
    """edge_order=2 makes the ends exact for a quadratic, even on an uneven grid."""
    print("\nedge_order=2: y = x**2 on an uneven grid, exact derivative 2x "
          "= [0, 2, 3, 7, 8, 12]:")
    x = np.array([0.0, 1.0, 1.5, 3.5, 4.0, 6.0])
    y = x**2
    c.check("gradient(x**2, x)   (edge_order=1)", y, x, show=True)
    c.check("gradient(x**2, x, edge_order=2)", y, x, edge_order=2, show=True)


def _layouts(a):
    """The same data in four memory layouts a kernel must handle."""
    return {
        "C order": a,
        "Fortran order": np.asfortranarray(a),
        "slice [::2, 1::3]": a[::2, 1::3],
        "reversed [::-1, ::-2]": a[::-1, ::-2],
    }


def larger_arrays(c):
    """Several dtypes and layouts, uniform and uneven spacing, both edge orders."""
    print("\nLarger arrays: dtypes x layouts, uniform spacing (0.1, 0.3) and "
          "uneven coordinates:")
    rng = np.random.default_rng(SEED)
    for dtype in ("float32", "float64", "complex128", "int64"):
        base = random_array(rng, (300, 420), dtype)
        for k, (layout, f) in enumerate(_layouts(base).items()):
            edge = 1 + k % 2            # alternate edge orders across layouts
            c.check(f"{dtype:<10} {layout:<21} 0.1, 0.3, edge_order={edge}", f, 0.1, 0.3,
                    edge_order=edge)
            coords = [np.cumsum(rng.uniform(0.5, 1.5, n)) for n in f.shape]
            c.check(f"{dtype:<10} {layout:<21} uneven coordinates", f, *coords)

    f = random_array(rng, (60, 70, 80), "float64")
    x = np.cumsum(rng.uniform(0.5, 1.5, 80))
    c.check("3-D, axis=(0, -1), spacing 0.5 and coordinates", f, 0.5, x,
            axis=(0, -1), edge_order=2)


def out_and_workers(c):
    """The two extras over numpy: preallocated outputs and threads."""
    print("\nExtras: out= writes into your arrays; workers=-1 uses every CPU "
          f"(OpenMP: {gradient_ext.openmp_info()}):")
    f = random_array(np.random.default_rng(SEED), (500, 600), "float64")
    want = NUMPY_GRADIENT(f)
    outs = (np.empty_like(f), np.empty_like(f))
    got = gradient_ext.gradient(f, out=outs, workers=-1)
    ok = identical(tuple(got), want, nan_sign=True) and all(g is o for g, o in zip(got, outs))
    c.report("gradient(f, out=(gy, gx), workers=-1)", f, ok)


def dask_example(c):
    """Lazy dask arrays, computed chunk by chunk: numpy's bits on the whole array."""
    try:
        import dask
        import dask.array as da
    except ImportError:
        print("\nDask: skipped, dask is not installed (pip install 'gradient_ext[dask]').")
        return
    print("\nDask: a lazy array in uneven chunks (some 1 element thick), dask coordinates:")
    rng = np.random.default_rng(SEED)
    f = random_array(rng, (600, 500), "float64")
    y = np.cumsum(rng.uniform(0.5, 1.5, 600))
    x = da.from_array(f, chunks=((1, 299, 300), (2, 1, 200, 297)))
    grads = gradient_ext.gradient(x, da.from_array(y, chunks=100), 0.5, edge_order=2)
    lazy = all(isinstance(g, da.Array) for g in grads)
    got = dask.compute(*grads, scheduler="threads")
    c.report("gradient(dask f, dask y, 0.5, edge_order=2).compute()", f,
             lazy and identical(got, NUMPY_GRADIENT(f, y, 0.5, edge_order=2), nan_sign=True))


def _exact(c, what, got, exact, f, rtol=1e-12):
    """One beyond-numpy result held to its exact value (no numpy oracle exists)."""
    scale = max(float(np.max(np.abs(exact))), 1.0)
    ok = got.shape == np.shape(exact) and bool(np.allclose(got, exact, rtol=0,
                                                           atol=rtol * scale))
    c.count(ok)
    shape = "x".join(map(str, f.shape))
    print(f"  {what:<56} {shape:>9} {str(f.dtype):<10} "
          f"{'exact' if ok else 'MISMATCH with the exact value'}")


def beyond_numpy(c):
    """Derivatives, the Laplacian and the vector operators, each on a polynomial or
    a rotation whose derivatives its stencils give exactly (edges included)."""
    print("\nBeyond numpy: higher derivatives, the Laplacian, mixed partials, the Hessian, "
          "divergence and curl,\neach checked against the exact value on fields its "
          "stencils differentiate exactly (uneven x):")
    x = np.cumsum(np.random.default_rng(SEED).uniform(0.5, 1.5, 40)) / 20
    y = np.linspace(-1.0, 1.0, 30)
    X, Y = np.meshgrid(x, y, indexing="ij")
    _exact(c, "derivative(x**3, x, n=3)", gradient_ext.derivative(x**3, x, n=3),
           np.full_like(x, 6.0), x, 1e-8)
    f = X**2 * Y + Y**3
    _exact(c, "laplacian(x**2 y + y**3)", gradient_ext.laplacian(f, x, y),
           2 * Y + 6 * Y, f, 1e-8)
    _exact(c, "mixed_derivative(x**2 y, n=(1, 1), edge_order=2)",
           gradient_ext.mixed_derivative(X**2 * Y, x, y, n=(1, 1), axis=(0, 1),
                                         edge_order=2), 2 * X, f, 1e-10)
    H = gradient_ext.hessian(X**2 + 3 * X * Y + 2 * Y**2, x, y, edge_order=2)
    _exact(c, "hessian(x**2 + 3xy + 2y**2, edge_order=2)", H,
           np.broadcast_to(np.array([[2.0, 3.0], [3.0, 4.0]])[:, :, None, None],
                           (2, 2) + f.shape), f, 1e-9)
    u, v = -Y, X                # solid-body rotation; x is axis 0, y axis 1
    _exact(c, "divergence((u, v)), rotation u=-y, v=x", gradient_ext.divergence(
        (u, v), x, y), np.zeros_like(f), f)
    _exact(c, "curl((u, v)): its vorticity, 2", gradient_ext.curl((u, v), x, y),
           np.full_like(f, 2.0), f)


def demo():
    """Run the tour; return 0 if everything matched numpy bit for bit, else 1."""
    print(f"gradient_ext {getattr(gradient_ext, '__version__', '?')} vs "
          f"numpy {np.__version__}: every result compared bit for bit with numpy's own "
          "gradient.")
    if patched_note():
        print(f"{patched_note()}; the comparisons are with numpy's own function, "
              "captured at import.")
    print()
    c = _Checker()
    seed_examples(c)
    partial_derivatives(c)
    second_order_edges(c)
    larger_arrays(c)
    out_and_workers(c)
    dask_example(c)
    beyond_numpy(c)
    print(f"\n{c.checks - c.mismatches} of {c.checks} checks passed (identical to "
          "numpy.gradient, or exact beyond numpy).")
    if c.mismatches:
        print(f"{c.mismatches} MISMATCH(ES) - please report them.")
        return 1
    print("Try `python -m gradient_ext bench` for the speed table.")
    return 0
