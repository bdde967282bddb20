"""torch.gradient and jax.numpy.gradient, timed beside gradient_ext when they import.

Never dependencies of gradient_ext; their results are not checked (see ``engine``).
"""

import numpy as np

__all__ = ["import_others", "jax_callable", "torch_callable"]


def import_others():
    """Return {'torch': module, 'jax': (jax, jnp)} for those that import."""
    others = {}
    try:
        import torch  # type: ignore[import-not-found]
        others["torch"] = torch
    except ImportError:
        pass
    try:
        import jax  # type: ignore[import-not-found]
        jax.config.update("jax_enable_x64", True)   # compare float64 with float64
        import jax.numpy as jnp  # type: ignore[import-not-found]
        others["jax"] = (jax, jnp)
    except ImportError:
        pass
    return others


def torch_callable(torch, case, f, varargs):
    """torch.gradient on the CPU for `case`, or None when torch cannot run it."""
    try:
        t = torch.from_numpy(f)
        kw = {"edge_order": case.edge_order}
        if case.axis is not None:
            kw["dim"] = list(case.axes())
        if varargs:
            kw["spacing"] = [torch.from_numpy(v) if isinstance(v, np.ndarray) else v
                             for v in varargs]
        torch.set_num_threads(case.workers)
        torch.gradient(t, **kw)
    except (RuntimeError, TypeError, ValueError):
        return None
    return lambda: torch.gradient(t, **kw)


def jax_callable(jax_mods, case, f, varargs):
    """jit-compiled jax.numpy.gradient for `case`, or None when jax cannot run it."""
    jax, jnp = jax_mods
    if case.edge_order != 1:        # jnp.gradient raises NotImplementedError
        return None
    try:
        fn = jax.jit(jnp.gradient, static_argnames=("axis",))
        x = jax.device_put(f)
        args = [jax.device_put(v) if isinstance(v, np.ndarray) else v for v in varargs]
        kw = {} if case.axis is None else {"axis": case.axis}
        jax.block_until_ready(fn(x, *args, **kw))      # compile outside the timing
    except (NotImplementedError, TypeError, ValueError):
        return None
    return lambda: jax.block_until_ready(fn(x, *args, **kw))
