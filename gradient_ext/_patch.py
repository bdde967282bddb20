"""Switch existing code over to gradient_ext: patch ``numpy.gradient`` in place.

Libraries look ``numpy.gradient`` up when they call it (xarray's
``differentiate`` calls ``numpy.gradient`` through its array namespace), so
replacing the attribute on the ``numpy`` module reaches them without editing
them.  The model is IntelPython/mkl_fft's ``patch_numpy_fft``:

* patching is counted: every ``patch_numpy()`` needs one ``restore_numpy()``,
  and the objects that were there before the first patch are put back, the
  very same objects, when the count returns to zero;
* the count and the swap happen under one lock, so threads may patch, restore
  and nest ``patched_numpy()`` scopes concurrently; the count is process-wide
  (a scope entered by one thread keeps numpy patched for all threads);
* gradient_ext's exact path calls ``_runtime.NUMPY_GRADIENT``, numpy's own
  function captured at import, so a patched numpy never recurses into it.

dask: if ``dask.array`` is already imported when ``patch_numpy()`` runs (this
module never imports dask), and gradient_ext's dask support
(``gradient_ext._integrations.dask_arrays``) is installed, ``dask.array.gradient`` is patched and
restored the same way.  dask imported later is not hooked; its own gradient
then still reaches gradient_ext chunk by chunk, because it calls
``numpy.gradient`` on every block.  Calling ``patch_numpy()`` again after
importing dask patches it too.
"""

import contextlib
import sys
from _thread import allocate_lock   # threading's Lock, without importing threading (0.7 ms)

import numpy as np

from . import _api, _runtime

__all__ = ["patch_numpy", "restore_numpy", "patched_numpy", "is_patched"]

_lock = allocate_lock()
_depth = 0
# (module, attribute name) -> the object that was there before the first patch
_saved: dict = {}

# A re-import of _api while numpy is patched finds numpy's own gradient here.
setattr(_api.gradient, "_numpy_gradient", _runtime.NUMPY_GRADIENT)


def _dask_module():
    """dask.array when it is in use and gradient_ext can compute dask arrays."""
    module = sys.modules.get("dask.array")
    if module is None or not _has_dask_support():
        return None
    return module


def _has_dask_support():
    import importlib.util           # only once dask is in use: import stays cheap

    return importlib.util.find_spec("gradient_ext._integrations.dask_arrays") is not None


def _dask_gradient(f, *varargs, **kwargs):
    """dask.array.gradient's contract (dask arrays out, for any input), our kernels."""
    dask_array = sys.modules["dask.array"]     # imported: it is what this replaces
    return _api.gradient(dask_array.asarray(f), *varargs, **kwargs)


def _swap(module, name, replacement):
    if (module, name) not in _saved:
        _saved[(module, name)] = getattr(module, name)
        setattr(module, name, replacement)


def patch_numpy():
    """Make ``numpy.gradient`` (and ``dask.array.gradient``, see the module
    notes) gradient_ext's ``gradient`` until the matching ``restore_numpy()``.

    Calls are counted: each needs its own ``restore_numpy()``.
    """
    global _depth
    with _lock:
        _swap(np, "gradient", _api.gradient)
        dask_array = _dask_module()
        if dask_array is not None:
            _swap(dask_array, "gradient", _dask_gradient)
        _depth += 1


def restore_numpy():
    """Undo one ``patch_numpy()``; the last one puts the original objects back.

    Raises RuntimeError when numpy is not patched.
    """
    global _depth
    with _lock:
        if _depth == 0:
            raise RuntimeError("restore_numpy() without a matching patch_numpy()")
        _depth -= 1
        if _depth == 0:
            for (module, name), original in _saved.items():
                setattr(module, name, original)
            _saved.clear()


@contextlib.contextmanager
def patched_numpy():
    """Patch numpy for the duration of a ``with`` block; nests, restores on errors.

    >>> import numpy as np, gradient_ext
    >>> with gradient_ext.patched_numpy():
    ...     np.gradient is gradient_ext.gradient
    True
    """
    patch_numpy()
    try:
        yield
    finally:
        restore_numpy()


def is_patched():
    """Whether ``patch_numpy()`` is in effect (some patch not yet restored)."""
    with _lock:
        return _depth > 0
