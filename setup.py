"""Build the Cython kernels of gradient_ext.

Compiler flags are part of the product's correctness, not just its speed:

* ``-O3`` lets gcc vectorise the stencil loops (with runtime alias checks);
* ``-ffp-contract=off`` forbids fusing ``a*b + c`` into one FMA, which would
  round once instead of twice and change bits relative to numpy;
* never ``-ffast-math``/``-Ofast`` (they reorder and drop NaN/inf/-0.0 rules),
  and no ``-march=native`` (a wheel must run on any x86-64).

OpenMP is optional: a probe compiles, links and runs a tiny OpenMP program;
if that fails (or ``GRADIENT_EXT_NO_OPENMP=1``) the extension builds serial.
Set ``GRADIENT_EXT_BOUNDSCHECK=1`` to compile the kernels with Cython's bounds
and wraparound checks back on, for debugging.  ``GRADIENT_EXT_SANITIZE=1``
builds them with AddressSanitizer and UndefinedBehaviorSanitizer
(``tools/sanitize.sh`` runs the tests on such a build; Python must then be
started with the sanitizer runtimes preloaded).

On x86-64 the same kernel source (``_core/_kernel_build.pxi`` and the files
it includes) is compiled twice: as
``_kernels`` for the baseline instruction set, and as ``_kernels_avx2`` with
``-mavx2`` (wider vectors, same operations; FMA stays off), which ``_api``
loads only when the CPU reports AVX2 -- numpy's own runtime dispatch, without
``-march=native``.
"""

import glob
import os
import platform
import subprocess
import sys
import sysconfig
import tempfile
import textwrap

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

OPENMP_PROBE = textwrap.dedent(
    """
    #include <omp.h>
    #include <stdio.h>
    int main(void) {
        int n = 0;
        #pragma omp parallel reduction(+:n)
        n += 1;
        printf("%d", n > 0 && omp_get_max_threads() > 0);
        return 0;
    }
    """
)


def _openmp_flags():
    """Return the compile/link flag for OpenMP, or None when it is unusable."""
    if os.environ.get("GRADIENT_EXT_NO_OPENMP", "0") not in ("", "0"):
        print("gradient_ext: OpenMP disabled by GRADIENT_EXT_NO_OPENMP")
        return None
    if sys.platform == "win32":
        return "/openmp"
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "probe.c")
        exe = os.path.join(tmp, "probe")
        with open(src, "w") as fh:
            fh.write(OPENMP_PROBE)
        try:
            subprocess.run(
                cc.split() + ["-fopenmp", src, "-o", exe],
                check=True, capture_output=True, timeout=120,
            )
            ran = subprocess.run([exe], check=True, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            print("gradient_ext: OpenMP probe failed; building the serial kernels")
            return None
    if ran.stdout.strip() != b"1":
        return None
    return "-fopenmp"


def _avx2_flags():
    """Flags of the AVX2 build, or None where the platform cannot have one."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return None
    return ["/arch:AVX2"] if sys.platform == "win32" else ["-mavx2"]


# Any report aborts (no recovery), so a test run under them fails on the first one.
SANITIZE_FLAGS = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer",
                  "-fno-sanitize-recover=undefined", "-g"]


def _sanitize():
    return os.environ.get("GRADIENT_EXT_SANITIZE", "0") not in ("", "0")


def _extensions():
    openmp = _openmp_flags()
    if sys.platform == "win32":
        compile_args = ["/O2", "/fp:precise"]
        link_args = []
    elif _sanitize():
        print("gradient_ext: building the kernels with ASan and UBSan")
        compile_args = ["-O1", "-ffp-contract=off"] + SANITIZE_FLAGS
        link_args = list(SANITIZE_FLAGS)
    else:
        compile_args = ["-O3", "-ffp-contract=off"]
        link_args = []
    if openmp:
        compile_args.append(openmp)
        link_args.append(openmp)
    variants = {"_kernels": []}
    avx2 = _avx2_flags()
    if avx2:
        variants["_kernels_avx2"] = avx2
    extensions = [
        Extension(
            f"gradient_ext._core.{name}",
            [f"gradient_ext/_core/{name}.pyx"],
            include_dirs=[numpy.get_include()],
            define_macros=[("NPY_NO_DEPRECATED_API", "NPY_2_0_API_VERSION")],
            extra_compile_args=compile_args + extra,
            extra_link_args=link_args,
            depends=sorted(glob.glob("gradient_ext/_core/**/*.pxi", recursive=True)),
        )
        for name, extra in variants.items()
    ]
    debug_checks = os.environ.get("GRADIENT_EXT_BOUNDSCHECK", "0") not in ("", "0")
    return cythonize(
        extensions,
        language_level=3,
        compiler_directives={
            "boundscheck": debug_checks,
            "wraparound": debug_checks,
            "initializedcheck": debug_checks,
            "cdivision": True,
            "cpow": True,
            "embedsignature": True,
        },
    )


setup(ext_modules=_extensions())
