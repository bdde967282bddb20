"""Helpers shared by the test files (and benchmarks/thread_load.py).

Child processes: the tests test the gradient_ext that this process imported
(an install, editable or not, or an in-place build on ``PYTHONPATH``), from
any working directory.  A child Python started here must import that same
package, never the source tree beside the tests (a non-editable install's
tree has no built kernels):

* :func:`child_env` sets ``PYTHONSAFEPATH=1``, so that no child (nor its own
  children: process pools, spawn, dask workers) puts its working directory or
  its script's folder first on ``sys.path``;
* it puts the folder holding the imported gradient_ext first on
  ``PYTHONPATH`` only where a child would otherwise find another one (or
  none); an install needs nothing;
* it puts this folder (tests/) last on ``PYTHONPATH``, so that children import
  the test helpers (``oracle``, ``test_periodic`` ...) without shadowing
  anything.

:func:`python` and :func:`run_python` run a child with that environment.
"""

import contextlib
import functools
import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import gradient_ext

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
# The folder whose gradient_ext/ this process imported (site-packages for an
# install, the clone for an editable install or an in-place build).
PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(gradient_ext.__file__)))
TIMEOUT = 120


def _with_path(env, *first, last=()):
    parts = [*first, *env.get("PYTHONPATH", "").split(os.pathsep), *last]
    env["PYTHONPATH"] = os.pathsep.join(p for p in parts if p)
    return env


@functools.cache
def _package_parent_needed():
    """Whether a child, without help, would import another gradient_ext than this process."""
    env = _with_path(dict(os.environ, PYTHONSAFEPATH="1"), last=[TESTS_DIR])
    found = subprocess.run(
        [sys.executable, "-c", "import importlib.util as u; s = u.find_spec('gradient_ext'); "
                               "print(s.origin if s and s.origin else '')"],
        env=env, capture_output=True, text=True, timeout=TIMEOUT, cwd=TESTS_DIR)
    origin = found.stdout.strip()
    return not (found.returncode == 0 and origin
                and os.path.samefile(origin, gradient_ext.__file__))


def child_env(env=None, *, unset=(), **extra):
    """The environment of a child Python: ``env`` (default ``os.environ``) without the
    names in ``unset``, with ``extra`` added, that imports this process's gradient_ext
    and can import the modules of tests/."""
    environ = {k: v for k, v in (os.environ if env is None else env).items() if k not in unset}
    environ.update(extra)
    environ["PYTHONSAFEPATH"] = "1"
    first = [PACKAGE_PARENT] if _package_parent_needed() else []
    return _with_path(environ, *first, last=[TESTS_DIR])


def python(*args, env=None, unset=(), timeout=TIMEOUT, **kwargs):
    """``subprocess.run([sys.executable, *args])`` with :func:`child_env`; output as text."""
    return subprocess.run([sys.executable, *args], env=child_env(env, unset=unset),
                          capture_output=True, text=True, timeout=timeout, **kwargs)


def run_python(*parts, flags=(), unset=(), timeout=TIMEOUT, **env):
    """Run the (separately indented) code ``parts`` in a fresh Python, ``flags``
    before ``-c``, in this environment without the names in ``unset`` and with
    ``env`` added; checks it succeeded and returns its stdout."""
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    environ.update(env)
    proc = python(*flags, "-c", "".join(map(textwrap.dedent, parts)), env=environ,
                  timeout=timeout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


# ---------------------------------------------------------------------------
# pytest --parallel-threads (pytest-run-parallel)

# doctest's runner swaps sys.stdout and linecache.getlines for the whole process
# while it runs: two at once in threads print into each other's output and leave
# getlines patched in a loop (every later traceback then fails to format).
runs_doctest = pytest.mark.thread_unsafe(reason="doctest swaps sys.stdout and "
                                                "linecache.getlines process-wide")


# ---------------------------------------------------------------------------
# A busy machine

BUSY = "while True: pass"


@contextlib.contextmanager
def busy_processes(count, settle=0.5):
    """``count`` processes, each spinning one CPU in pure Python, for the block;
    killed (and reaped) after it.  ``settle``: seconds to wait before the block."""
    busy = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(count)]
    try:
        time.sleep(settle)
        yield busy
    finally:
        for p in busy:
            p.kill()
            p.wait()


# ---------------------------------------------------------------------------
# Grids and convergence


def uneven_grid(n, rng, lo=-1.0, span=2.0):
    """``n`` increasing coordinates from ``lo`` to ``lo + span``, spacings random
    within a factor 0.6..1.4 of each other."""
    x = np.cumsum(rng.uniform(0.6, 1.4, n))
    return lo + (x - x[0]) * (span / (x[-1] - x[0]))


def convergence_rate(hs, errs):
    """The slope of log(error) against log(h): the observed order of a scheme."""
    return np.polyfit(np.log(hs), np.log(errs), 1)[0]


# ---------------------------------------------------------------------------
# xarray


def lat_lon(dtype=np.float64, ny=37, nx=72, seed=0, noise=0.01, amplitude=10.0, attrs=None):
    """A global grid ``t2m``: latitudes -90..90 inclusive, longitudes 0..355 (period 360),
    ``amplitude`` cos(lat) sin(lon) plus normal noise."""
    import xarray as xr

    rng = np.random.default_rng(seed)
    lat = np.linspace(-90.0, 90.0, ny)
    lon = np.linspace(0.0, 360.0, nx, endpoint=False)
    data = (np.cos(np.deg2rad(lat))[:, None] * np.sin(np.deg2rad(lon))[None, :] * amplitude
            + noise * rng.standard_normal((ny, nx))).astype(dtype)
    return xr.DataArray(data, coords={"lat": lat, "lon": lon}, dims=("lat", "lon"),
                        name="t2m", attrs=attrs)


def assert_xarray_same(got, expected, check_order=True):
    """Identical xarray objects (coords, dims, names, attrs), each variable's data
    equal bit for bit (tests/oracle.py's assert_array_same)."""
    import xarray as xr

    from oracle import assert_array_same

    xr.testing.assert_identical(got, expected)
    pairs = ([(got, expected)] if isinstance(got, xr.DataArray)
             else [(got[k], expected[k]) for k in expected.data_vars])
    for g, e in pairs:
        assert_array_same(np.asarray(g.values), np.asarray(e.values), f"{g.name}",
                          check_order=check_order)
