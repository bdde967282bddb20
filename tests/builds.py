"""The compiled builds of the kernels present in this installation, and a fixture
that swaps each in turn into the public wrapper (tests of both builds)."""

import importlib

import pytest

from gradient_ext import _api


def _builds():
    found = []
    for name in ("gradient_ext._core._kernels", "gradient_ext._core._kernels_avx2"):
        try:
            found.append(importlib.import_module(name))
        except ImportError:
            continue
    return found


BUILDS = _builds()


@pytest.fixture(params=BUILDS, ids=[b.__name__.rsplit(".", 1)[-1] for b in BUILDS])
def kernels(request, monkeypatch):
    """One build of the kernels, used by gradient_ext.gradient for this test."""
    module = request.param
    from numpy._core._multiarray_umath import __cpu_features__
    if module.__name__.endswith("avx2") and not __cpu_features__.get("AVX2"):
        pytest.skip("this CPU has no AVX2")
    monkeypatch.setattr(_api, "_kernels", module)
    return module
