"""Every compiled build of the kernels, not only the one this CPU dispatches to.

gradient_ext ships the kernels twice (baseline x86-64 and AVX2, see setup.py)
and ``_api`` picks one at import.  The rest of the suite exercises the picked
build; here each available build is swapped in and run over the kernel dtypes,
layouts and spacing forms, against numpy, bit for bit.  Also here: the spacings
where a division is computed as a multiplication by an exact reciprocal.
"""


import numpy as np
import pytest

from generators import array_generator, dtype_name, spacing_cases
from builds import BUILDS, kernels  # noqa: F401 (a fixture)
from oracle import check_cases
from tiers import PARTS, Share

KERNEL_DTYPES = [np.dtype(t) for t in (np.float32, np.float64, np.complex64, np.complex128,
                                       np.int8, np.uint16, np.int32, np.int64, np.uint64)]
LAYOUTS = ["C", "F", "strided", "negstrides", "broadcast", "readonly"]
SHAPES = [(2,), (3,), (7,), (3, 4), (2, 1, 3), (5, 2, 3)]


def test_both_builds_are_compiled_on_x86_64():
    import platform
    if platform.machine().lower() not in ("x86_64", "amd64"):
        pytest.skip("the AVX2 build exists on x86-64 only")
    assert [b.__name__ for b in BUILDS] == ["gradient_ext._core._kernels", "gradient_ext._core._kernels_avx2"]


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("dtype", KERNEL_DTYPES, ids=dtype_name)
def test_build_matches_numpy(kernels, dtype, part):
    share = Share(part, every=48)       # the fast tier samples the loop (tiers.py)

    def cases():
        for a, desc in array_generator([dtype], shapes=SHAPES, layouts=LAYOUTS):
            axes = tuple(range(a.ndim))
            for varargs, sdesc in spacing_cases(a.shape, axes, malformed=False):
                for edge_order in (1, 2):
                    yield f"{desc} {sdesc} edge_order={edge_order}", a, varargs, \
                        {"edge_order": edge_order}
    assert check_cases(share.filter(cases())) == share.taken > 0


# Powers of two whose reciprocal is finite (the kernels multiply), next to
# ones whose reciprocal overflows or that are not powers of two (they divide).
POWER_OF_TWO_SPACINGS = [0.5, 1.0, 2.0, -4.0, 2.0**-20, 2.0**-126, 2.0**-127, 2.0**-149,
                         2.0**127, 2.0**128, 2.0**-1022, 2.0**-1074, 2.0**1022, 2.0**1023,
                         3.0, 0.1, -0.0, 0.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.int64],
                         ids=lambda d: np.dtype(d).name)
def test_exact_reciprocal_spacings(kernels, dtype):
    rng = np.random.default_rng(7)
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-310, -5e-324, 1e300,
                         3.4e38, 1.2e-38, 1e-45])
    base = np.concatenate([specials, rng.standard_normal(64) * 10.0 ** rng.integers(-40, 40, 64)])
    if np.dtype(dtype).kind == "i":
        base = rng.integers(-2**62, 2**62, 75)
    with np.errstate(all="ignore"):           # overflow to inf in float32 is intended
        f = base.astype(dtype) if np.dtype(dtype).kind != "c" else \
            (base + 1j * base[::-1]).astype(dtype)

    def cases():
        for h in POWER_OF_TWO_SPACINGS:
            for spacing in (h, np.float64(h), np.float32(h)):
                for edge_order in (1, 2):
                    if edge_order == 2 and h == 0 and type(spacing) is float:
                        continue            # ZeroDivisionError, covered elsewhere
                    yield f"h={spacing!r} edge_order={edge_order}", f, (spacing,), \
                        {"edge_order": edge_order}
    assert check_cases(cases()) > 0
